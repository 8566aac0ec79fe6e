import { z } from 'zod';

import { FeedParseError, parseFeedJson, signal, toIso, type NormalizedSignal, type SignalLevel } from '@bulwark/plugin-sdk';

/**
 * Google Cloud Service Health `incidents.json` (feeds.md §2): a bare array of incidents, open and
 * closed. History, not state: an incident is open while `end` is missing or its latest update (by
 * `when`) is not `AVAILABLE`. Unknown keys are ignored; optional fields may be `null`.
 */

const optStr = z.string().nullish();
const namedSchema = z.object({ id: optStr, title: optStr });
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();

const updateSchema = z.object({
  created: optStr,
  modified: optStr,
  when: optStr,
  text: optStr,
  status: optStr,
  affected_locations: list(namedSchema),
});

const incidentSchema = z.object({
  id: z.string().min(1),
  number: z.union([z.string(), z.number()]).nullish(),
  begin: optStr,
  created: optStr,
  modified: optStr,
  end: optStr,
  external_desc: optStr,
  service_key: optStr,
  service_name: optStr,
  severity: optStr,
  status_impact: optStr,
  affected_products: list(namedSchema),
  currently_affected_locations: list(namedSchema),
  previously_affected_locations: list(namedSchema),
  most_recent_update: updateSchema.nullish(),
  updates: list(updateSchema),
  uri: optStr,
});

export const incidentsSchema = z.array(incidentSchema);
export type GcpIncident = z.infer<typeof incidentSchema>;
type Update = z.infer<typeof updateSchema>;

/** Decodes a response body as JSON and validates it; anything else is a `FeedParseError`. */
export function decode(body: Buffer | string): GcpIncident[] {
  const json = parseFeedJson(body, 'incidents.json');
  if (!Array.isArray(json))
    throw new FeedParseError(`incidents.json: expected an array of incidents, got ${json === null ? 'null' : typeof json}`);
  const parsed = incidentsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FeedParseError(`incidents.json: unexpected shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

// ---- mapping (feeds.md §8) ----

export function incidentLevel(statusImpact: string | null | undefined, severity: string | null | undefined): SignalLevel {
  switch (statusImpact) {
    case 'SERVICE_INFORMATION':
      return 'info';
    case 'SERVICE_DISRUPTION':
      return severity === 'high' ? 'partial_outage' : 'degraded';
    case 'SERVICE_OUTAGE':
      return 'major_outage';
    default:
      // Unknown or missing impact: fall back on severity rather than report nothing.
      return severity === 'high' ? 'partial_outage' : severity === 'low' ? 'info' : 'degraded';
  }
}

const time = (v: string | null | undefined) => {
  const t = v ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? null : t;
};

/** The latest update by `when` (not array order); `most_recent_update` counts as a candidate. */
export function latestUpdate(inc: GcpIncident): Update | null {
  const all = [...(inc.updates ?? []), ...(inc.most_recent_update ? [inc.most_recent_update] : [])];
  let best: Update | null = null;
  let bestAt = -Infinity;
  for (const u of all) {
    const at = time(u.when) ?? time(u.created) ?? -Infinity;
    if (best === null || at > bestAt) {
      best = u;
      bestAt = at;
    }
  }
  return best;
}

export function isOpen(inc: GcpIncident): boolean {
  if (!inc.end) return true; // absent, null or ""
  const last = latestUpdate(inc);
  return !!last && last.status !== 'AVAILABLE';
}

function ids(locations: { id?: string | null }[] | null | undefined): string[] {
  return [...new Set((locations ?? []).map((l) => l.id?.trim()).filter((id): id is string => !!id))];
}

function plain(text: string | null | undefined, max = 4000): string | null {
  const t = text?.replace(/\r\n?/g, '\n').trim();
  return t ? t.slice(0, max) : null;
}

export interface NormalizeOptions {
  baseUrl: string;
  /** Product ids or titles to keep; empty keeps all. */
  products: string[];
  /** Location ids to keep (`global` incidents match any); empty keeps all. */
  locations: string[];
  lookbackDays: number;
  now: Date;
}

const norm = (v: string) => v.trim().toLowerCase();

function matchesProducts(inc: GcpIncident, wanted: Set<string>): boolean {
  if (!wanted.size) return true;
  const candidates = [...(inc.affected_products ?? []).flatMap((p) => [p.id, p.title]), inc.service_key, inc.service_name];
  return candidates.some((c) => !!c && wanted.has(norm(c)));
}

function matchesLocations(inc: GcpIncident, wanted: Set<string>): boolean {
  if (!wanted.size) return true;
  let locs = [...ids(inc.currently_affected_locations), ...ids(inc.previously_affected_locations)];
  if (!locs.length) locs = ids((inc.updates ?? []).flatMap((u) => u.affected_locations ?? []));
  if (!locs.length) return true; // no location given: cannot rule it out
  return locs.some((l) => norm(l) === 'global' || wanted.has(norm(l)));
}

export function normalize(incidents: GcpIncident[], opts: NormalizeOptions): NormalizedSignal[] {
  const products = new Set(opts.products.map(norm).filter(Boolean));
  const locations = new Set(opts.locations.map(norm).filter(Boolean));
  const cutoff = opts.now.getTime() - opts.lookbackDays * 86_400_000;
  const base = opts.baseUrl.replace(/\/+$/, '') + '/';
  const out: NormalizedSignal[] = [];
  const seen = new Set<string>();

  for (const inc of incidents) {
    if (seen.has(inc.id)) continue;
    seen.add(inc.id);
    const open = isOpen(inc);
    // Closed incidents older than the lookback are history. An incident with `end` set whose latest
    // update is not AVAILABLE counts as open, but the same window on its `end` keeps a stale one
    // (the feed has such incidents, resolved in prose) from staying open for a year.
    const endedAt = time(inc.end);
    if (endedAt !== null && endedAt < cutoff) continue;
    if (!matchesProducts(inc, products) || !matchesLocations(inc, locations)) continue;

    const current = ids(inc.currently_affected_locations);
    const previous = ids(inc.previously_affected_locations);
    const region = (open ? (current.length ? current : previous) : previous.length ? previous : current).join(',') || null;
    const productTitles = [...new Set((inc.affected_products ?? []).map((p) => p.title?.trim()).filter((t): t is string => !!t))];
    const last = latestUpdate(inc);
    const title = plain(inc.external_desc, 300)?.split('\n')[0] ?? `${inc.service_name ?? 'Google Cloud'} incident ${inc.number ?? inc.id}`;
    let url: string;
    try {
      url = new URL(inc.uri || `incidents/${encodeURIComponent(inc.id)}`, base).href;
    } catch {
      url = `${base}incidents/${encodeURIComponent(inc.id)}`;
    }

    out.push(
      signal({
        externalId: inc.id,
        signalType: 'service_incident',
        service: productTitles.length ? productTitles.join(', ') : (inc.service_name ?? null),
        region,
        level: incidentLevel(inc.status_impact, inc.severity),
        lifecycle: open ? 'open' : 'resolved',
        title,
        detail: plain(last?.text),
        startedAt: toIso(inc.begin ?? inc.created),
        updatedAt: toIso(inc.modified ?? last?.when),
        resolvedAt: open ? null : toIso(inc.end),
        url,
      }),
    );
  }
  return out;
}
