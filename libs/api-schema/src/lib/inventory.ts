import { z } from 'zod';

import { count, entityId, isoDate, paginationQuery, sortSchema, timestamp, uuidSchema } from './common.js';

export const LIFECYCLES = ['prospect', 'onboarding', 'active', 'exiting', 'terminated'] as const;
export const TIERS = ['critical', 'high', 'medium', 'low'] as const;
export const SERVICE_KINDS = ['cloud_infrastructure', 'ai_model_api', 'data_provider', 'saas', 'professional_service'] as const;
export const CRITICALITIES = ['critical', 'high', 'medium', 'low'] as const;
/** ISO/IEC 42001 impact-based risk classes used for internal AI systems. */
export const RISK_CLASSES = ['unacceptable', 'high', 'limited', 'minimal'] as const;
export const DATA_SENSITIVITIES = ['restricted', 'confidential', 'internal', 'public'] as const;
export const SUBSTITUTABILITIES = ['none', 'difficult', 'moderate', 'easy'] as const;
export const FINANCIAL_HEALTH = ['distressed', 'watch', 'healthy', 'unknown'] as const;

export type Lifecycle = (typeof LIFECYCLES)[number];
export type Tier = (typeof TIERS)[number];
export type ServiceKind = (typeof SERVICE_KINDS)[number];
export type Criticality = (typeof CRITICALITIES)[number];
export type RiskClass = (typeof RISK_CLASSES)[number];

/** Allowed lifecycle moves: forward one step, or straight to exiting/terminated. */
export const LIFECYCLE_TRANSITIONS: Record<Lifecycle, readonly Lifecycle[]> = {
  prospect: ['onboarding', 'terminated'],
  onboarding: ['active', 'exiting', 'terminated'],
  active: ['exiting'],
  exiting: ['terminated', 'active'],
  terminated: [],
};

const trimmed = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const tierIntakeSchema = z.strictObject({
  servedCriticality: z.enum(CRITICALITIES),
  dataSensitivity: z.enum(DATA_SENSITIVITIES),
  aiModelProvider: z.boolean(),
  substitutability: z.enum(SUBSTITUTABILITIES),
  financialHealth: z.enum(FINANCIAL_HEALTH).default('unknown'),
});
export type TierIntake = z.infer<typeof tierIntakeSchema>;

export const identifiersSchema = z.strictObject({
  lei: z
    .string()
    .regex(/^[A-Z0-9]{18}[0-9]{2}$/, 'an LEI is 20 characters: 18 letters or digits then 2 check digits')
    .nullable()
    .optional(),
  cik: z
    .string()
    .regex(/^[0-9]{1,10}$/, 'a CIK is 1 to 10 digits')
    .nullable()
    .optional(),
  companyNumber: z
    .string()
    .regex(/^[A-Z0-9]{8}$/i, 'a UK company number is 8 characters')
    .nullable()
    .optional(),
  duns: z
    .string()
    .regex(/^[0-9]{9}$/, 'a DUNS number is 9 digits')
    .nullable()
    .optional(),
});

export const createVendorSchema = z.strictObject({
  name: trimmed(200),
  legalName: optionalText(300),
  website: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable()
    .optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as US')
    .nullable()
    .optional(),
  /** Internal notes about the vendor: never shown to the vendor's contacts. */
  description: optionalText(4000),
  /** What the vendor's contacts see about the relationship (their home page); everything else here is internal. */
  sharedSummary: optionalText(2000),
  lifecycle: z.enum(LIFECYCLES).default('prospect'),
  ownerId: uuidSchema.nullable().optional(),
  identifiers: identifiersSchema.default({}),
  intake: tierIntakeSchema,
});
export type CreateVendorInput = z.infer<typeof createVendorSchema>;

