import { deprecationState } from '../../../shared/lib/format';

/** "1,200,000.00 USD" style amounts in the contract's currency (falls back to the bare number). */
export function formatMoney(amount: number | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined || Number.isNaN(amount)) return '—';
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'USD', maximumFractionDigits: 2 }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency ?? ''}`.trim();
  }
}

/** Availability as "99.9500 %" (four decimals, as in the SLA reports). */
export function formatAvailability(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${value.toFixed(4)} %`;
}

/** A target such as 99.9 → "99.9 %". */
export function formatTarget(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${value} %`;
}

/** `YYYY-MM` of a local date. */
export function monthOf(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** The month `delta` months from `YYYY-MM` (negative goes back). */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return monthOf(new Date(y, m - 1 + delta, 1));
}

export function currentMonth(): string {
  return monthOf(new Date());
}

export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Renewal-notice highlighting, same scale as model deprecations: `past` (the notice date has passed),
 * `soon` (within 90 days) or `none`.
 */
export function renewalWarning(noticeDate: string | null | undefined): 'past' | 'soon' | 'none' {
  const s = deprecationState(noticeDate, 90);
  return s === 'past' || s === 'soon' ? s : 'none';
}

/** Text field → number for the API: blank → `blank`, otherwise a number (NaN when not one, so validation flags it). */
export function toNumber<B extends null | undefined>(s: string, blank: B): number | B {
  if (s.trim() === '') return blank;
  const n = Number(s.trim().replace(',', '.'));
  return Number.isFinite(n) ? n : NaN;
}

export function numberText(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : String(n);
}

/** "a, b; c" → ["a", "b", "c"]. */
export function splitList(s: string): string[] {
  return s
    .split(/[,;\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Today as `YYYY-MM-DD` (local). */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The first day of next month as `YYYY-MM-DD` (local): when renegotiated terms usually start. */
export function firstOfNextMonth(): string {
  return `${addMonths(currentMonth(), 1)}-01`;
}
