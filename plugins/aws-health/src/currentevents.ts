import { z } from 'zod';

import {
  FeedParseError,
  htmlToText,
  jsonPointer,
  parseFeedJson,
  SEVERITY,
  signal,
  type NormalizedSignal,
  type SignalLevel,
} from '@bulwark/plugin-sdk';

import {
  levelFromCode,
  regionFromArn,
  regionSelected,
  safeEpochIso,
  serviceFromArn,
  serviceSelected,
  splitServiceKey,
  type AwsFilter,
} from './common.js';
import { decodeFeedBytes } from './decode.js';

const code = z.union([z.string(), z.number()]).nullish();
const text = z.string().nullish();

const eventLogEntry = z.object({ summary: text, message: text, status: code, timestamp: code });
const statusChange = z.object({ service: text, service_name: text, previous_status: code, current_status: code, timestamp: code });
const impactedService = z.object({ service_name: text, current: code, max: code });

/** One element of `/public/currentevents` (feeds.md §3b); unknown keys are ignored. */
const currentEvent = z.object({
  arn: text,
  date: code,
  end_time: code,
  status: code,
  summary: text,
  region_name: text,
  service: text,
  service_name: text,
  event_log: z.array(eventLogEntry.nullable()).nullish(),
  impacted_services: z.record(z.string(), impactedService.nullable()).nullish(),
  impacted_service_status_changes: z.array(statusChange.nullable()).nullish(),
});
export type CurrentEvent = z.infer<typeof currentEvent>;

/** One item of the legacy `status.aws.amazon.com/data.json` (`{archive: [...], current: [...]}`). */
const legacyEvent = z.object({
  service_name: text,
  summary: text,
  date: code,
  status: code,
  description: text,
  service: z.string().min(1),
});
const legacyFeed = z.object({ current: z.array(legacyEvent).nullish(), archive: z.array(legacyEvent).nullish() });

export interface ParseOptions extends AwsFilter {
  /** Absolute dashboard URL the signals link to. */
  dashboardUrl: string;
}

/** Decodes (UTF-16 with BOM) and parses a currentevents body; legacy data.json bodies are accepted too. */
export function parseCurrentEventsBody(body: Buffer, opts: ParseOptions): NormalizedSignal[] {
  return parseCurrentEvents(parseFeedJson(decodeFeedBytes(body), 'currentevents'), opts);
}

