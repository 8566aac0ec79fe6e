import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
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

/** The "previous MAC" of an organization's first keyed entry. */
export const GENESIS_MAC = GENESIS_HASH;

/**
 * HMAC-SHA256 under the audit key of an entry's organization, sequence number and hash, chained through
 * the previous entry's MAC. The hash covers the entry's content and every earlier entry, so without the
 * key no entry can be changed, removed from the middle or renumbered, even with the hash chain recomputed.
 */
export function entryMac(key: Buffer, prevMac: string, e: { organizationId: string; seq: number; hash: string }): string {
  return createHmac('sha256', key).update(`bulwark-audit-entry-v1\n${e.organizationId}\n${e.seq}\n${e.hash}\n${prevMac}`).digest('hex');
}

/** What an anchor states: the organization's log holds at least `seq` entries, the last of them with MAC `headMac`. */
export interface AnchorFields {
  organizationId: string;
  seq: number;
  headMac: string;
  writtenAt: string;
}

/** HMAC-SHA256 under the audit key of an anchor's statement, so nobody without the key can write one. */
export function anchorMac(key: Buffer, a: AnchorFields): string {
  return createHmac('sha256', key)
    .update(`bulwark-audit-anchor-v1\n${a.organizationId}\n${a.seq}\n${a.headMac}\n${a.writtenAt}`)
    .digest('hex');
}

/** A short public name of the key (it reveals nothing of it), so a verifier can tell "another key" from "altered". */
export function auditKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('bulwark-audit-key-id').digest('hex').slice(0, 16);
}

/** Constant-time comparison of two hex MACs. */
export function macEquals(a: string | null | undefined, b: string | null | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
