import { Logger } from '@nestjs/common';

import type { Storage } from '../storage/storage.js';
import { anchorMac, auditKeyId, macEquals, type AnchorFields } from './audit-hash.js';

/** The record kept per organization: what its log held at least, MACed with the audit key. */
export interface AuditAnchor extends AnchorFields {
  version: 1;
  keyId: string;
  mac: string;
}

export type AnchorRead = { state: 'none' } | { state: 'valid'; anchor: AuditAnchor } | { state: 'invalid'; reason: string };

/** The committed entry an anchor moves to, and the MAC of the entry before it (as the appender read it). */
export interface AnchorHead {
  seq: number;
  mac: string;
  prevMac: string;
}

/**
 * The head of each organization's audit log, kept outside the database: a record in file storage (the
 * STORAGE_DIR volume or the S3 bucket) per organization, `audit-anchors/<organization id>.json`, stating
 * "this log holds at least `seq` entries and entry `seq` has MAC `headMac`", MACed with the audit key.
 *
 * Someone who can rewrite the database but not this storage cannot move an anchor back, so deleting
 * the latest entries (or all of them) is found by the verifier. An anchor only ever moves forward, to
 * an entry that has committed, and only when the log still holds the entry it pointed at: a log cut back
 * and written again never drags its anchor along.
 */
export class AuditAnchors {
  private readonly logger = new Logger('AuditAnchors');
  private readonly keyId: string;
  /** Per organization, the last advance queued in this process: they run one after another. */
  private readonly queues = new Map<string, Promise<void>>();
  readonly #key: Buffer;

  constructor(
    private readonly storage: Storage,
    key: Buffer,
  ) {
    this.#key = key;
    this.keyId = auditKeyId(key);
  }

  static recordName(organizationId: string): string {
    if (!/^[0-9a-f-]{36}$/.test(organizationId)) throw new Error('not an organization id');
    return `audit-anchors/${organizationId}.json`;
  }

  /** The organization's anchor, checked against the key. Rejects when the storage cannot be read. */
  async read(organizationId: string): Promise<AnchorRead> {
    const raw = await this.storage.readRecord(AuditAnchors.recordName(organizationId));
    if (!raw) return { state: 'none' };
    let a: Partial<AuditAnchor>;
    try {
      a = JSON.parse(raw.toString('utf8')) as Partial<AuditAnchor>;
    } catch {
      return { state: 'invalid', reason: 'is not readable' };
    }
    if (
      a === null ||
      typeof a !== 'object' ||
      a.version !== 1 ||
      typeof a.organizationId !== 'string' ||
      typeof a.seq !== 'number' ||
      !Number.isSafeInteger(a.seq) ||
      a.seq < 1 ||
      typeof a.headMac !== 'string' ||
      typeof a.writtenAt !== 'string' ||
      typeof a.keyId !== 'string' ||
      typeof a.mac !== 'string'
    )
      return { state: 'invalid', reason: 'is not readable' };
    if (a.organizationId !== organizationId) return { state: 'invalid', reason: 'belongs to another organization' };
    if (a.keyId !== this.keyId) return { state: 'invalid', reason: 'was written with another AUDIT_KEY' };
    const anchor = a as AuditAnchor;
    if (!macEquals(anchor.mac, anchorMac(this.#key, anchor))) return { state: 'invalid', reason: 'does not match its MAC' };
    return { state: 'valid', anchor };
  }

  /**
   * Moves the organization's anchor to `head`, an entry that has committed, unless it is already there or
   * further. `macAt` reads the MAC of an entry from the database. Never rejects: a failure is logged, and the
   * anchor stays where it was (the verifier then checks against that), until a later entry moves it.
   */
  advance(organizationId: string, head: AnchorHead, macAt: (seq: number) => Promise<string | null>): Promise<void> {
    const next = (this.queues.get(organizationId) ?? Promise.resolve())
      .then(() => this.advanceNow(organizationId, head, macAt))
      .catch((err: unknown) =>
        this.logger.error(
          `audit anchor of organization ${organizationId} not moved to entry ${head.seq}: ${(err as Error).message}; it moves with the next entry`,
        ),
      );
    this.queues.set(organizationId, next);
    void next.then(() => {
      if (this.queues.get(organizationId) === next) this.queues.delete(organizationId);
    });
    return next;
  }

  private async advanceNow(organizationId: string, head: AnchorHead, macAt: (seq: number) => Promise<string | null>): Promise<void> {
    const current = await this.read(organizationId);
    if (current.state === 'invalid') {
      // Overwriting it would erase the evidence: the verifier reports it until someone looks.
      this.logger.error(
        `audit anchor of organization ${organizationId} ${current.reason}: left as it is; GET /api/audit-log/verify reports it`,
      );
      return;
    }
    if (current.state === 'valid') {
      const at = current.anchor;
      if (at.seq >= head.seq) return;
      const there = at.seq === head.seq - 1 ? head.prevMac : await macAt(at.seq);
      if (!macEquals(there, at.headMac)) {
        this.logger.error(
          `the audit log of organization ${organizationId} no longer holds the entry its anchor records (${at.seq}): the anchor stays there; GET /api/audit-log/verify reports it`,
        );
        return;
      }
    }
    const fields = { organizationId, seq: head.seq, headMac: head.mac, writtenAt: new Date().toISOString() };
    const anchor: AuditAnchor = { version: 1, ...fields, keyId: this.keyId, mac: anchorMac(this.#key, fields) };
    await this.storage.writeRecord(AuditAnchors.recordName(organizationId), Buffer.from(JSON.stringify(anchor)));
  }
}
