import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import {
  allowedFindingTransitions,
  EVIDENCE_REQUIRED_TO_CLOSE,
  FINDING_TRANSITION_SIDE,
  type CreateFindingInput,
  type FindingDetail,
  type findingListQuery,
  type FindingStatus,
  type FindingTransitionInput,
  type FindingView,
  type Input,
  type Page,
  type RiskAcceptanceView,
} from '@bulwark/api-schema';
import {
  AuditLogService,
  Conflict,
  DomainException,
  findScoped,
  Invalid,
  likePattern,
  Notifier,
  RequestContext,
  scoped,
  sideOf,
  systemActor,
  todayUtc,
  type FieldError,
  type Recipients,
} from '@bulwark/platform';

import { FindingEvidence } from './finding-evidence.js';
import { acceptanceExpired, dueDateFor, effectiveStatus, effectiveStatusSql, isOverdue } from './finding-policy.js';
import { Finding, FindingEvent, FindingRiskAcceptance } from './finding.entities.js';

/** What the finding's vendor-side people are: its owner if it has one, else every contact of the vendor. */
export function vendorSide(f: Pick<Finding, 'vendorId' | 'vendorOwnerId'>): Recipients {
  return f.vendorOwnerId ? { userIds: [f.vendorOwnerId] } : { vendorContactsOf: f.vendorId };
}

/**
 * Findings as people work them: raised by the organization (or by another area through `raise`), a plan
 * proposed by the vendor, accepted or sent back, remediated, verified and closed; each step one transaction
 * with its history row, its audit entry and its notification. Reads go through the tenant scope.
 */
