import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { can, type breachListQuery, type BreachView, type Input, type Page } from '@bulwark/api-schema';
import { AuditLogService, Conflict, findScoped, likePattern, NotFound, RequestContext, scoped, ThreadService } from '@bulwark/platform';

import { BreachNotices } from './breach-notices.js';
import { SlaBreach } from './breach.entities.js';

/**
 * Breaches and credits as people work them: the list, the dispute thread (a platform thread on the `breach`
 * target: the vendor contests with evidence, the customer answers) and the decision (upheld or waived). Breaches are opened, updated and
 * withdrawn by the recompute (`recompute.service.ts`); every read goes through the tenant scope.
 */
@Injectable()
export class BreachService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly notices: BreachNotices,
    private readonly threads: ThreadService,
  ) {}

  async list(q: Input<typeof breachListQuery>): Promise<Page<BreachView>> {
    const m = this.dataSource.manager;
    const qb = scoped(m, SlaBreach, 'b');
    if (q.vendorId) qb.andWhere('b.vendorId = :vendorId', { vendorId: q.vendorId });
    if (q.slaId) qb.andWhere('b.slaId = :slaId', { slaId: q.slaId });
    if (q.search) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM slas s JOIN vendors v ON v.id = s.vendor_id JOIN contracts c ON c.id = s.contract_id
                  WHERE s.id = b.sla_id AND (s.name ILIKE :q OR v.name ILIKE :q OR c.title ILIKE :q
                    OR EXISTS (SELECT 1 FROM contract_services cs JOIN services sv ON sv.id = cs.service_id
                                WHERE cs.contract_id = c.id AND sv.name ILIKE :q)))`,
        { q: likePattern(q.search) },
      );
    }
    if (q.status) qb.andWhere('b.status = :status', { status: q.status });
    else qb.andWhere(`b.status <> 'withdrawn'`);
    qb.orderBy('b.detectedAt', 'DESC').addOrderBy('b.windowLabel', 'DESC').addOrderBy('b.id');
    const [rows, total] = await qb
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    return { items: await this.views(m, rows), total, page: q.page, pageSize: q.pageSize };
  }

  async get(id: string): Promise<BreachView> {
    const m = this.dataSource.manager;
    return (await this.views(m, [await findScoped(m, SlaBreach, id, 'breach')]))[0]!;
  }

  /**
   * A comment for both sides on the breach's thread (`POST /api/breaches/:id/comments`, as before threads):
   * the vendor's first comment on an open breach disputes it (`SlaThreadTargets`).
   */
  async comment(id: string, body: string, evidenceLinks: string[]): Promise<BreachView> {
    await this.threads.post('breach', id, { body, audience: 'vendor', mentions: [], evidenceIds: [], links: evidenceLinks });
    return this.get(id);
  }

  async resolve(id: string, decision: 'upheld' | 'waived', note: string): Promise<BreachView> {
    const actor = RequestContext.actor();
    if (actor.role === 'system' || !can(actor.role, 'breach.resolve')) throw new NotFound('breach', id);
    const b = await this.dataSource.transaction(async (m) => {
      const b = await findScoped(m, SlaBreach, id, 'breach', { lock: true });
      if (!['open', 'disputed'].includes(b.status))
        throw new Conflict('breach.illegal_transition', `A breach that is ${b.status} cannot be ${decision}`);
      await m.update(
        SlaBreach,
        { id: b.id },
        { status: decision, resolvedBy: actor.userId, resolvedAt: new Date(), resolutionNote: note, stateSeq: b.stateSeq + 1 },
      );
      await this.audit.append(m, { action: `sla.breach_${decision}`, entityType: 'sla_breach', entityId: id, diff: { note } });
      return b;
    });
    await this.notices.sendPendingLater(actor.organizationId, b.vendorId);
    return this.get(id);
  }

  /** The views of a page of breaches in a fixed number of queries: names, currencies and every thread at once. */
  private async views(m: EntityManager, rows: SlaBreach[]): Promise<BreachView[]> {
    if (!rows.length) return [];
    const names: { sla_id: string; sla_name: string; vendor_name: string; currency: string }[] = await m.query(
      `SELECT s.id AS sla_id, s.name AS sla_name, v.name AS vendor_name, c.currency
         FROM slas s JOIN vendors v ON v.id = s.vendor_id JOIN contracts c ON c.id = s.contract_id
        WHERE s.id = ANY($1::uuid[])`,
      [[...new Set(rows.map((r) => r.slaId))]],
    );
    // The dispute thread as both sides see it: the thread's vendor-audience comments (internal notes: `GET /api/threads/breach/:id`).
    const comments = await this.threads.commentsOn(
      m,
      'breach',
      rows.map((r) => r.id),
      'vendor',
    );
    const reports: { sla_id: string; window_label: string; availability: string; note: string | null }[] = await m.query(
      `SELECT sla_id, window_label, availability, note FROM sla_vendor_reports WHERE sla_id = ANY($1::uuid[])`,
      [[...new Set(rows.map((r) => r.slaId))]],
    );
    return rows.map((r) => {
      const n = names.find((x) => x.sla_id === r.slaId);
      const report = reports.find((x) => x.sla_id === r.slaId && x.window_label === r.windowLabel);
      return {
        id: r.id,
        slaId: r.slaId,
        slaName: n?.sla_name ?? '',
        vendorId: r.vendorId,
        vendorName: n?.vendor_name ?? '',
        window: r.windowLabel,
        availability: r.availability,
        target: r.target,
        creditPercent: r.creditPercent,
        creditAmount: r.creditAmount,
        creditBasis: r.creditBasis,
        currency: n?.currency ?? '',
        vendorReported: report ? Number(report.availability) : null,
        vendorReportNote: report?.note ?? null,
        status: r.status,
        detectedAt: r.detectedAt.toISOString(),
        resolvedAt: r.resolvedAt?.toISOString() ?? null,
        resolutionNote: r.resolutionNote,
        comments: comments
          .filter((c) => c.targetId === r.id)
          .map((c) => ({
            id: c.id,
            authorSide: c.authorSide,
            authorName: c.authorName,
            body: c.body,
            evidenceLinks: c.links,
            createdAt: c.createdAt,
          })),
      };
    });
  }
}
