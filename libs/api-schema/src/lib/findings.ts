import { z } from 'zod';

import { entityId, isoDate, paginationQuery, timestamp, uuidSchema } from './common.js';

/** Findings and remediation: one finding model for every source (the findings area's API shapes). */
export const FINDING_SOURCES = ['questionnaire_answer', 'audit', 'joint_test', 'signal', 'contract', 'manual'] as const;
export type FindingSource = (typeof FINDING_SOURCES)[number];

export const FINDING_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export const FINDING_STATUSES = [
  'open',
  'plan_proposed',
  'changes_requested',
  'plan_accepted',
  'in_remediation',
  'ready_for_verification',
  'closed',
  'risk_accepted',
] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/**
 * The remediation policy: days from when a finding is raised (or reopened) to its due date, per severity.
 * The one place these numbers live; the API, the reminders and the portal all read them from here.
 */
export const FINDING_DUE_DAYS: Readonly<Record<FindingSeverity, number>> = { critical: 30, high: 60, medium: 90, low: 180 };

/** Severities whose closing needs evidence (at least one evidence item on the finding or with the closing). */
export const EVIDENCE_REQUIRED_TO_CLOSE: readonly FindingSeverity[] = ['critical', 'high'];

/** The states a transition may lead to (`open` is reached by reopening, `risk_accepted` by an approved acceptance). */
export const FINDING_TRANSITION_TARGETS = [
  'plan_proposed',
  'plan_accepted',
  'in_remediation',
  'ready_for_verification',
  'changes_requested',
  'closed',
] as const;
export type FindingTransitionTarget = (typeof FINDING_TRANSITION_TARGETS)[number];

/** Who moves a finding into each state: the vendor's contacts or the organization (admins and vendor managers). */
export const FINDING_TRANSITION_SIDE: Readonly<Record<FindingTransitionTarget, 'vendor' | 'internal'>> = {
  plan_proposed: 'vendor',
  in_remediation: 'vendor',
  ready_for_verification: 'vendor',
  plan_accepted: 'internal',
  changes_requested: 'internal',
  closed: 'internal',
};

/**
 * The transitions a finding in a state allows. `changes_requested` goes back to the vendor for the step
 * it was returned from (`returnedFrom`): a plan is proposed again, or the finding is marked ready again.
 */
export function allowedFindingTransitions(status: FindingStatus, returnedFrom: FindingStatus | null): FindingTransitionTarget[] {
  switch (status) {
    case 'open':
      return ['plan_proposed'];
    case 'plan_proposed':
      return ['plan_accepted', 'changes_requested'];
    case 'changes_requested':
      return returnedFrom === 'ready_for_verification' ? ['in_remediation', 'ready_for_verification'] : ['plan_proposed'];
    case 'plan_accepted':
      return ['in_remediation'];
    case 'in_remediation':
      return ['ready_for_verification'];
    case 'ready_for_verification':
      return ['closed', 'changes_requested'];
    default:
      return [];
  }
}

const evidenceIds = z.array(uuidSchema).max(50);

export const createFindingSchema = z
  .strictObject({
    vendorId: uuidSchema,
    source: z.enum(FINDING_SOURCES).default('manual'),
    /** The id of the record the finding comes from (the questionnaire answer, audit, test, signal source, contract). */
    sourceId: uuidSchema.nullable().optional(),
    /**
     * What identifies the problem within its source: raising again with the same source and key (for the same vendor)
     * reopens the existing finding instead of adding one. Defaults to `sourceId`; a manual finding without a key never matches.
     */
    sourceKey: z.string().trim().min(1).max(200).nullable().optional(),
    title: z.string().trim().min(1).max(300),
    details: z.string().trim().max(10000).default(''),
    severity: z.enum(FINDING_SEVERITIES),
    /** The vendor-side owner: an active contact of the finding's vendor. */
    vendorOwnerId: uuidSchema.nullable().optional(),
  })
  .refine((f) => f.source === 'manual' || !!(f.sourceId || f.sourceKey), {
    message: 'a finding from a source needs the source record (sourceId) or a source key',
    path: ['sourceId'],
  });
export type CreateFindingInput = z.output<typeof createFindingSchema>;

