import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { EntityManager } from 'typeorm';

import { FINANCIAL_SIGNAL_TYPES, isFinancialSignalType, SEVERITY, type NormalizedSignal, type RawRef } from '@bulwark/plugin-sdk';

import type { SignalSource } from './signal-source.entity.js';

export interface IngestTarget {
  organizationId: string;
  vendorId: string;
  serviceId: string | null;
  sourceId: string;
}

/** Where a source's signals are stored: its organization, vendor, service and id. */
export function ingestTarget(source: Pick<SignalSource, 'organizationId' | 'vendorId' | 'serviceId' | 'id'>): IngestTarget {
  return { organizationId: source.organizationId, vendorId: source.vendorId, serviceId: source.serviceId, sourceId: source.id };
}

export interface IngestOptions {
  /**
   * When the signals were observed (poll or delivery time; default now). It is the state time of a
   * signal the provider does not date, so a later observation of it wins over an earlier one.
   */
  observedAt?: Date;
  /**
   * The signals are a complete snapshot of what is open at the source (`PollResult.complete`): the
   * source's open signals absent from them are resolved at `observedAt`.
   */
  complete?: boolean;
  /**
   * The completed provenance of each signal, in the order of `signals` (see `resolveRawRefs`). A row
   * takes its signal's reference when the state it carries is stored; a repeat keeps the evidence of
   * the state it already has.
   */
  rawRefs?: readonly (RawRef | null)[];
}

/** The columns of one signal row, in the order of the unnest() below. */
const COLUMNS = [
  ['dedupe_key', 'text'],
  ['external_id', 'text'],
  ['signal_type', 'text'],
  ['component', 'text'],
  ['region', 'text'],
  ['level', 'text'],
  ['severity', 'smallint'],
  ['lifecycle', 'text'],
  ['title', 'text'],
  ['detail', 'text'],
  ['started_at', 'timestamptz'],
  ['provider_updated_at', 'timestamptz'],
  ['resolved_at', 'timestamptz'],
  ['scheduled_for', 'timestamptz'],
  ['scheduled_until', 'timestamptz'],
  ['score', 'jsonb'],
  ['url', 'text'],
  ['as_of', 'date'],
  ['announced_at', 'timestamptz'],
  ['content_hash', 'text'],
  ['raw_ref', 'jsonb'],
] as const;

type Row = (string | number | null)[];

/** The hash of a signal's state. Its provenance is not state: a re-fetched copy of the same item hashes the same. */
export function contentHash(s: NormalizedSignal): string {
  const { rawRef: _provenance, ...state } = s;
  return createHash('sha256')
    .update(stringify(state) ?? '')
    .digest('hex');
}

/**
 * The time a signal's state is "as of": provider update time, else start, else as-of date, else
 * scheduled start, else the time it was observed (so a later observation of an undated signal wins).
 */
export function stateTime(s: NormalizedSignal, observedAt: Date): string {
  return s.updatedAt ?? s.startedAt ?? (s.asOf ? `${s.asOf}T00:00:00.000Z` : null) ?? s.scheduledFor ?? observedAt.toISOString();
}

function toRow(sourceId: string, s: NormalizedSignal, observedAt: Date, rawRef: RawRef | null): Row {
  return [
    `${sourceId}:${s.externalId}`,
    s.externalId,
    s.signalType,
    s.service,
    s.region,
    s.level,
    SEVERITY[s.level],
    s.lifecycle,
    s.title.slice(0, 1000),
    s.detail?.slice(0, 20_000) ?? null,
    s.startedAt,
    stateTime(s, observedAt),
    s.resolvedAt,
    s.scheduledFor,
    s.scheduledUntil,
    s.score ? JSON.stringify(s.score) : null,
    s.url,
    s.asOf ?? null,
    s.announcedAt ?? null,
    contentHash(s),
    rawRef ? JSON.stringify(rawRef) : null,
  ];
}

/**
 * Within one batch, keep per dedupe key the version that wins the same comparison the database
 * applies: the later state time, then the greater content hash. So a batch, its duplicates and
 * any order of them end in the same row.
 */
