import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { DomainException, InjectQueue, RequestContext, type QueuePort } from '@bulwark/platform';
import {
  FeedLimitError,
  FeedParseError,
  HttpError,
  PermanentPluginError,
  recordFetches,
  resolveRawRefs,
  tooManySignals,
  unknownSignal,
  type FetchRecorder,
  type NormalizedSignal,
  type PollResult,
  type ResolvedRawRefs,
} from '@bulwark/plugin-sdk';

import { SourceHttpCache } from './http-cache.js';
import { IngestService } from './ingest.service.js';
import type { IngestResult } from './ingestion.js';
import { PluginRegistry } from './plugin-registry.js';
import { PluginRunner } from './plugin-runner.js';
import { RawEvidence } from './raw-evidence.js';
import type { SignalSource } from './signal-source.entity.js';
import { SourceSecrets } from './source-secrets.js';
import { recordSourceFailure } from './source-status.js';
import { SignalSourceService } from './source.service.js';

export type PollOutcome =
  { status: 'ok'; result: IngestResult } | { status: 'skipped'; reason: string } | { status: 'failed'; error: string; permanent: boolean };

/**
 * Polls a source once: runs the plugin, ingests what it returns (`IngestService`), and records the
 * source's health. A poll that fails for any reason records `unknown` for the source (never
 * `operational`); a permanent error (bad config, 4xx, an unreadable body) stops retries; anything
 * else is retried with backoff by the queue. The `signals.poll` job that runs it is registered in
 * `poll.job.ts`.
 */
@Injectable()
export class PollService {
  private readonly logger = new Logger('Poll');

  constructor(
    private readonly dataSource: DataSource,
    private readonly sources: SignalSourceService,
    private readonly secrets: SourceSecrets,
    private readonly http: SourceHttpCache,
    private readonly runner: PluginRunner,
    private readonly registry: PluginRegistry,
    private readonly evidence: RawEvidence,
    private readonly ingest: IngestService,
    @InjectQueue() private readonly queue: QueuePort,
  ) {}

  /** The API's "poll now": queues a poll of an enabled, polled source in the caller's scope. */
  async pollNow(id: string): Promise<void> {
    const source = await this.sources.loadScoped(id);
    if (!source.enabled) throw new DomainException('source.disabled', 'conflict', 'Enable the source before polling it');
    if (this.registry.get(source.plugin).plugin.push)
      throw new DomainException('source.push_only', 'conflict', 'This source receives pushed data; it is never polled');
    await this.enqueue(source);
  }

  /** Enqueues a poll now. */
  async enqueue(source: SignalSource): Promise<void> {
    await this.queue.add('signals.poll', { sourceId: source.id, organizationId: source.organizationId, plugin: source.plugin });
  }

  async poll(sourceId: string): Promise<PollOutcome> {
    const source = await this.sources.loadForSystem(sourceId);
    if (!source) return { status: 'skipped', reason: 'source no longer exists' };
    if (!source.enabled) return { status: 'skipped', reason: 'source is disabled' };
    return RequestContext.runAs(this.sources.systemActorFor(source), async () => {
      // The observation time: the state time of undated signals, and when absent ones are resolved.
      const observedAt = new Date();
      if (!this.registry.has(source.plugin))
        return this.fail(source, `Plugin ${source.plugin} is not installed`, true, 'invalid_config', observedAt);
      const { plugin } = this.registry.get(source.plugin);
      if (plugin.push) return { status: 'skipped', reason: 'push sources are not polled' } as PollOutcome;
      let config: Record<string, unknown>;
      try {
        config = this.secrets.validate(source.plugin, this.secrets.fullConfig(source)).full;
      } catch (err) {
        return this.fail(source, `Invalid configuration: ${(err as Error).message}`, true, 'invalid_config', observedAt);
      }
      // The host keeps what the plugin fetched during this poll: the raw evidence its signals point at.
      const recorder = recordFetches(this.http.clientFor(source.id));
      const instance = this.runner.instance(plugin, source, config, recorder.http);
      let polled: PollResult;
      try {
        polled = await this.runner.poll(instance);
      } catch (err) {
        const message = (err as Error).message.slice(0, 2000);
        if (err instanceof FeedParseError) {
          // The feed answered with something we cannot read: the state is unknown, not healthy. A
          // failed read resolves nothing: what was open stays open.
          await this.recordUnreadable(source, err, message, recorder, observedAt);
          return this.fail(source, `Feed could not be parsed: ${message}`, true, 'failing', null);
        }
        const permanent =
          err instanceof PermanentPluginError || (err instanceof HttpError && err.permanent) || err instanceof FeedLimitError;
        return this.fail(
          source,
          message,
          permanent,
          permanent && err instanceof PermanentPluginError ? 'invalid_config' : 'failing',
          observedAt,
        );
      }
      // A source contributes at most FEED_MAX_SIGNALS per poll: more is refused whole (nothing stored).
      if (polled.signals.length > this.runner.limits.maxSignals)
        return this.fail(source, tooManySignals(polled.signals.length, this.runner.limits).message, true, 'failing', observedAt);
      const raw = this.evidenceOf(source, polled.signals, recorder);
      if (raw.unmatched)
        this.logger.debug(
          `${source.plugin}/${source.id}: ${raw.unmatched} signal(s) name a fetch URL not fetched in this poll; stored without raw evidence`,
        );
      const result = await this.ingest.ingest(source, {
        cause: 'poll',
        signals: polled.signals,
        observedAt,
        complete: polled.complete === true,
        raw,
      });
      return { status: 'ok', result } as PollOutcome;
    });
  }

