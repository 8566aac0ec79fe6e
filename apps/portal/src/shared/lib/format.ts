import type { Role } from '@bulwark/api-schema';

const SPECIAL: Record<string, string> = {
  ai_model_api: 'AI model API',
  saas: 'SaaS',
  cloud_infrastructure: 'Cloud infrastructure',
  data_provider: 'Data provider',
  professional_service: 'Professional service',
  fourth_party: 'Fourth party',
  vendor_manager: 'Vendor manager',
  vendor_contact: 'Vendor contact',
  depends_on: 'depends on',
  provided_by: 'provided by',
  runs_on: 'runs on',
};

/** `cloud_infrastructure` → "Cloud infrastructure". */
export function humanize(value: string | null | undefined): string {
  if (!value) return '';
  if (value in SPECIAL) return SPECIAL[value]!;
  const s = value.replace(/[_-]+/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function roleLabel(role: Role): string {
  return humanize(role);
}

/** Options for a NativeSelect built from an enum tuple. */
export function enumOptions(values: readonly string[]): { value: string; label: string }[] {
  return values.map((v) => ({ value: v, label: humanize(v) }));
}

/** Minutes → "15 min", "4 h", "1 h 30 min", "2 d". */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || Number.isNaN(minutes)) return '—';
  if (minutes < 60) return `${minutes} min`;
  if (minutes % 1440 === 0) return `${minutes / 1440} d`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  if (minutes > 1440) {
    const d = Math.floor(minutes / 1440);
    const h = Math.round((minutes % 1440) / 60);
    return h ? `${d} d ${h} h` : `${d} d`;
  }
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  // Plain dates (YYYY-MM-DD) are calendar dates: show them without a timezone shift.
  const d = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00`) : new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateOnly.format(d);
}

const dayMonth = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** A calendar date (YYYY-MM-DD) as "Nov 22", for compact badges. */
export function formatDayMonth(date: string): string {
  const d = new Date(`${date}T00:00:00`);
  return Number.isNaN(d.getTime()) ? date : dayMonth.format(d);
}

export function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** Days from today (local) to a YYYY-MM-DD date; negative when in the past. */
export function daysUntil(isoDate: string): number {
  const target = new Date(`${isoDate.slice(0, 10)}T00:00:00`);
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return Math.round((target.getTime() - today.getTime()) / 86_400_000);
}

export type DeprecationState = 'past' | 'soon' | 'later' | 'none';

export function deprecationState(isoDate: string | null | undefined, windowDays = 90): DeprecationState {
  if (!isoDate) return 'none';
  const days = daysUntil(isoDate);
  if (days < 0) return 'past';
  if (days <= windowDays) return 'soon';
  return 'later';
}

/** Empty/whitespace → null, otherwise trimmed text. */
export function blankToNull(v: string): string | null {
  const t = v.trim();
  return t === '' ? null : t;
}

/** Bytes → "820 B", "12.4 KB", "3.1 MB", "1.2 GB" (binary multiples, one decimal under 100). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || Number.isNaN(bytes)) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 100 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