function winners(rows: Row[]): Row[] {
  const best = new Map<string, Row>();
  for (const r of rows) {
    const cur = best.get(r[0] as string);
    if (!cur || rank(r) > rank(cur)) best.set(r[0] as string, r);
  }
  return [...best.values()];
}
const HASH = COLUMNS.findIndex(([name]) => name === 'content_hash');
const RAW = COLUMNS.findIndex(([name]) => name === 'raw_ref');
const rank = (r: Row) => `${new Date(r[11] as string).toISOString()}|${r[HASH] as string}`;

const BATCH = 2000;

export interface IngestResult {
  received: number;
  /** Signals inserted or replaced by a newer state. */
  changed: number;
  /** Open signals resolved because a complete snapshot no longer lists them, or a newer financial signal supersedes them. */
  resolved: number;
  /** SHA-256 of the raw bodies the inserted or replaced rows now reference: the ones to store. */
  rawReferenced: string[];
}

/**
 * Upserts normalized signals by dedupe key, idempotently and independently of arrival order: a row
 * is replaced only by a different version with a later state time (ties broken by content hash).
 * Each distinct observed state is appended to `signal_changes` once; repeating the state a signal
 * already had adds nothing. With `complete`, the source's open signals missing from the batch are
 * resolved (see `resolveAbsent`). Runs in the caller's transaction.
 */
