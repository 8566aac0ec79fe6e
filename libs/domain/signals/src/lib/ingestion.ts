import { createHash } from 'node:crypto';
import { SEVERITY, type NormalizedSignal } from '@bulwark/plugin-sdk';
import stringify from 'safe-stable-stringify';
import type { EntityManager } from 'typeorm';

export interface IngestTarget {
  organizationId: string;
  vendorId: string;
  serviceId: string | null;
  sourceId: string;
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
  ['content_hash', 'text'],
] as const;

type Row = (string | number | null)[];

export function contentHash(s: NormalizedSignal): string {
  return createHash('sha256').update(stringify(s) ?? '').digest('hex');
}

/** The time a signal's state is "as of": provider update time, else start, else as-of date, else the epoch. */
export function stateTime(s: NormalizedSignal): string {
  return s.updatedAt ?? s.startedAt ?? (s.asOf ? `${s.asOf}T00:00:00.000Z` : null) ?? s.scheduledFor ?? '1970-01-01T00:00:00.000Z';
}

function toRow(sourceId: string, s: NormalizedSignal): Row {
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
    stateTime(s),
    s.resolvedAt,
    s.scheduledFor,
    s.scheduledUntil,
    s.score ? JSON.stringify(s.score) : null,
    s.url,
    s.asOf ?? null,
    contentHash(s),
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
const rank = (r: Row) => `${new Date(r[11] as string).toISOString()}|${r[18] as string}`;

const BATCH = 2000;

export interface IngestResult {
  received: number;
  changed: number;
}

/**
 * Upserts normalized signals by dedupe key, idempotently and independently of arrival order: a row
 * is replaced only by a version with a later state time (ties broken by content hash). Each
 * distinct observed state is appended to `signal_changes` once. Runs in the caller's transaction.
 */
export async function ingestSignals(m: EntityManager, target: IngestTarget, signals: NormalizedSignal[]): Promise<IngestResult> {
  const all = signals.map((s) => toRow(target.sourceId, s));
  const rows = winners(all);
  // Every distinct state observed goes to the history, not only the batch's winners.
  const states = [...new Map(all.map((r) => [`${r[0] as string}|${rank(r)}`, r])).values()];
  const n = COLUMNS.length;
  const input = `SELECT * FROM unnest(${COLUMNS.map(([, type], c) => `$${c + 1}::${type === 'jsonb' ? 'text' : type}[]`).join(', ')}) AS t(${COLUMNS.map(([name]) => name).join(', ')})`;
  const cols = COLUMNS.map(([name]) => name);
  let changed = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    const arrays = COLUMNS.map((_, c) => chunk.map((r) => r[c]));
    const params = [...arrays, target.organizationId, target.vendorId, target.serviceId, target.sourceId];
    const upserted: { id: string }[] = await m.query(
      `INSERT INTO signals (organization_id, vendor_id, service_id, source_id, ${cols.join(', ')})
       SELECT $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, ${cols.map((c) => (c === 'score' ? 'i.score::jsonb' : `i.${c}`)).join(', ')}
         FROM (${input}) i
       ON CONFLICT (dedupe_key) DO UPDATE SET
         ${cols.filter((c) => c !== 'dedupe_key').map((c) => `${c} = excluded.${c}`).join(', ')},
         service_id = excluded.service_id,
         changed_at = now()
       WHERE (signals.provider_updated_at, signals.content_hash COLLATE "C") < (excluded.provider_updated_at, excluded.content_hash COLLATE "C")
       RETURNING id`,
      params,
    );
    changed += upserted.length;
  }
  for (let i = 0; i < states.length; i += BATCH) {
    const arrays = COLUMNS.map((_, c) => states.slice(i, i + BATCH).map((r) => r[c]));
    await m.query(
      `INSERT INTO signal_changes (organization_id, signal_id, provider_updated_at, level, lifecycle, severity, content_hash)
       SELECT $${n + 1}, s.id, i.provider_updated_at, i.level, i.lifecycle, i.severity, i.content_hash
         FROM (${input}) i JOIN signals s ON s.dedupe_key = i.dedupe_key
       ON CONFLICT (signal_id, provider_updated_at, content_hash) DO NOTHING`,
      [...arrays, target.organizationId],
    );
  }
  return { received: signals.length, changed };
}
