import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { AuditEntryView, AuditLogQuery, AuditVerifyResult, Page } from '@bulwark/api-schema';

import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { afterCommit } from '../database/after-commit.js';
import { DomainException } from '../errors/domain.exception.js';
import { InjectStorage, type Storage } from '../storage/storage.js';
import { RequestContext } from '../tenancy/request-context.js';
import { scoped } from '../tenancy/tenant-scope.js';
import { AuditAnchors, type AnchorRead } from './audit-anchor.js';
import { AuditEntityNames } from './audit-entity-names.js';
import { AuditEntry } from './audit-entry.entity.js';
import { entryHash, entryMac, GENESIS_HASH, GENESIS_MAC, macEquals } from './audit-hash.js';

export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  diff?: Record<string, unknown> | null;
}

/** Keys never written to the audit log, whatever entity they come from. */
const SECRET_KEYS = /password|secret|token|hash$/i;

/** A JSON-safe copy of a diff with secrets removed and dates as ISO strings. */
export function sanitizeDiff(diff: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!diff) return null;
  return JSON.parse(JSON.stringify(diff, (key, value: unknown) => (key && SECRET_KEYS.test(key) ? '[redacted]' : value))) as Record<
    string,
    unknown
  >;
}

/** Field-by-field difference of two plain snapshots: `{ field: { from, to } }`. */
export function changes(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = JSON.stringify(before[key] ?? null);
    const b = JSON.stringify(after[key] ?? null);
    if (a !== b) out[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return out;
}

@Injectable()
export class AuditLogService {
  private readonly anchors: AuditAnchors;
  readonly #key: Buffer;

  constructor(
    private readonly dataSource: DataSource,
    @InjectStorage() storage: Storage,
    @InjectConfig() config: AppConfig,
    private readonly names: AuditEntityNames,
  ) {
    this.#key = config.audit.key;
    this.anchors = new AuditAnchors(storage, config.audit.key);
  }

  /**
   * Appends an entry to the organization's hash and MAC chains inside the caller's transaction. The
   * organization row is locked so concurrent writers get consecutive sequence numbers. Once the
   * transaction has committed, the organization's anchor outside the database moves to the entry.
   */
  async append(manager: EntityManager, input: AuditInput): Promise<AuditEntry> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error('AuditLogService.append must run inside a transaction');
    const actor = RequestContext.actor();
    // NO KEY UPDATE serializes appenders without conflicting with the KEY SHARE locks that foreign keys to the organization take.
    await manager.query('SELECT id FROM organizations WHERE id = $1 FOR NO KEY UPDATE', [actor.organizationId]);
    const last = await manager
      .createQueryBuilder(AuditEntry, 'a')
      .select(['a.seq', 'a.hash', 'a.mac'])
      .where('a.organizationId = :org', { org: actor.organizationId })
      .orderBy('a.seq', 'DESC')
      .limit(1)
      .getOne();
    const entry = manager.create(AuditEntry, {
      organizationId: actor.organizationId,
      seq: (last?.seq ?? 0) + 1,
      at: new Date(),
      actorId: actor.userId,
      actorEmail: actor.email,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId ?? null,
      diff: sanitizeDiff(input.diff),
      prevHash: last?.hash ?? GENESIS_HASH,
    });
    entry.hash = entryHash(entry.prevHash, entry);
    // Entries from before the audit key have no MAC: the first keyed one starts the MAC chain and seals them.
    const prevMac = last?.mac ?? GENESIS_MAC;
    entry.mac = entryMac(this.#key, prevMac, entry);
    const saved = await manager.save(entry);
    const org = saved.organizationId;
    await afterCommit(manager, () =>
      this.anchors.advance(org, { seq: saved.seq, mac: entry.mac!, prevMac }, async (seq) => {
        // The transaction's own connection, now outside it: the embedded database has no other to give.
        const rows = (await manager.query(`SELECT mac FROM audit_log WHERE organization_id = $1 AND seq = $2`, [org, seq])) as {
          mac: string | null;
        }[];
        return rows[0]?.mac ?? null;
      }),
    );
    return saved;
  }

  async list(q: AuditLogQuery): Promise<Page<AuditEntryView>> {
    const { key, dir } = q.sort;
    const qb = this.filtered(q).orderBy(`a.${key}`, dir);
    // Sequence order breaks ties (and is the order itself for seq and at).
    if (key !== 'seq') qb.addOrderBy('a.seq', key === 'at' ? dir : 'DESC');
    qb.skip((q.page - 1) * q.pageSize).take(q.pageSize);
    const [rows, total] = await qb.getManyAndCount();
    const names = await this.names.names(this.dataSource.manager, RequestContext.actor().organizationId, rows);
    const items = rows.map((r) => ({ ...toView(r), entityName: r.entityId ? (names.get(`${r.entityType}:${r.entityId}`) ?? null) : null }));
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  /** Streams every matching entry in sequence order, in batches, for CSV export. */
  async *iterate(q: Omit<AuditLogQuery, 'page' | 'pageSize' | 'sort'>, batch = 1000): AsyncGenerator<AuditEntryView> {
    let after = 0;
    for (;;) {
      const rows = await this.filtered(q).andWhere('a.seq > :after', { after }).orderBy('a.seq', 'ASC').take(batch).getMany();
      for (const r of rows) yield toView(r);
      if (rows.length < batch) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  /**
   * Recomputes the organization's chain from the first entry and holds it against its anchor outside the
   * database. Names what it finds: `tampered` (the first entry whose sequence, hash link, content or MAC
   * does not match, or an anchor that does not match its own MAC), `truncated` (the log ends before the
   * entry the anchor records, or no longer holds that entry), `deleted` (no entry is left though the anchor
   * records some) or `ok`.
   */
  async verify(batch = 2000): Promise<AuditVerifyResult> {
    const organizationId = RequestContext.actor().organizationId;
    let read: AnchorRead;
    try {
      read = await this.anchors.read(organizationId);
    } catch {
      throw new DomainException(
        'audit.anchor_unavailable',
        'internal',
        'The audit log was not verified: its anchor could not be read from file storage',
      );
    }
    const anchor = read.state === 'valid' ? read.anchor : null;
    const expected = anchor?.seq ?? null;
    const result = (
      status: AuditVerifyResult['status'],
      checked: number,
      detail: string,
      firstBroken: AuditVerifyResult['firstBroken'] = null,
    ): AuditVerifyResult => ({
      status,
      ok: status === 'ok',
      checked,
      expected,
      firstBroken,
      detail,
    });
    if (read.state === 'invalid') return result('tampered', 0, `The anchor kept outside the database ${read.reason}.`);

    let prev = GENESIS_HASH;
    let prevMac = GENESIS_MAC;
    let keyed = false;
    let unkeyed = 0;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const rows = await scoped(this.dataSource.manager, AuditEntry, 'a')
        .andWhere('a.seq >= :from', { from: expectedSeq })
        .orderBy('a.seq', 'ASC')
        .take(batch)
        .getMany();
      for (const r of rows) {
        const broken = (reason: string, status: 'tampered' | 'truncated' = 'tampered') =>
          result(status, checked, `Entry ${r.seq}: ${reason}.`, { seq: r.seq, id: r.id, reason });
        if (r.seq !== expectedSeq) return broken(`sequence gap: expected ${expectedSeq}`);
        if (r.prevHash !== prev) return broken('previous-hash link does not match the entry before it');
        if (entryHash(prev, r) !== r.hash) return broken('content does not match its hash');
        if (r.mac === null) {
          if (keyed) return broken('has no MAC, though earlier entries have one');
          if (anchor && r.seq === anchor.seq) return broken('has no MAC, though the anchor records one');
          unkeyed += 1;
        } else {
          if (!macEquals(r.mac, entryMac(this.#key, prevMac, r)))
            return broken(
              checked === unkeyed
                ? 'MAC does not match (the entry was altered, or AUDIT_KEY is not the key the log was written with)'
                : 'MAC does not match: the entry was altered',
            );
          // A whole entry chain that verifies, but not the one anchored: the log was cut back to before this entry and written on.
          if (anchor && r.seq === anchor.seq && !macEquals(r.mac, anchor.headMac))
            return broken('is not the entry the anchor records: the log was cut back before it and written again', 'truncated');
          keyed = true;
          prevMac = r.mac;
        }
        prev = r.hash;
        expectedSeq += 1;
        checked += 1;
      }
      if (rows.length < batch) break;
    }
    if (anchor && checked === 0) return result('deleted', 0, `No entry is left, though the anchor records ${anchor.seq}.`);
    if (anchor && checked < anchor.seq)
      return result(
        'truncated',
        checked,
        `The log ends at entry ${checked}, though the anchor records ${anchor.seq}: entries ${checked + 1} to ${anchor.seq} are missing.`,
      );
    const sealed = !unkeyed
      ? ''
      : unkeyed < checked
        ? ` Entries 1 to ${unkeyed} predate the audit key: the MAC of entry ${unkeyed + 1} seals them.`
        : ' No entry has a MAC yet (they predate the audit key): the next entry seals them.';
    const anchored = anchor
      ? ` The anchor kept outside the database records ${anchor.seq} (${anchor.writtenAt}).`
      : ' No anchor is kept yet: the next entry writes one.';
    return result('ok', checked, `${checked} entries checked: every hash and MAC matches.${anchored}${sealed}`);
  }

  private filtered(q: Partial<AuditLogQuery>) {
    const qb = scoped(this.dataSource.manager, AuditEntry, 'a');
    if (q.entityType) qb.andWhere('a.entityType = :et', { et: q.entityType });
    if (q.entityId) qb.andWhere('a.entityId = :eid', { eid: q.entityId });
    if (q.action) qb.andWhere('a.action = :ac', { ac: q.action });
    if (q.hideSignIns) qb.andWhere("a.action NOT LIKE 'auth.%'");
    if (q.actorId) qb.andWhere('a.actorId = :aid', { aid: q.actorId });
    if (q.from) qb.andWhere('a.at >= :from', { from: new Date(q.from) });
    if (q.to) qb.andWhere('a.at <= :to', { to: endOf(q.to) });
    return qb;
  }
}

/** A bare date as `to` means the whole day. */
function endOf(v: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T23:59:59.999Z`) : new Date(v);
}

function toView(a: AuditEntry): AuditEntryView {
  return {
    id: a.id,
    seq: a.seq,
    at: a.at.toISOString(),
    actorId: a.actorId,
    actorEmail: a.actorEmail,
    action: a.action,
    entityType: a.entityType,
    entityId: a.entityId,
    diff: a.diff,
    hash: a.hash,
    entityName: null,
  };
}
