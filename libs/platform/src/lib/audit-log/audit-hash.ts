import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';

export const GENESIS_HASH = '0'.repeat(64);

export interface HashedFields {
  organizationId: string;
  seq: number;
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  diff: Record<string, unknown> | null;
}

/** sha256(prevHash ‖ canonical JSON of the entry): a change to any earlier entry breaks every later link. */
export function entryHash(prevHash: string, e: HashedFields): string {
  const canonical = stringify({
    organizationId: e.organizationId,
    seq: e.seq,
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorEmail: e.actorEmail,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    diff: e.diff,
  });
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonical ?? '')
    .digest('hex');
}
