import { z } from 'zod';

import { count, entityId, isoDate, paginationQuery, text, timestamp, uuidSchema } from './common.js';

/** What a piece of evidence is (issue 10): reports, certificates, plans, policies… */
export const EVIDENCE_KINDS = [
  'soc2_type2',
  'soc2_type1',
  'iso27001_certificate',
  'iso22301_certificate',
  'iso42001_certificate',
  'pen_test',
  'dr_test_report',
  'bcp_plan',
  'policy',
  'insurance',
  'financial_statement',
  'contract',
  'other',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** Who may read it beyond the vendor and the organization: a label the portal shows (access itself is by role and vendor). */
export const EVIDENCE_CONFIDENTIALITY = ['public', 'confidential', 'restricted'] as const;
export type EvidenceConfidentiality = (typeof EVIDENCE_CONFIDENTIALITY)[number];

/**
 * Derived at read time from the current revision's valid-until: `expired` after it, `expiring` within
 * 30 days (the day itself included), `valid` before that, `no_expiry` without one.
 */
export const EVIDENCE_STATUSES = ['valid', 'expiring', 'expired', 'no_expiry'] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];
export const EVIDENCE_EXPIRING_DAYS = 30;

/** `not_scanned`: no malware scanner is configured (CLAMAV_URL unset); `clean`: the scanner found nothing. Infected files are refused. */
export const SCAN_STATUSES = ['not_scanned', 'clean'] as const;
/** `failed`: a download found the stored bytes no longer match their SHA-256 (the file was altered or lost). */
export const INTEGRITY_STATUSES = ['ok', 'failed'] as const;

/** What an evidence revision can be linked to; areas add theirs as they are built (findings, questionnaire answers…). */
export const EVIDENCE_TARGET_TYPES = ['contract', 'finding', 'questionnaire_answer', 'audit_item', 'joint_test'] as const;
export type EvidenceTargetType = (typeof EVIDENCE_TARGET_TYPES)[number];

const dateField = (what: string) => isoDate.optional().describe(what);

/**
 * The form fields of `POST /api/evidence` (multipart/form-data, sent before the `file` part). Strict:
 * an unknown field is refused.
 */
export const evidenceUploadFields = z
  .strictObject({
    vendorId: uuidSchema,
    kind: z.enum(EVIDENCE_KINDS),
    title: text(200).min(1),
    confidentiality: z.enum(EVIDENCE_CONFIDENTIALITY).default('confidential'),
    effectiveDate: dateField('The date the evidence speaks for (a report period end, an issue date).'),
    validFrom: dateField('First day it is valid.'),
    validUntil: dateField('Last day it is valid (a certificate expiry); drives the expiry status and reminders.'),
  })
  .refine((v) => !v.validFrom || !v.validUntil || v.validFrom <= v.validUntil, {
    path: ['validUntil'],
    message: 'must not be before validFrom',
  });

/** The form fields of `POST /api/evidence/:id/revisions` (the new revision's dates). */
export const evidenceRevisionFields = z
  .strictObject({
    effectiveDate: dateField('The date the evidence speaks for.'),
    validFrom: dateField('First day it is valid.'),
    validUntil: dateField('Last day it is valid.'),
  })
  .refine((v) => !v.validFrom || !v.validUntil || v.validFrom <= v.validUntil, {
    path: ['validUntil'],
    message: 'must not be before validFrom',
  });

export const evidenceListQuery = z.strictObject({
  ...paginationQuery,
  vendorId: uuidSchema.optional(),
  kind: z.enum(EVIDENCE_KINDS).optional(),
  status: z.enum(EVIDENCE_STATUSES).optional(),
  /** Only evidence whose current revision's valid-until is within this many days from today (expired excluded). */
  expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
  targetType: z.enum(EVIDENCE_TARGET_TYPES).optional(),
  targetId: uuidSchema.optional(),
  /** Text search: the title or a revision's file name (case-insensitive, anywhere). */
  search: z.string().trim().max(200).optional(),
});

export const evidenceLinkBody = z.strictObject({
  targetType: z.enum(EVIDENCE_TARGET_TYPES),
  targetId: uuidSchema,
  /** The revision linked; the current one when left out. */
  revisionId: uuidSchema.optional(),
});

export const evidenceRevisionViewSchema = z.object({
  id: entityId,
  number: z.number().int().min(1),
  fileName: z.string(),
  /** Detected from the content (magic bytes), not from the name or the declared type. */
  mediaType: z.string(),
  sizeBytes: count,
  /** Hex SHA-256 of the stored bytes, verified before every download. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  scan: z.enum(SCAN_STATUSES),
  integrity: z.enum(INTEGRITY_STATUSES),
  effectiveDate: isoDate.nullable(),
  validFrom: isoDate.nullable(),
  validUntil: isoDate.nullable(),
  uploadedBy: z.object({ id: entityId, name: z.string() }).nullable(),
  uploadedAt: timestamp,
  /** Whether a later revision replaced it (it stays downloadable). */
  superseded: z.boolean(),
});
export type EvidenceRevisionView = z.output<typeof evidenceRevisionViewSchema>;

export const evidenceLinkViewSchema = z.object({
  id: entityId,
  revisionId: entityId,
  targetType: z.enum(EVIDENCE_TARGET_TYPES),
  targetId: entityId,
  /** The target's name (a contract's title). */
  targetLabel: z.string(),
  createdAt: timestamp,
});
export type EvidenceLinkView = z.output<typeof evidenceLinkViewSchema>;

export const evidenceViewSchema = z.object({
  id: entityId,
  vendorId: entityId,
  vendorName: z.string(),
  title: z.string(),
  kind: z.enum(EVIDENCE_KINDS),
  confidentiality: z.enum(EVIDENCE_CONFIDENTIALITY),
  owner: z.object({ id: entityId, name: z.string() }).nullable(),
  status: z.enum(EVIDENCE_STATUSES),
  /** The current revision's valid-until. */
  validUntil: isoDate.nullable(),
  /** `failed` when any revision failed its hash check on download. */
  integrity: z.enum(INTEGRITY_STATUSES),
  current: evidenceRevisionViewSchema,
  /** Every revision, newest first. */
  revisions: z.array(evidenceRevisionViewSchema),
  links: z.array(evidenceLinkViewSchema),
  createdAt: timestamp,
});
export type EvidenceView = z.output<typeof evidenceViewSchema>;
