import { z } from 'zod';

import { count, entityId, isoDate, paginationQuery, timestamp, uuidSchema } from './common.js';
import { LIFECYCLES, SERVICE_KINDS, TIERS } from './inventory.js';
import { QUESTIONNAIRE_REQUEST_STATUSES } from './questionnaire-requests.js';

/**
 * Questionnaire campaigns (issue 11, item 4): one published template version sent to every vendor a filter
 * targets (tier, service kind, lifecycle: the inventory's own notions), once or on a recurrence. Each cycle
 * creates one request per targeted vendor (through the request-sending path), pre-filled from the vendor's last
 * accepted answers to the same question keys. Campaigns are the organization's: vendor contacts never see them.
 */

export const CAMPAIGN_RECURRENCES = ['yearly', 'half_yearly', 'quarterly'] as const;
export type CampaignRecurrence = (typeof CAMPAIGN_RECURRENCES)[number];
/** Months between two cycles. */
export const RECURRENCE_MONTHS: Readonly<Record<CampaignRecurrence, number>> = { yearly: 12, half_yearly: 6, quarterly: 3 };
export const CAMPAIGN_RECURRENCE_LABELS: Readonly<Record<CampaignRecurrence, string>> = {
  yearly: 'Yearly',
  half_yearly: 'Every six months',
  quarterly: 'Quarterly',
};

