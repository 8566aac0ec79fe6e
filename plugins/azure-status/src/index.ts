import { z } from 'zod';

import { baseUrl, definePlugin, fromResponse, HttpError, PermanentPluginError, type PluginContext } from '@bulwark/plugin-sdk';

import { parseAzureFeed } from './parse.js';
import { canonicalRegion } from './regions.js';

export { MULTIPLE_REGIONS, lifecycleOf, parseAzureFeed } from './parse.js';
export { AZURE_REGIONS, canonicalRegion, findRegions } from './regions.js';

export const FEED_PATH = '/en-us/status/feed/';

export const azureStatusConfigSchema = z.object({
  baseUrl: baseUrl('https://rssfeed.azure.status.microsoft'),
  services: z
    .array(z.string().trim().min(1))
    .default([])
    .describe('Azure service names as the status page writes them, e.g. "Virtual Machines", "Azure SQL Database". Empty = all services.'),
  regions: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .transform((r) => canonicalRegion(r) ?? r),
    )
    .default([])
    .describe(
      'Azure region display names, e.g. "East US 2", "West Europe". Empty = all regions. Global and multi-region items are always kept.',
    ),
});
export type AzureStatusConfig = z.infer<typeof azureStatusConfigSchema>;

function translate(err: unknown): unknown {
  if (err instanceof HttpError && err.permanent) return new PermanentPluginError(err.message);
  return err;
}

export const azureStatusPlugin = definePlugin({
  id: 'azure-status',
  kind: 'health',
  displayName: 'Azure status (RSS)',
  version: '1.0.0',
  description:
    'Public Azure status RSS feed (rssfeed.azure.status.microsoft/en-us/status/feed/). An empty "Azure Status" channel means healthy; each item is an incident, filtered by service and region.',
  configSchema: azureStatusConfigSchema,
  defaultSchedule: { everySeconds: 300 },
  rateLimit: { max: 60, perSeconds: 60 },
  create(ctx: PluginContext<AzureStatusConfig>) {
    const base = ctx.config.baseUrl.replace(/\/+$/, '');
    const feedUrl = `${base}${FEED_PATH}`;
    const filter = { services: ctx.config.services, regions: ctx.config.regions };

    async function fetchAndParse() {
      let res;
      try {
        res = await ctx.http.get(feedUrl, { conditional: true, headers: { accept: 'application/rss+xml, application/xml, text/xml' } });
      } catch (err) {
        throw translate(err);
      }
      const parsed = parseAzureFeed(res.body.toString('utf8'), filter, base);
      return { ...parsed, signals: fromResponse(parsed.signals, res), notModified: res.notModified };
    }

    return {
      async poll() {
        const { signals, warnings, notModified } = await fetchAndParse();
        // The feed lists current incidents only (an empty channel means healthy): a removed item has ended.
        return { signals, complete: true, ...(notModified ? { notModified: true } : {}), ...(warnings.length ? { warnings } : {}) };
      },
      async selfTest() {
        try {
          const { signals } = await fetchAndParse();
          const open = signals.filter((s) => s.lifecycle === 'open').length;
          return {
            ok: true,
            message: signals.length
              ? `Azure Status feed answered: ${signals.length} matching item(s), ${open} open`
              : 'Azure Status feed answered: no incidents',
          };
        } catch (err) {
          return { ok: false, message: `Azure status feed failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}` };
        }
      },
    };
  },
});
