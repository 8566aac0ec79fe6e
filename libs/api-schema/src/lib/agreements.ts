import { z } from 'zod';

import { count, entityId, isoDate, paginationQuery, text, timestamp, uuidSchema } from './common.js';
import { INTEGRITY_STATUSES, SCAN_STATUSES } from './evidence.js';

/** Contracts, their clauses and documents: the agreements area's API shapes. */
export const CONTRACT_STATUSES = ['draft', 'active', 'expired', 'terminated'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export const rightToAuditSchema = z.strictObject({
  scope: text(2000).default(''),
  noticeDays: z.number().int().min(0).max(365).default(30),
  /** How the notice days are counted: every day, or working days (Saturdays and Sundays skipped) in the organization's time zone. */
  noticeBasis: z.enum(['calendar', 'business']).default('calendar'),
  auditsPer12Months: z.number().int().min(0).max(52).default(1),
  mode: z.enum(['remote', 'on_site', 'either']).default('either'),
  costBearer: z.enum(['customer', 'vendor', 'shared']).default('customer'),
  regulatorAccess: z.boolean().default(true),
});

export const clausesSchema = z.strictObject({
  rightToAudit: rightToAuditSchema.nullable().default(null),
  breachNotificationHours: z.number().int().min(0).max(8760).nullable().default(null),
  dataIntegrity: text(4000).nullable().default(null),
  encryption: text(4000).nullable().default(null),
  accessControl: text(4000).nullable().default(null),
  exitAssistance: z
    .strictObject({ months: z.number().int().min(0).max(60), dataReturnFormat: text(500).default(''), included: z.boolean().default(true) })
    .nullable()
    .default(null),
});
export type ContractClauses = z.infer<typeof clausesSchema>;

/**
 * The fee of each covered service, per year in the contract's currency (null: not recorded). The credit base of an
 * SLA window is the fees of the services the SLA covers, so a service named here must be one the contract covers.
 */
export const serviceFeesSchema = z
  .array(z.strictObject({ serviceId: uuidSchema, annualFee: z.number().min(0).max(1e12).nullable() }))
  .max(100);

export const createContractSchema = z
  .strictObject({
    vendorId: uuidSchema,
    title: z.string().trim().min(1).max(300),
    reference: text(100).nullable().optional(),
    status: z.enum(CONTRACT_STATUSES).default('draft'),
    effectiveDate: isoDate,
    expiryDate: isoDate.nullable().optional(),
    renewalNoticeDays: z.number().int().min(0).max(730).default(90),
    annualValue: z.number().min(0).max(1e12).nullable().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
      .default('USD'),
    serviceIds: z.array(uuidSchema).max(100).default([]),
    serviceFees: serviceFeesSchema.optional(),
    clauses: clausesSchema.default({
      rightToAudit: null,
      breachNotificationHours: null,
      dataIntegrity: null,
      encryption: null,
      accessControl: null,
      exitAssistance: null,
    }),
  })
  .refine((c) => !c.expiryDate || c.expiryDate > c.effectiveDate, { message: 'must be after the effective date', path: ['expiryDate'] });
export type CreateContractInput = z.infer<typeof createContractSchema>;

export const updateContractSchema = z.strictObject({
  title: z.string().trim().min(1).max(300).optional(),
  reference: text(100).nullable().optional(),
  status: z.enum(CONTRACT_STATUSES).optional(),
  effectiveDate: isoDate.optional(),
  expiryDate: isoDate.nullable().optional(),
  renewalNoticeDays: z.number().int().min(0).max(730).optional(),
  annualValue: z.number().min(0).max(1e12).nullable().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  serviceIds: z.array(uuidSchema).max(100).optional(),
  /** Fees of covered services to set; services not named keep theirs. */
  serviceFees: serviceFeesSchema.optional(),
  clauses: clausesSchema.optional(),
  version: z.number().int().min(1).optional(),
});

/** `?name=` of a contract document upload: the file name it is stored and downloaded under. */
export const documentUploadQuery = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .refine((v) => !/[\\/]/.test(v), 'a file name without slashes, at most 255 characters')
    // Checked by the upload after the contract is found, so another organization's contract is a 404 first.
    .optional(),
});

export const contractListQuery = z.strictObject({
  ...paginationQuery,
  /** Text in the title, the reference or the vendor's name. */
  search: z.string().trim().max(200).optional(),
  vendorId: uuidSchema.optional(),
  status: z.enum(CONTRACT_STATUSES).optional(),
  expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
});

/** The clauses as stored (`clausesSchema` with its defaults applied). */
export const clausesViewSchema = z.object({
  rightToAudit: z
    .object({
      scope: z.string(),
      noticeDays: count,
      noticeBasis: z.enum(['calendar', 'business']),
      auditsPer12Months: count,
      mode: z.enum(['remote', 'on_site', 'either']),
      costBearer: z.enum(['customer', 'vendor', 'shared']),
      regulatorAccess: z.boolean(),
    })
    .nullable(),
  breachNotificationHours: count.nullable(),
  dataIntegrity: z.string().nullable(),
  encryption: z.string().nullable(),
  accessControl: z.string().nullable(),
  exitAssistance: z.object({ months: count, dataReturnFormat: z.string(), included: z.boolean() }).nullable(),
});

export const contractViewSchema = z.object({
  id: entityId,
  vendorId: entityId,
  vendorName: z.string(),
  title: z.string(),
  reference: z.string().nullable(),
  status: z.enum(CONTRACT_STATUSES),
  effectiveDate: isoDate,
  expiryDate: isoDate.nullable(),
  renewalNoticeDays: count,
  /** The last day to give notice of non-renewal (expiry − notice days), if the contract expires. */
  renewalNoticeDate: isoDate.nullable(),
  annualValue: z.number().nullable(),
  currency: z.string(),
  /** The covered services, each with its fee per year (null: not recorded), the credit base of the SLAs covering it. */
  services: z.array(z.object({ id: entityId, name: z.string(), annualFee: z.number().min(0).nullable() })),
  clauses: clausesViewSchema,
  slaCount: count,
  version: z.number().int().min(1),
});
export type ContractView = z.output<typeof contractViewSchema>;

/**
 * A file attached to a contract (`GET /api/contracts/:id/documents`), newest first: a revision of an evidence
 * item of kind `contract` linked to the contract (docs/adr/0014-contract-documents-are-evidence.md).
 */
export const contractDocumentViewSchema = z.object({
  /** The evidence revision holding the file; `GET /api/contracts/:id/documents/:id` downloads it. Migrated documents kept their id. */
  id: entityId,
  /** The evidence item (kind `contract`) in the vault: `/api/evidence/:evidenceId`. */
  evidenceId: entityId,
  title: z.string(),
  fileName: z.string(),
  /** The media type detected from the content on upload (a migrated document: its declared type if the vault accepts that type, else application/octet-stream). */
  contentType: z.string(),
  sizeBytes: count,
  /** Hex SHA-256 of the stored bytes, verified by the API before every download. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** `not_scanned` without a malware scanner (and for documents uploaded before the vault); `clean` when scanned. */
  scan: z.enum(SCAN_STATUSES),
  /** `failed` once a download found the stored bytes altered. */
  integrity: z.enum(INTEGRITY_STATUSES),
  uploadedBy: z.object({ id: entityId, name: z.string() }).nullable(),
  uploadedAt: timestamp,
});
export type ContractDocumentView = z.output<typeof contractDocumentViewSchema>;