export function parseCurrentEvents(json: unknown, opts: ParseOptions): NormalizedSignal[] {
  if (!Array.isArray(json)) {
    const legacy = legacyFeed.safeParse(json);
    if (legacy.success && (legacy.data.current || legacy.data.archive)) return parseLegacy(legacy.data, opts);
    throw new FeedParseError('currentevents is not a JSON array of events');
  }
  const out: NormalizedSignal[] = [];
  json.forEach((raw, i) => {
    const parsed = currentEvent.safeParse(raw);
    if (!parsed.success)
      throw new FeedParseError(
        `currentevents[${i}] has an unexpected shape: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
      );
    const sig = eventToSignal(parsed.data, i, opts);
    if (sig) out.push(sig);
  });
  return sortSignals(out);
}

function present(v: string | number | null | undefined): v is string | number {
  return v !== null && v !== undefined && String(v).trim() !== '' && String(v).trim() !== '0';
}

function eventToSignal(ev: CurrentEvent, index: number, opts: ParseOptions): NormalizedSignal | null {
  const serviceKey = ev.service ? splitServiceKey(ev.service) : null;
  const arnRegion = ev.arn ? regionFromArn(ev.arn) : null;
  const region = arnRegion ?? serviceKey?.region ?? 'global';
  const service = serviceKey?.service ?? (ev.arn ? serviceFromArn(ev.arn) : null);
  const impacted = Object.keys(ev.impacted_services ?? {}).map((k) => splitServiceKey(k).service);
  const services = [...new Set([service, ...impacted].filter((s): s is string => !!s))];
  if (!regionSelected(opts, region) || !serviceSelected(opts, services)) return null;

  const externalId = ev.arn?.trim() || (ev.service && present(ev.date) ? `${ev.service}_${ev.date}` : null);
  if (!externalId) throw new FeedParseError(`currentevents[${index}] has neither an arn nor a service and date`);

  const log = (ev.event_log ?? []).filter((e): e is NonNullable<typeof e> => !!e);
  const changes = (ev.impacted_service_status_changes ?? []).filter((c): c is NonNullable<typeof c> => !!c);
  const latestLog = [...log].sort((a, b) => epochMs(b.timestamp) - epochMs(a.timestamp))[0];

  // Latest status change per impacted service; when every one is back at "0" the event is over.
  const latestChange = new Map<string, NonNullable<(typeof changes)[number]>>();
  for (const c of changes) {
    const key = c.service ?? '';
    const prev = latestChange.get(key);
    if (!prev || epochMs(c.timestamp) >= epochMs(prev.timestamp)) latestChange.set(key, c);
  }
  const allChangesNormal = latestChange.size > 0 && [...latestChange.values()].every((c) => String(c.current_status ?? '').trim() === '0');
  const closedByStatus = String(ev.status ?? '').trim() === '0';
  const closed = present(ev.end_time) || closedByStatus || allChangesNormal;

  const times = [ev.date, ...log.map((e) => e.timestamp), ...changes.map((c) => c.timestamp)].map(epochMs).filter((n) => n > 0);
  const updatedMs = times.length ? Math.max(...times) : 0;
  const updatedAt = updatedMs ? new Date(updatedMs).toISOString() : null;
  const latestChangeMs = Math.max(0, ...[...latestChange.values()].map((c) => epochMs(c.timestamp)));
  const resolvedAt = !closed
    ? null
    : present(ev.end_time)
      ? safeEpochIso(ev.end_time)
      : latestChangeMs
        ? new Date(latestChangeMs).toISOString()
        : updatedAt;

  // The event's own status, unless only the impacted services say how bad it is.
  let level: SignalLevel = levelFromCode(ev.status);
  if (level === 'unknown' && ev.status == null)
    level = worst(Object.values(ev.impacted_services ?? {}).map((s) => levelFromCode(s?.current)));

  return signal({
    externalId,
    signalType: 'service_incident',
    service,
    region,
    level,
    lifecycle: closed ? 'resolved' : 'open',
    title: ev.summary?.trim() || latestLog?.summary?.trim() || `${ev.service_name ?? service ?? 'AWS'} event`,
    detail:
      htmlToText(latestLog?.message) ?? (ev.service_name ? `${ev.service_name}${ev.region_name ? ` (${ev.region_name})` : ''}` : null),
    startedAt: safeEpochIso(ev.date),
    updatedAt,
    resolvedAt,
    url: opts.dashboardUrl,
    rawRef: { pointer: jsonPointer(index) },
  });
}

/** Legacy data.json: `current` items are open (unless marked resolved), `archive` items are history. */
function parseLegacy(feed: z.infer<typeof legacyFeed>, opts: ParseOptions): NormalizedSignal[] {
  const out: NormalizedSignal[] = [];
  const add = (items: z.infer<typeof legacyEvent>[] | null | undefined, archived: boolean) => {
    for (const [i, ev] of (items ?? []).entries()) {
      const { service, region } = splitServiceKey(ev.service);
      if (!regionSelected(opts, region) || !serviceSelected(opts, [service])) continue;
      const resolved = archived || String(ev.status ?? '').trim() === '0' || /\[RESOLVED\]/i.test(ev.summary ?? '');
      out.push(
        signal({
          externalId: `${ev.service}_${String(ev.date ?? '').trim()}`,
          signalType: 'service_incident',
          service,
          region,
          level: levelFromCode(ev.status),
          lifecycle: resolved ? 'resolved' : 'open',
          title: (ev.summary ?? '').replace(/^\s*\[RESOLVED\]\s*/i, '').trim() || `${ev.service_name ?? service} event`,
          detail: htmlToText(ev.description),
          startedAt: safeEpochIso(ev.date),
          updatedAt: safeEpochIso(ev.date),
          // data.json only gives Pacific wall-clock times without a date for the updates.
          resolvedAt: null,
          url: opts.dashboardUrl,
          rawRef: { pointer: jsonPointer(archived ? 'archive' : 'current', i) },
        }),
      );
    }
  };
  add(feed.current, false);
  add(feed.archive, true);
  return sortSignals(out);
}

function epochMs(v: string | number | null | undefined): number {
  const iso = safeEpochIso(v);
  return iso ? Date.parse(iso) : 0;
}

function worst(levels: SignalLevel[]): SignalLevel {
  let best: SignalLevel = 'unknown';
  for (const l of levels) if ((SEVERITY[l] ?? -1) > (SEVERITY[best] ?? -1)) best = l;
  return best;
}

/** Stable order: newest start first, then id. */
export function sortSignals(signals: NormalizedSignal[]): NormalizedSignal[] {
  return signals.sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || a.externalId.localeCompare(b.externalId));
}
