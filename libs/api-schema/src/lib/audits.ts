import { z } from 'zod';

import { clausesViewSchema } from './agreements.js';
import { count, entityId, isoDate, paginationQuery, text, timestamp, uuidSchema } from './common.js';
import { FINDING_SEVERITIES, FINDING_STATUSES } from './findings.js';
import { timeZoneSchema } from './slas.js';

/** Right-to-audit requests: exercising a contract's audit clause with the vendor (the audits area's API shapes). */

export const AUDIT_MODES = ['remote', 'on_site'] as const;
export type AuditMode = (typeof AUDIT_MODES)[number];

/** Who audits: the organization's own team, a named external firm, or a regulator (the clause's regulator-access flag applies). */
export const AUDITOR_KINDS = ['internal', 'external_firm', 'regulator'] as const;
export type AuditorKind = (typeof AUDITOR_KINDS)[number];

export const AUDIT_STATUSES = [
  'draft',
  'issued',
  'acknowledged',
  'scheduled',
  'fieldwork',
  'report_issued',
  'closed',
  'refused',
  'escalated',
  'cancelled',
] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

/** States in which an audit is still being worked (cancellable, in the inbox, its items reminded). */
export const AUDIT_OPEN_STATUSES: readonly AuditStatus[] = ['draft', 'issued', 'acknowledged', 'scheduled', 'fieldwork', 'report_issued'];

/**
 * Audits that count against the clause's allowance: every audit that was sent to the vendor and not refused or
 * cancelled (drafts were never sent; a refused or escalated audit did not take place).
 */
export const AUDIT_COUNTED_STATUSES: readonly AuditStatus[] = [
  'issued',
  'acknowledged',
  'scheduled',
  'fieldwork',
  'report_issued',
  'closed',
];

/** The steps of `POST /api/audits/:id/transitions`. */
export const AUDIT_TRANSITION_TARGETS = [
  'issued',
  'acknowledged',
  'scheduled',
  'fieldwork',
  'report_issued',
  'closed',
  'refused',
  'escalated',
  'cancelled',
] as const;
export type AuditTransitionTarget = (typeof AUDIT_TRANSITION_TARGETS)[number];

/** Which side takes each step: the vendor acknowledges (and may counter the window) or refuses; the organization does the rest. */
export const AUDIT_TRANSITION_SIDE: Readonly<Record<AuditTransitionTarget, 'vendor' | 'internal'>> = {
  issued: 'internal',
  acknowledged: 'vendor',
  refused: 'vendor',
  scheduled: 'internal',
  fieldwork: 'internal',
  report_issued: 'internal',
  closed: 'internal',
  escalated: 'internal',
  cancelled: 'internal',
};

/** The steps an audit in a state allows (`acknowledged → acknowledged` is the vendor countering the window again). */
export function allowedAuditTransitions(status: AuditStatus): AuditTransitionTarget[] {
  switch (status) {
    case 'draft':
      return ['issued', 'cancelled'];
    case 'issued':
      return ['acknowledged', 'refused', 'cancelled'];
    case 'acknowledged':
      return ['acknowledged', 'scheduled', 'cancelled'];
    case 'scheduled':
      return ['fieldwork', 'cancelled'];
    case 'fieldwork':
      return ['report_issued', 'cancelled'];
    case 'report_issued':
      return ['closed', 'cancelled'];
    case 'refused':
      return ['escalated', 'cancelled'];
    default:
      return [];
  }
}

/** Finding states that let an audit close: closed, risk-accepted, or carried into remediation (which has a due date). */
export const AUDIT_CLOSABLE_FINDING_STATUSES: readonly (typeof FINDING_STATUSES)[number][] = [
  'closed',
  'risk_accepted',
  'plan_accepted',
  'in_remediation',
  'ready_for_verification',
];

export const AUDIT_ITEM_STATUSES = ['requested', 'delivered', 'returned', 'accepted'] as const;
export type AuditItemStatus = (typeof AUDIT_ITEM_STATUSES)[number];

