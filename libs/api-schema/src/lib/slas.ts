import { z } from 'zod';

import { count, entityId, isoDate, paginationQuery, text, timestamp, uuidSchema } from './common.js';

/** SLAs: versions and terms, attainment, negotiation, breaches and credits, the portfolio (the slas area's API shapes). */
/**
 * Whether `tz` is a time zone the platform's Intl knows (IANA names such as Europe/London, and UTC).
 * Uses only Intl.DateTimeFormat, so the API and the browser agree on what is valid.
 */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/London' });

/** The negotiable SLA terms. Numbers are minutes for times, percent for rates. */
export const slaTermsSchema = z.strictObject({
  availabilityTarget: z.number().min(0).max(100),
  window: z.enum(['month', 'quarter']).default('month'),
  timeZone: timeZoneSchema.default('UTC'),
  maintenanceNoticeHours: z.number().int().min(0).max(8760).default(72),
  weights: z
    .strictObject({ partialOutage: z.number().min(0).max(1).default(0.5), degraded: z.number().min(0).max(1).default(0) })
    .default({ partialOutage: 0.5, degraded: 0 }),
  rtoMinutes: z.number().int().min(0).max(525600).nullable().default(null),
  rpoMinutes: z.number().int().min(0).max(525600).nullable().default(null),
  supportResponseMinutes: z
    .strictObject({
      sev1: z.number().int().min(0).nullable().default(null),
      sev2: z.number().int().min(0).nullable().default(null),
      sev3: z.number().int().min(0).nullable().default(null),
      sev4: z.number().int().min(0).nullable().default(null),
    })
    .default({ sev1: null, sev2: null, sev3: null, sev4: null }),
  dataLossLimitMinutes: z.number().int().min(0).nullable().default(null),
  modelSlo: z
    .strictObject({
      maxErrorRatePercent: z.number().min(0).max(100).nullable().default(null),
      p95LatencyMs: z.number().int().min(0).nullable().default(null),
    })
    .nullable()
    .default(null),
  credits: z
    .array(z.strictObject({ belowPercent: z.number().min(0).max(100), creditPercent: z.number().min(0).max(100) }))
    .max(20)
    .default([]),
  creditCapPercent: z.number().min(0).max(100).default(100),
});
export type SlaTerms = z.infer<typeof slaTermsSchema>;

export const slaScopeSchema = z.strictObject({
  serviceIds: z.array(uuidSchema).min(1, 'name at least one service whose signals count').max(50),
  components: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  regions: z.array(z.string().trim().min(1).max(64)).max(100).default([]),
});

export const createSlaSchema = z.strictObject({
  contractId: uuidSchema,
  name: z.string().trim().min(1).max(200),
  effectiveFrom: isoDate,
  terms: slaTermsSchema,
  scope: slaScopeSchema,
});
export type CreateSlaInput = z.infer<typeof createSlaSchema>;

/** A new version of the terms (the old ones stay as history). */
export const newSlaVersionSchema = z.strictObject({
  effectiveFrom: isoDate,
  terms: slaTermsSchema,
  scope: slaScopeSchema.optional(),
});

/** At most this many windows per attainment request (months, or quarters for quarterly SLAs). */
export const MAX_ATTAINMENT_WINDOWS = 240;
const monthLabel = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
const monthIndex = (label: string) => Number(label.slice(0, 4)) * 12 + Number(label.slice(5, 7)) - 1;

export const attainmentQuery = z
  .strictObject({ from: monthLabel, to: monthLabel })
  .refine((q) => q.from <= q.to, { message: 'must not be before from', path: ['to'] })
  // Months; a quarterly SLA has fewer windows, and the service checks its window count too.
  .refine((q) => q.from > q.to || monthIndex(q.to) - monthIndex(q.from) < MAX_ATTAINMENT_WINDOWS * 3, {
    message: `spans too many windows (at most ${MAX_ATTAINMENT_WINDOWS})`,
    path: ['to'],
  });

export const vendorReportSchema = z.strictObject({
  window: z.string().regex(/^\d{4}-((0[1-9]|1[0-2])|Q[1-4])$/, 'YYYY-MM or YYYY-Qn'),
  availability: z.number().min(0).max(100),
  note: text(2000).nullable().optional(),
});

/** Where a version stands today: the one in force, a signed one that takes effect later, or one a later version replaced. */
export const slaVersionStatusSchema = z.enum(['in_force', 'upcoming', 'superseded']);
export type SlaVersionStatus = z.output<typeof slaVersionStatusSchema>;