export const updateVendorSchema = z.strictObject({
  name: trimmed(200).optional(),
  legalName: optionalText(300),
  website: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable()
    .optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .nullable()
    .optional(),
  /** Internal notes about the vendor: never shown to the vendor's contacts. */
  description: optionalText(4000),
  /** Shown to the vendor's contacts. */
  sharedSummary: optionalText(2000),
  lifecycle: z.enum(LIFECYCLES).optional(),
  ownerId: uuidSchema.nullable().optional(),
  identifiers: identifiersSchema.optional(),
  intake: tierIntakeSchema.optional(),
  /** Optimistic concurrency: the version the client last read. */
  version: z.number().int().min(1).optional(),
});
export type UpdateVendorInput = z.infer<typeof updateVendorSchema>;

export const tierOverrideSchema = z.strictObject({
  tier: z.enum(TIERS),
  reason: z.string().trim().min(10, 'explain the override in at least 10 characters').max(2000),
});

export const vendorListQuery = z.strictObject({
  ...paginationQuery,
  search: z.string().trim().max(200).optional(),
  tier: z.enum(TIERS).optional(),
  lifecycle: z.enum(LIFECYCLES).optional(),
  kind: z.enum(SERVICE_KINDS).optional(),
  ownerId: uuidSchema.optional(),
  sort: sortSchema(['name', 'tier', 'lifecycle', 'createdAt', 'updatedAt'] as const, 'name'),
});

export const tierReasonSchema = z.object({ factor: z.string(), value: z.string(), points: z.number() });
export type TierReason = z.output<typeof tierReasonSchema>;

export const vendorSummarySchema = z.object({
  id: entityId,
  name: z.string(),
  slug: z.string(),
  legalName: z.string().nullable(),
  country: z.string().nullable(),
  lifecycle: z.enum(LIFECYCLES),
  tier: z.enum(TIERS),
  computedTier: z.enum(TIERS),
  tierOverridden: z.boolean(),
  ownerId: entityId.nullable(),
  ownerName: z.string().nullable(),
  serviceKinds: z.array(z.enum(SERVICE_KINDS)),
  serviceCount: count,
  updatedAt: timestamp,
});
export type VendorSummary = z.output<typeof vendorSummarySchema>;

/** Fields of the full vendor detail that only internal users see (the vendor profile has none of them). */
export const VENDOR_INTERNAL_FIELDS = [
  'description',
  'intake',
  'tier',
  'computedTier',
  'tierOverridden',
  'tierScore',
  'tierReasons',
  'tierOverride',
  'ownerId',
  'ownerName',
  'allowedLifecycleTransitions',
  'version',
  'dependencies',
] as const;

export const contactSchema = z.strictObject({
  name: trimmed(200),
  email: z.email().max(320),
  title: optionalText(200),
  phone: optionalText(50),
  isPrimary: z.boolean().default(false),
});
export const updateContactSchema = contactSchema.partial();
export const contactViewSchema = z.object({
  id: entityId,
  vendorId: entityId,
  name: z.string(),
  email: z.string(),
  title: z.string().nullable(),
  phone: z.string().nullable(),
  isPrimary: z.boolean(),
  hasPortalAccess: z.boolean(),
});
export type ContactView = z.output<typeof contactViewSchema>;

export const aiModelSchema = z.strictObject({
  model: trimmed(200),
  version: trimmed(100),
  deprecationDate: z.iso.date().nullable().optional(),
});
export type AiModel = z.infer<typeof aiModelSchema>;

const regionSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/i, 'a region code such as eu-west-1');

export const createServiceSchema = z.strictObject({
  vendorId: uuidSchema,
  name: trimmed(200),
  kind: z.enum(SERVICE_KINDS),
  description: optionalText(4000),
  regions: z.array(regionSchema).max(100).default([]),
  models: z.array(aiModelSchema).max(200).default([]),
});
export type CreateServiceInput = z.infer<typeof createServiceSchema>;
export const updateServiceSchema = z.strictObject({
  name: trimmed(200).optional(),
  kind: z.enum(SERVICE_KINDS).optional(),
  description: optionalText(4000),
  regions: z.array(regionSchema).max(100).optional(),
  models: z.array(aiModelSchema).max(200).optional(),
});
export const serviceListQuery = z.strictObject({
  ...paginationQuery,
  vendorId: uuidSchema.optional(),
  kind: z.enum(SERVICE_KINDS).optional(),
  search: z.string().trim().max(200).optional(),
  sort: sortSchema(['name', 'kind', 'createdAt'] as const, 'name'),
});

