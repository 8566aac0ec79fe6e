import { awsHealthPlugin } from '@bulwark/plugin-aws-health';
import { azureStatusPlugin } from '@bulwark/plugin-azure-status';
import { entityStatusPlugin } from '@bulwark/plugin-entity-status';
import { gcpStatusPlugin } from '@bulwark/plugin-gcp-status';
import { secEdgarPlugin } from '@bulwark/plugin-sec-edgar';
import { statuspagePlugin } from '@bulwark/plugin-statuspage';
import {
  parseCsvUpload,
  parseWebhookPayload,
  verifyWebhook,
  webhookIngestConfigSchema,
  webhookIngestPlugin,
} from '@bulwark/plugin-webhook-ingest';
import type { PluginListModule, PluginRegistration, PushHandlers } from '@bulwark/signals';

/** The webhook plugin's pure functions, adapted to the host's push interface. */
const webhookPushHandlers: PushHandlers = {
  verify: ({ rawBody, signatureHeader, timestampHeader, config, now }) => {
    const c = webhookIngestConfigSchema.parse(config);
    return verifyWebhook({
      rawBody,
      signatureHeader,
      timestampHeader,
      secret: c.signingSecret,
      replayWindowSeconds: c.replayWindowSeconds,
      now,
    });
  },
  parseJson: (body, config) => parseWebhookPayload(body, webhookIngestConfigSchema.parse(config)),
  parseCsv: (text, config) => parseCsvUpload(text, webhookIngestConfigSchema.parse(config)),
};

/**
 * This module (its file, TypeScript or compiled): the worker thread of a source test run loads the
 * plugin list from it (`PluginSandbox`).
 */
export const PLUGIN_LIST_MODULE: PluginListModule = { module: __filename, exportName: 'PLUGIN_LIST' };

/** The plugins this deployment runs. The host discovers plugins from this list only. */
export const PLUGIN_LIST: PluginRegistration[] = [
  { plugin: statuspagePlugin },
  { plugin: gcpStatusPlugin },
  { plugin: awsHealthPlugin },
  { plugin: azureStatusPlugin },
  { plugin: secEdgarPlugin },
  { plugin: entityStatusPlugin },
  { plugin: webhookIngestPlugin, push: webhookPushHandlers },
];
