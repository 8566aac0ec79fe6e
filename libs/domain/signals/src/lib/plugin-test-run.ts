import type { TestSourceResult } from '@bulwark/api-schema';
import {
  tooManySignals,
  type FeedLimits,
  type HttpClient,
  type NormalizedSignal,
  type PluginDefinition,
  type PluginInstance,
} from '@bulwark/plugin-sdk';

/**
 * One run of the source form's **Test**: a plugin instance with a config, its poll and its self-test
 * side by side, storing nothing. Free of Nest and the database, so that it runs in the sandbox's
 * worker thread (`PluginSandbox`).
 */

/** Plain view of a normalized signal for API answers. */
export function signalPreview(s: NormalizedSignal): TestSourceResult['signals'][number] {
  return {
    externalId: s.externalId,
    signalType: s.signalType,
    component: s.service,
    region: s.region,
    level: s.level,
    lifecycle: s.lifecycle,
    title: s.title,
    detail: s.detail,
    startedAt: s.startedAt,
    updatedAt: s.updatedAt,
    resolvedAt: s.resolvedAt,
    scheduledFor: s.scheduledFor,
    scheduledUntil: s.scheduledUntil,
    score: s.score,
    url: s.url,
    asOf: s.asOf ?? null,
    announcedAt: s.announcedAt ?? null,
  };
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`Plugin did not finish within ${Math.round(ms / 1000)} s`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/** A failed test run: the error, also as the self-test's answer when the run never got that far. */
export function failedTestRun(error: string, durationMs: number): TestSourceResult {
  return { ok: false, signals: [], warnings: [], error, selfTest: { ok: false, message: error }, durationMs };
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

/** Runs a plugin once with a validated config: one poll and the plugin's self-test, each within `timeoutMs`. */
export async function runPluginTest(
  plugin: PluginDefinition,
  config: Record<string, unknown>,
  http: HttpClient,
  limits: FeedLimits & { timeoutMs: number },
): Promise<TestSourceResult> {
  const t0 = Date.now();
  let instance: PluginInstance;
  try {
    instance = plugin.create({ config, http, limits: { maxSignals: limits.maxSignals }, now: () => new Date(), log: () => undefined });
  } catch (err) {
    return failedTestRun(message(err), Date.now() - t0);
  }
  // The poll and the plugin's own check run side by side; neither's failure hides the other's answer.
  const [polled, selfTest] = await Promise.all([
    withTimeout(instance.poll(), limits.timeoutMs).then(
      (r) => ({ ok: true as const, r }),
      (err: unknown) => ({ ok: false as const, error: message(err) }),
    ),
    withTimeout(instance.selfTest(), limits.timeoutMs).then(
      (r) => ({ ok: r.ok === true, message: String(r.message ?? '').slice(0, 1000) }),
      // A throw or a timeout is a failed check, never a 500.
      (err: unknown) => ({ ok: false, message: `Self-test failed: ${message(err)}` }),
    ),
  ]);
  const durationMs = Date.now() - t0;
  if (!polled.ok) return { ok: false, signals: [], warnings: [], error: polled.error, selfTest, durationMs };
  // What a poll could not store, the test does not show either (nor send: the answer stays bounded).
  if (polled.r.signals.length > limits.maxSignals)
    return { ok: false, signals: [], warnings: [], error: tooManySignals(polled.r.signals.length, limits).message, selfTest, durationMs };
  return { ok: true, signals: polled.r.signals.map(signalPreview), warnings: polled.r.warnings ?? [], error: null, selfTest, durationMs };
}
