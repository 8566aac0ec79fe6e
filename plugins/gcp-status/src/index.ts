import { z } from 'zod';

import { baseUrl, definePlugin, fromResponse, HttpError, jsonPointer, PermanentPluginError } from '@bulwark/plugin-sdk';

import { decode, isOpen, normalize } from './parse.js';

export { decode, normalize, incidentLevel, isOpen, latestUpdate, incidentsSchema } from './parse.js';

const configSchema = z.object({
  baseUrl: baseUrl('https://status.cloud.google.com'),
  products: z
    .array(z.string().trim().min(1))
    .default([])
    .describe('Product ids (as in products.json) or titles, e.g. "Google BigQuery". Empty watches every product.'),
  locations: z
    .array(z.string().trim().min(1))
    .default([])
    .describe(
      'Location ids, e.g. us-central1, europe-west1, global. Incidents marked global match any location. Empty watches every location.',
    ),
  lookbackDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(30)
    .describe('Closed incidents that ended more than this many days ago are not reported.'),
});

export const gcpStatusPlugin = definePlugin({
  id: 'gcp-status',
  kind: 'health',
  displayName: 'Google Cloud Service Health',
  version: '1.0.0',
  description:
    'Incidents from the public Google Cloud Service Health dashboard (status.cloud.google.com/incidents.json), filtered by product and location.',
  configSchema,
  defaultSchedule: { everySeconds: 300 },
  create(ctx) {
    const root = ctx.config.baseUrl.replace(/\/+$/, '');
    const url = `${root}/incidents.json`;
    const fetchFeed = async () => {
      try {
        return await ctx.http.get(url, { conditional: true });
      } catch (err) {
        if (err instanceof HttpError && err.permanent) throw new PermanentPluginError(err.message);
        throw err;
      }
    };
    return {
      async poll() {
        const res = await fetchFeed();
        const incidents = decode(res.body);
        const signals = normalize(incidents, {
          baseUrl: root,
          products: ctx.config.products,
          locations: ctx.config.locations,
          lookbackDays: ctx.config.lookbackDays,
          now: ctx.now(),
        });
        // Provenance: incidents.json is an array; each signal points at its incident by index.
        const index = new Map(incidents.map((inc, i) => [inc.id, i]));
        for (const s of signals) s.rawRef = { pointer: index.has(s.externalId) ? jsonPointer(index.get(s.externalId)!) : null };
        fromResponse(signals, res);
        // incidents.json keeps every open incident (closed ones age out): a complete snapshot.
        return { signals, complete: true, ...(res.notModified ? { notModified: true } : {}) };
      },
      async selfTest() {
        try {
          const res = await ctx.http.get(url);
          const incidents = decode(res.body);
          const open = incidents.filter(isOpen).length;
          return { ok: true, message: `Google Cloud Service Health: ${incidents.length} incidents in the feed, ${open} open` };
        } catch (err) {
          return { ok: false, message: err instanceof Error ? err.message : String(err) };
        }
      },
    };
  },
});
