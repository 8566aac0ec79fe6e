import { FeedParseError, signal, toIso, type NormalizedSignal, type SignalLevel } from '@bulwark/plugin-sdk';

import type { IngestMapping, ValueBand } from './config.js';

export interface RecordError {
  /** Position of the record in its input (0-based array index; for CSV the caller maps it to a row). */
  index: number;
  message: string;
}

/** A webhook payload with records that cannot be used; the host answers 400 and stores nothing. */
export class WebhookPayloadError extends FeedParseError {
  constructor(readonly errors: RecordError[]) {
    super(`Webhook payload rejected: ${errors.map((e) => `record ${e.index}: ${e.message}`).join('; ')}`.slice(0, 2000));
    this.name = 'WebhookPayloadError';
  }
}

type Raw = unknown;

/** A field by exact key first, then by dotted path (`company.duns`). */
export function getField(record: Record<string, unknown>, name: string): { found: boolean; value: Raw } {
  if (Object.prototype.hasOwnProperty.call(record, name)) return { found: true, value: record[name] };
  if (!name.includes('.')) return { found: false, value: undefined };
  let cur: unknown = record;
  for (const part of name.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part))
      return { found: false, value: undefined };
    cur = (cur as Record<string, unknown>)[part];
  }
  return { found: true, value: cur };
}

function isBlank(v: Raw): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

function scalarText(v: Raw): string | null {
  if (isBlank(v)) return null;
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return null;
}

/** Numbers and numeric strings ("72", " 72.5 ", "-1e3") to a number; grades ("B") to null. */
export function numericValue(v: Raw): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** The first band the value matches, or null. */
export function matchBand(bands: readonly ValueBand[], raw: Raw): ValueBand | null {
  const text = scalarText(raw);
  if (text === null) return null;
  const num = numericValue(raw);
  for (const b of bands) {
    if (b.equals !== undefined && b.equals.trim().toLowerCase() !== text.toLowerCase()) continue;
    if (b.min !== undefined || b.max !== undefined) {
      if (num === null) continue;
      if (b.min !== undefined && num < b.min) continue;
      if (b.max !== undefined && num >= b.max) continue;
    }
    return b;
  }
  return null;
}

/** asOf: ISO 8601 date or date-time, or unix seconds/ms. Returns the UTC instant, or an error. */
export function readAsOf(raw: Raw): { iso: string | null; error?: string } {
  if (isBlank(raw)) return { iso: null };
  const text = scalarText(raw);
  if (text === null) return { iso: null, error: 'asOf is not a date' };
  let iso: string | null = null;
  if (/^\d{9,13}$/.test(text)) {
    const n = Number(text);
    iso = new Date(n > 1e12 ? n : n * 1000).toISOString();
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    iso = toIso(`${text}T00:00:00Z`);
    if (iso && iso.slice(0, 10) !== text) iso = null; // 2025-02-30 rolls over: refuse it
  } else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    iso = toIso(text.replace(' ', 'T'));
  }
  return iso
    ? { iso }
    : { iso: null, error: `asOf "${text.slice(0, 40)}" is not an ISO 8601 date (YYYY-MM-DD or a date-time with an offset) or unix time` };
}

/**
 * Maps provider records to signals with the source's field map and value map. Records without an
 * id, with an unreadable asOf, or repeating an earlier id are errors; the rest become signals in
 * input order. A missing or unmappable value gives level `unknown`, never `operational`.
 */
export function normalizeRecords(
  records: readonly unknown[],
  mapping: IngestMapping,
): { signals: NormalizedSignal[]; errors: RecordError[]; indexes: number[] } {
  const signals: NormalizedSignal[] = [];
  const indexes: number[] = [];
  const errors: RecordError[] = [];
  const seen = new Map<string, number>();
  const f = mapping.fields;
  records.forEach((rec, index) => {
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
      errors.push({ index, message: 'record is not an object' });
      return;
    }
    const r = rec as Record<string, unknown>;
    const id = getField(r, f.externalId);
    const externalId = scalarText(id.value);
    if (externalId === null) {
      errors.push({ index, message: `missing id field "${f.externalId}"` });
      return;
    }
    if (seen.has(externalId)) {
      errors.push({ index, message: `id "${externalId}" repeats record ${seen.get(externalId)}` });
      return;
    }
    const asOfField = getField(r, f.asOf);
    const asOf = readAsOf(asOfField.value);
    if (asOf.error) {
      errors.push({ index, message: asOf.error });
      return;
    }
    seen.set(externalId, index);

    const value = getField(r, f.value);
    const title = getField(r, f.title);
    const entity = getField(r, f.entity);
    const valueText = scalarText(value.value);
    const band = matchBand(mapping.valueMap, value.value);
    const level: SignalLevel = band ? band.level : 'unknown';
    const entityText = scalarText(entity.value);

    const inputs: Record<string, unknown> = {};
    for (const [name, got] of [
      [f.externalId, id],
      [f.value, value],
      [f.title, title],
      [f.asOf, asOfField],
      [f.entity, entity],
    ] as const) {
      if (got.found) inputs[name] = got.value ?? null;
    }

    const why =
      valueText === null ? `no value in field "${f.value}"` : band ? null : `value "${valueText}" matches no band of the value map`;
    signals.push(
      signal({
        externalId,
        signalType: mapping.signalType,
        level,
        lifecycle: 'open',
        title: scalarText(title.value) ?? `${mapping.provider}: ${entityText ?? externalId}`,
        detail:
          [
            `${mapping.provider} ${valueText ?? '(no value)'}${band?.band ? ` (${band.band})` : ''}`,
            entityText ? `for ${entityText}` : null,
            why ? `level unknown: ${why}` : null,
          ]
            .filter(Boolean)
            .join(' ') || null,
        updatedAt: asOf.iso,
        score: { model: mapping.provider, value: numericValue(value.value), band: band?.band ?? null, inputs },
        asOf: asOf.iso ? asOf.iso.slice(0, 10) : null,
      }),
    );
    indexes.push(index);
  });
  return { signals, errors, indexes };
}

/**
 * A verified webhook body (already JSON-parsed): one record object or an array of records. Any bad
 * record rejects the whole payload (WebhookPayloadError lists them) so the sender can fix and resend.
 */
export function parseWebhookPayload(json: unknown, mapping: IngestMapping): NormalizedSignal[] {
  let records: unknown[];
  if (Array.isArray(json)) records = json;
  else if (json !== null && typeof json === 'object') records = [json];
  else throw new WebhookPayloadError([{ index: 0, message: 'payload is neither a record object nor an array of records' }]);
  const { signals, errors, indexes } = normalizeRecords(records, mapping);
  if (errors.length) throw new WebhookPayloadError(errors);
  // Provenance: the record within the delivered body (the host keeps the body itself).
  signals.forEach((s, i) => (s.rawRef = { pointer: Array.isArray(json) ? `/${indexes[i]!}` : '' }));
  return signals;
}
