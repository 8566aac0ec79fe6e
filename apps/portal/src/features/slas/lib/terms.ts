import { SLA_TERM_KEYS, slaTermsSchema, type SlaTerms, type TermSpread } from '@bulwark/api-schema';

import { formatMinutes, humanize } from '../../../shared/lib/format';
import { formatTarget, numberText, toNumber } from '../../agreements/lib/agreements';

export type TermKey = keyof SlaTerms;
export { SLA_TERM_KEYS };

export const TERM_LABELS: Record<TermKey, string> = {
  availabilityTarget: 'Availability target',
  window: 'Measurement window',
  timeZone: 'Time zone',
  maintenanceNoticeHours: 'Maintenance notice',
  weights: 'Outage weights',
  rtoMinutes: 'RTO',
  rpoMinutes: 'RPO',
  supportResponseMinutes: 'Support response',
  dataLossLimitMinutes: 'Data-loss limit',
  modelSlo: 'Model SLOs',
  credits: 'Service credits',
  creditCapPercent: 'Credit cap',
};

export function termLabel(key: string): string {
  return TERM_LABELS[key as TermKey] ?? humanize(key);
}

const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One term's value for people: "99.9 %", "4 h", "none", credit rows as "< 99.9 % → 10 %". */
export function formatTermValue(key: string, value: unknown): string {
  if (value === null || value === undefined) return 'none';
  switch (key as TermKey) {
    case 'availabilityTarget':
    case 'creditCapPercent':
      return typeof value === 'number' ? formatTarget(value) : String(value);
    case 'window':
      return humanize(String(value));
    case 'maintenanceNoticeHours':
      return typeof value === 'number' ? `${value} h` : String(value);
    case 'rtoMinutes':
    case 'rpoMinutes':
    case 'dataLossLimitMinutes':
      return typeof value === 'number' ? formatMinutes(value) : String(value);
    case 'weights':
      if (isObj(value)) return `partial outage ${numberish(value['partialOutage'])} · degraded ${numberish(value['degraded'])}`;
      break;
    case 'supportResponseMinutes':
      if (isObj(value)) {
        const parts = SEVERITIES.filter((s) => value[s] !== null && value[s] !== undefined).map(
          (s) => `${s.toUpperCase()} ${formatMinutes(value[s] as number)}`,
        );
        return parts.length ? parts.join(' · ') : 'none';
      }
      break;
    case 'modelSlo':
      if (isObj(value)) {
        const parts = [
          value['maxErrorRatePercent'] !== null && value['maxErrorRatePercent'] !== undefined
            ? `error rate ≤ ${String(value['maxErrorRatePercent'])} %`
            : null,
          value['p95LatencyMs'] !== null && value['p95LatencyMs'] !== undefined ? `p95 ≤ ${String(value['p95LatencyMs'])} ms` : null,
        ].filter(Boolean);
        return parts.length ? parts.join(' · ') : 'none';
      }
      break;
    case 'credits':
      if (Array.isArray(value)) return value.length ? creditRows(value).join('; ') : 'no credits';
      break;
    default:
      break;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function numberish(v: unknown): string {
  return typeof v === 'number' ? String(v) : '—';
}

/** Credit schedule rows, strictest threshold last: "< 99.9 % → 10 %". */
export function creditRows(value: unknown[]): string[] {
  return value
    .filter(isObj)
    .slice()
    .sort((a, b) => Number(b['belowPercent']) - Number(a['belowPercent']))
    .map((c) => `< ${String(c['belowPercent'])} % → ${String(c['creditPercent'])} %`);
}

/** Spread figures are in the term's own unit. */
export function formatSpreadValue(key: string, v: number): string {
  return formatTermValue(key, key === 'rtoMinutes' || key === 'rpoMinutes' || key === 'dataLossLimitMinutes' ? Math.round(v) : v);
}

export function formatSpread(key: string, s: TermSpread): string {
  return `min ${formatSpreadValue(key, s.min)} · median ${formatSpreadValue(key, s.median)} · max ${formatSpreadValue(key, s.max)}`;
}

/** How the vendor's counter for a term is entered. */
export type CounterKind = 'number' | 'nullableNumber' | 'window' | 'text' | 'structured';

export const COUNTER_KIND: Record<TermKey, CounterKind> = {
  availabilityTarget: 'number',
  window: 'window',
  timeZone: 'text',
  maintenanceNoticeHours: 'number',
  weights: 'structured',
  rtoMinutes: 'nullableNumber',
  rpoMinutes: 'nullableNumber',
  supportResponseMinutes: 'structured',
  dataLossLimitMinutes: 'nullableNumber',
  modelSlo: 'structured',
  credits: 'structured',
  creditCapPercent: 'number',
};

/** The text a counter input starts with: the proposed value. */
export function counterText(key: TermKey, value: unknown): string {
  if (COUNTER_KIND[key] === 'structured') return '';
  if (value === null || value === undefined) return '';
  return String(value);
}

/** Parses a counter typed as text (a number, the window, the time zone); `error` when it is not a valid value for the term. */
export function parseCounter(key: TermKey, text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const kind = COUNTER_KIND[key];
  let raw: unknown;
  if (kind === 'number' || kind === 'nullableNumber') {
    raw = toNumber(text, kind === 'nullableNumber' ? null : undefined);
    if (raw === undefined) return { ok: false, error: 'Required' };
    if (Number.isNaN(raw)) return { ok: false, error: 'Enter a number' };
  } else {
    raw = text.trim();
  }
  return parseTermValue(key, raw);
}

/** Checks a term's value (e.g. a structured counter from the editor's fields) against the terms schema. */
export function parseTermValue(key: TermKey, raw: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  const parsed = slaTermsSchema.shape[key].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
    return { ok: false, error: `${where}${issue?.message ?? 'Invalid value'}` };
  }
  return { ok: true, value: parsed.data };
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---- the terms editor's text state ----

export interface CreditDraft {
  key: number;
  below: string;
  credit: string;
}

export interface TermsDraft {
  availabilityTarget: string;
  window: string;
  timeZone: string;
  maintenanceNoticeHours: string;
  partialOutage: string;
  degraded: string;
  rtoMinutes: string;
  rpoMinutes: string;
  sev1: string;
  sev2: string;
  sev3: string;
  sev4: string;
  dataLossLimitMinutes: string;
  maxErrorRate: string;
  p95: string;
  credits: CreditDraft[];
  creditCapPercent: string;
}

let nextCreditKey = 1;
export function newCreditKey(): number {
  return nextCreditKey++;
}

/** Which parts of the draft hold each term (for "adopt the vendor's counter"). */
export const DRAFT_FIELDS: Record<TermKey, (keyof TermsDraft)[]> = {
  availabilityTarget: ['availabilityTarget'],
  window: ['window'],
  timeZone: ['timeZone'],
  maintenanceNoticeHours: ['maintenanceNoticeHours'],
  weights: ['partialOutage', 'degraded'],
  rtoMinutes: ['rtoMinutes'],
  rpoMinutes: ['rpoMinutes'],
  supportResponseMinutes: ['sev1', 'sev2', 'sev3', 'sev4'],
  dataLossLimitMinutes: ['dataLossLimitMinutes'],
  modelSlo: ['maxErrorRate', 'p95'],
  credits: ['credits'],
  creditCapPercent: ['creditCapPercent'],
};

/** Editor state from terms (defaults as in the API when there are none). */
export function termsToDraft(t?: SlaTerms): TermsDraft {
  return {
    availabilityTarget: numberText(t?.availabilityTarget),
    window: t?.window ?? 'month',
    timeZone: t?.timeZone ?? 'UTC',
    maintenanceNoticeHours: numberText(t?.maintenanceNoticeHours ?? 72),
    partialOutage: numberText(t?.weights.partialOutage ?? 0.5),
    degraded: numberText(t?.weights.degraded ?? 0),
    rtoMinutes: numberText(t?.rtoMinutes),
    rpoMinutes: numberText(t?.rpoMinutes),
    sev1: numberText(t?.supportResponseMinutes.sev1),
    sev2: numberText(t?.supportResponseMinutes.sev2),
    sev3: numberText(t?.supportResponseMinutes.sev3),
    sev4: numberText(t?.supportResponseMinutes.sev4),
    dataLossLimitMinutes: numberText(t?.dataLossLimitMinutes),
    maxErrorRate: numberText(t?.modelSlo?.maxErrorRatePercent),
    p95: numberText(t?.modelSlo?.p95LatencyMs),
    credits: t?.credits.map((c) => ({ key: newCreditKey(), below: String(c.belowPercent), credit: String(c.creditPercent) })) ?? [],
    creditCapPercent: numberText(t?.creditCapPercent ?? 100),
  };
}

/** Editor state → the terms object sent to the API (validated with `slaTermsSchema` by the caller). */
export function draftToTerms(d: TermsDraft): Record<string, unknown> {
  const modelSlo =
    d.maxErrorRate.trim() === '' && d.p95.trim() === ''
      ? null
      : { maxErrorRatePercent: toNumber(d.maxErrorRate, null), p95LatencyMs: toNumber(d.p95, null) };
  return {
    availabilityTarget: toNumber(d.availabilityTarget, undefined),
    window: d.window,
    timeZone: d.timeZone.trim() || 'UTC',
    maintenanceNoticeHours: toNumber(d.maintenanceNoticeHours, undefined),
    weights: { partialOutage: toNumber(d.partialOutage, undefined), degraded: toNumber(d.degraded, undefined) },
    rtoMinutes: toNumber(d.rtoMinutes, null),
    rpoMinutes: toNumber(d.rpoMinutes, null),
    supportResponseMinutes: {
      sev1: toNumber(d.sev1, null),
      sev2: toNumber(d.sev2, null),
      sev3: toNumber(d.sev3, null),
      sev4: toNumber(d.sev4, null),
    },
    dataLossLimitMinutes: toNumber(d.dataLossLimitMinutes, null),
    modelSlo,
    credits: d.credits
      .filter((c) => c.below.trim() !== '' || c.credit.trim() !== '')
      .map((c) => ({ belowPercent: toNumber(c.below, undefined), creditPercent: toNumber(c.credit, undefined) })),
    creditCapPercent: toNumber(d.creditCapPercent, undefined),
  };
}

/** The draft with one term set to `value` (the rest untouched). */
export function adoptTerm(draft: TermsDraft, base: SlaTerms, key: TermKey, value: unknown): TermsDraft {
  const full = termsToDraft({ ...base, [key]: value } as SlaTerms);
  const next = { ...draft };
  for (const f of DRAFT_FIELDS[key]) (next as Record<string, unknown>)[f] = full[f];
  return next;
}

/** Whether the draft currently holds `value` for the term. */
export function draftHolds(draft: TermsDraft, key: TermKey, value: unknown): boolean {
  const mine = slaTermsSchema.shape[key].safeParse(draftToTerms(draft)[key]);
  const theirs = slaTermsSchema.shape[key].safeParse(value);
  return mine.success && theirs.success && sameValue(mine.data, theirs.data);
}