export const CAMPAIGN_STATUSES = ['active', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Why a vendor the filter matches gets no request. */
export const CAMPAIGN_SKIP_REASONS = ['no_contact', 'open_request'] as const;
export type CampaignSkipReason = (typeof CAMPAIGN_SKIP_REASONS)[number];
export const CAMPAIGN_SKIP_LABELS: Readonly<Record<CampaignSkipReason, string>> = {
  no_contact: 'No portal account, and no contact on file to invite',
  open_request: 'Already has an open request for this template',
};

/** Which vendors a campaign targets: each list is "any of" (empty or absent: no restriction on it); the lists combine with "and". */
export const campaignFilterSchema = z.strictObject({
  tiers: z.array(z.enum(TIERS)).max(TIERS.length).optional(),
  serviceKinds: z.array(z.enum(SERVICE_KINDS)).max(SERVICE_KINDS.length).optional(),
  lifecycles: z.array(z.enum(LIFECYCLES)).max(LIFECYCLES.length).optional(),
});
export type CampaignFilter = z.output<typeof campaignFilterSchema>;

/** The filter in words ("critical vendors · AI model API · active"). */
export function campaignFilterSummary(f: CampaignFilter): string {
  const parts: string[] = [];
  if (f.tiers?.length) parts.push(`tier ${f.tiers.join(' or ')}`);
  if (f.serviceKinds?.length) parts.push(`providing ${f.serviceKinds.map((k) => k.replace(/_/g, ' ')).join(' or ')}`);
  if (f.lifecycles?.length) parts.push(`lifecycle ${f.lifecycles.join(' or ')}`);
  return parts.length ? parts.join(' · ') : 'every vendor';
}

/**
 * A vendor without an active portal account gets its request with an invitation to its primary contact on file (the
 * first, else), unless the campaign says not to: the invitation and the request arrive together.
 */
const inviteContacts = z.boolean().default(true);

export const previewCampaignSchema = z.strictObject({
  templateVersionId: uuidSchema,
  filter: campaignFilterSchema,
  inviteContacts,
});
export type PreviewCampaignInput = z.output<typeof previewCampaignSchema>;

export const createCampaignSchema = z.strictObject({
  /** A published version of a template; later cycles send the template's latest published version. */
  templateVersionId: uuidSchema,
  filter: campaignFilterSchema,
  /** Each cycle's requests are due this many days after the cycle runs. */
  dueInDays: z.number().int().min(1, 'at least 1 day').max(365, 'at most 365 days'),
  /** Absent: one cycle only. */
  recurrence: z.enum(CAMPAIGN_RECURRENCES).optional(),
  message: z.string().trim().max(5000).optional(),
  /** Default: the template's name and the filter. */
  name: z.string().trim().min(1).max(200).optional(),
  inviteContacts,
});
export type CreateCampaignInput = z.output<typeof createCampaignSchema>;

export const cancelCampaignSchema = z.strictObject({
  reason: z.string().trim().min(3, 'say why the campaign stops').max(2000),
});

export const campaignListQuery = z.strictObject({
  ...paginationQuery,
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  search: z.string().trim().max(200).optional(),
});

// ---- answers of the API ----

export const campaignTargetSchema = z.object({
  vendorId: entityId,
  vendorName: z.string(),
  tier: z.enum(TIERS),
  lifecycle: z.enum(LIFECYCLES),
  serviceKinds: z.array(z.enum(SERVICE_KINDS)),
  /** Active portal contacts who would receive the request. */
  contacts: count,
  /** With no portal contact: the contact on file invited with the request (null: none, or the campaign does not invite). */
  invitee: z.object({ name: z.string(), email: z.string() }).nullable(),
  /** Null: targeted; else why the vendor gets no request. */
  skipReason: z.enum(CAMPAIGN_SKIP_REASONS).nullable(),
});
export type CampaignTarget = z.output<typeof campaignTargetSchema>;

export const campaignPreviewSchema = z.object({
  filterSummary: z.string(),
  /** Vendors the filter matches. */
  matched: count,
  targeted: count,
  skipped: count,
  /** Every matched vendor: the targeted first, then the skipped, by name. */
  vendors: z.array(campaignTargetSchema),
});
export type CampaignPreview = z.output<typeof campaignPreviewSchema>;

export const campaignCountsSchema = z.object({
  total: count,
  byStatus: z.partialRecord(z.enum(QUESTIONNAIRE_REQUEST_STATUSES), count),
  overdue: count,
});

export const campaignSummarySchema = z.object({
  id: entityId,
  name: z.string(),
  templateId: entityId,
  templateName: z.string(),
  /** The version the campaign was created with (later cycles send the latest published one). */
  templateVersion: z.number().int().min(1),
  filter: campaignFilterSchema,
  filterSummary: z.string(),
  dueInDays: z.number().int(),
  recurrence: z.enum(CAMPAIGN_RECURRENCES).nullable(),
  /** Whether vendors without a portal account get an invitation to their contact on file with each cycle's request. */
  inviteContacts: z.boolean(),
  status: z.enum(CAMPAIGN_STATUSES),
  /** The date the next cycle runs (null: none will). */
  nextCycleOn: isoDate.nullable(),
  cycles: count,
  requests: campaignCountsSchema,
  createdAt: timestamp,
  createdByName: z.string().nullable(),
});
export type CampaignSummary = z.output<typeof campaignSummarySchema>;

export const campaignCycleSchema = z.object({
  number: z.number().int().min(1),
  ranAt: timestamp,
  templateVersion: z.number().int().min(1),
  dueDate: isoDate,
  created: count,
  /** Requests pre-filled from the vendor's last accepted answers. */
  prefilled: count,
  skipped: z.array(z.object({ vendorId: entityId, vendorName: z.string(), reason: z.enum(CAMPAIGN_SKIP_REASONS) })),
});

export const campaignRequestSchema = z.object({
  id: entityId,
  cycle: z.number().int().min(1),
  vendorId: entityId,
  vendorName: z.string(),
  status: z.enum(QUESTIONNAIRE_REQUEST_STATUSES),
  dueDate: isoDate,
  overdue: z.boolean(),
  scorePercent: z.number().nullable(),
  prefilled: z.boolean(),
});

export const campaignDetailSchema = campaignSummarySchema.extend({
  message: z.string().nullable(),
  pausedAt: timestamp.nullable(),
  cancelledAt: timestamp.nullable(),
  cancelReason: z.string().nullable(),
  cycleList: z.array(campaignCycleSchema),
  requestList: z.array(campaignRequestSchema),
});
export type CampaignDetail = z.output<typeof campaignDetailSchema>;

/** Adds `months` calendar months to a `YYYY-MM-DD` date (the 31st becomes the month's last day). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
