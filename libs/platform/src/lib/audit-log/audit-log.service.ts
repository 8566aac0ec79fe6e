import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { AuditEntryView, AuditLogQuery, AuditVerifyResult, Page } from '@bulwark/api-schema';

import { RequestContext } from '../tenancy/request-context.js';
import { scoped } from '../tenancy/tenant-scope.js';
import { AuditEntry } from './audit-entry.entity.js';
import { entryHash, GENESIS_HASH } from './audit-hash.js';

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
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends an entry to the organization's hash chain inside the caller's transaction. The
   * organization row is locked so concurrent writers get consecutive sequence numbers.
   */
  async append(manager: EntityManager, input: AuditInput): Promise<AuditEntry> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error('AuditLogService.append must run inside a transaction');
    const actor = RequestContext.actor();
    // NO KEY UPDATE serializes appenders without conflicting with the KEY SHARE locks that foreign keys to the organization take.
    await manager.query('SELECT id FROM organizations WHERE id = $1 FOR NO KEY UPDATE', [actor.organizationId]);
    const last = await manager
      .createQueryBuilder(AuditEntry, 'a')
      .select(['a.seq', 'a.hash'])
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
    return manager.save(entry);
  }

  async list(q: AuditLogQuery): Promise<Page<AuditEntryView>> {
    const { key, dir } = q.sort;
    const qb = this.filtered(q).orderBy(`a.${key}`, dir);
    // Sequence order breaks ties (and is the order itself for seq and at).
    if (key !== 'seq') qb.addOrderBy('a.seq', key === 'at' ? dir : 'DESC');
    qb.skip((q.page - 1) * q.pageSize).take(q.pageSize);
    const [rows, total] = await qb.getManyAndCount();
    return { items: rows.map(toView), total, page: q.page, pageSize: q.pageSize };
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

  /** Recomputes the chain from the first entry; names the first entry whose link or content does not match. */
  async verify(batch = 2000): Promise<AuditVerifyResult> {
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const rows = await scoped(this.dataSource.manager, AuditEntry, 'a')
        .andWhere('a.seq >= :from', { from: expectedSeq })
        .orderBy('a.seq', 'ASC')
        .take(batch)
        .getMany();
      for (const r of rows) {
        const broken = (reason: string): AuditVerifyResult => ({ ok: false, checked, firstBroken: { seq: r.seq, id: r.id, reason } });
        if (r.seq !== expectedSeq) return broken(`sequence gap: expected ${expectedSeq}`);
        if (r.prevHash !== prev) return broken('previous-hash link does not match the entry before it');
        if (entryHash(prev, r) !== r.hash) return broken('content does not match its hash');
        prev = r.hash;
        expectedSeq += 1;
        checked += 1;
      }
      if (rows.length < batch) return { ok: true, checked, firstBroken: null };
    }
  }

  private filtered(q: Partial<AuditLogQuery>) {
    const qb = scoped(this.dataSource.manager, AuditEntry, 'a');
    if (q.entityType) qb.andWhere('a.entityType = :et', { et: q.entityType });
    if (q.entityId) qb.andWhere('a.entityId = :eid', { eid: q.entityId });
    if (q.action) qb.andWhere('a.action = :ac', { ac: q.action });
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
  };
}