@Injectable()
export class FindingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly notifier: Notifier,
    private readonly evidence: FindingEvidence,
  ) {}

  async list(q: Input<typeof findingListQuery>): Promise<Page<FindingView>> {
    const m = this.dataSource.manager;
    const today = todayUtc();
    const qb = scoped(m, Finding, 'f').setParameter('today', today);
    if (q.vendorId) qb.andWhere('f.vendorId = :vendorId', { vendorId: q.vendorId });
    if (q.status) qb.andWhere(`${effectiveStatusSql('f')} = :status`, { status: q.status });
    if (q.severity) qb.andWhere('f.severity = :severity', { severity: q.severity });
    if (q.overdue === 'true') qb.andWhere(`f.due_date < :today::date AND ${effectiveStatusSql('f')} NOT IN ('closed', 'risk_accepted')`);
    if (q.overdue === 'false')
      qb.andWhere(`NOT (f.due_date < :today::date AND ${effectiveStatusSql('f')} NOT IN ('closed', 'risk_accepted'))`);
    if (q.search)
      qb.andWhere(
        `(f.title ILIKE :s OR f.details ILIKE :s OR f.source_key ILIKE :s OR EXISTS (SELECT 1 FROM vendors v WHERE v.id = f.vendor_id AND v.name ILIKE :s))`,
        { s: likePattern(q.search) },
      );
    qb.orderBy('f.dueDate', 'ASC').addOrderBy('f.raisedAt', 'DESC').addOrderBy('f.id');
    const [rows, total] = await qb
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    return { items: await this.views(m, rows, today), total, page: q.page, pageSize: q.pageSize };
  }

  async get(id: string, m: EntityManager = this.dataSource.manager): Promise<FindingDetail> {
    return this.detail(m, await findScoped(m, Finding, id, 'finding'));
  }

  /**
   * Raises a finding. With a source key, raising the same (vendor, source, key) again never duplicates: a
   * closed finding (or one whose risk acceptance has expired) is reopened with a new due date from the
   * policy; an active or validly risk-accepted one keeps its state and records that it was raised again.
   */
  async raise(input: CreateFindingInput): Promise<FindingDetail> {
    const actor = RequestContext.actor();
    return this.dataSource.transaction(async (m) => {
      const vendor: { id: string; name: string }[] = await m.query(`SELECT id, name FROM vendors WHERE id = $1 AND organization_id = $2`, [
        input.vendorId,
        actor.organizationId,
      ]);
      if (!vendor.length) throw new Invalid('finding.invalid_vendor', 'No such vendor', [{ path: 'vendorId', message: 'no such vendor' }]);
      if (input.vendorOwnerId) await this.assertVendorContact(m, actor.organizationId, input.vendorId, input.vendorOwnerId);
      const sourceKey = input.sourceKey ?? input.sourceId ?? null;
      const now = new Date();
      const inserted: { id: string }[] = await m.query(
        `INSERT INTO findings (organization_id, vendor_id, source, source_id, source_key, title, details, severity, status, vendor_owner_id, due_date, raised_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10, $11)
         ON CONFLICT (organization_id, vendor_id, source, source_key) WHERE source_key IS NOT NULL DO NOTHING
         RETURNING id`,
        [
          actor.organizationId,
          input.vendorId,
          input.source,
          input.sourceId ?? null,
          sourceKey,
          input.title,
          input.details,
          input.severity,
          input.vendorOwnerId ?? null,
          dueDateFor(input.severity, now),
          now,
        ],
      );
      if (inserted.length) {
        const id = inserted[0]!.id;
        await this.record(m, { id, vendorId: input.vendorId }, 'raised', null, 'open', null, []);
        await this.audit.append(m, {
          action: 'finding.raised',
          entityType: 'finding',
          entityId: id,
          diff: { ...input, sourceKey },
        });
        const f = await findScoped(m, Finding, id, 'finding');
        await this.notifier.notify(
          actor.organizationId,
          { ...vendorSide(f), vendorOwnerOf: f.vendorId, except: [actor.userId] },
          {
            title: `New ${f.severity} finding: ${f.title}`,
            body: `A ${f.severity} finding was raised for ${vendor[0]!.name}: "${f.title}". It is due on ${f.dueDate}.`,
            link: `/findings/${f.id}`,
            key: `finding-${f.id}-raised`,
          },
          m,
        );
        return this.detail(m, f);
      }
      const [existing]: { id: string }[] = await m.query(
        `SELECT id FROM findings WHERE organization_id = $1 AND vendor_id = $2 AND source = $3 AND source_key = $4`,
        [actor.organizationId, input.vendorId, input.source, sourceKey],
      );
      const f = await findScoped(m, Finding, existing!.id, 'finding', { lock: true });
      const today = todayUtc(now);
      const current = effectiveStatus(f, today);
      if (current === 'closed' || (current === 'open' && f.status === 'risk_accepted')) {
        const from = f.status;
        Object.assign(f, {
          status: 'open',
          returnedFrom: null,
          title: input.title,
          details: input.details,
          severity: input.severity,
          dueDate: dueDateFor(input.severity, now),
          rootCause: null,
          correctiveAction: null,
          targetDate: null,
          riskAcceptedUntil: null,
          closedAt: null,
          raisedAt: now,
        } satisfies Partial<Finding>);
        if (input.vendorOwnerId !== undefined) f.vendorOwnerId = input.vendorOwnerId;
        await m.save(f);
        await this.record(m, f, 'reopened', from, 'open', `Raised again from ${input.source} (${sourceKey})`, []);
        await this.audit.append(m, {
          action: 'finding.reopened',
          entityType: 'finding',
          entityId: f.id,
          diff: { status: { from, to: 'open' }, dueDate: f.dueDate, severity: f.severity, cause: 'raised_again' },
        });
        await this.notifier.notify(
          actor.organizationId,
          { ...vendorSide(f), vendorOwnerOf: f.vendorId, except: [actor.userId] },
          {
            title: `Finding reopened: ${f.title}`,
            body: `The ${f.severity} finding "${f.title}" was raised again and is open once more. It is due on ${f.dueDate}.`,
            link: `/findings/${f.id}`,
            key: `finding-${f.id}-reopened-${f.version}`,
          },
          m,
        );
      } else {
        await this.record(m, f, 'raised_again', current, current, `Raised again from ${input.source} (${sourceKey})`, []);
        await this.audit.append(m, { action: 'finding.raised_again', entityType: 'finding', entityId: f.id, diff: { status: current } });
      }
      return this.detail(m, f);
    });
  }

  async transition(id: string, input: FindingTransitionInput): Promise<FindingDetail> {
    const actor = RequestContext.actor();
    const side = sideOf(actor);
    const f = await this.dataSource.transaction(async (m) => {
      const f = await findScoped(m, Finding, id, 'finding', { lock: true });
      await this.reopenIfExpired(m, f);
      const needed = FINDING_TRANSITION_SIDE[input.to];
      if (side !== needed)
        throw new DomainException(
          'auth.forbidden',
          'forbidden',
          needed === 'vendor'
            ? `Only the vendor's contacts move a finding to ${input.to}`
            : `Only the organization (admins and vendor managers) moves a finding to ${input.to}`,
        );
      if (input.version !== undefined && input.version !== f.version)
        throw new Conflict('finding.stale', 'This finding was changed by someone else. Reload and try again.');
      if (!allowedFindingTransitions(f.status, f.returnedFrom).includes(input.to))
        throw new Conflict('finding.illegal_transition', `A finding that is ${f.status} cannot move to ${input.to}`);
      const today = todayUtc();
      const errors: FieldError[] = [];
      const evidenceIds = [...new Set(input.evidenceIds ?? [])];
      if (input.to === 'plan_proposed') {
        if (!input.rootCause) errors.push({ path: 'rootCause', message: 'a plan states the root cause' });
        if (!input.correctiveAction) errors.push({ path: 'correctiveAction', message: 'a plan states the corrective action' });
        if (!input.targetDate) errors.push({ path: 'targetDate', message: 'a plan has a target date' });
        else if (input.targetDate < today) errors.push({ path: 'targetDate', message: 'must be today or later' });
      }
      if ((input.to === 'changes_requested' || input.to === 'closed') && !input.note)
        errors.push({
          path: 'note',
          message: input.to === 'closed' ? 'closing needs a verification note' : 'say what has to change',
        });
      if (input.to === 'closed' && EVIDENCE_REQUIRED_TO_CLOSE.includes(f.severity) && !evidenceIds.length) {
        const onFile = await this.evidenceOf(m, [f.id]);
        if (!(onFile.get(f.id) ?? []).length)
          errors.push({ path: 'evidenceIds', message: `closing a ${f.severity} finding needs at least one evidence item` });
      }
      if (errors.length) throw new Invalid('finding.invalid_transition', 'The transition is missing what it needs', errors);
      if (evidenceIds.length) await this.evidence.assertEvidenceOf(m, f.vendorId, evidenceIds);

      const from = f.status;
      f.status = input.to;
      f.returnedFrom = input.to === 'changes_requested' ? from : null;
      if (input.to === 'plan_proposed')
        Object.assign(f, { rootCause: input.rootCause!, correctiveAction: input.correctiveAction!, targetDate: input.targetDate! });
      if (input.to === 'closed') f.closedAt = new Date();
      await m.save(f);
      await this.record(m, f, 'transition', from, input.to, input.note ?? null, evidenceIds);
      await this.evidence.link(m, f.id, evidenceIds, actor.userId);
      await this.audit.append(m, {
        action: `finding.${input.to}`,
        entityType: 'finding',
        entityId: f.id,
        diff: {
          status: { from, to: input.to },
          note: input.note ?? null,
          evidenceIds,
          ...(input.to === 'plan_proposed'
            ? { rootCause: input.rootCause, correctiveAction: input.correctiveAction, targetDate: input.targetDate }
            : {}),
        },
      });
      // The other side is told what happened and what is now up to it.
      await this.notifier.notify(
        actor.organizationId,
        side === 'vendor' ? { vendorOwnerOf: f.vendorId, roles: ['vendor_manager'] } : vendorSide(f),
        {
          title: `Finding ${input.to.replace(/_/g, ' ')}: ${f.title}`,
          body: `The finding "${f.title}" moved from ${from.replace(/_/g, ' ')} to ${input.to.replace(/_/g, ' ')}.${input.note ? ` Note: ${input.note}` : ''}`,
          link: `/findings/${f.id}`,
          key: `finding-${f.id}-v${f.version}`,
        },
        m,
      );
      return f;
    });
    return this.get(f.id);
  }

  /**
   * Reopens a finding whose risk acceptance expired (the stored state catches up with what reads already
   * show), with a new due date from the policy: as the system, with its history row and audit entry.
   */
  async reopenIfExpired(m: EntityManager, f: Finding, now = new Date()): Promise<boolean> {
    const today = todayUtc(now);
    if (f.status !== 'risk_accepted' || !acceptanceExpired(f.riskAcceptedUntil, today)) return false;
    const until = f.riskAcceptedUntil;
    await RequestContext.runAs(systemActor(f.organizationId, 'findings@bulwark'), async () => {
      Object.assign(f, {
        status: 'open',
        returnedFrom: null,
        riskAcceptedUntil: null,
        dueDate: dueDateFor(f.severity, now),
      } satisfies Partial<Finding>);
      await m.save(f);
      await this.record(m, f, 'reopened', 'risk_accepted', 'open', `The risk acceptance expired after ${until}`, []);
      await this.audit.append(m, {
        action: 'finding.acceptance_expired',
        entityType: 'finding',
        entityId: f.id,
        diff: { status: { from: 'risk_accepted', to: 'open' }, riskAcceptedUntil: until, dueDate: f.dueDate },
      });
      await this.notifier.notify(
        f.organizationId,
        { ...vendorSide(f), vendorOwnerOf: f.vendorId },
        {
          title: `Risk acceptance expired: ${f.title}`,
          body: `The risk acceptance of "${f.title}" ended on ${until}; the finding is open again and due on ${f.dueDate}.`,
          link: `/findings/${f.id}`,
          key: `finding-${f.id}-expired-${until}`,
        },
        m,
      );
    });
    return true;
  }

  /** Writes one history row. */
  async record(
    m: EntityManager,
    f: { id: string; vendorId: string },
    kind: string,
    fromStatus: FindingStatus | null,
    toStatus: FindingStatus | null,
    note: string | null,
    evidenceIds: string[],
  ): Promise<void> {
    const actor = RequestContext.actor();
    await m.insert(FindingEvent, {
      organizationId: actor.organizationId,
      vendorId: f.vendorId,
      findingId: f.id,
      kind,
      fromStatus,
      toStatus,
      note,
      evidenceIds,
      actorId: actor.userId,
      actorSide: sideOf(actor),
    });
  }

  private async assertVendorContact(m: EntityManager, organizationId: string, vendorId: string, userId: string): Promise<void> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM users WHERE id = $1 AND organization_id = $2 AND vendor_id = $3 AND role = 'vendor_contact' AND active`,
      [userId, organizationId, vendorId],
    );
    if (!rows.length)
      throw new Invalid('finding.invalid_owner', 'The vendor-side owner must be an active contact of the vendor', [
        { path: 'vendorOwnerId', message: 'not an active contact of this vendor' },
      ]);
  }

  /** Every evidence id recorded on the findings' history, oldest first, each once. */
  private async evidenceOf(m: EntityManager, ids: string[]): Promise<Map<string, string[]>> {
    const rows: { finding_id: string; evidence_ids: string[] }[] = ids.length
      ? await m.query(
          `SELECT finding_id, evidence_ids FROM finding_events WHERE finding_id = ANY($1::uuid[]) AND cardinality(evidence_ids) > 0 ORDER BY created_at, id`,
          [ids],
        )
      : [];
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.finding_id, [...new Set([...(out.get(r.finding_id) ?? []), ...r.evidence_ids])]);
    return out;
  }

  async views(m: EntityManager, rows: Finding[], today = todayUtc()): Promise<FindingView[]> {
    if (!rows.length) return [];
    const vendors: { id: string; name: string }[] = await m.query(`SELECT id, name FROM vendors WHERE id = ANY($1::uuid[])`, [
      [...new Set(rows.map((r) => r.vendorId))],
    ]);
    const ownerIds = [...new Set(rows.map((r) => r.vendorOwnerId).filter((x): x is string => !!x))];
    const owners: { id: string; name: string | null }[] = ownerIds.length
      ? await m.query(`SELECT id, name FROM users WHERE id = ANY($1::uuid[])`, [ownerIds])
      : [];
    const evidence = await this.evidenceOf(
      m,
      rows.map((r) => r.id),
    );
    return rows.map((f) => ({
      id: f.id,
      vendorId: f.vendorId,
      vendorName: vendors.find((v) => v.id === f.vendorId)?.name ?? '',
      source: f.source,
      sourceId: f.sourceId,
      sourceKey: f.sourceKey,
      title: f.title,
      details: f.details,
      severity: f.severity,
      status: effectiveStatus(f, today),
      returnedFrom: f.status === 'changes_requested' ? f.returnedFrom : null,
      vendorOwnerId: f.vendorOwnerId,
      vendorOwnerName: owners.find((o) => o.id === f.vendorOwnerId)?.name ?? null,
      dueDate: f.dueDate,
      overdue: isOverdue(f, today),
      rootCause: f.rootCause,
      correctiveAction: f.correctiveAction,
      targetDate: f.targetDate,
      evidenceIds: evidence.get(f.id) ?? [],
      riskAcceptedUntil: effectiveStatus(f, today) === 'risk_accepted' ? f.riskAcceptedUntil : null,
      raisedAt: f.raisedAt.toISOString(),
      closedAt: f.closedAt?.toISOString() ?? null,
      version: f.version,
    }));
  }

  /**
   * One finding with its history and risk acceptances. Vendor contacts see the history of their finding
   * but not the organization's risk deliberation (acceptances, their reasons and requests).
   */
  async detail(m: EntityManager, f: Finding): Promise<FindingDetail> {
    const today = todayUtc();
    const actor = RequestContext.actor();
    const internal = actor.role !== 'vendor_contact';
    const [view] = await this.views(m, [f], today);
    const events = await scoped(m, FindingEvent, 'e')
      .andWhere('e.findingId = :id', { id: f.id })
      .andWhere(internal ? '1 = 1' : `e.kind <> 'risk_acceptance_requested'`)
      .orderBy('e.createdAt')
      .addOrderBy('e.id')
      .getMany();
    const acceptances = internal
      ? await scoped(m, FindingRiskAcceptance, 'r')
          .andWhere('r.findingId = :id', { id: f.id })
          .orderBy('r.requestedAt')
          .addOrderBy('r.id')
          .getMany()
      : [];
    const userIds = [
      ...new Set(
        [...events.map((e) => e.actorId), ...acceptances.flatMap((a) => [a.requestedBy, a.approvedBy])].filter((x): x is string => !!x),
      ),
    ];
    const users: { id: string; name: string | null; email: string }[] = userIds.length
      ? await m.query(`SELECT id, name, email FROM users WHERE id = ANY($1::uuid[])`, [userIds])
      : [];
    const nameOf = (id: string | null) => {
      const u = users.find((x) => x.id === id);
      return u ? (u.name ?? u.email) : null;
    };
    const current = effectiveStatus(f, today);
    const lastApproved = [...acceptances].reverse().find((a) => a.approvedAt);
    return {
      ...view!,
      allowedTransitions: allowedFindingTransitions(current, f.returnedFrom),
      events: events.map((e) => ({
        id: e.id,
        kind: e.kind,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        note: internal || e.kind !== 'risk_accepted' ? e.note : null,
        evidenceIds: e.evidenceIds,
        actorName: nameOf(e.actorId),
        actorSide: e.actorSide,
        at: e.createdAt.toISOString(),
      })),
      riskAcceptances: acceptances.map((a): RiskAcceptanceView => ({
        id: a.id,
        reason: a.reason,
        expiresAt: a.expiresAt,
        requestedById: a.requestedBy,
        requestedByName: nameOf(a.requestedBy),
        requestedAt: a.requestedAt.toISOString(),
        approvedById: a.approvedBy,
        approvedByName: nameOf(a.approvedBy),
        approvedAt: a.approvedAt?.toISOString() ?? null,
        state: !a.approvedAt
          ? 'pending'
          : a !== lastApproved
            ? 'superseded'
            : current === 'risk_accepted' && f.riskAcceptedUntil === a.expiresAt
              ? 'active'
              : acceptanceExpired(a.expiresAt, today)
                ? 'expired'
                : 'superseded',
      })),
    };
  }
}
