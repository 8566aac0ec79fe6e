import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import {
  allowedAuditTransitions,
  AUDIT_CLOSABLE_FINDING_STATUSES,
  AUDIT_TRANSITION_SIDE,
  type AuditDetail,
  type auditListQuery,
  type AuditStatus,
  type AuditTransitionInput,
  type AuditView,
  type ContractClauses,
  type CreateAuditInput,
  type Entitlement,
  type entitlementQuery,
  type FindingSeverity,
  type FindingStatus,
  type Input,
  type Page,
} from '@bulwark/api-schema';
import { assertEvidenceOf } from '@bulwark/evidence';
import {
  AuditLogService,
  Conflict,
  DomainException,
  findScoped,
  Invalid,
  JobOutbox,
  NotFound,
  Notifier,
  RequestContext,
  scoped,
  sideOf,
  todayUtc,
  type Actor,
  type FieldError,
} from '@bulwark/platform';

import { itemOverdue } from './audit-policy.js';
import { AuditEvent, AuditItem, AuditRequest } from './audit.entities.js';

import './audits.job.js';

import { computeEntitlement, type ContractForEntitlement, type PriorAudit } from './entitlement.js';

/** What the entitlement is asked about. */
interface EntitlementAsk {
  vendorId: string;
  contractId?: string;
  mode: AuditRequest['mode'];
  proposedStart: string;
  regulator: boolean;
  issuedAt: Date;
  auditId?: string;
}

/** A finding's state as of the date bound to `today` (a placeholder): a lapsed risk acceptance reads `open`, as the findings area shows it. */
const effectiveFindingStatus = (today: string) =>
  `(CASE WHEN status = 'risk_accepted' AND risk_accepted_until < ${today}::date THEN 'open' ELSE status END)`;

const label = (s: string) => s.replace(/_/g, ' ');

/** A 422 naming each broken rule at the field it concerns (`proposedStart`, `mode`, `contractId`, `auditorKind`). */
function notEntitled(e: Entitlement, prefix = ''): Invalid {
  return new Invalid(
    'audit.not_entitled',
    `The request breaks the entitlement: ${e.reasons.map((r) => r.rule).join(', ')}. An admin or vendor manager may record an override with a reason.`,
    e.reasons.map((r) => ({ path: `${prefix}${r.field}`, message: `${r.rule}: ${r.message}` })),
  );
}

