import { z } from 'zod';

import {
  baseUrl,
  definePlugin,
  FeedParseError,
  fromResponse,
  HttpError,
  PermanentPluginError,
  type PluginContext,
  type PollResult,
} from '@bulwark/plugin-sdk';

import { parseCurrentEventsBody } from './currentevents.js';
import { rssToSignals } from './rss.js';

export { parseCurrentEvents, parseCurrentEventsBody } from './currentevents.js';
export { decodeFeedBytes } from './decode.js';
export { classifyTitle, parseRssUpdates, rssToSignals } from './rss.js';
export { splitServiceKey, regionFromArn } from './common.js';

export const awsHealthConfigSchema = z.object({
  baseUrl: baseUrl('https://health.aws.amazon.com'),
  rssBaseUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://status.aws.amazon.com')
    .describe('Base URL of the legacy Service Health Dashboard RSS feeds (used as a fallback); defaults to https://status.aws.amazon.com.'),
  services: z
    .array(z.string().trim().toLowerCase().min(1))
    .default([])
    .describe('AWS service codes to watch, e.g. ec2, s3, rds (the part before the region in "ec2-us-east-1"). Empty = all services.'),
  regions: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z0-9-]+$/, 'a region code such as us-east-1'),
    )
    .default([])
    .describe('AWS region codes to watch, e.g. us-east-1, eu-west-1. Empty = all regions. Global events are always kept.'),
  useRssFallback: z
    .boolean()
    .default(true)
    .describe('When the current-events JSON cannot be fetched or read, use the RSS feed (rss/all.rss) instead.'),
});
export type AwsHealthConfig = z.infer<typeof awsHealthConfigSchema>;

const trimSlash = (u: string) => u.replace(/\/+$/, '');

/** HttpErrors that retrying cannot fix become PermanentPluginError; everything else is rethrown as is. */
function translate(err: unknown): unknown {
  if (err instanceof HttpError && err.permanent) return new PermanentPluginError(err.message);
  return err;
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

export const awsHealthPlugin = definePlugin({
  id: 'aws-health',
  kind: 'health',
  displayName: 'AWS Health (public)',
  version: '1.0.0',
  description:
    'Public AWS Health Dashboard events (health.aws.amazon.com/public/currentevents, UTF-16 JSON), filtered by service and region, with the legacy status RSS feed as a fallback.',
  configSchema: awsHealthConfigSchema,
  defaultSchedule: { everySeconds: 300 },
  rateLimit: { max: 60, perSeconds: 60 },
  create(ctx: PluginContext<AwsHealthConfig>) {
    const cfg = ctx.config;
    const filter = { services: cfg.services, regions: cfg.regions };
    const eventsUrl = `${trimSlash(cfg.baseUrl)}/public/currentevents`;
    const dashboardUrl = `${trimSlash(cfg.baseUrl)}/health/status`;
    const rssUrl = `${trimSlash(cfg.rssBaseUrl)}/rss/all.rss`;

    async function fromCurrentEvents(): Promise<PollResult> {
      const res = await ctx.http.get(eventsUrl, { conditional: true, headers: { accept: 'application/json' } });
      let parsed;
      try {
        parsed = parseCurrentEventsBody(res.body, { ...filter, dashboardUrl });
      } catch (err) {
        // The RSS fallback may fetch after this: name the body that could not be read (its raw evidence).
        if (err instanceof FeedParseError) err.fetchUrl ??= res.url;
        throw err;
      }
      const signals = fromResponse(parsed, res);
      // currentevents lists every current event and drops closed ones: it is a complete snapshot.
      return res.notModified ? { signals, complete: true, notModified: true } : { signals, complete: true };
    }

    async function fromRss(): Promise<PollResult> {
      const res = await ctx.http.get(rssUrl, { conditional: true, headers: { accept: 'application/rss+xml, application/xml, text/xml' } });
      const { signals, warnings } = rssToSignals(res.body.toString('utf8'), filter, trimSlash(cfg.rssBaseUrl));
      fromResponse(signals, res);
      return { signals, ...(res.notModified ? { notModified: true } : {}), ...(warnings.length ? { warnings } : {}) };
    }

    return {
      async poll() {
        try {
          return await fromCurrentEvents();
        } catch (primary) {
          // A bad URL or a refused address is a config problem the RSS feed cannot fix.
          if (!cfg.useRssFallback || (primary instanceof HttpError && (primary.kind === 'bad_url' || primary.kind === 'blocked_address')))
            throw translate(primary);
          ctx.log(`aws-health: currentevents failed (${describeError(primary)}); falling back to ${rssUrl}`);
          let result: PollResult;
          try {
            result = await fromRss();
          } catch (fallback) {
            ctx.log(`aws-health: RSS fallback failed too (${describeError(fallback)})`);
            throw translate(primary);
          }
          // The RSS feed is a window of recent updates, not a snapshot: it resolves nothing.
          return {
            ...result,
            complete: false,
            notModified: false,
            warnings: [
              `currentevents could not be read (${describeError(primary)}); events come from the RSS feed`,
              ...(result.warnings ?? []),
            ],
          };
        }
      },
      async selfTest() {
        try {
          const { signals } = await fromCurrentEvents();
          const open = signals.filter((s) => s.lifecycle === 'open').length;
          return { ok: true, message: `currentevents answered: ${signals.length} matching event(s), ${open} open` };
        } catch (err) {
          if (!cfg.useRssFallback) return { ok: false, message: `currentevents failed: ${describeError(err)}` };
          try {
            const { signals } = await fromRss();
            return {
              ok: true,
              message: `currentevents failed (${describeError(err)}), but the RSS fallback works: ${signals.length} matching incident(s)`,
            };
          } catch (rssErr) {
            return { ok: false, message: `currentevents failed (${describeError(err)}); RSS fallback failed (${describeError(rssErr)})` };
          }
        }
      },
    };
  },
});
