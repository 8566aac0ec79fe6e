import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { FindingDetail, Input, riskAcceptanceSchema } from '@bulwark/api-schema';
import {
  AuditLogService,
  Conflict,
  DomainException,
  findScoped,
  Invalid,
  NotFound,
  Notifier,
  RequestContext,
  scoped,
  systemActor,
  todayUtc,
} from '@bulwark/platform';

import { Finding, FindingRiskAcceptance } from './finding.entities.js';
import { FindingService, vendorSide } from './finding.service.js';

/**
 * Accepting a finding's risk instead of remediating it: one person asks (with a reason and an expiry), a
 * different person approves (four eyes), and the finding is `risk_accepted` through the expiry date. The
 * day after, it reads `open` again and the sweep records the reopening. Acceptances are append-only:
 * extending one is a new acceptance, approved again.
 */
@Injectable()
export class RiskAcceptances {
  private readonly logger = new Logger('RiskAcceptances');

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly notifier: Notifier,
    private readonly findings: FindingService,
  ) {}

  async request(findingId: string, input: Input<typeof riskAcceptanceSchema>): Promise<FindingDetail> {
    const actor = RequestContext.actor();
    const id = await this.dataSource.transaction(async (m) => {
      const f = await findScoped(m, Finding, findingId, 'finding', { lock: true });
      await this.findings.reopenIfExpired(m, f);
      if (input.expiresAt <= todayUtc())
        throw new Invalid('finding.invalid_acceptance', 'A risk acceptance must end in the future', [
          { path: 'expiresAt', message: 'must be after today' },
        ]);
      if (f.status === 'closed') throw new Conflict('finding.closed', 'A closed finding has no risk left to accept');
      const pending = await scoped(m, FindingRiskAcceptance, 'r')
        .andWhere('r.findingId = :id AND r.approvedAt IS NULL', { id: f.id })
        .getOne();
      if (pending) throw new Conflict('finding.acceptance_pending', 'A risk acceptance of this finding is already awaiting approval');
      const a = await m.save(
        m.create(FindingRiskAcceptance, {
          vendorId: f.vendorId,
          findingId: f.id,
          reason: input.reason,
          expiresAt: input.expiresAt,
          requestedBy: actor.userId,
        }),
      );
      await this.findings.record(m, f, 'risk_acceptance_requested', f.status, f.status, input.reason, []);
      await this.audit.append(m, {
        action: 'finding.risk_acceptance_requested',
        entityType: 'finding',
        entityId: f.id,
        diff: { acceptanceId: a.id, reason: input.reason, expiresAt: input.expiresAt },
      });
      await this.notifier.notify(
        actor.organizationId,
        { roles: ['admin', 'vendor_manager'], except: [actor.userId] },
        {
          title: `Risk acceptance to approve: ${f.title}`,
          body: `${actor.email} asks to accept the risk of "${f.title}" until ${input.expiresAt}: ${input.reason}`,
          link: `/findings/${f.id}`,
          key: `finding-acceptance-${a.id}-requested`,
        },
        m,
      );
      return f.id;
    });
    return this.findings.get(id);
  }

  async approve(findingId: string, acceptanceId: string): Promise<FindingDetail> {
    const actor = RequestContext.actor();
    const id = await this.dataSource.transaction(async (m) => {
      const f = await findScoped(m, Finding, findingId, 'finding', { lock: true });
      const a = await scoped(m, FindingRiskAcceptance, 'r')
        .andWhere('r.id = :aid AND r.findingId = :fid', { aid: acceptanceId, fid: f.id })
        .getOne();
      if (!a) throw new NotFound('risk_acceptance', acceptanceId);
      if (a.approvedAt) throw new Conflict('finding.acceptance_decided', 'This risk acceptance was already approved');
      if (a.requestedBy === actor.userId)
        throw new DomainException('finding.four_eyes', 'forbidden', 'A risk acceptance is approved by someone other than who asked for it');
      const today = todayUtc();
      if (a.expiresAt < today) throw new Conflict('finding.acceptance_expired', `This risk acceptance ended on ${a.expiresAt}; ask again`);
      await this.findings.reopenIfExpired(m, f);
      if (f.status === 'closed') throw new Conflict('finding.closed', 'The finding was closed meanwhile; there is no risk left to accept');
      await m.update(FindingRiskAcceptance, { id: a.id }, { approvedBy: actor.userId, approvedAt: new Date() });
      const from = f.status;
      Object.assign(f, { status: 'risk_accepted', returnedFrom: null, riskAcceptedUntil: a.expiresAt } satisfies Partial<Finding>);
      await m.save(f);
      await this.findings.record(m, f, 'risk_accepted', from, 'risk_accepted', a.reason, []);
      await this.audit.append(m, {
        action: 'finding.risk_accepted',
        entityType: 'finding',
        entityId: f.id,
        diff: { acceptanceId: a.id, status: { from, to: 'risk_accepted' }, expiresAt: a.expiresAt, requestedBy: a.requestedBy },
      });
      await this.notifier.notify(
        actor.organizationId,
        { ...vendorSide(f), userIds: [a.requestedBy], vendorOwnerOf: f.vendorId, except: [actor.userId] },
        {
          title: `Risk accepted until ${a.expiresAt}: ${f.title}`,
          body: `The risk of "${f.title}" is accepted until ${a.expiresAt}. The finding reopens by itself after that day.`,
          link: `/findings/${f.id}`,
          key: `finding-acceptance-${a.id}-approved`,
        },
        m,
      );
      return f.id;
    });
    return this.findings.get(id);
  }

  /** The sweep: records the reopening of every finding whose risk acceptance has expired, in every organization. */
  async reopenExpired(now = new Date()): Promise<number> {
    const rows: { id: string; organization_id: string }[] = await this.dataSource.query(
      `SELECT id, organization_id FROM findings WHERE status = 'risk_accepted' AND risk_accepted_until < $1::date`,
      [todayUtc(now)],
    );
    let reopened = 0;
    for (const r of rows) {
      try {
        const done = await RequestContext.runAs(systemActor(r.organization_id, 'findings@bulwark'), () =>
          this.dataSource.transaction(async (m) =>
            this.findings.reopenIfExpired(m, await findScoped(m, Finding, r.id, 'finding', { lock: true }), now),
          ),
        );
        if (done) reopened++;
      } catch (err) {
        this.logger.warn(`reopening finding ${r.id}: ${(err as Error).message}`);
      }
    }
    return reopened;
  }
}
