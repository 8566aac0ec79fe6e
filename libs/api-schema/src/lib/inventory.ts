import { z } from 'zod';

import { paginationQuery, sortSchema, uuidSchema } from './common.js';

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
  description: optionalText(4000),
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
  description: optionalText(4000),
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

export interface TierReason {
  factor: string;
  value: string;
  points: number;
}

export interface VendorSummary {
  id: string;
  name: string;
  slug: string;
  legalName: string | null;
  country: string | null;
  lifecycle: Lifecycle;
  tier: Tier;
  computedTier: Tier;
  tierOverridden: boolean;
  ownerId: string | null;
  ownerName: string | null;
  serviceKinds: ServiceKind[];
  serviceCount: number;
  updatedAt: string;
}

/**
 * What a vendor contact sees of their own vendor (GET /api/vendors/:id as a vendor contact): the
 * profile, services and contacts. None of the organization's assessment: no intake answers, tier,
 * score or reasons, override, owner, or internal systems that depend on the vendor.
 */
export interface VendorProfile {
  view: 'profile';
  id: string;
  name: string;
  slug: string;
  legalName: string | null;
  website: string | null;
  country: string | null;
  description: string | null;
  lifecycle: Lifecycle;
  identifiers: { lei: string | null; cik: string | null; companyNumber: string | null; duns: string | null };
  serviceKinds: ServiceKind[];
  serviceCount: number;
  createdAt: string;
  updatedAt: string;
  services: ServiceView[];
  contacts: ContactView[];
}

/** Fields of the full vendor detail that only internal users see. */
export const VENDOR_INTERNAL_FIELDS = [
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

export interface VendorDetail extends VendorSummary {
  view: 'full';
  website: string | null;
  description: string | null;
  identifiers: { lei: string | null; cik: string | null; companyNumber: string | null; duns: string | null };
  intake: TierIntake;
  tierScore: number;
  tierReasons: TierReason[];
  tierOverride: { tier: Tier; reason: string; by: string | null; at: string } | null;
  allowedLifecycleTransitions: Lifecycle[];
  version: number;
  createdAt: string;
  services: ServiceView[];
  contacts: ContactView[];
  dependencies: DependencyView[];
}

export const contactSchema = z.strictObject({
  name: trimmed(200),
  email: z.email().max(320),
  title: optionalText(200),
  phone: optionalText(50),
  isPrimary: z.boolean().default(false),
});
export const updateContactSchema = contactSchema.partial();
export interface ContactView {
  id: string;
  vendorId: string;
  name: string;
  email: string;
  title: string | null;
  phone: string | null;
  isPrimary: boolean;
  hasPortalAccess: boolean;
}

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

export interface ServiceView {
  id: string;
  vendorId: string;
  vendorName: string;
  name: string;
  kind: ServiceKind;
  description: string | null;
  regions: string[];
  models: AiModel[];
  runsOn: SubcontractorLinkView[];
}

export const subcontractorLinkSchema = z.strictObject({
  serviceId: uuidSchema,
  subServiceId: uuidSchema,
  description: optionalText(1000),
});
export interface SubcontractorLinkView {
  id: string;
  serviceId: string;
  subServiceId: string;
  subServiceName: string;
  subVendorId: string;
  subVendorName: string;
  description: string | null;
}

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
export interface SystemView {
  id: string;
  name: string;
  description: string | null;
  ownerName: string | null;
  riskClass: RiskClass;
  isAiSystem: boolean;
  criticality: Criticality;
  requiredRtoMinutes: number;
  requiredRpoMinutes: number;
  dependencyCount: number;
  singlePointsOfFailure: number;
}

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
export interface DependencyView {
  id: string;
  systemId: string;
  systemName: string;
  serviceId: string;
  serviceName: string;
  vendorId: string;
  vendorName: string;
  criticality: Criticality;
  alternativeServiceId: string | null;
  alternativeServiceName: string | null;
  contingencyPlan: z.infer<typeof contingencyPlanSchema> | null;
  notes: string | null;
  singlePointOfFailure: boolean;
}

export type MapNodeType = 'system' | 'service' | 'vendor' | 'fourth_party';
export interface MapNode {
  id: string;
  type: MapNodeType;
  label: string;
  entityId: string;
  tier?: Tier;
  criticality?: Criticality;
  kind?: ServiceKind;
  singlePointOfFailure: boolean;
}
export interface MapEdge {
  id: string;
  source: string;
  target: string;
  type: 'depends_on' | 'provided_by' | 'runs_on' | 'alternative';
  criticality?: Criticality;
  singlePointOfFailure: boolean;
}
export interface DependencyMap {
  nodes: MapNode[];
  edges: MapEdge[];
}

export interface SinglePointOfFailure {
  dependencyId: string;
  systemId: string;
  systemName: string;
  serviceId: string;
  serviceName: string;
  vendorId: string;
  vendorName: string;
  criticality: Criticality;
  reason: string;
}

export interface ConcentrationEntry {
  key: string;
  label: string;
  /** Distinct internal systems relying on this key (for fourth parties: directly or through a subcontracted service). */
  systems: number;
  criticalSystems: number;
  /** Share of all critical systems, 0..1. */
  criticalShare: number;
  systemNames: string[];
}
export interface ConcentrationReport {
  totalSystems: number;
  totalCriticalSystems: number;
  byVendor: ConcentrationEntry[];
  byFourthParty: ConcentrationEntry[];
  byRegion: ConcentrationEntry[];
}

export interface ImportRowError {
  row: number;
  field: string;
  message: string;
}
export interface ImportResult {
  ok: boolean;
  dryRun: boolean;
  created: number;
  errors: ImportRowError[];
}