export const slaVersionViewSchema = z.object({
  version: z.number().int().min(1),
  effectiveFrom: isoDate,
  /** Today, in the SLA's time zone (the one notion of "in force" of every screen and the API). */
  status: slaVersionStatusSchema,
  terms: slaTermsSchema,
  scope: slaScopeSchema,
  createdAt: timestamp,
  createdBy: z.string().nullable(),
});
export type SlaVersionView = z.output<typeof slaVersionViewSchema>;

export const slaViewSchema = z.object({
  id: entityId,
  contractId: entityId,
  contractTitle: z.string(),
  vendorId: entityId,
  vendorName: z.string(),
  name: z.string(),
  /**
   * The version in force today; before the SLA's first version takes effect, that first version
   * (its `status` is then `upcoming`). Never a signed version that takes effect later than another.
   */
  current: slaVersionViewSchema,
  /** Signed versions that take effect after today, soonest first (not including `current`). */
  upcoming: z.array(slaVersionViewSchema),
  /** Every version, newest first: the latest is where a new version or negotiation starts from. */
  versions: z.array(slaVersionViewSchema),
});
export type SlaView = z.output<typeof slaViewSchema>;

const percent = z.number().min(0).max(100);
/** A window's label: `2026-03`, or `2026-Q1` for quarterly SLAs. */
const windowLabel = z.string().regex(/^\d{4}-((0[1-9]|1[0-2])|Q[1-4])$/);

/** What the attainment engine computes for one window of an SLA. */
export const windowAttainmentSchema = z.object({
  /** `2026-03`, or `2026-Q1` for quarterly SLAs. */
  window: windowLabel,
  /** Where measurement starts: the window's start, or the SLA's effective day in the window where it took effect. */
  start: timestamp,
  end: timestamp,
  /** Measured over part of the window only (the SLA took effect inside it); the credit amount is prorated. */
  partial: z.boolean(),
  /** The window has not ended: figures are so far. */
  open: z.boolean(),
  target: percent,
  /** Percent, within [0, 100], rounded to 4 decimals for display (breach and credit are judged on the exact figure). */
  availability: percent,
  downtimeMinutes: z.number().min(0),
  excludedMinutes: z.number().min(0),
  /** A closed window below target (judged on the exact figure). Always false while the window is open. */
  breached: z.boolean(),
  /** Provisional: the window is open and its figure so far is below target. */
  atRisk: z.boolean(),
  /** The credit earned by a breach; 0 for open windows (nothing is owed until the window closes). */
  creditPercent: percent,
});
export type WindowAttainment = z.output<typeof windowAttainmentSchema>;

/**
 * How a window's credit amount is computed: the credit percent of the fees, for the window, of the services the SLA
 * covers (each contract service's fee per year ÷ 12 for a month, ÷ 4 for a quarter, × `share`). When a covered
 * service has no fee recorded, the base is unknown (`base` null) and so is the amount: never the whole contract.
 */
export const creditBasisSchema = z.object({
  /** Null when some service's fee is not recorded. */
  base: z.number().min(0).nullable(),
  /** The part of the window measured: 1, or less when the SLA took effect inside it (the fees are prorated). */
  share: z.number().min(0).max(1),
  services: z.array(
    z.object({
      serviceId: entityId,
      name: z.string(),
      /** The fee per year recorded on the contract; null when not recorded (or the contract does not cover the service). */
      annualFee: z.number().min(0).nullable(),
      /** The fee for this window (prorated); null when unknown. */
      periodFee: z.number().min(0).nullable(),
    }),
  ),
});
export type CreditBasis = z.output<typeof creditBasisSchema>;

/** One entry of `GET /api/slas/:id/attainment`: the engine's figures with the vendor's own and the credit owed. */
export const attainmentEntrySchema = windowAttainmentSchema.extend({
  vendorReported: percent.nullable(),
  /** |computed − vendor-reported| ≥ 0.01 percentage points. */
  discrepancy: z.boolean(),
  /** `creditPercent` of `creditBasis.base`; null when the base is unknown. */
  creditAmount: z.number().min(0).nullable(),
  creditBasis: creditBasisSchema,
  version: z.number().int().min(1),
});
export type AttainmentEntry = z.output<typeof attainmentEntrySchema>;

export const windowIncidentsQuery = z.strictObject({ window: windowLabel });