/** The rules an entitlement check applies; each refusal names one, with the request field it concerns. */
export const ENTITLEMENT_RULES = [
  'no_clause',
  'contract_not_in_force',
  'mode_not_allowed',
  'regulator_access',
  'notice_period',
  'allowance_exceeded',
] as const;
export type EntitlementRule = (typeof ENTITLEMENT_RULES)[number];

const windowSchema = z
  .strictObject({ start: isoDate, end: isoDate })
  .refine((w) => w.end >= w.start, { message: 'must be on or after the start', path: ['end'] });

export const entitlementQuery = z.strictObject({
  vendorId: uuidSchema,
  /** A contract of the vendor; by default the contract in force whose clause applies. */
  contractId: uuidSchema.optional(),
  mode: z.enum(AUDIT_MODES),
  /** The first day of the proposed audit window. */
  proposedStart: isoDate,
  /** `true`: the audit is requested on behalf of a regulator. */
  regulator: z.enum(['true', 'false']).default('false'),
  /** An audit being re-checked (its own slot is not counted against the allowance). */
  auditId: uuidSchema.optional(),
});

export const entitlementReasonSchema = z.object({
  /** The request field the rule concerns (`proposedStart`, `mode`, `contractId`, `auditorKind`). */
  field: z.string(),
  rule: z.enum(ENTITLEMENT_RULES),
  message: z.string(),
});
export type EntitlementReason = z.output<typeof entitlementReasonSchema>;

export const entitlementClauseSchema = z.object({
  /** How the clause is named to people: the contract's title and reference. */
  name: z.string(),
  contractTitle: z.string(),
  contractReference: z.string().nullable(),
  scope: z.string(),
  noticeDays: count,
  noticeBasis: z.enum(['calendar', 'business']),
  auditsPer12Months: count,
  mode: z.enum(['remote', 'on_site', 'either']),
  costBearer: z.enum(['customer', 'vendor', 'shared']),
  regulatorAccess: z.boolean(),
  /** The clause as text, for the escalation and the creation panel. */
  text: z.string(),
});
export type EntitlementClause = z.output<typeof entitlementClauseSchema>;

export const countedAuditSchema = z.object({ id: entityId, title: z.string(), status: z.enum(AUDIT_STATUSES), start: isoDate });

export const entitlementSchema = z.object({
  contractId: entityId.nullable(),
  clause: entitlementClauseSchema.nullable(),
  /** The organization's time zone, in which the notice is counted. */
  timeZone: z.string(),
  /** The day the notice starts from: the request's issue date (today for one not issued yet), in the organization's zone. */
  issueDate: isoDate,
  /** Issue date + the notice (business days skip Saturdays, Sundays and the organization's holidays); null without a clause. */
  earliestStart: isoDate.nullable(),
  /** The organization's holidays on weekdays that a business-day notice skipped (empty for calendar days). */
  holidaysSkipped: z.array(z.object({ date: isoDate, name: z.string() })),
  modeAllowed: z.boolean(),
  costBearer: z.enum(['customer', 'vendor', 'shared']).nullable(),
  /**
   * The busiest rolling 12 months (both days included) that contain the proposed start: the one ending on the
   * proposed start unless one ending on a later audit holds more (ADR 0018 addendum).
   */
  windowFrom: isoDate,
  windowTo: isoDate,
  /** Audits under the clause's contract starting in that window and counted (see `AUDIT_COUNTED_STATUSES`), the proposed one not included. */
  auditsInWindow: count,
  countedAudits: z.array(countedAuditSchema),
  /** Audits per 12 months the clause allows; null without a clause or for a regulator with access (not limited). */
  allowance: count.nullable(),
  allowed: z.boolean(),
  reasons: z.array(entitlementReasonSchema),
});
export type Entitlement = z.output<typeof entitlementSchema>;

const scopeSchema = z.strictObject({
  serviceIds: z.array(uuidSchema).max(100).default([]),
  topics: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  /** Internal systems concerned: never shown to the vendor. */
  systemIds: z.array(uuidSchema).max(100).default([]),
});