/**
 * Right-to-audit requests as people work them: created against the entitlement (or with a recorded override),
 * issued, acknowledged by the vendor (who may counter the window), scheduled, audited, reported and closed; or
 * refused by the vendor and escalated. Each step is one transaction with its history row, its audit entry and its
 * notification. Reads go through the tenant scope; vendor contacts never see drafts.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly notifier: Notifier,
    private readonly outbox: JobOutbox,
  ) {}

  // ---- entitlement ----

  async entitlement(q: Input<typeof entitlementQuery>): Promise<Entitlement> {
    const m = this.dataSource.manager;
    await this.assertVendor(m, q.vendorId);
    return this.computeFor(m, {
      vendorId: q.vendorId,
      contractId: q.contractId,
      mode: q.mode,
      proposedStart: q.proposedStart,
      regulator: q.regulator === 'true',
      issuedAt: new Date(),
      auditId: q.auditId,
    });
  }

  /** The entitlement from the vendor's contracts and audits as stored now, in the organization's time zone. */
  async computeFor(m: EntityManager, ask: EntitlementAsk): Promise<Entitlement> {
    const actor = RequestContext.actor();
    const [org]: { time_zone: string }[] = await m.query(`SELECT time_zone FROM organizations WHERE id = $1`, [actor.organizationId]);
    // The organization's holidays from around the issue date on (a business-day notice skips them).
    const holidays: { date: string; name: string }[] = await m.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, name FROM organization_holidays
        WHERE organization_id = $1 AND date >= $2::date - 2 ORDER BY date`,
      [actor.organizationId, ask.issuedAt.toISOString().slice(0, 10)],
    );
    const contracts: {
      id: string;
      title: string;
      reference: string | null;
      status: ContractForEntitlement['status'];
      effective_date: string;
      expiry_date: string | null;
      clauses: ContractClauses;
    }[] = await m.query(
      `SELECT id, title, reference, status, to_char(effective_date, 'YYYY-MM-DD') AS effective_date,
              to_char(expiry_date, 'YYYY-MM-DD') AS expiry_date, clauses
         FROM contracts WHERE organization_id = $1 AND vendor_id = $2`,
      [actor.organizationId, ask.vendorId],
    );
    if (ask.contractId && !contracts.some((c) => c.id === ask.contractId))
      throw new Invalid('audit.invalid_contract', 'No such contract of this vendor', [
        { path: 'contractId', message: 'not a contract of this vendor' },
      ]);
    const audits: { id: string; title: string; contract_id: string | null; status: AuditStatus; start: string; regulator: boolean }[] =
      await m.query(
        `SELECT id, title, contract_id, status, to_char(window_start, 'YYYY-MM-DD') AS start, auditor_kind = 'regulator' AS regulator
           FROM audit_requests WHERE organization_id = $1 AND vendor_id = $2`,
        [actor.organizationId, ask.vendorId],
      );
    return computeEntitlement(
      {
        mode: ask.mode,
        proposedStart: ask.proposedStart,
        regulator: ask.regulator,
        issuedAt: ask.issuedAt,
        timeZone: org?.time_zone ?? 'UTC',
        contractId: ask.contractId,
        auditId: ask.auditId,
        holidays,
      },
      contracts.map((c) => ({
        id: c.id,
        title: c.title,
        reference: c.reference,
        status: c.status,
        effectiveDate: c.effective_date,
        expiryDate: c.expiry_date,
        rightToAudit: c.clauses?.rightToAudit
          ? { ...c.clauses.rightToAudit, noticeBasis: c.clauses.rightToAudit.noticeBasis ?? 'calendar' }
          : null,
      })),
      audits.map((a): PriorAudit => ({
        id: a.id,
        title: a.title,
        contractId: a.contract_id,
        status: a.status,
        start: a.start,
        regulator: a.regulator,
      })),
    );
  }

  // ---- reads ----

  async list(q: Input<typeof auditListQuery>): Promise<Page<AuditView>> {
    const m = this.dataSource.manager;
    const qb = this.visible(m);
    if (q.vendorId) qb.andWhere('a.vendorId = :vendorId', { vendorId: q.vendorId });
    if (q.contractId) qb.andWhere('a.contractId = :contractId', { contractId: q.contractId });
    if (q.status) qb.andWhere('a.status = :status', { status: q.status });
    const [rows, total] = await qb
      .orderBy('a.windowStart', 'DESC')
      .addOrderBy('a.createdAt', 'DESC')
      .addOrderBy('a.id')
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    return { items: await this.views(m, rows), total, page: q.page, pageSize: q.pageSize };
  }

  async get(id: string, m: EntityManager = this.dataSource.manager): Promise<AuditDetail> {
    return this.detail(m, await this.load(m, id));
  }

  /** The audits the caller may see: the tenant scope, and never a draft for a vendor contact. */
  private visible(m: EntityManager, actor: Actor = RequestContext.actor()) {
    const qb = scoped(m, AuditRequest, 'a', actor);
    if (actor.role === 'vendor_contact') qb.andWhere(`a.status <> 'draft'`);
    return qb;
  }

  async load(m: EntityManager, id: string, opts: { lock?: boolean } = {}): Promise<AuditRequest> {
    const a = await findScoped(m, AuditRequest, id, 'audit', opts);
    if (a.status === 'draft' && RequestContext.actor().role === 'vendor_contact') throw new NotFound('audit', id);
    return a;
  }

  // ---- create ----

  async create(input: CreateAuditInput): Promise<AuditDetail> {
    const actor = RequestContext.actor();
    const id = await this.dataSource.transaction(async (m) => {
      await this.assertVendor(m, input.vendorId);
      await this.assertScope(m, input);
      const today = todayUtc();
      const errors: FieldError[] = [];
      input.items.forEach((item, i) => {
        if (item.dueDate < today) errors.push({ path: `items.${i}.dueDate`, message: 'must be today or later' });
      });
      if (errors.length) throw new Invalid('audit.invalid_items', 'Some requested items are invalid', errors);
      for (const [i, item] of input.items.entries())
        if (item.vendorOwnerId) await this.assertContact(m, input.vendorId, item.vendorOwnerId, `items.${i}.vendorOwnerId`);
      const e = await this.computeFor(m, {
        vendorId: input.vendorId,
        contractId: input.contractId,
        mode: input.mode,
        proposedStart: input.proposedStart,
        regulator: input.auditorKind === 'regulator',
        issuedAt: new Date(),
      });
      if (!e.allowed && !input.override) throw notEntitled(e);
      const clause = e.contractId
        ? (((await m.query(`SELECT clauses FROM contracts WHERE id = $1`, [e.contractId])) as { clauses: ContractClauses }[])[0]?.clauses
            .rightToAudit ?? null)
        : null;
      const overridden = !e.allowed;
      const a = await m.save(
        m.create(AuditRequest, {
          organizationId: actor.organizationId,
          vendorId: input.vendorId,
          contractId: e.contractId,
          clause: clause ? { ...clause, noticeBasis: clause.noticeBasis ?? 'calendar' } : null,
          clauseName: e.clause?.name ?? null,
          title: input.title,
          mode: input.mode,
          auditorKind: input.auditorKind,
          auditorName: input.auditorName ?? null,
          scopeServiceIds: input.scope.serviceIds,
          scopeTopics: input.scope.topics,
          scopeSystemIds: input.scope.systemIds,
          objectives: input.objectives,
          windowStart: input.proposedStart,
          windowEnd: input.proposedEnd,
          timeZone: input.timeZone,
          status: 'draft',
          entitlement: e,
          overrideReason: overridden ? input.override!.reason : null,
          overrideBy: overridden ? actor.userId : null,
          overrideAt: overridden ? new Date() : null,
          outsideEntitlement: !e.clause,
          attendees: [],
          createdBy: actor.userId,
        }),
      );
      for (const item of input.items)
        await m.insert(AuditItem, {
          organizationId: actor.organizationId,
          vendorId: a.vendorId,
          auditId: a.id,
          reference: item.reference,
          description: item.details,
          dueDate: item.dueDate,
          ownerId: item.vendorOwnerId ?? null,
          status: 'requested',
          evidenceIds: [],
        });
      await this.record(m, a, 'created', null, 'draft', null);
      if (overridden)
        await this.record(m, a, 'override', null, null, `${e.reasons.map((r) => r.rule).join(', ')}: ${input.override!.reason}`);
      await this.audit.append(m, {
        action: 'audit_request.created',
        entityType: 'audit_request',
        entityId: a.id,
        diff: {
          vendorId: a.vendorId,
          contractId: a.contractId,
          title: a.title,
          mode: a.mode,
          auditorKind: a.auditorKind,
          window: { start: a.windowStart, end: a.windowEnd, timeZone: a.timeZone },
          items: input.items.map((i) => i.reference),
          entitlement: {
            allowed: e.allowed,
            reasons: e.reasons.map((r) => r.rule),
            earliestStart: e.earliestStart,
            auditsInWindow: e.auditsInWindow,
          },
          ...(overridden ? { override: { reason: input.override!.reason, rules: e.reasons.map((r) => r.rule) } } : {}),
          outsideEntitlement: a.outsideEntitlement,
        },
      });
      return a.id;
    });
    return this.get(id);
  }

  // ---- transitions ----

  async transition(id: string, input: AuditTransitionInput): Promise<AuditDetail> {
    const actor = RequestContext.actor();
    const side = sideOf(actor);
    await this.dataSource.transaction(async (m) => {
      const a = await this.load(m, id, { lock: true });
      const needed = AUDIT_TRANSITION_SIDE[input.to];
      if (side !== needed)
        throw new DomainException(
          'auth.forbidden',
          'forbidden',
          needed === 'vendor'
            ? `Only the vendor's contacts move an audit to ${input.to}`
            : `Only the organization moves an audit to ${input.to}`,
        );
      if (input.version !== undefined && input.version !== a.version)
        throw new Conflict('audit.stale', 'This audit was changed by someone else. Reload and try again.');
      if (!allowedAuditTransitions(a.status).includes(input.to))
        throw new Conflict('audit.illegal_transition', `An audit that is ${label(a.status)} cannot move to ${label(input.to)}`);
      const from = a.status;
      const needsReason = input.to === 'refused' || input.to === 'cancelled' || input.to === 'escalated';
      if (needsReason && !input.reason)
        throw new Invalid('audit.invalid_transition', `Say why the audit is ${label(input.to)}`, [{ path: 'reason', message: 'required' }]);
      if (input.override && input.to !== 'issued')
        throw new Invalid('audit.invalid_transition', 'An override is recorded when the audit is issued', [
          { path: 'override', message: 'only when issuing' },
        ]);
      const diff: Record<string, unknown> = { status: { from, to: input.to }, reason: input.reason ?? null };
      let kind = 'transition';
      let note = input.reason ?? null;

      switch (input.to) {
        case 'issued': {
          const now = new Date();
          const e = await this.computeFor(m, this.askOf(a, now));
          if (!e.allowed) {
            if (input.override) {
              a.overrideReason = input.override.reason;
              a.overrideBy = actor.userId;
              a.overrideAt = now;
              diff['override'] = { reason: input.override.reason, rules: e.reasons.map((r) => r.rule) };
              await this.record(m, a, 'override', null, null, `${e.reasons.map((r) => r.rule).join(', ')}: ${input.override.reason}`);
            } else if (!a.overrideReason) throw notEntitled(e);
            else
              diff['override'] = { reason: a.overrideReason, rules: e.reasons.map((r) => r.rule), recordedAt: a.overrideAt?.toISOString() };
          }
          a.entitlement = e;
          a.issuedAt = now;
          diff['entitlement'] = {
            allowed: e.allowed,
            reasons: e.reasons.map((r) => r.rule),
            earliestStart: e.earliestStart,
            auditsInWindow: e.auditsInWindow,
          };
          break;
        }
        case 'acknowledged': {
          if (from === 'acknowledged' && !input.window)
            throw new Conflict('audit.illegal_transition', 'The audit is acknowledged already; propose a window to counter it');
          if (input.window) {
            const e = await this.computeFor(m, { ...this.askOf(a, a.issuedAt ?? new Date()), proposedStart: input.window.start });
            const broken = e.reasons.filter((r) => r.rule === 'notice_period' || r.rule === 'allowance_exceeded');
            if (broken.length)
              throw new Invalid(
                'audit.counter_not_entitled',
                'The proposed window is outside the entitlement',
                broken.map((r) => ({ path: 'window.start', message: `${r.rule}: ${r.message}` })),
              );
            a.counterStart = input.window.start;
            a.counterEnd = input.window.end;
            a.counterNote = input.reason ?? null;
            a.counterAt = new Date();
            diff['counterProposal'] = input.window;
            kind = from === 'acknowledged' ? 'counter_proposed' : 'transition';
            note = `Proposed window ${input.window.start} – ${input.window.end}${input.reason ? `: ${input.reason}` : ''}`;
          }
          break;
        }
        case 'scheduled':
          if (a.counterStart)
            throw new Conflict('audit.counter_pending', 'The vendor proposed another window: accept or reject it before scheduling');
          break;
        case 'fieldwork':
          if (!input.fieldwork)
            throw new Invalid('audit.invalid_transition', 'Fieldwork has dates', [
              { path: 'fieldwork', message: 'give its start, end and attendees' },
            ]);
          a.fieldworkStart = input.fieldwork.start;
          a.fieldworkEnd = input.fieldwork.end;
          a.attendees = input.fieldwork.attendees;
          diff['fieldwork'] = input.fieldwork;
          break;
        case 'report_issued':
          if (!input.reportEvidenceId)
            throw new Invalid('audit.invalid_transition', 'Issuing the report needs the report', [
              { path: 'reportEvidenceId', message: 'upload the report to the evidence vault and give its id' },
            ]);
          await assertEvidenceOf(m, a.vendorId, [input.reportEvidenceId], {
            code: 'audit.invalid_evidence',
            message: 'The report must be an evidence item of the audit’s vendor',
          }).catch((err: unknown) => {
            if (err instanceof Invalid)
              throw new Invalid('audit.invalid_evidence', err.message, [
                { path: 'reportEvidenceId', message: 'not evidence of this vendor' },
              ]);
            throw err;
          });
          a.reportEvidenceId = input.reportEvidenceId;
          diff['reportEvidenceId'] = input.reportEvidenceId;
          break;
        case 'closed': {
          const open: { id: string; title: string; status: FindingStatus }[] = await m.query(
            `SELECT id, title, ${effectiveFindingStatus('$5')} AS status FROM findings
              WHERE organization_id = $1 AND vendor_id = $2 AND source = 'audit' AND source_id = $3
                AND NOT (${effectiveFindingStatus('$5')} = ANY($4::text[]))`,
            [a.organizationId, a.vendorId, a.id, AUDIT_CLOSABLE_FINDING_STATUSES, todayUtc()],
          );
          if (open.length)
            throw new Conflict(
              'audit.findings_open',
              `Every finding of the audit must be closed, risk-accepted or in remediation first: ${open.map((f) => `"${f.title}" (${label(f.status)})`).join(', ')}`,
            );
          a.closedAt = new Date();
          break;
        }
        case 'refused':
          a.refusalReason = input.reason!;
          break;
        case 'escalated':
          await this.outbox.add(m, 'audits.refusal-finding', { organizationId: a.organizationId, auditId: a.id });
          break;
        case 'cancelled':
          a.cancelReason = input.reason!;
          a.counterStart = a.counterEnd = a.counterNote = null;
          a.counterAt = null;
          break;
      }
      a.status = input.to;
      await m.save(a);
      await this.record(m, a, kind, from, input.to, note);
      await this.audit.append(m, {
        action: `audit_request.${kind === 'counter_proposed' ? 'counter_proposed' : input.to}`,
        entityType: 'audit_request',
        entityId: a.id,
        diff,
      });
      await this.tell(m, a, from, input, side);
    });
    return this.get(id);
  }

  /** Accepts the vendor's counter-proposed window (it becomes the audit's) or rejects it (the requested window stands). */
  async decideWindow(id: string, input: { accept: boolean; comment?: string }): Promise<AuditDetail> {
    await this.dataSource.transaction(async (m) => {
      const a = await this.load(m, id, { lock: true });
      if (!a.counterStart || !a.counterEnd) throw new Conflict('audit.no_counter_proposal', 'The vendor has not proposed another window');
      const proposed = { start: a.counterStart, end: a.counterEnd };
      const previous = { start: a.windowStart, end: a.windowEnd };
      if (input.accept) {
        a.windowStart = proposed.start;
        a.windowEnd = proposed.end;
      }
      a.counterStart = a.counterEnd = a.counterNote = null;
      a.counterAt = null;
      await m.save(a);
      const kind = input.accept ? 'window_accepted' : 'window_rejected';
      await this.record(m, a, kind, a.status, a.status, `${proposed.start} – ${proposed.end}${input.comment ? `: ${input.comment}` : ''}`);
      await this.audit.append(m, {
        action: `audit_request.${kind}`,
        entityType: 'audit_request',
        entityId: a.id,
        diff: { proposed, window: input.accept ? { from: previous, to: proposed } : previous, comment: input.comment ?? null },
      });
      await this.notifier.notify(
        a.organizationId,
        { vendorContactsOf: a.vendorId },
        {
          title: `Audit window ${input.accept ? 'accepted' : 'not accepted'}: ${a.title}`,
          body: input.accept
            ? `Your proposed window ${proposed.start} – ${proposed.end} for "${a.title}" was accepted.`
            : `Your proposed window ${proposed.start} – ${proposed.end} for "${a.title}" was not accepted; the audit stays on ${a.windowStart} – ${a.windowEnd}.${input.comment ? ` ${input.comment}` : ''}`,
          link: `/vendor-home/audits/${a.id}`,
          key: `audit-${a.id}-v${a.version}-window`,
        },
        m,
      );
    });
    return this.get(id);
  }

  private askOf(a: AuditRequest, issuedAt: Date): EntitlementAsk {
    return {
      vendorId: a.vendorId,
      contractId: a.contractId ?? undefined,
      mode: a.mode,
      proposedStart: a.windowStart,
      regulator: a.auditorKind === 'regulator',
      issuedAt,
      auditId: a.id,
    };
  }

  /** The other side is told what happened and what is now up to it; an escalation goes to procurement and the vendor's owner. */
  private async tell(
    m: EntityManager,
    a: AuditRequest,
    from: AuditStatus,
    input: AuditTransitionInput,
    side: 'vendor' | 'internal' | 'system',
  ) {
    const key = `audit-${a.id}-v${a.version}`;
    if (input.to === 'escalated') {
      await this.notifier.notify(
        a.organizationId,
        { roles: ['procurement'], vendorOwnerOf: a.vendorId },
        {
          title: `Audit refused and escalated: ${a.title}`,
          body: [
            `The vendor refused the audit "${a.title}" (window ${a.windowStart} – ${a.windowEnd}, issued ${a.issuedAt?.toISOString().slice(0, 10) ?? 'never'}).`,
            `Vendor's reason: ${a.refusalReason ?? ''}`,
            `Escalation: ${input.reason ?? ''}`,
            a.entitlement?.clause
              ? `Clause: ${a.entitlement.clause.text}`
              : 'No right-to-audit clause applied: the audit was outside the contractual entitlement.',
            a.entitlement?.earliestStart ? `Earliest permitted start: ${a.entitlement.earliestStart}.` : '',
            'A finding was opened against the vendor.',
          ]
            .filter(Boolean)
            .join('\n'),
          link: `/audits/${a.id}`,
          key,
        },
        m,
      );
      return;
    }
    if (input.to === 'cancelled' && from === 'draft') return;
    await this.notifier.notify(
      a.organizationId,
      side === 'vendor' ? { vendorOwnerOf: a.vendorId, roles: ['vendor_manager'] } : { vendorContactsOf: a.vendorId },
      {
        title: `Audit ${input.window && input.to === 'acknowledged' ? 'window proposed' : label(input.to)}: ${a.title}`,
        body: `The audit "${a.title}" (${a.windowStart} – ${a.windowEnd}) moved from ${label(from)} to ${label(input.to)}.${input.window ? ` Proposed window: ${input.window.start} – ${input.window.end}.` : ''}${input.reason ? ` Note: ${input.reason}` : ''}`,
        link: side === 'vendor' ? `/audits/${a.id}` : `/vendor-home/audits/${a.id}`,
        key,
      },
      m,
    );
  }

  // ---- shared ----

  async record(
    m: EntityManager,
    a: { id: string; vendorId: string },
    kind: string,
    fromStatus: AuditStatus | null,
    toStatus: AuditStatus | null,
    note: string | null,
    itemId: string | null = null,
  ) {
    const actor = RequestContext.actor();
    await m.insert(AuditEvent, {
      organizationId: actor.organizationId,
      vendorId: a.vendorId,
      auditId: a.id,
      itemId,
      kind,
      fromStatus,
      toStatus,
      note,
      actorId: actor.userId,
      actorSide: sideOf(actor),
    });
  }

  private async assertVendor(m: EntityManager, vendorId: string): Promise<void> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM vendors WHERE id = $1 AND organization_id = $2`, [
      vendorId,
      RequestContext.actor().organizationId,
    ]);
    if (!rows.length) throw new Invalid('audit.invalid_vendor', 'No such vendor', [{ path: 'vendorId', message: 'no such vendor' }]);
  }

  async assertContact(m: EntityManager, vendorId: string, userId: string, path: string): Promise<void> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM users WHERE id = $1 AND organization_id = $2 AND vendor_id = $3 AND role = 'vendor_contact' AND active`,
      [userId, RequestContext.actor().organizationId, vendorId],
    );
    if (!rows.length)
      throw new Invalid('audit.invalid_owner', 'The owner must be an active contact of the vendor', [
        { path, message: 'not an active contact of this vendor' },
      ]);
  }

  private async assertScope(m: EntityManager, input: CreateAuditInput): Promise<void> {
    const org = RequestContext.actor().organizationId;
    const errors: FieldError[] = [];
    if (input.scope.serviceIds.length) {
      const found: { id: string }[] = await m.query(
        `SELECT id FROM services WHERE id = ANY($1::uuid[]) AND organization_id = $2 AND vendor_id = $3`,
        [input.scope.serviceIds, org, input.vendorId],
      );
      input.scope.serviceIds.forEach((s, i) => {
        if (!found.some((f) => f.id === s)) errors.push({ path: `scope.serviceIds.${i}`, message: 'not a service of this vendor' });
      });
    }
    if (input.scope.systemIds.length) {
      const found: { id: string }[] = await m.query(`SELECT id FROM internal_systems WHERE id = ANY($1::uuid[]) AND organization_id = $2`, [
        input.scope.systemIds,
        org,
      ]);
      input.scope.systemIds.forEach((s, i) => {
        if (!found.some((f) => f.id === s)) errors.push({ path: `scope.systemIds.${i}`, message: 'no such internal system' });
      });
    }
    if (errors.length) throw new Invalid('audit.invalid_scope', 'The scope names what the organization does not have', errors);
  }

  async views(m: EntityManager, rows: AuditRequest[]): Promise<AuditView[]> {
    if (!rows.length) return [];
    const today = todayUtc();
    const internal = RequestContext.actor().role !== 'vendor_contact';
    const vendors: { id: string; name: string }[] = await m.query(`SELECT id, name FROM vendors WHERE id = ANY($1::uuid[])`, [
      [...new Set(rows.map((r) => r.vendorId))],
    ]);
    const counts: { audit_id: string; total: number; accepted: number; overdue: number }[] = await m.query(
      `SELECT audit_id, count(*)::int AS total, count(*) FILTER (WHERE status = 'accepted')::int AS accepted,
              count(*) FILTER (WHERE status <> 'accepted' AND due_date < $2::date)::int AS overdue
         FROM audit_request_items WHERE audit_id = ANY($1::uuid[]) GROUP BY audit_id`,
      [rows.map((r) => r.id), today],
    );
    return rows.map((a) => {
      const c = counts.find((x) => x.audit_id === a.id);
      return {
        id: a.id,
        vendorId: a.vendorId,
        vendorName: vendors.find((v) => v.id === a.vendorId)?.name ?? '',
        contractId: a.contractId,
        clauseName: a.clauseName,
        title: a.title,
        mode: a.mode,
        auditorKind: a.auditorKind,
        auditorName: a.auditorName,
        status: a.status,
        windowStart: a.windowStart,
        windowEnd: a.windowEnd,
        timeZone: a.timeZone,
        itemsTotal: c?.total ?? 0,
        itemsAccepted: c?.accepted ?? 0,
        // Only audits still being worked have overdue items.
        itemsOverdue: ['closed', 'cancelled', 'escalated', 'refused'].includes(a.status) ? 0 : (c?.overdue ?? 0),
        overrideReason: internal ? a.overrideReason : null,
        outsideEntitlement: a.outsideEntitlement,
        issuedAt: a.issuedAt?.toISOString() ?? null,
        updatedAt: a.updatedAt.toISOString(),
        version: a.version,
      };
    });
  }

  /**
   * One audit with its items, findings and history. Vendor contacts see the clause, the window, the items and the
   * history, not the organization's planning: the internal systems in scope, the entitlement worked out and the override.
   */
  async detail(m: EntityManager, a: AuditRequest): Promise<AuditDetail> {
    const internal = RequestContext.actor().role !== 'vendor_contact';
    const today = todayUtc();
    const [view] = await this.views(m, [a]);
    const items = await scoped(m, AuditItem, 'i')
      .andWhere('i.auditId = :id', { id: a.id })
      .orderBy('i.dueDate')
      .addOrderBy('i.reference')
      .getMany();
    const events = await scoped(m, AuditEvent, 'e')
      .andWhere('e.auditId = :id', { id: a.id })
      .andWhere(internal ? '1 = 1' : `e.kind <> 'override'`)
      .orderBy('e.createdAt')
      .addOrderBy('e.id')
      .getMany();
    const findings: { id: string; title: string; severity: FindingSeverity; status: FindingStatus; due_date: string }[] = await m.query(
      `SELECT id, title, severity, ${effectiveFindingStatus('$4')} AS status, to_char(due_date, 'YYYY-MM-DD') AS due_date FROM findings
        WHERE organization_id = $1 AND vendor_id = $2 AND source = 'audit' AND source_id = $3 ORDER BY raised_at, id`,
      [a.organizationId, a.vendorId, a.id, todayUtc()],
    );
    const userIds = [
      ...new Set([...events.map((e) => e.actorId), ...items.map((i) => i.ownerId), a.overrideBy].filter((x): x is string => !!x)),
    ];
    const users: { id: string; name: string | null; email: string }[] = userIds.length
      ? await m.query(`SELECT id, name, email FROM users WHERE id = ANY($1::uuid[])`, [userIds])
      : [];
    const nameOf = (id: string | null) => {
      const u = users.find((x) => x.id === id);
      return u ? (u.name ?? u.email) : null;
    };
    return {
      ...view!,
      scope: { serviceIds: a.scopeServiceIds, topics: a.scopeTopics, systemIds: internal ? a.scopeSystemIds : [] },
      objectives: a.objectives,
      clause: a.clause ? { ...a.clause, noticeBasis: a.clause.noticeBasis ?? 'calendar' } : null,
      // Entitlements stored before holidays were modelled have no `holidaysSkipped`: none were.
      entitlement: internal && a.entitlement ? { ...a.entitlement, holidaysSkipped: a.entitlement.holidaysSkipped ?? [] } : null,
      overrideByName: internal ? nameOf(a.overrideBy) : null,
      counterProposal:
        a.counterStart && a.counterEnd && a.counterAt
          ? { start: a.counterStart, end: a.counterEnd, note: a.counterNote, proposedAt: a.counterAt.toISOString() }
          : null,
      refusalReason: a.refusalReason,
      cancelReason: a.cancelReason,
      fieldworkStart: a.fieldworkStart,
      fieldworkEnd: a.fieldworkEnd,
      attendees: a.attendees,
      reportEvidenceId: a.reportEvidenceId,
      closedAt: a.closedAt?.toISOString() ?? null,
      allowedTransitions: allowedAuditTransitions(a.status),
      items: items.map((i) => ({
        id: i.id,
        reference: i.reference,
        details: i.description,
        dueDate: i.dueDate,
        vendorOwnerId: i.ownerId,
        vendorOwnerName: nameOf(i.ownerId),
        status: i.status,
        overdue: itemOverdue(i, today),
        evidenceIds: i.evidenceIds,
        notApplicableReason: i.notApplicableReason,
        responseNote: i.responseNote,
        respondedAt: i.respondedAt?.toISOString() ?? null,
        decidedAt: i.decidedAt?.toISOString() ?? null,
        version: i.version,
      })),
      findings: findings.map((f) => ({ id: f.id, title: f.title, severity: f.severity, status: f.status, dueDate: f.due_date })),
      events: events.map((e) => ({
        id: e.id,
        kind: e.kind,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        itemId: e.itemId,
        note: e.note,
        actorName: nameOf(e.actorId),
        actorSide: e.actorSide,
        at: e.createdAt.toISOString(),
      })),
    };
  }
}