export const findingListQuery = z.strictObject({
  ...paginationQuery,
  vendorId: uuidSchema.optional(),
  status: z.enum(FINDING_STATUSES).optional(),
  severity: z.enum(FINDING_SEVERITIES).optional(),
  /** `true`: only findings past their due date that are neither closed nor risk-accepted. */
  overdue: z.enum(['true', 'false']).optional(),
  /** Text search: title, details, source key and vendor name (case-insensitive, anywhere). */
  search: z.string().trim().max(200).optional(),
});

export const findingTransitionSchema = z.strictObject({
  to: z.enum(FINDING_TRANSITION_TARGETS),
  /** Required for requesting changes and for closing (the verification note). */
  note: z.string().trim().max(5000).optional(),
  /** Evidence items of the finding's vendor (marking ready; closing a high or critical finding needs one). */
  evidenceIds: evidenceIds.optional(),
  /** Proposing a plan: all three are required. */
  rootCause: z.string().trim().max(5000).optional(),
  correctiveAction: z.string().trim().max(5000).optional(),
  targetDate: isoDate.optional(),
  /** The finding's `version` the client saw: a different current version is a 409 (someone else moved it). */
  version: z.number().int().min(1).optional(),
});
export type FindingTransitionInput = z.output<typeof findingTransitionSchema>;

export const riskAcceptanceSchema = z.strictObject({
  reason: z.string().trim().min(10, 'explain why the risk is accepted (at least 10 characters)').max(5000),
  /** The last day the acceptance holds; the day after, the finding reopens by itself. */
  expiresAt: isoDate,
});

export const riskAcceptanceViewSchema = z.object({
  id: entityId,
  reason: z.string(),
  expiresAt: isoDate,
  requestedById: entityId.nullable(),
  requestedByName: z.string().nullable(),
  requestedAt: timestamp,
  approvedById: entityId.nullable(),
  approvedByName: z.string().nullable(),
  approvedAt: timestamp.nullable(),
  /** `pending` (awaiting a second person), `active`, `expired`, or `superseded` by a later approved acceptance. */
  state: z.enum(['pending', 'active', 'expired', 'superseded']),
});
export type RiskAcceptanceView = z.output<typeof riskAcceptanceViewSchema>;

export const findingEventViewSchema = z.object({
  id: entityId,
  /** `raised`, `transition`, `raised_again`, `reopened` (raised again after closing, or an expired acceptance), `risk_acceptance_requested`, `risk_accepted`. */
  kind: z.string(),
  fromStatus: z.enum(FINDING_STATUSES).nullable(),
  toStatus: z.enum(FINDING_STATUSES).nullable(),
  note: z.string().nullable(),
  evidenceIds: z.array(entityId),
  actorName: z.string().nullable(),
  actorSide: z.enum(['vendor', 'internal', 'system']),
  at: timestamp,
});
export type FindingEventView = z.output<typeof findingEventViewSchema>;

export const findingViewSchema = z.object({
  id: entityId,
  vendorId: entityId,
  vendorName: z.string(),
  source: z.enum(FINDING_SOURCES),
  sourceId: entityId.nullable(),
  sourceKey: z.string().nullable(),
  title: z.string(),
  details: z.string(),
  severity: z.enum(FINDING_SEVERITIES),
  /** The state as of now: a risk acceptance past its expiry reads `open` even before the sweep records it. */
  status: z.enum(FINDING_STATUSES),
  /** For `changes_requested`: the step it was returned from (`plan_proposed` or `ready_for_verification`). */
  returnedFrom: z.enum(FINDING_STATUSES).nullable(),
  vendorOwnerId: entityId.nullable(),
  vendorOwnerName: z.string().nullable(),
  dueDate: isoDate,
  /** Past the due date and neither closed nor risk-accepted. */
  overdue: z.boolean(),
  rootCause: z.string().nullable(),
  correctiveAction: z.string().nullable(),
  targetDate: isoDate.nullable(),
  /** Every evidence id recorded on the finding's transitions, oldest first. */
  evidenceIds: z.array(entityId),
  riskAcceptedUntil: isoDate.nullable(),
  raisedAt: timestamp,
  closedAt: timestamp.nullable(),
  version: z.number().int().min(1),
});
export type FindingView = z.output<typeof findingViewSchema>;

export const findingDetailSchema = findingViewSchema.extend({
  /** What may be done next, and by which side (the portal shows these as actions). */
  allowedTransitions: z.array(z.enum(FINDING_TRANSITION_TARGETS)),
  events: z.array(findingEventViewSchema),
  riskAcceptances: z.array(riskAcceptanceViewSchema),
});
export type FindingDetail = z.output<typeof findingDetailSchema>;