export const newAuditItemSchema = z.strictObject({
  reference: z.string().trim().min(1).max(50),
  /** What is asked for. */
  details: z.string().trim().min(1).max(4000),
  dueDate: isoDate,
  /** The vendor-side owner: an active contact of the vendor. */
  vendorOwnerId: uuidSchema.nullable().optional(),
});
export type NewAuditItemInput = z.output<typeof newAuditItemSchema>;

export const createAuditSchema = z
  .strictObject({
    vendorId: uuidSchema,
    contractId: uuidSchema.optional(),
    title: z.string().trim().min(1).max(300),
    mode: z.enum(AUDIT_MODES),
    auditorKind: z.enum(AUDITOR_KINDS).default('internal'),
    /** The firm or regulator (required unless the internal team audits). */
    auditorName: text(300).nullable().optional(),
    proposedStart: isoDate,
    proposedEnd: isoDate,
    /** The time zone of the window (where the fieldwork takes place). */
    timeZone: timeZoneSchema,
    scope: scopeSchema.default({ serviceIds: [], topics: [], systemIds: [] }),
    objectives: text(5000).default(''),
    items: z.array(newAuditItemSchema).max(200).default([]),
    /** Records a request that breaks a rule of the entitlement, with why (admins and vendor managers). */
    override: z.strictObject({ reason: z.string().trim().min(10, 'explain the override (at least 10 characters)').max(2000) }).optional(),
  })
  .refine((a) => a.proposedEnd >= a.proposedStart, { message: 'must be on or after the proposed start', path: ['proposedEnd'] })
  .refine((a) => a.auditorKind === 'internal' || !!a.auditorName, { message: 'name the firm or the regulator', path: ['auditorName'] })
  .refine((a) => new Set(a.items.map((i) => i.reference.toLowerCase())).size === a.items.length, {
    message: 'references must be unique',
    path: ['items'],
  });
export type CreateAuditInput = z.output<typeof createAuditSchema>;

export const auditTransitionSchema = z.strictObject({
  to: z.enum(AUDIT_TRANSITION_TARGETS),
  /** Required for refusing, cancelling and escalating; a note otherwise. */
  reason: text(5000).optional(),
  /** Acknowledging with another window: the vendor's counter-proposal, within the entitlement. */
  window: windowSchema.optional(),
  /** Entering fieldwork: its dates and who attends. */
  fieldwork: z
    .strictObject({
      start: isoDate,
      end: isoDate,
      attendees: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
    })
    .refine((w) => w.end >= w.start, { message: 'must be on or after the start', path: ['end'] })
    .optional(),
  /** Issuing the report: the report as an evidence item of the vendor in the vault. */
  reportEvidenceId: uuidSchema.optional(),
  /** Issuing a request that breaks a rule of the entitlement (admins and vendor managers). */
  override: z.strictObject({ reason: z.string().trim().min(10, 'explain the override (at least 10 characters)').max(2000) }).optional(),
  /** The audit's `version` the client saw: another current version is a 409. */
  version: z.number().int().min(1).optional(),
});
export type AuditTransitionInput = z.output<typeof auditTransitionSchema>;

export const windowDecisionSchema = z.strictObject({ accept: z.boolean(), comment: text(2000).optional() });

export const auditItemResponseSchema = z
  .strictObject({
    /** Evidence items of the vendor (from its library or just uploaded). */
    evidenceIds: z.array(uuidSchema).max(50).optional(),
    /** Instead of evidence: why the item does not apply. */
    notApplicableReason: z.string().trim().min(5).max(4000).optional(),
    note: text(4000).optional(),
  })
  .refine((r) => !!r.evidenceIds?.length !== !!r.notApplicableReason, {
    message: 'give evidence or a not-applicable reason, not both',
    path: ['evidenceIds'],
  });
export type AuditItemResponseInput = z.output<typeof auditItemResponseSchema>;

export const auditItemDecisionSchema = z
  .strictObject({ decision: z.enum(['accept', 'return']), comment: text(4000).optional() })
  .refine((d) => d.decision === 'accept' || !!d.comment, { message: 'ask the question the item is returned with', path: ['comment'] });