export async function ingestSignals(
  m: EntityManager,
  target: IngestTarget,
  signals: NormalizedSignal[],
  opts: IngestOptions = {},
): Promise<IngestResult> {
  const observedAt = opts.observedAt ?? new Date();
  const all = signals.map((s, i) => toRow(target.sourceId, s, observedAt, opts.rawRefs?.[i] ?? null));
  const rows = winners(all);
  // Every distinct state observed goes to the history, not only the batch's winners.
  const states = [...new Map(all.map((r) => [`${r[0] as string}|${rank(r)}`, r])).values()];
  const n = COLUMNS.length;
  const input = `SELECT * FROM unnest(${COLUMNS.map(([, type], c) => `$${c + 1}::${type === 'jsonb' ? 'text' : type}[]`).join(', ')}) AS t(${COLUMNS.map(([name]) => name).join(', ')})`;
  const cols = COLUMNS.map(([name]) => name);
  let changed = 0;
  const referenced = new Set<string>();
  // Winners the upsert applied are recorded in the history by the same statement: such a state is later
  // than every state the signal had, so it is new to the history without looking. `applied` keeps them
  // (dedupe key | rank) so the checked pass below skips them.
  const applied = new Set<string>();
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    const arrays = COLUMNS.map((_, c) => chunk.map((r) => r[c]));
    const params = [...arrays, target.organizationId, target.vendorId, target.serviceId, target.sourceId];
    const upserted: { dedupe_key: string; raw_sha256: string | null }[] = await m.query(
      `WITH up AS (
         INSERT INTO signals (organization_id, vendor_id, service_id, source_id, ${cols.join(', ')})
         SELECT $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, ${cols.map((c) => (c === 'score' || c === 'raw_ref' ? `i.${c}::jsonb` : `i.${c}`)).join(', ')}
           FROM (${input}) i
         ON CONFLICT (dedupe_key) DO UPDATE SET
           ${cols
             .filter((c) => c !== 'dedupe_key')
             .map((c) => `${c} = excluded.${c}`)
             .join(', ')},
           service_id = excluded.service_id,
           changed_at = now()
         WHERE signals.content_hash <> excluded.content_hash
           AND (signals.provider_updated_at, signals.content_hash COLLATE "C") < (excluded.provider_updated_at, excluded.content_hash COLLATE "C")
         RETURNING id, organization_id, dedupe_key, provider_updated_at, level, lifecycle, severity, content_hash, raw_ref->>'sha256' AS raw_sha256
       ), logged AS (
         INSERT INTO signal_changes (organization_id, signal_id, provider_updated_at, level, lifecycle, severity, content_hash)
         SELECT organization_id, id, provider_updated_at, level, lifecycle, severity, content_hash FROM up
         ON CONFLICT (signal_id, provider_updated_at, content_hash) DO NOTHING
       )
       SELECT dedupe_key, raw_sha256 FROM up`,
      params,
    );
    changed += upserted.length;
    const byKey = new Map(chunk.map((r) => [r[0] as string, r]));
    for (const u of upserted) {
      applied.add(`${u.dedupe_key}|${rank(byKey.get(u.dedupe_key)!)}`);
      if (u.raw_sha256) referenced.add(u.raw_sha256);
    }
    // A state stored before its provenance was known takes the evidence of the first copy seen with one.
    if (chunk.some((r) => r[RAW] !== null)) {
      const filled: { raw_sha256: string }[] = await m.query(
        `UPDATE signals s SET raw_ref = i.raw_ref::jsonb
           FROM (${input}) i
          WHERE s.dedupe_key = i.dedupe_key AND s.raw_ref IS NULL AND i.raw_ref IS NOT NULL AND s.content_hash = i.content_hash
         RETURNING s.raw_ref->>'sha256' AS raw_sha256`,
        arrays,
      );
      for (const u of filled) referenced.add(u.raw_sha256);
    }
  }
  // The other states (a batch's earlier states of a signal, late arrivals older than the stored state,
  // repeats) go to the history only if new to it.
  const unchecked = states.filter((r) => !applied.has(`${r[0] as string}|${rank(r)}`));
  for (let i = 0; i < unchecked.length; i += BATCH) {
    const arrays = COLUMNS.map((_, c) => unchecked.slice(i, i + BATCH).map((r) => r[c]));
    // A state is new unless the signal's history already holds it as the state at (or just before)
    // its time: so a repeat of an undated signal's current state, observed later, adds nothing.
    await m.query(
      `INSERT INTO signal_changes (organization_id, signal_id, provider_updated_at, level, lifecycle, severity, content_hash)
       SELECT $${n + 1}, s.id, i.provider_updated_at, i.level, i.lifecycle, i.severity, i.content_hash
         FROM (${input}) i JOIN signals s ON s.dedupe_key = i.dedupe_key
        WHERE NOT EXISTS (
          SELECT 1 FROM (
            SELECT c.content_hash FROM signal_changes c
             WHERE c.signal_id = s.id AND (c.provider_updated_at, c.content_hash COLLATE "C") <= (i.provider_updated_at, i.content_hash COLLATE "C")
             ORDER BY c.provider_updated_at DESC, c.content_hash COLLATE "C" DESC LIMIT 1) prev
          WHERE prev.content_hash = i.content_hash)
       ON CONFLICT (signal_id, provider_updated_at, content_hash) DO NOTHING`,
      [...arrays, target.organizationId],
    );
  }
  const absent = opts.complete
    ? await resolveAbsent(
        m,
        target.sourceId,
        signals.map((s) => s.externalId),
        observedAt,
      )
    : 0;
  // A newer observation of a financial series closes the older ones, whichever path brought it.
  const superseded = signals.some((s) => isFinancialSignalType(s.signalType))
    ? await supersedeFinancial(m, target.sourceId, observedAt)
    : 0;
  return { received: signals.length, changed, resolved: absent + superseded, rawReferenced: [...referenced] };
}

/**
 * The one notion of a vendor's *current* financial signals: per source, signal type and score model
 * (an Altman Z-score, an LEI status, a commercial rating) the newest open observation, newest by its
 * as-of date, else its state time; ties go to the greater external id. Used (as `s`) over `signals`
 * rows; the ORDER BY of a DISTINCT ON over CURRENT_FINANCIAL_KEY.
 */
export const CURRENT_FINANCIAL_KEY = `s.source_id, s.signal_type, coalesce(s.score->>'model', '')`;
export const CURRENT_FINANCIAL_ORDER = `coalesce(s.as_of::timestamptz, s.provider_updated_at) DESC NULLS LAST, s.provider_updated_at DESC NULLS LAST, s.external_id COLLATE "C" DESC`;

