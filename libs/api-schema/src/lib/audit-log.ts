import { z } from 'zod';

import { count, entityId, paginationQuery, sortSchema, timestamp, uuidSchema } from './common.js';

export const auditLogQuery = z.strictObject({
  ...paginationQuery,
  entityType: z.string().trim().max(100).optional(),
  entityId: uuidSchema.optional(),
  action: z.string().trim().max(100).optional(),
  actorId: uuidSchema.optional(),
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
  diff: z.record(z.string(), z.unknown()).nullable(),
  hash: z.string(),
});
export type AuditEntryView = z.output<typeof auditEntryViewSchema>;

export const auditVerifyResultSchema = z.object({
  ok: z.boolean(),
  checked: count,
  firstBroken: z.object({ seq: z.number().int(), id: entityId, reason: z.string() }).nullable(),
});
export type AuditVerifyResult = z.output<typeof auditVerifyResultSchema>;
