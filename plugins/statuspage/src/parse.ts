import { z } from 'zod';

import {
  assertListSizes,
  FeedParseError,
  jsonPointer,
  parseFeedJson,
  SEVERITY,
  signal,
  toIso,
  type FeedLimits,
  type NormalizedSignal,
  type RawRefHint,
  type SignalLevel,
  type SignalLifecycle,
} from '@bulwark/plugin-sdk';

/**
 * Atlassian Statuspage public API v2 (feeds.md §1), and the compatible `/api/v2/*` that incident.io
 * pages serve. Only the fields the portal uses are validated; unknown keys are ignored, and every
 * list may be `null` (incident.io sends `null` for empty lists and omits `components`/`shortlink`).
 */

const str = z.string();
const optStr = z.string().nullish();
/** A list that may be `null` or missing (incident.io): both mean empty. */
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();

const pageSchema = z.object({ id: optStr, name: optStr, url: optStr, time_zone: optStr, updated_at: optStr });

const componentSchema = z.object({
  id: str,
  name: str,
  status: str,
  description: optStr,
  updated_at: optStr,
  position: z.number().nullish(),
  group: z.boolean().nullish(),
  group_id: optStr,
});

const affectedComponentSchema = z.object({ code: optStr, name: optStr, old_status: optStr, new_status: optStr });

const updateSchema = z.object({
  id: optStr,
  status: optStr,
  body: optStr,
  created_at: optStr,
  display_at: optStr,
  affected_components: list(affectedComponentSchema),
});

/** An incident or a scheduled maintenance (same shape plus `scheduled_for`/`scheduled_until`). */
const incidentSchema = z.object({
  id: str,
  name: str,
  status: str,
  impact: optStr,
  created_at: optStr,
  updated_at: optStr,
  started_at: optStr,
  monitoring_at: optStr,
  resolved_at: optStr,
  shortlink: optStr,
  scheduled_for: optStr,
  scheduled_until: optStr,
  incident_updates: list(updateSchema),
  // Full component objects on Statuspage; only id/name are needed. Missing on incident.io.
  components: list(z.object({ id: str, name: optStr, group_id: optStr })),
});

export const summarySchema = z.object({
  page: pageSchema,
  status: z.object({ indicator: optStr, description: optStr }).nullish(),
  components: list(componentSchema),
  incidents: list(incidentSchema),
  scheduled_maintenances: list(incidentSchema),
});

export const incidentsSchema = z.object({
  page: pageSchema,
  incidents: list(incidentSchema),
});

export type Summary = z.infer<typeof summarySchema>;
export type IncidentList = z.infer<typeof incidentsSchema>;
export type Incident = z.infer<typeof incidentSchema>;
export type Component = z.infer<typeof componentSchema>;
export type Page = z.infer<typeof pageSchema>;

/** The lists of a summary or an incident list; each becomes signals, so each is bounded by `FeedLimits`. */
const LISTS = ['components', 'incidents', 'scheduled_maintenances'] as const;

/**
 * Decodes a response body as JSON and validates it; anything else is a `FeedParseError`. With
 * `limits`, a list longer than a source may contribute is refused before validation (`FeedLimitError`).
 */
