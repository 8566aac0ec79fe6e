import { z } from 'zod';

import { paginationQuery, sortSchema, uuidSchema } from './common.js';

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

export interface AuditEntryView {
  id: string;
  seq: number;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  /** The record's current name (null when it has none, or no longer exists). */
  entityName: string | null;
  diff: Record<string, unknown> | null;
  hash: string;
}

/**
 * What the verifier found: `ok`; `tampered`: an entry (`firstBroken`) or the anchor does not match its
 * hash or MAC; `truncated`: the log ends before the entry the anchor kept outside the database records, or
 * no longer holds it; `deleted`: no entry is left though the anchor records some.
 */
export type AuditVerifyStatus = 'ok' | 'tampered' | 'truncated' | 'deleted';

export interface AuditVerifyResult {
  status: AuditVerifyStatus;
  /** `status === 'ok'`. */
  ok: boolean;
  /** Entries that verified before the verifier stopped. */
  checked: number;
  /** How many entries the anchor records (the log holds at least as many); null while there is no anchor. */
  expected: number | null;
  firstBroken: { seq: number; id: string; reason: string } | null;
  /** One sentence for people. */
  detail: string;
}
