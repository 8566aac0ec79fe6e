import type { PluginInfo, ScoreModelInfo, SignalLevelValue, SignalView } from '@bulwark/api-schema';

type Score = NonNullable<SignalView['score']>;

/** `2.41` for scores, `—` when the model produced none. */
export function formatScoreValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return Math.abs(value) >= 1000 ? value.toLocaleString(undefined, { maximumFractionDigits: 0 }) : value.toFixed(2);
}

/** The score models the plugins declare (`GET /api/plugins`), by key. */
export type ScoreModels = ReadonlyMap<string, ScoreModelInfo>;

export function scoreModelIndex(plugins: readonly PluginInfo[] | undefined): ScoreModels {
  return new Map((plugins ?? []).flatMap((p) => p.scoreModels.map((m) => [m.key, m] as const)));
}

/** The model's label as its plugin declares it, or the raw key when unknown (e.g. for vendor contacts, who cannot list plugins). */
export function modelName(model: string | null | undefined, models: ScoreModels): string {
  if (!model) return '—';
  return models.get(model)?.label ?? model;
}

/** The model's zone thresholds, for reference lines on the score chart; none for an unbanded or unknown model. */
export function modelZones(model: string | undefined, models: ScoreModels): { distress: number; safe: number } | undefined {
  return (model && models.get(model)?.zones) || undefined;
}

const BAND_COLORS: Record<string, string> = {
  safe: 'green',
  grey: 'yellow',
  gray: 'yellow',
  distress: 'red',
  active: 'green',
  issued: 'green',
  lapsed: 'orange',
  inactive: 'red',
  retired: 'red',
};

export function bandColor(band: string | null | undefined, fallbackLevelColor = 'gray'): string {
  if (!band) return fallbackLevelColor;
  return BAND_COLORS[band.toLowerCase()] ?? fallbackLevelColor;
}

export function scoreSummary(score: Score | null): string {
  if (!score) return '';
  const v = score.value === null ? '' : formatScoreValue(score.value);
  return [v, score.band ? `(${score.band})` : ''].filter(Boolean).join(' ');
}

/** 90 days ago at local midnight, as an ISO timestamp (the timeline's `from`). */
export function daysAgoIso(days: number, now = new Date()): string {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - days);
  return d.toISOString();
}

/** Local calendar day key `YYYY-MM-DD`. */
export function dayKey(d: Date): string {
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

function parse(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** A health signal that is an incident (anything but a plain "operational" status), with its span. */
export interface IncidentSpan {
  signal: SignalView;
  start: number;
  /** null while still open. */
  end: number | null;
}

const CLOSED = ['resolved', 'completed'];

export function isClosed(s: SignalView): boolean {
  return !!s.resolvedAt || (s.lifecycle !== null && CLOSED.includes(s.lifecycle));
}

/**
 * Incidents among health signals: everything not at `operational`, spanning from when it started
 * (or was scheduled / last updated) to when it was resolved (or its maintenance window ended).
 */
export function incidentSpans(signals: SignalView[], now = Date.now()): IncidentSpan[] {
  const out: IncidentSpan[] = [];
  for (const s of signals) {
    if (s.level === 'operational') continue;
    const start = parse(s.startedAt) ?? parse(s.scheduledFor) ?? parse(s.updatedAt);
    if (start === null || start > now) continue;
    let end = parse(s.resolvedAt);
    if (end === null && s.level === 'maintenance') {
      const until = parse(s.scheduledUntil);
      if (until !== null && until < now) end = until;
    }
    if (end === null && isClosed(s)) end = parse(s.updatedAt) ?? start;
    out.push({ signal: s, start, end: end === null ? null : Math.max(end, start) });
  }
  return out.sort((a, b) => b.start - a.start);
}

export type DayBucket = { day: string; label: string } & Partial<Record<SignalLevelValue, number>>;

/**
 * One row per calendar day from `from` to today: how many incidents of each level were active
 * that day (for a stacked bar chart).
 */
export function dailyIncidentCounts(
  spans: IncidentSpan[],
  fromIso: string,
  now = Date.now(),
): { days: DayBucket[]; levels: SignalLevelValue[] } {
  const days: DayBucket[] = [];
  const index = new Map<string, DayBucket>();
  const cursor = new Date(fromIso);
  cursor.setHours(0, 0, 0, 0);
  const fmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
  while (cursor.getTime() <= now) {
    const row: DayBucket = { day: dayKey(cursor), label: fmt.format(cursor) };
    days.push(row);
    index.set(row.day, row);
    cursor.setDate(cursor.getDate() + 1);
  }
  const seen = new Set<SignalLevelValue>();
  const first = days.length ? new Date(`${days[0]!.day}T00:00:00`).getTime() : now;
  for (const span of spans) {
    const d = new Date(Math.max(span.start, first));
    d.setHours(0, 0, 0, 0);
    const last = span.end ?? now;
    while (d.getTime() <= last) {
      const row = index.get(dayKey(d));
      if (row) {
        row[span.signal.level] = (row[span.signal.level] ?? 0) + 1;
        seen.add(span.signal.level);
      }
      d.setDate(d.getDate() + 1);
    }
  }
  return { days, levels: [...seen] };
}

/** "3 h 20 min", "2 d 4 h", "45 min", "ongoing". */
export function formatDuration(startMs: number, endMs: number | null): string {
  if (endMs === null) return 'ongoing';
  const minutes = Math.max(0, Math.round((endMs - startMs) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** "every 5 min", "every 2 h", "daily". */
export function formatSchedule(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? 'daily' : `every ${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `every ${seconds / 3600} h`;
  if (seconds % 60 === 0) return `every ${seconds / 60} min`;
  return `every ${seconds} s`;
}

/** How long ago, coarsely: "just now", "5 min ago", "3 h ago", "2 d ago". */
export function timeAgo(iso: string | null | undefined, now = Date.now()): string {
  const t = parse(iso);
  if (t === null) return 'never';
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86_400 * 2) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}