export const subcontractorLinkSchema = z.strictObject({
  serviceId: uuidSchema,
  subServiceId: uuidSchema,
  description: optionalText(1000),
});
export const subcontractorLinkViewSchema = z.object({
  id: entityId,
  serviceId: entityId,
  subServiceId: entityId,
  subServiceName: z.string(),
  subVendorId: entityId,
  subVendorName: z.string(),
  description: z.string().nullable(),
});
export type SubcontractorLinkView = z.output<typeof subcontractorLinkViewSchema>;

/** An AI model version as stored with its service. */
export const aiModelViewSchema = z.object({ model: z.string(), version: z.string(), deprecationDate: isoDate.nullable().optional() });

export const serviceViewSchema = z.object({
  id: entityId,
  vendorId: entityId,
  vendorName: z.string(),
  name: z.string(),
  kind: z.enum(SERVICE_KINDS),
  description: z.string().nullable(),
  regions: z.array(z.string()),
  models: z.array(aiModelViewSchema),
  runsOn: z.array(subcontractorLinkViewSchema),
});
export type ServiceView = z.output<typeof serviceViewSchema>;

/**
 * A service as the vendor's own contacts see it (`GET /api/services[/:id]` and the vendor profile): what it is,
 * where it runs and its models, without the organization's notes (the service's and its subcontractor links'
 * `description`).
 */
export const vendorServiceViewSchema = z.object({
  id: entityId,
  vendorId: entityId,
  vendorName: z.string(),
  name: z.string(),
  kind: z.enum(SERVICE_KINDS),
  regions: z.array(z.string()),
  models: z.array(aiModelViewSchema),
  runsOn: z.array(
    z.object({
      id: entityId,
      serviceId: entityId,
      subServiceId: entityId,
      subServiceName: z.string(),
      subVendorId: entityId,
      subVendorName: z.string(),
    }),
  ),
});
export type VendorServiceView = z.output<typeof vendorServiceViewSchema>;

/** A service for internal users, or the vendor-facing view for the vendor's contacts. */
export const anyServiceViewSchema = z.union([serviceViewSchema, vendorServiceViewSchema]);

export const createSystemSchema = z.strictObject({
  name: trimmed(200),
  description: optionalText(4000),
  ownerName: optionalText(200),
  riskClass: z.enum(RISK_CLASSES),
  isAiSystem: z.boolean().default(true),
  criticality: z.enum(CRITICALITIES),
  requiredRtoMinutes: z.number().int().min(0).max(525600),
  requiredRpoMinutes: z.number().int().min(0).max(525600),
});
export type CreateSystemInput = z.infer<typeof createSystemSchema>;
export const updateSystemSchema = createSystemSchema.partial();
export const systemListQuery = z.strictObject({
  ...paginationQuery,
  search: z.string().trim().max(200).optional(),
  riskClass: z.enum(RISK_CLASSES).optional(),
  criticality: z.enum(CRITICALITIES).optional(),
  sort: sortSchema(['name', 'criticality', 'riskClass', 'requiredRtoMinutes'] as const, 'name'),
});
export const systemViewSchema = z.object({
  id: entityId,
  name: z.string(),
  description: z.string().nullable(),
  ownerName: z.string().nullable(),
  riskClass: z.enum(RISK_CLASSES),
  isAiSystem: z.boolean(),
  criticality: z.enum(CRITICALITIES),
  requiredRtoMinutes: count,
  requiredRpoMinutes: count,
  dependencyCount: count,
  singlePointsOfFailure: count,
});
export type SystemView = z.output<typeof systemViewSchema>;

