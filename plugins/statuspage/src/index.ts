import { z } from 'zod';

import { baseUrl, definePlugin, HttpError, PermanentPluginError, type PluginContext } from '@bulwark/plugin-sdk';

import { decode, incidentsSchema, normalize, summarySchema, type IncidentList } from './parse.js';

export { normalize, decode, summarySchema, incidentsSchema, componentLevel, impactLevel, indicatorLevel } from './parse.js';

const configSchema = z.object({
  baseUrl: baseUrl('https://www.githubstatus.com').describe(
    "The vendor's Statuspage (or incident.io) status host, e.g. https://www.githubstatus.com; /api/v2/summary.json is read from it.",
  ),
  components: z
    .array(z.string().trim().min(1))
    .default([])
    .describe('Component ids or names to watch (a group name keeps all its children). Empty watches every component.'),
  includeMaintenance: z.boolean().default(true).describe('Report scheduled and in-progress maintenances.'),
  recentIncidents: z
    .boolean()
    .default(true)
    .describe('Also read /api/v2/incidents.json to report recently resolved incidents (the 50 most recent).'),
});

type Config = z.infer<typeof configSchema>;

/** The API root: tolerate a trailing slash or a pasted `/api/v2` suffix. */
function apiRoot(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/api\/v2$/, '');
}

async function get(ctx: PluginContext<Config>, url: string) {
  try {
    return await ctx.http.get(url, { conditional: true });
  } catch (err) {
    if (err instanceof HttpError && err.permanent) throw new PermanentPluginError(err.message);
    throw err;
  }
}

export const statuspagePlugin = definePlugin({
  id: 'statuspage',
  kind: 'health',
  displayName: 'Atlassian Statuspage (and compatible)',
  version: '1.0.0',
  description:
    'Component status, incidents and scheduled maintenances from an Atlassian Statuspage public API v2 (/api/v2/summary.json), also served by incident.io status pages.',
  configSchema,
  defaultSchedule: { everySeconds: 120 },
  create(ctx) {
    const root = apiRoot(ctx.config.baseUrl);
    const opts = { baseUrl: root, components: ctx.config.components, includeMaintenance: ctx.config.includeMaintenance };
    return {
      async poll() {
        const warnings: string[] = [];
        const summaryRes = await get(ctx, `${root}/api/v2/summary.json`);
        const summary = decode(summaryRes.body, summarySchema, 'summary.json', ctx.limits);
        let recent: IncidentList | null = null;
        let recentUrl: string | undefined;
        let notModified = summaryRes.notModified;
        if (ctx.config.recentIncidents) {
          try {
            const res = await ctx.http.get(`${root}/api/v2/incidents.json`, { conditional: true });
            recent = decode(res.body, incidentsSchema, 'incidents.json', ctx.limits);
            recentUrl = res.url;
            notModified = notModified && res.notModified;
          } catch (err) {
            // Some compatible pages do not serve the history endpoint: report current state anyway.
            if (err instanceof HttpError && err.status === 404)
              warnings.push('incidents.json answered 404: recently resolved incidents are not reported');
            else if (err instanceof HttpError && err.permanent) throw new PermanentPluginError(err.message);
            else throw err;
          }
        }
        const signals = normalize(summary, recent, {
          ...opts,
          fetched: { summary: summaryRes.url, ...(recentUrl ? { incidents: recentUrl } : {}) },
        });
        // summary.json lists every component, unresolved incident and upcoming or active maintenance:
        // what it no longer lists has ended (with or without incidents.json).
        return { signals, complete: true, ...(notModified ? { notModified: true } : {}), ...(warnings.length ? { warnings } : {}) };
      },
      async selfTest() {
        try {
          const res = await ctx.http.get(`${root}/api/v2/summary.json`);
          const summary = decode(res.body, summarySchema, 'summary.json', ctx.limits);
          const components = (summary.components ?? []).filter((c) => !c.group);
          const missing = ctx.config.components.filter(
            (w) => !(summary.components ?? []).some((c) => c.id === w || c.name.toLowerCase() === w.toLowerCase()),
          );
          const name = summary.page.name ?? root;
          const status = summary.status?.description ?? summary.status?.indicator ?? 'no status';
          if (missing.length)
            return {
              ok: false,
              message: `${name}: no component named ${missing.map((m) => `"${m}"`).join(', ')} (found ${components.length} components)`,
            };
          return {
            ok: true,
            message: `${name}: ${status}; ${components.length} components, ${(summary.incidents ?? []).length} unresolved incidents`,
          };
        } catch (err) {
          return { ok: false, message: err instanceof Error ? err.message : String(err) };
        }
      },
    };
  },
});