/** One outage interval of a window, as the attainment counted it (`GET /api/slas/:id/incidents?window=`). */
export const windowIncidentSchema = z.object({
  signalId: entityId,
  title: z.string().nullable(),
  serviceId: entityId,
  serviceName: z.string(),
  component: z.string().nullable(),
  region: z.string().nullable(),
  level: z.enum(['major_outage', 'partial_outage', 'degraded', 'maintenance']),
  start: timestamp,
  /** Null while it lasts. */
  end: timestamp.nullable(),
  /** Minutes of the interval inside the measured window (up to now while it lasts). */
  minutes: z.number().min(0),
  /** The weight of its level under the SLA's terms (maintenance announced early enough: 0, and excluded). */
  weight: z.number().min(0).max(1),
  /** Announced early enough: its time is excluded from the window. */
  excluded: z.boolean(),
  /** The downtime it contributes: overlapping intervals count once, at the heaviest weight, so these add up to the window's downtime. */
  countedMinutes: z.number().min(0),
});
export type WindowIncident = z.output<typeof windowIncidentSchema>;

export const windowIncidentsSchema = z.object({
  window: windowLabel,
  start: timestamp,
  end: timestamp,
  open: z.boolean(),
  downtimeMinutes: z.number().min(0),
  excludedMinutes: z.number().min(0),
  incidents: z.array(windowIncidentSchema),
});
export type WindowIncidents = z.output<typeof windowIncidentsSchema>;

// ---- negotiation ----

export const NEGOTIATION_STATUSES = ['proposed', 'countered', 'agreed', 'signed_off', 'cancelled'] as const;
export type NegotiationStatus = (typeof NEGOTIATION_STATUSES)[number];
export const SLA_TERM_KEYS = Object.keys(slaTermsSchema.shape) as (keyof SlaTerms)[];

export const createNegotiationSchema = z.strictObject({
  contractId: uuidSchema,
  /** Renegotiate this SLA (a new version when signed off); omit to negotiate a new SLA. */
  slaId: uuidSchema.nullable().optional(),
  name: z.string().trim().min(1).max(200).optional(),
  scope: slaScopeSchema.optional(),
  effectiveFrom: isoDate,
  terms: slaTermsSchema,
});

export const termAnswerSchema = z.strictObject({
  decision: z.enum(['accept', 'counter']),
  value: z.unknown().optional(),
  comment: z.string().trim().max(2000).nullable().optional(),
});
export const respondSchema = z.strictObject({
  round: z.number().int().min(1),
  answers: z.record(z.string(), termAnswerSchema),
});
export const proposeRoundSchema = z.strictObject({
  terms: slaTermsSchema,
});

export const termAnswerViewSchema = z.object({
  decision: z.enum(['accept', 'counter']),
  value: z.unknown().optional(),
  comment: z.string().nullable().optional(),
});
export type TermAnswer = z.output<typeof termAnswerViewSchema>;

export const negotiationRoundViewSchema = z.object({
  round: z.number().int().min(1),
  terms: slaTermsSchema,
  proposedAt: timestamp,
  proposedBy: z.string().nullable(),
  /** Terms changed from the previous round. */
  diff: z.array(z.object({ term: z.string(), from: z.unknown(), to: z.unknown() })),
  responses: z.record(z.string(), termAnswerViewSchema).nullable(),
  respondedAt: timestamp.nullable(),
  respondedBy: z.string().nullable(),
});
export type NegotiationRoundView = z.output<typeof negotiationRoundViewSchema>;

/** Attainment under the version this negotiation replaces, over that version's whole period. */
export const negotiationAchievedSchema = z.object({
  /** The previous version: the SLA's latest before this negotiation's result. */
  version: z.number().int().min(1),
  /** Its period: from its effective date to the next version's (exclusive), or open-ended (null). */
  from: isoDate,
  to: isoDate.nullable(),
  /** Closed windows measured under that version. */
  windows: count,
  averageAvailability: percent.nullable(),
  worstAvailability: percent.nullable(),
  breaches: count,
});
export type NegotiationAchieved = z.output<typeof negotiationAchievedSchema>;

export const termSpreadSchema = z.object({ n: count, min: z.number(), median: z.number(), max: z.number() });
export type TermSpread = z.output<typeof termSpreadSchema>;

export const negotiationContextSchema = z.object({
  /** The same term across other vendors' SLAs (the version in force today) covering services of the same kind. */
  spread: z.object({
    availabilityTarget: termSpreadSchema.optional(),
    rtoMinutes: termSpreadSchema.optional(),
    rpoMinutes: termSpreadSchema.optional(),
    maintenanceNoticeHours: termSpreadSchema.optional(),
    dataLossLimitMinutes: termSpreadSchema.optional(),
    creditCapPercent: termSpreadSchema.optional(),
  }),
  serviceKinds: z.array(z.string()),
});
export type NegotiationContext = z.output<typeof negotiationContextSchema>;