export const contingencyPlanSchema = z.strictObject({
  steps: z.array(z.string().trim().min(1).max(1000)).max(50).default([]),
  expectedSwitchMinutes: z.number().int().min(0).max(525600).nullable().optional(),
  dataPortability: z.enum(['full', 'partial', 'none', 'unknown']).default('unknown'),
});
export const createDependencySchema = z.strictObject({
  systemId: uuidSchema,
  serviceId: uuidSchema,
  criticality: z.enum(CRITICALITIES),
  alternativeServiceId: uuidSchema.nullable().optional(),
  contingencyPlan: contingencyPlanSchema.nullable().optional(),
  notes: optionalText(4000),
});
export type CreateDependencyInput = z.infer<typeof createDependencySchema>;
export const updateDependencySchema = z.strictObject({
  criticality: z.enum(CRITICALITIES).optional(),
  alternativeServiceId: uuidSchema.nullable().optional(),
  contingencyPlan: contingencyPlanSchema.nullable().optional(),
  notes: optionalText(4000),
});
export const dependencyListQuery = z.strictObject({
  ...paginationQuery,
  systemId: uuidSchema.optional(),
  serviceId: uuidSchema.optional(),
  vendorId: uuidSchema.optional(),
  criticality: z.enum(CRITICALITIES).optional(),
  /** Default: the newest first. */
  sort: sortSchema(['createdAt', 'criticality', 'systemName', 'serviceName', 'vendorName'] as const, '-createdAt'),
});
/** A contingency plan as stored (`contingencyPlanSchema` with its defaults applied). */
export const contingencyPlanViewSchema = z.object({
  steps: z.array(z.string()),
  expectedSwitchMinutes: count.nullable().optional(),
  dataPortability: z.enum(['full', 'partial', 'none', 'unknown']),
});

export const dependencyViewSchema = z.object({
  id: entityId,
  systemId: entityId,
  systemName: z.string(),
  serviceId: entityId,
  serviceName: z.string(),
  vendorId: entityId,
  vendorName: z.string(),
  criticality: z.enum(CRITICALITIES),
  alternativeServiceId: entityId.nullable(),
  alternativeServiceName: z.string().nullable(),
  contingencyPlan: contingencyPlanViewSchema.nullable(),
  notes: z.string().nullable(),
  singlePointOfFailure: z.boolean(),
});
export type DependencyView = z.output<typeof dependencyViewSchema>;

/** A system with the dependencies it has (`GET /api/systems/:id`). */
export const systemDetailSchema = systemViewSchema.extend({ dependencies: z.array(dependencyViewSchema) });
export type SystemDetail = z.output<typeof systemDetailSchema>;

export const MAP_NODE_TYPES = ['system', 'service', 'vendor', 'fourth_party'] as const;
export type MapNodeType = (typeof MAP_NODE_TYPES)[number];
export const mapNodeSchema = z.object({
  id: z.string(),
  type: z.enum(MAP_NODE_TYPES),
  label: z.string(),
  entityId: entityId,
  tier: z.enum(TIERS).optional(),
  criticality: z.enum(CRITICALITIES).optional(),
  kind: z.enum(SERVICE_KINDS).optional(),
  singlePointOfFailure: z.boolean(),
});
export type MapNode = z.output<typeof mapNodeSchema>;
export const mapEdgeSchema = z.object({
  id: z.string(),
  source: z.string(),
  target: z.string(),
  type: z.enum(['depends_on', 'provided_by', 'runs_on', 'alternative']),
  criticality: z.enum(CRITICALITIES).optional(),
  singlePointOfFailure: z.boolean(),
});
export type MapEdge = z.output<typeof mapEdgeSchema>;
export const dependencyMapSchema = z.object({ nodes: z.array(mapNodeSchema), edges: z.array(mapEdgeSchema) });
export type DependencyMap = z.output<typeof dependencyMapSchema>;

export const singlePointOfFailureSchema = z.object({
  dependencyId: entityId,
  systemId: entityId,
  systemName: z.string(),
  serviceId: entityId,
  serviceName: z.string(),
  vendorId: entityId,
  vendorName: z.string(),
  criticality: z.enum(CRITICALITIES),
  reason: z.string(),
});
export type SinglePointOfFailure = z.output<typeof singlePointOfFailureSchema>;

