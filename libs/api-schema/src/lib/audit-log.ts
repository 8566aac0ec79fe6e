import { z } from 'zod';

import { paginationQuery, sortSchema, uuidSchema } from './common.js';

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

export interface AuditEntryView {
  id: string;
  seq: number;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  diff: Record<string, unknown> | null;
  hash: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  firstBroken: { seq: number; id: string; reason: string } | null;
}
