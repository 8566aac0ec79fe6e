import { z } from 'zod';

import { secret, SIGNAL_LEVELS } from '@bulwark/plugin-sdk';

export const valueBandSchema = z
  .object({
    min: z.number().optional().describe('Lower bound, inclusive: the value must be >= min.'),
    max: z.number().optional().describe('Upper bound, exclusive: the value must be < max.'),
    equals: z.string().optional().describe('Exact value to match (case-insensitive), e.g. a letter grade "F".'),
    level: z.enum(SIGNAL_LEVELS).describe('Level a matching value maps to.'),
    band: z.string().optional().describe('Label stored with the score, e.g. "High risk" or "Basic".'),
  })
  .refine((b) => b.min === undefined || b.max === undefined || b.min < b.max, { message: 'min must be below max' })
  .describe('One band of the value map. A band with none of min/max/equals matches any value.');
export type ValueBand = z.infer<typeof valueBandSchema>;

export const fieldMapSchema = z
  .object({
    externalId: z
      .string()
      .trim()
      .min(1)
      .default('id')
      .describe('Field (JSON key, dotted path, or CSV column) holding the record id; required in every record.'),
    value: z.string().trim().min(1).default('score').describe('Field holding the score or rating value.'),
    title: z.string().trim().min(1).default('title').describe('Field holding a title (optional in records).'),
    asOf: z
      .string()
      .trim()
      .min(1)
      .default('asOf')
      .describe('Field holding the as-of date, ISO 8601 or unix seconds (optional in records).'),
    entity: z.string().trim().min(1).default('entity').describe('Field holding the rated company name (optional in records).'),
  })
  .prefault({})
  .describe('Which fields of the provider records hold the normalized fields.');
export type FieldMap = z.infer<typeof fieldMapSchema>;

export const webhookIngestConfigSchema = z.object({
  // secret() must wrap the final schema: describe() returns a new schema the registry would not know.
  signingSecret: secret(
    z.string().min(32, 'at least 32 characters').describe('Shared secret for the HMAC-SHA256 webhook signature (at least 32 characters).'),
  ),
  replayWindowSeconds: z
    .number()
    .int()
    .min(30)
    .max(3600)
    .default(300)
    .describe('Webhooks whose timestamp is further than this from now (either way) are refused.'),
  provider: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe('Provider and model label stored with each score, e.g. "RapidRatings FHR" or "BitSight Security Rating".'),
  signalType: z
    .enum(['financial_score', 'security_rating'])
    .default('financial_score')
    .describe('financial_score (D&B, RapidRatings) or security_rating (BitSight, SecurityScorecard).'),
  valueMap: z
    .array(valueBandSchema)
    .default([])
    .describe('Bands mapping the provider value to a level; the first matching band wins. Values that match none map to unknown.'),
  fields: fieldMapSchema,
});
export type WebhookIngestConfig = z.infer<typeof webhookIngestConfigSchema>;

/** The part of the config the parsers use. */
export type IngestMapping = Pick<WebhookIngestConfig, 'provider' | 'signalType' | 'valueMap' | 'fields'>;