/**
 * Closes the source's open financial signals that a newer one of the same type and model supersedes
 * (see CURRENT_FINANCIAL_ORDER): pushed records with their own ids (a new rating each quarter), a late
 * older period, an earlier fiscal year. Each becomes history: resolved at `at`, recorded in its
 * history like `resolveAbsent` does, so a repeat of its old state cannot reopen it, while a later
 * observation of it (a newer as-of) does, and then supersedes the other. Signals whose stored state
 * is not older than `at` are left alone (the current-signal query still ignores them). Idempotent.
 */
export async function supersedeFinancial(m: EntityManager, sourceId: string, at: Date): Promise<number> {
  const rows: { id: string }[] = await m.query(
    `WITH ranked AS (
       SELECT s.id, row_number() OVER (PARTITION BY ${CURRENT_FINANCIAL_KEY} ORDER BY ${CURRENT_FINANCIAL_ORDER}) AS n
         FROM signals s
        WHERE s.source_id = $1 AND s.signal_type = ANY($2::text[])
          AND s.resolved_at IS NULL AND coalesce(s.lifecycle, '') NOT IN ('resolved', 'completed')
     ), gone AS (
       UPDATE signals s
          SET resolved_at = $3,
              lifecycle = 'resolved',
              provider_updated_at = $3,
              content_hash = encode(sha256(convert_to('superseded|' || s.content_hash, 'UTF8')), 'hex'),
              changed_at = now()
         FROM ranked r
        WHERE r.id = s.id AND r.n > 1 AND s.provider_updated_at < $3
       RETURNING s.id, s.organization_id, s.provider_updated_at, s.level, s.lifecycle, s.severity, s.content_hash
     ), logged AS (
       INSERT INTO signal_changes (organization_id, signal_id, provider_updated_at, level, lifecycle, severity, content_hash)
       SELECT organization_id, id, provider_updated_at, level, lifecycle, severity, content_hash FROM gone
       ON CONFLICT (signal_id, provider_updated_at, content_hash) DO NOTHING
     )
     SELECT id FROM gone`,
    [sourceId, FINANCIAL_SIGNAL_TYPES, at],
  );
  return rows.length;
}

/**
 * Resolves the source's open signals whose external id is not in `present`, at `at`: the resolution
 * is a new state of the signal (state time `at`, lifecycle `resolved`, or `completed` for a
 * maintenance), recorded in its history like any other. Only signals whose stored state is older
 * than `at` are touched, so a stale poll cannot close what a later one saw; signals already closed
 * are left alone, so running it twice changes nothing. A resolved signal reopens when the feed
 * reports a state of it dated after the resolution (for undated signals: any later observation).
 */
export async function resolveAbsent(m: EntityManager, sourceId: string, present: string[], at: Date): Promise<number> {
  const rows: { id: string }[] = await m.query(
    `WITH gone AS (
       UPDATE signals s
          SET resolved_at = $3,
              lifecycle = CASE WHEN s.signal_type = 'maintenance' THEN 'completed' ELSE 'resolved' END,
              provider_updated_at = $3,
              content_hash = encode(sha256(convert_to('resolved-by-absence|' || s.content_hash, 'UTF8')), 'hex'),
              changed_at = now()
        WHERE s.source_id = $1
          AND s.resolved_at IS NULL
          AND coalesce(s.lifecycle, '') NOT IN ('resolved', 'completed')
          AND s.signal_type <> 'source_status'
          AND s.external_id <> ALL($2::text[])
          AND s.provider_updated_at < $3
       RETURNING s.id, s.organization_id, s.provider_updated_at, s.level, s.lifecycle, s.severity, s.content_hash
     ), logged AS (
       INSERT INTO signal_changes (organization_id, signal_id, provider_updated_at, level, lifecycle, severity, content_hash)
       SELECT organization_id, id, provider_updated_at, level, lifecycle, severity, content_hash FROM gone
       ON CONFLICT (signal_id, provider_updated_at, content_hash) DO NOTHING
     )
     SELECT id FROM gone`,
    [sourceId, present, at],
  );
  return rows.length;
}
