import { z } from 'zod';

import { count, entityId, paginationQuery, sortSchema, timestamp, uuidSchema } from './common.js';

export const auditLogQuery = z.strictObject({
  ...paginationQuery,
  entityType: z.string().trim().max(100).optional(),
  entityId: uuidSchema.optional(),
  action: z.string().trim().max(100).optional(),
  actorId: uuidSchema.optional(),
  /** `true` leaves out sign-ins, sign-outs and password changes (`auth.*`). */
  hideSignIns: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  /** Default: the latest entry first. The CSV export is always in sequence order. */
  sort: sortSchema(['seq', 'at', 'action', 'entityType', 'actorEmail'] as const, '-seq'),
});
export type AuditLogQuery = z.infer<typeof auditLogQuery>;

export const auditEntryViewSchema = z.object({
  id: entityId,
  seq: z.number().int().min(1),
  at: timestamp,
  actorId: entityId.nullable(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: entityId.nullable(),
  /** The record's current name (null when it has none, or no longer exists). */
  entityName: z.string().nullable(),
  diff: z.record(z.string(), z.unknown()).nullable(),
  hash: z.string(),
});
export type AuditEntryView = z.output<typeof auditEntryViewSchema>;

/**
 * What the verifier found: `ok`; `tampered`: an entry (`firstBroken`) or the anchor does not match its
 * hash or MAC; `truncated`: the log ends before the entry the anchor kept outside the database records, or
 * no longer holds it; `deleted`: no entry is left though the anchor records some.
 */
export const AUDIT_VERIFY_STATUSES = ['ok', 'tampered', 'truncated', 'deleted'] as const;
export type AuditVerifyStatus = (typeof AUDIT_VERIFY_STATUSES)[number];

export const auditVerifyResultSchema = z.object({
  status: z.enum(AUDIT_VERIFY_STATUSES),
  /** `status === 'ok'`. */
  ok: z.boolean(),
  /** Entries that verified before the verifier stopped. */
  checked: count,
  /** How many entries the anchor records (the log holds at least as many); null while there is no anchor. */
  expected: count.nullable(),
  firstBroken: z.object({ seq: z.number().int(), id: entityId, reason: z.string() }).nullable(),
  /** One sentence for people. */
  detail: z.string(),
});
export type AuditVerifyResult = z.output<typeof auditVerifyResultSchema>;