export const NEGOTIATION_ACTIONS = ['respond', 'propose', 'sign_off', 'cancel'] as const;

export const negotiationViewSchema = z.object({
  id: entityId,
  vendorId: entityId,
  vendorName: z.string(),
  contractId: entityId,
  contractTitle: z.string(),
  slaId: entityId.nullable(),
  slaName: z.string(),
  effectiveFrom: isoDate,
  status: z.enum(NEGOTIATION_STATUSES),
  currentRound: z.number().int().min(1),
  procurementSignedAt: timestamp.nullable(),
  vendorSignedAt: timestamp.nullable(),
  resultingVersion: z.number().int().min(1).nullable(),
  rounds: z.array(negotiationRoundViewSchema),
  /** What the caller may do next. */
  allowedActions: z.array(z.enum(NEGOTIATION_ACTIONS)),
  /** For the buyer only (null for vendor contacts): how the terms compare with other vendors'. */
  context: negotiationContextSchema.nullable(),
  /** What this vendor achieved under the previous version (both sides see it); null for a new SLA. */
  achieved: negotiationAchievedSchema.nullable(),
});
export type NegotiationView = z.output<typeof negotiationViewSchema>;

// ---- breaches, disputes, portfolio, commitment chain ----

export const BREACH_STATUSES = ['open', 'disputed', 'upheld', 'waived', 'withdrawn'] as const;
export type BreachStatus = (typeof BREACH_STATUSES)[number];

export const breachListQuery = z.strictObject({
  ...paginationQuery,
  vendorId: uuidSchema.optional(),
  slaId: uuidSchema.optional(),
  status: z.enum(BREACH_STATUSES).optional(),
  /** Text search: vendor, SLA, contract or covered service names (case-insensitive, anywhere in the name). */
  search: z.string().trim().max(200).optional(),
});

export const breachCommentSchema = z.strictObject({
  body: z.string().trim().min(1).max(5000),
  evidenceLinks: z
    .array(z.url({ protocol: /^https?$/ }))
    .max(10)
    .default([]),
});

export const breachResolutionSchema = z.strictObject({
  decision: z.enum(['upheld', 'waived']),
  note: z.string().trim().min(5, 'explain the decision').max(2000),
});

export const breachCommentViewSchema = z.object({
  id: entityId,
  authorSide: z.enum(['customer', 'vendor']),
  authorName: z.string().nullable(),
  body: z.string(),
  evidenceLinks: z.array(z.string()),
  createdAt: timestamp,
});
export type BreachComment = z.output<typeof breachCommentViewSchema>;

export const breachViewSchema = z.object({
  id: entityId,
  slaId: entityId,
  slaName: z.string(),
  vendorId: entityId,
  vendorName: z.string(),
  window: windowLabel,
  availability: percent,
  target: percent,
  creditPercent: percent,
  /** `creditPercent` of `creditBasis.base`; null when the base is unknown. */
  creditAmount: z.number().min(0).nullable(),
  /** How the amount was computed; null when it was not (yet) computed from the fees of the covered services. */
  creditBasis: creditBasisSchema.nullable(),
  currency: z.string(),
  /** The vendor's own figure for the window, when it filed one, beside the computed `availability`. */
  vendorReported: percent.nullable(),
  vendorReportNote: z.string().nullable(),
  status: z.enum(BREACH_STATUSES),
  detectedAt: timestamp,
  resolvedAt: timestamp.nullable(),
  resolutionNote: z.string().nullable(),
  comments: z.array(breachCommentViewSchema),
});
export type BreachView = z.output<typeof breachViewSchema>;

export const portfolioEntrySchema = z.object({
  slaId: entityId,
  slaName: z.string(),
  vendorId: entityId,
  vendorName: z.string(),
  target: percent,
  /** Latest closed window. */
  lastWindow: windowLabel.nullable(),
  lastAvailability: percent.nullable(),
  /** Closed windows in the last 12 months that breached. */
  breaches12m: count,
  credits12m: z.number().min(0),
  openWindowAvailability: percent.nullable(),
});
export type PortfolioEntry = z.output<typeof portfolioEntrySchema>;

/** `GET /api/slas` */
export const slaListQuery = z.strictObject({ vendorId: uuidSchema.optional(), contractId: uuidSchema.optional() });

/** `GET /api/negotiations` */
export const negotiationListQuery = z.strictObject({
  vendorId: uuidSchema.optional(),
  /** Text in the SLA's name, the contract's title or the vendor's name. */
  search: z.string().trim().max(200).optional(),
});