  /** The raw evidence of a poll's signals: the bodies fetched in it, with the source's secrets redacted from the fetch URLs. */
  private evidenceOf(source: SignalSource, signals: NormalizedSignal[], recorder: FetchRecorder): ResolvedRawRefs & { unmatched: number } {
    const raw = resolveRawRefs(signals, { find: recorder.find, origin: 'poll' });
    return { ...raw, refs: this.evidence.redact(raw.refs, Object.values(this.secrets.open(source))) };
  }

  /**
   * The `unknown` marker of a poll whose feed could not be read, with the unreadable body as its raw
   * evidence (the body fetched from the error's `fetchUrl`, else the last one fetched), kept like any
   * other signal's: content-addressed, within the client's size cap, the secrets redacted from the URL.
   * Evidence that cannot be stored never costs the marker: it is then recorded without it.
   */
  private async recordUnreadable(
    source: SignalSource,
    err: FeedParseError,
    message: string,
    recorder: FetchRecorder,
    observedAt: Date,
  ): Promise<void> {
    const marker = unknownSignal(message, observedAt);
    const fetched = err.fetchUrl ? recorder.find(err.fetchUrl) : recorder.last();
    if (fetched?.url) marker.rawRef = { fetchUrl: fetched.url, pointer: null };
    const raw = this.evidenceOf(source, [marker], recorder);
    try {
      await this.ingest.storeOnly(source, { signals: [marker], observedAt, raw });
    } catch (storeErr) {
      if (!raw.refs[0]) throw storeErr;
      this.logger.error(
        `${source.plugin}/${source.id}: the unreadable body could not be kept as evidence (${(storeErr as Error).message}); the marker is recorded without it`,
      );
      await this.ingest.storeOnly(source, { signals: [{ ...marker, rawRef: null }], observedAt, raw: { refs: [], bodies: new Map() } });
    }
  }

  /**
   * Records a failed poll: the source's status and error and, unless the caller recorded it with its
   * evidence (`markedAt` null: an unreadable body), the source's `unknown` marker. A timeout, a 5xx,
   * an over-size body, a refused address or a bad configuration says nothing about the vendor: the
   * source's older rows cannot say "operational" any more, so its share of the rollup is unknown
   * until a poll succeeds (which clears the marker). A failed poll resolves nothing.
   */
  private async fail(
    source: SignalSource,
    error: string,
    permanent: boolean,
    status: 'failing' | 'invalid_config',
    markedAt: Date | null,
  ): Promise<PollOutcome> {
    if (markedAt)
      await this.ingest.storeOnly(source, {
        signals: [unknownSignal(error, markedAt)],
        observedAt: markedAt,
        raw: { refs: [], bodies: new Map() },
      });
    await recordSourceFailure(this.dataSource.manager, source.id, status, error);
    this.logger.warn(`${source.plugin} source ${source.id}: ${error.slice(0, 300)}`);
    return { status: 'failed', error, permanent };
  }
}
