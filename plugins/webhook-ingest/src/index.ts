import { definePlugin, type PluginContext } from '@bulwark/plugin-sdk';

import { webhookIngestConfigSchema, type WebhookIngestConfig } from './config.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './verify.js';

export {
  fieldMapSchema,
  valueBandSchema,
  webhookIngestConfigSchema,
  type FieldMap,
  type IngestMapping,
  type ValueBand,
  type WebhookIngestConfig,
} from './config.js';
export { parseCsvUpload, type CsvRowError, type CsvUploadResult } from './csv.js';
export {
  WebhookPayloadError,
  matchBand,
  normalizeRecords,
  numericValue,
  parseWebhookPayload,
  readAsOf,
  type RecordError,
} from './normalize.js';
export {
  DEFAULT_REPLAY_WINDOW_SECONDS,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signWebhook,
  verifyWebhook,
  type VerifyResult,
  type VerifyWebhookInput,
  type WebhookRejection,
} from './verify.js';

/**
 * Generic ingestion for licensed feeds (D&B, RapidRatings, BitSight, SecurityScorecard; feeds.md §7).
 * Push-only: the host verifies signed webhooks with `verifyWebhook`, then maps bodies with
 * `parseWebhookPayload`, and CSV uploads with `parseCsvUpload`. It is never polled.
 */
export const webhookIngestPlugin = definePlugin({
  id: 'webhook-ingest',
  kind: 'financial',
  displayName: 'Webhook / CSV ingest',
  version: '1.0.0',
  description:
    'Scores and ratings pushed by a provider (D&B, RapidRatings, BitSight, SecurityScorecard…) as HMAC-signed webhooks or CSV uploads, mapped to levels by a per-source value map.',
  configSchema: webhookIngestConfigSchema,
  defaultSchedule: { everySeconds: 86_400 },
  push: true,
  create(ctx: PluginContext<WebhookIngestConfig>) {
    const cfg = ctx.config;
    return {
      async poll() {
        return { signals: [] };
      },
      async selfTest() {
        const bands = cfg.valueMap.length;
        return {
          ok: true,
          message:
            `Push-only source, never polled: send ${cfg.provider} records as JSON webhooks signed with HMAC-SHA256 of "<timestamp>.<body>" ` +
            `(hex in ${SIGNATURE_HEADER}, unix seconds in ${TIMESTAMP_HEADER}, within ${cfg.replayWindowSeconds} s), or upload a CSV with a header row. ` +
            (bands ? `The value map has ${bands} band(s).` : 'The value map is empty, so every value will map to unknown.'),
        };
      },
    };
  },
});