export const concentrationEntrySchema = z.object({
  key: z.string(),
  label: z.string(),
  /** Distinct internal systems relying on this key (for fourth parties: directly or through a subcontracted service). */
  systems: count,
  criticalSystems: count,
  /** Share of all critical systems, 0..1. */
  criticalShare: z.number().min(0).max(1),
  systemNames: z.array(z.string()),
});
export type ConcentrationEntry = z.output<typeof concentrationEntrySchema>;
export const concentrationReportSchema = z.object({
  totalSystems: count,
  totalCriticalSystems: count,
  byVendor: z.array(concentrationEntrySchema),
  byFourthParty: z.array(concentrationEntrySchema),
  byRegion: z.array(concentrationEntrySchema),
});
export type ConcentrationReport = z.output<typeof concentrationReportSchema>;

export const importRowErrorSchema = z.object({ row: z.number().int(), field: z.string(), message: z.string() });
export type ImportRowError = z.output<typeof importRowErrorSchema>;
export const importResultSchema = z.object({
  ok: z.boolean(),
  dryRun: z.boolean(),
  created: count,
  errors: z.array(importRowErrorSchema),
});
export type ImportResult = z.output<typeof importResultSchema>;

const identifiersViewSchema = z.object({
  lei: z.string().nullable(),
  cik: z.string().nullable(),
  companyNumber: z.string().nullable(),
  duns: z.string().nullable(),
});

/**
 * What a vendor contact sees of their own vendor (GET /api/vendors/:id as a vendor contact): the
 * profile, services and contacts. None of the organization's assessment: no intake answers, tier,
 * score or reasons, override, owner, or internal systems that depend on the vendor; no internal notes
 * (`description`, the services' descriptions), only the `sharedSummary` written for the vendor.
 */
export const vendorProfileSchema = z.object({
  view: z.literal('profile'),
  id: entityId,
  name: z.string(),
  slug: z.string(),
  legalName: z.string().nullable(),
  website: z.string().nullable(),
  country: z.string().nullable(),
  /** Written by the organization for the vendor to read. */
  sharedSummary: z.string().nullable(),
  lifecycle: z.enum(LIFECYCLES),
  identifiers: identifiersViewSchema,
  serviceKinds: z.array(z.enum(SERVICE_KINDS)),
  serviceCount: count,
  createdAt: timestamp,
  updatedAt: timestamp,
  services: z.array(vendorServiceViewSchema),
  contacts: z.array(contactViewSchema),
});
export type VendorProfile = z.output<typeof vendorProfileSchema>;

/** The tier-intake answers as stored (`tierIntakeSchema` with its defaults applied). */
export const tierIntakeViewSchema = z.object({
  servedCriticality: z.enum(CRITICALITIES),
  dataSensitivity: z.enum(DATA_SENSITIVITIES),
  aiModelProvider: z.boolean(),
  substitutability: z.enum(SUBSTITUTABILITIES),
  financialHealth: z.enum(FINANCIAL_HEALTH),
});

export const vendorDetailSchema = vendorSummarySchema.extend({
  view: z.literal('full'),
  website: z.string().nullable(),
  /** Internal notes: never in the vendor's profile. */
  description: z.string().nullable(),
  /** Shown to the vendor's contacts (their profile's `sharedSummary`). */
  sharedSummary: z.string().nullable(),
  identifiers: identifiersViewSchema,
  intake: tierIntakeViewSchema,
  tierScore: z.number(),
  tierReasons: z.array(tierReasonSchema),
  tierOverride: z.object({ tier: z.enum(TIERS), reason: z.string(), by: z.string().nullable(), at: timestamp }).nullable(),
  allowedLifecycleTransitions: z.array(z.enum(LIFECYCLES)),
  version: z.number().int().min(1),
  createdAt: timestamp,
  services: z.array(serviceViewSchema),
  contacts: z.array(contactViewSchema),
  dependencies: z.array(dependencyViewSchema),
});
export type VendorDetail = z.output<typeof vendorDetailSchema>;

/** `GET /api/vendors/:id`: the full detail for internal users, the profile for the vendor's own contacts. */
export const vendorViewSchema = z.discriminatedUnion('view', [vendorDetailSchema, vendorProfileSchema]);