export function decode<T extends z.ZodType>(body: Buffer | string, schema: T, what: string, limits?: FeedLimits): z.infer<T> {
  const json = parseFeedJson(body, what);
  if (limits) assertListSizes(json, what, LISTS, limits);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FeedParseError(`${what}: unexpected shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

// ---- enum mapping (feeds.md §8) ----

const COMPONENT_LEVEL: Record<string, SignalLevel> = {
  operational: 'operational',
  degraded_performance: 'degraded',
  partial_outage: 'partial_outage',
  major_outage: 'major_outage',
  under_maintenance: 'maintenance',
};

const IMPACT_LEVEL: Record<string, SignalLevel> = {
  none: 'info',
  minor: 'degraded',
  major: 'partial_outage',
  critical: 'major_outage',
  maintenance: 'maintenance',
};

const INDICATOR_LEVEL: Record<string, SignalLevel> = { ...IMPACT_LEVEL, none: 'operational' };

const LIFECYCLE: Record<string, SignalLifecycle> = {
  investigating: 'open',
  identified: 'open',
  monitoring: 'monitoring',
  resolved: 'resolved',
  postmortem: 'resolved',
  scheduled: 'scheduled',
  in_progress: 'in_progress',
  verifying: 'in_progress',
  completed: 'completed',
};

export function componentLevel(status: string): SignalLevel {
  return COMPONENT_LEVEL[status] ?? 'unknown';
}

/** Incident impact to level; an unrecognised impact on a real incident counts as degraded, not as nothing. */
export function impactLevel(impact: string | null | undefined): SignalLevel {
  return IMPACT_LEVEL[impact ?? 'none'] ?? 'degraded';
}

export function indicatorLevel(indicator: string | null | undefined): SignalLevel {
  return INDICATOR_LEVEL[indicator ?? 'none'] ?? 'unknown';
}

function incidentLifecycle(inc: Incident): SignalLifecycle {
  return LIFECYCLE[inc.status] ?? (inc.resolved_at ? 'resolved' : 'open');
}

/** Order for "worst of": maintenance sits above operational but below any incident impact. */
function rank(level: SignalLevel): number {
  if (level === 'maintenance') return 0.5;
  if (level === 'unknown') return -1;
  return SEVERITY[level] ?? -1;
}

export function worst(levels: SignalLevel[], fallback: SignalLevel): SignalLevel {
  return levels.reduce((a, b) => (rank(b) > rank(a) ? b : a), fallback);
}

// ---- normalization ----

export interface NormalizeOptions {
  /** Status host, used when the page has no `url` and an incident no `shortlink`. */
  baseUrl: string;
  /** Component ids or names to keep (a group's id or name keeps its children); empty keeps everything. */
  components: string[];
  includeMaintenance: boolean;
  /**
   * The URLs summary.json and incidents.json answered from (`HttpResponse.url`): each signal's
   * `rawRef` names the body and the JSON pointer of the item it was read from.
   */
  fetched?: { summary: string; incidents?: string };
}

interface ComponentIndex {
  byId: Map<string, Component>;
  filter: ((ids: string[], names: string[]) => boolean) | null;
}

function indexComponents(components: Component[], wanted: string[]): ComponentIndex {
  const byId = new Map(components.map((c) => [c.id, c]));
  const keys = new Set(wanted.map((w) => w.trim().toLowerCase()).filter(Boolean));
  if (!keys.size) return { byId, filter: null };
  const hit = (v: string | null | undefined) => !!v && keys.has(v.trim().toLowerCase());
  const matchesId = (id: string): boolean => {
    const c = byId.get(id);
    if (hit(id) || hit(c?.name)) return true;
    const group = c?.group_id ? byId.get(c.group_id) : undefined;
    return !!c?.group_id && (hit(c.group_id) || hit(group?.name));
  };
  return { byId, filter: (ids, names) => ids.some(matchesId) || names.some(hit) };
}

function pageUrl(page: Page, baseUrl: string): string {
  const raw = page.url && /^https?:\/\//i.test(page.url) ? page.url : baseUrl;
  return raw.replace(/\/+$/, '');
}

function plain(text: string | null | undefined): string | null {
  if (!text) return null;
  const t = text.replace(/\r\n?/g, '\n').trim();
  return t ? t.slice(0, 4000) : null;
}

/** Components an incident touches: its `components` plus the `code`s in its updates (placeholders have none). */
function affected(inc: Incident, idx: ComponentIndex): { ids: string[]; names: string[] } {
  const ids: string[] = [];
  const names: string[] = [];
  const add = (id: string | null | undefined, name: string | null | undefined) => {
    if (!id || ids.includes(id)) return;
    ids.push(id);
    const n = name ?? idx.byId.get(id)?.name;
    if (n && !names.includes(n)) names.push(n);
  };
  for (const c of inc.components ?? []) add(c.id, c.name);
  for (const u of inc.incident_updates ?? []) for (const a of u.affected_components ?? []) add(a.code, a.name);
  return { ids, names };
}

function latestUpdate(inc: Incident) {
  const at = (u: NonNullable<Incident['incident_updates']>[number]) => Date.parse(u.display_at ?? u.created_at ?? '') || 0;
  return [...(inc.incident_updates ?? [])].sort((a, b) => at(b) - at(a))[0];
}

function incidentSignal(
  inc: Incident,
  kind: 'service_incident' | 'maintenance',
  page: Page,
  opts: NormalizeOptions,
  idx: ComponentIndex,
): NormalizedSignal | null {
  const touched = affected(inc, idx);
  // A filter drops an incident only when the incident says which components it touches.
  if (idx.filter && touched.ids.length && !idx.filter(touched.ids, touched.names)) return null;
  const lifecycle = incidentLifecycle(inc);
  const ended = lifecycle === 'resolved' || lifecycle === 'completed';
  const last = latestUpdate(inc);
  return signal({
    externalId: `${kind === 'maintenance' ? 'maintenance' : 'incident'}:${inc.id}`,
    signalType: kind,
    service: touched.names.length ? touched.names.join(', ') : null,
    level: kind === 'maintenance' ? 'maintenance' : impactLevel(inc.impact),
    lifecycle,
    title: inc.name,
    detail: plain(last?.body),
    startedAt: toIso(inc.started_at ?? inc.created_at),
    updatedAt: toIso(inc.updated_at ?? last?.display_at ?? last?.created_at),
    resolvedAt: ended ? toIso(inc.resolved_at ?? inc.updated_at) : null,
    scheduledFor: toIso(inc.scheduled_for),
    scheduledUntil: toIso(inc.scheduled_until),
    // When the maintenance was announced (created on the page): SLA exclusions need notice ahead.
    ...(kind === 'maintenance' ? { announcedAt: toIso(inc.created_at) } : {}),
    url:
      inc.shortlink && /^https?:\/\//i.test(inc.shortlink)
        ? inc.shortlink
        : `${pageUrl(page, opts.baseUrl)}/incidents/${encodeURIComponent(inc.id)}`,
  });
}

/**
 * summary.json (+ optionally incidents.json) to signals: one per non-group component, incident and
 * scheduled maintenance, plus a page rollup when no component filter is set.
 */
export function normalize(summary: Summary, recent: IncidentList | null, opts: NormalizeOptions): NormalizedSignal[] {
  const components = summary.components ?? [];
  const idx = indexComponents(components, opts.components);
  const out: NormalizedSignal[] = [];

  const ref = (body: 'summary' | 'incidents', ...path: (string | number)[]): RawRefHint => ({
    ...(opts.fetched?.[body] ? { fetchUrl: opts.fetched[body] } : {}),
    pointer: jsonPointer(...path),
  });
  for (const [ci, c] of components.entries()) {
    if (c.group) continue;
    if (idx.filter && !idx.filter([c.id], [])) continue;
    const group = c.group_id ? idx.byId.get(c.group_id) : undefined;
    const label = group ? `${group.name} / ${c.name}` : c.name;
    out.push(
      signal({
        externalId: `component:${c.id}`,
        signalType: 'component_status',
        service: c.name,
        level: componentLevel(c.status),
        title: `${label}: ${c.status.replace(/_/g, ' ')}`,
        detail: plain(c.description),
        updatedAt: toIso(c.updated_at),
        url: pageUrl(summary.page, opts.baseUrl),
        rawRef: ref('summary', 'components', ci),
      }),
    );
  }

  // Unresolved incidents from summary.json win over the (possibly older-cached) incidents.json copy
  // unless the latter was updated later.
  const incidents = new Map<string, Incident>();
  const where = new Map<Incident, RawRefHint>();
  (summary.incidents ?? []).forEach((inc, i) => where.set(inc, ref('summary', 'incidents', i)));
  (recent?.incidents ?? []).forEach((inc, i) => where.set(inc, ref('incidents', 'incidents', i)));
  for (const inc of [...(summary.incidents ?? []), ...(recent?.incidents ?? [])]) {
    const seen = incidents.get(inc.id);
    if (!seen || (Date.parse(inc.updated_at ?? '') || 0) > (Date.parse(seen.updated_at ?? '') || 0)) incidents.set(inc.id, inc);
  }
  const maintenanceIds = new Set((summary.scheduled_maintenances ?? []).map((m) => m.id));
  const incidentSignals: NormalizedSignal[] = [];
  for (const inc of incidents.values()) {
    if (maintenanceIds.has(inc.id)) continue; // reported once, as a maintenance

    const s = incidentSignal(inc, 'service_incident', summary.page, opts, idx);
    if (s) incidentSignals.push({ ...s, rawRef: where.get(inc) ?? null });
  }
  out.push(...incidentSignals);

  if (opts.includeMaintenance) {
    for (const [mi, m] of (summary.scheduled_maintenances ?? []).entries()) {
      const s = incidentSignal(m, 'maintenance', summary.page, opts, idx);
      if (s) out.push({ ...s, rawRef: ref('summary', 'scheduled_maintenances', mi) });
    }
  }

  // Page rollup: the worst of the status indicator and the open incidents' impacts (the indicator can
  // read `none` while an incident is open). Page-wide, so it is left out when a component filter is set.
  if (!idx.filter) {
    const open = incidentSignals.filter((s) => s.lifecycle === 'open' || s.lifecycle === 'monitoring').map((s) => s.level);
    const indicator = indicatorLevel(summary.status?.indicator);
    const level = worst(open, indicator === 'unknown' ? 'operational' : indicator);
    const name = summary.page.name ?? 'Status page';
    const description = summary.status?.description ?? null;
    out.push(
      signal({
        externalId: `page:${summary.page.id ?? 'page'}`,
        signalType: 'component_status',
        level,
        title: `${name}: ${level === indicator && description ? description : `${open.length} open incident${open.length === 1 ? '' : 's'}`}`,
        detail: description && level !== indicator ? `Status indicator: ${summary.status?.indicator ?? 'none'} (${description})` : null,
        updatedAt: toIso(summary.page.updated_at),
        url: pageUrl(summary.page, opts.baseUrl),
        rawRef: ref('summary', 'status'),
      }),
    );
  }
  return out;
}