export type AuditItemDecisionInput = z.output<typeof auditItemDecisionSchema>;

export const auditListQuery = z.strictObject({
  ...paginationQuery,
  vendorId: uuidSchema.optional(),
  contractId: uuidSchema.optional(),
  status: z.enum(AUDIT_STATUSES).optional(),
});

export const auditItemViewSchema = z.object({
  id: entityId,
  reference: z.string(),
  details: z.string(),
  dueDate: isoDate,
  vendorOwnerId: entityId.nullable(),
  vendorOwnerName: z.string().nullable(),
  status: z.enum(AUDIT_ITEM_STATUSES),
  /** Past its due date and not accepted. */
  overdue: z.boolean(),
  evidenceIds: z.array(entityId),
  notApplicableReason: z.string().nullable(),
  responseNote: z.string().nullable(),
  respondedAt: timestamp.nullable(),
  decidedAt: timestamp.nullable(),
  version: z.number().int().min(1),
});
export type AuditItemView = z.output<typeof auditItemViewSchema>;

export const auditViewSchema = z.object({
  id: entityId,
  vendorId: entityId,
  vendorName: z.string(),
  contractId: entityId.nullable(),
  clauseName: z.string().nullable(),
  title: z.string(),
  mode: z.enum(AUDIT_MODES),
  auditorKind: z.enum(AUDITOR_KINDS),
  auditorName: z.string().nullable(),
  status: z.enum(AUDIT_STATUSES),
  windowStart: isoDate,
  windowEnd: isoDate,
  timeZone: z.string(),
  itemsTotal: count,
  itemsAccepted: count,
  itemsOverdue: count,
  /** Recorded with a reason when the request broke a rule of the entitlement. */
  overrideReason: z.string().nullable(),
  /** No clause applied: the audit is outside the contractual entitlement. */
  outsideEntitlement: z.boolean(),
  issuedAt: timestamp.nullable(),
  updatedAt: timestamp,
  version: z.number().int().min(1),
});
export type AuditView = z.output<typeof auditViewSchema>;

export const auditEventViewSchema = z.object({
  id: entityId,
  /** `created`, `transition`, `counter_proposed`, `window_accepted`, `window_rejected`, `item_responded`, `item_accepted`, `item_returned`. */
  kind: z.string(),
  fromStatus: z.enum(AUDIT_STATUSES).nullable(),
  toStatus: z.enum(AUDIT_STATUSES).nullable(),
  itemId: entityId.nullable(),
  note: z.string().nullable(),
  actorName: z.string().nullable(),
  actorSide: z.enum(['vendor', 'internal', 'system']),
  at: timestamp,
});

export const auditFindingSchema = z.object({
  id: entityId,
  title: z.string(),
  severity: z.enum(FINDING_SEVERITIES),
  status: z.enum(FINDING_STATUSES),
  dueDate: isoDate,
});

export const auditDetailSchema = auditViewSchema.extend({
  scope: z.object({ serviceIds: z.array(entityId), topics: z.array(z.string()), systemIds: z.array(entityId) }),
  objectives: z.string(),
  /** The clause as it stood when the request was made (null: outside the contractual entitlement). */
  clause: clausesViewSchema.shape.rightToAudit,
  /** The entitlement computed when the request was created or last issued. */
  entitlement: entitlementSchema.nullable(),
  overrideByName: z.string().nullable(),
  counterProposal: z.object({ start: isoDate, end: isoDate, note: z.string().nullable(), proposedAt: timestamp }).nullable(),
  refusalReason: z.string().nullable(),
  cancelReason: z.string().nullable(),
  fieldworkStart: isoDate.nullable(),
  fieldworkEnd: isoDate.nullable(),
  attendees: z.array(z.string()),
  reportEvidenceId: entityId.nullable(),
  closedAt: timestamp.nullable(),
  allowedTransitions: z.array(z.enum(AUDIT_TRANSITION_TARGETS)),
  items: z.array(auditItemViewSchema),
  findings: z.array(auditFindingSchema),
  events: z.array(auditEventViewSchema),
});
export type AuditDetail = z.output<typeof auditDetailSchema>;
