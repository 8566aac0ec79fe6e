import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import {
  addMonths,
  ANSWERING_STATUSES,
  campaignFilterSummary,
  checkAnswerValue,
  isRequestOverdue,
  OPEN_REQUEST_STATUSES,
  RECURRENCE_MONTHS,
  type AnswerValue,
  type CampaignDetail,
  type CampaignFilter,
  type campaignListQuery,
  type CampaignPreview,
  type CampaignSkipReason,
  type CampaignSummary,
  type CampaignTarget,
  type CreateCampaignInput,
  type Input,
  type LIFECYCLES,
  type Page,
  type PreviewCampaignInput,
  type QuestionnaireRequestStatus,
  type SERVICE_KINDS,
  type TIERS,
} from '@bulwark/api-schema';
import { InvitationService } from '@bulwark/identity';
import {
  AuditLogService,
  Conflict,
  findScoped,
  Invalid,
  likePattern,
  RequestContext,
  scoped,
  systemActor,
  todayUtc,
} from '@bulwark/platform';

import { QuestionnaireCampaign } from './questionnaire-campaign.entities.js';
import { QuestionnaireRequestService, sendableVersion, type RequestToSend } from './questionnaire-request.service.js';
import { QuestionnaireTemplate, QuestionnaireTemplateVersion } from './questionnaire-template.entities.js';

interface VendorRow {
  id: string;
  name: string;
  tier: (typeof TIERS)[number];
  lifecycle: (typeof LIFECYCLES)[number];
  kinds: (typeof SERVICE_KINDS)[number][];
  contacts: string[];
  /** The contact on file to invite with the request when the vendor has no portal account (and the campaign invites). */
  invitee: { name: string; email: string } | null;
  open: boolean;
}

export interface CycleResult {
  number: number;
  created: number;
  prefilled: number;
  skipped: number;
}

const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Questionnaire campaigns: one published template version sent to every vendor a filter targets (tier, service
 * kind, lifecycle, as the vendor list filters), once or recurring. Each cycle re-evaluates the filter, skips
 * vendors without an active portal contact or with a request of the template still open, and sends the others one
 * request each through the request-sending path (`QuestionnaireRequestService.insertRequests`: batched inserts,
 * notices and mails through the outbox), pre-filled from the vendor's last accepted answers to the same question
 * keys. A cycle is one transaction with its audit entry, under the campaign's row lock; its requests are unique per
 * (campaign, cycle, vendor), so a cycle run twice or by two processes at once creates each request once.
 */
@Injectable()
export class QuestionnaireCampaignService {
  private readonly logger = new Logger('QuestionnaireCampaigns');

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly requests: QuestionnaireRequestService,
    private readonly invitations: InvitationService,
  ) {}

  /** Who a campaign would target now, and who it would skip and why; nothing is written. */
  async preview(input: PreviewCampaignInput): Promise<CampaignPreview> {
    const m = this.dataSource.manager;
    const version = (await sendableVersion(m, input.templateVersionId, 'questionnaire_campaign')).version;
    return this.previewOf(
      input.filter,
      await this.vendors(m, RequestContext.actor().organizationId, input.filter, version.templateId, input.inviteContacts),
    );
  }

  /** Creates the campaign and runs its first cycle, in one transaction with its audit entry. */
  async create(input: CreateCampaignInput): Promise<CampaignDetail> {
    const actor = RequestContext.actor();
    const today = todayUtc();
    const id = await this.dataSource.transaction(async (m) => {
      const version = (await sendableVersion(m, input.templateVersionId, 'questionnaire_campaign')).version;
      const vendors = await this.vendors(m, actor.organizationId, input.filter, version.templateId, input.inviteContacts);
      const preview = this.previewOf(input.filter, vendors);
      if (!preview.targeted)
        throw new Invalid('questionnaire_campaign.no_target', 'The campaign would send nothing', [
          {
            path: 'filter',
            message: preview.matched
              ? `the ${preview.matched} vendor${preview.matched === 1 ? '' : 's'} it matches are all skipped (no portal account or contact on file to invite, or a request of this template still open)`
              : 'no vendor matches the filter',
          },
        ]);
      const c = await m.save(
        m.create(QuestionnaireCampaign, {
          organizationId: actor.organizationId,
          name: input.name || `${version.content.name}: ${campaignFilterSummary(input.filter)}`.slice(0, 200),
          templateId: version.templateId,
          templateVersionId: version.id,
          filter: input.filter,
          dueInDays: input.dueInDays,
          recurrence: input.recurrence ?? null,
          message: input.message || null,
          inviteContacts: input.inviteContacts,
          status: 'active',
          nextCycleOn: today,
          cycles: 0,
          createdBy: actor.userId,
          pausedAt: null,
          cancelledAt: null,
          cancelledBy: null,
          cancelReason: null,
        }),
      );
      const cycle = await this.cycleIn(m, c, version, vendors, today);
      await this.audit.append(m, {
        action: 'questionnaire_campaign.created',
        entityType: 'questionnaire_campaign',
        entityId: c.id,
        diff: {
          name: c.name,
          templateId: c.templateId,
          templateVersion: version.version,
          filter: input.filter,
          dueInDays: c.dueInDays,
          recurrence: c.recurrence,
          cycle: cycle.number,
          requests: cycle.created,
          skipped: cycle.skipped,
          nextCycleOn: c.nextCycleOn,
        },
      });
      return c.id;
    });
    return this.get(id);
  }

  async list(q: Input<typeof campaignListQuery>): Promise<Page<CampaignSummary>> {
    const m = this.dataSource.manager;
    const qb = scoped(m, QuestionnaireCampaign, 'c');
    if (q.status) qb.andWhere('c.status = :status', { status: q.status });
    if (q.search) qb.andWhere('c.name ILIKE :s', { s: likePattern(q.search) });
    qb.orderBy('c.createdAt', 'DESC').addOrderBy('c.id');
    const [rows, total] = await qb
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    const extra = await this.summaryData(m, rows);
    return { items: rows.map((c) => this.summary(c, extra)), total, page: q.page, pageSize: q.pageSize };
  }

  async get(id: string): Promise<CampaignDetail> {
    const m = this.dataSource.manager;
    const c = await findScoped(m, QuestionnaireCampaign, id, 'questionnaire_campaign');
    const extra = await this.summaryData(m, [c]);
    const today = todayUtc();
    const cycles: {
      number: number;
      ran_at: Date;
      template_version: number;
      due_date: string;
      created: number;
      prefilled: number;
      skipped: { vendorId: string; vendorName: string; reason: CampaignSkipReason }[];
    }[] = await m.query(
      `SELECT number, ran_at, template_version, to_char(due_date, 'YYYY-MM-DD') AS due_date, created, prefilled, skipped
         FROM questionnaire_campaign_cycles WHERE campaign_id = $1 ORDER BY number DESC`,
      [c.id],
    );
    const requests: {
      id: string;
      cycle: number;
      vendor_id: string;
      vendor_name: string;
      status: QuestionnaireRequestStatus;
      due_date: string;
      score_percent: string | null;
      prefilled: boolean;
    }[] = await m.query(
      `SELECT r.id, r.campaign_cycle AS cycle, r.vendor_id, v.name AS vendor_name, r.status, to_char(r.due_date, 'YYYY-MM-DD') AS due_date,
              r.score_percent, r.prefilled_from IS NOT NULL OR r.prefilled_accepted_at IS NOT NULL AS prefilled
         FROM questionnaire_requests r JOIN vendors v ON v.id = r.vendor_id
        WHERE r.campaign_id = $1 AND r.organization_id = $2
        ORDER BY r.campaign_cycle DESC, v.name, r.id`,
      [c.id, c.organizationId],
    );
    return {
      ...this.summary(c, extra),
      message: c.message,
      pausedAt: c.pausedAt?.toISOString() ?? null,
      cancelledAt: c.cancelledAt?.toISOString() ?? null,
      cancelReason: c.cancelReason,
      cycleList: cycles.map((x) => ({
        number: x.number,
        ranAt: x.ran_at.toISOString(),
        templateVersion: x.template_version,
        dueDate: x.due_date,
        created: x.created,
        prefilled: x.prefilled,
        skipped: x.skipped,
      })),
      requestList: requests.map((r) => ({
        id: r.id,
        cycle: r.cycle,
        vendorId: r.vendor_id,
        vendorName: r.vendor_name,
        status: r.status,
        dueDate: r.due_date,
        overdue: isRequestOverdue({ status: r.status, dueDate: r.due_date }, today),
        scorePercent: r.score_percent === null ? null : Number(r.score_percent),
        prefilled: r.prefilled,
      })),
    };
  }

  /** Pauses an active campaign: no cycle runs until it is resumed. Sent requests go on. */
  async pause(id: string): Promise<CampaignDetail> {
    return this.transition(id, 'paused', ['active'], null);
  }

  /** Resumes a paused campaign; a cycle whose date passed meanwhile runs at the next sweep. */
  async resume(id: string): Promise<CampaignDetail> {
    return this.transition(id, 'active', ['paused'], null);
  }

  /** Stops a campaign for good: no further cycle. Requests already sent stay (each can be cancelled on its own). */
  async cancel(id: string, reason: string): Promise<CampaignDetail> {
    return this.transition(id, 'cancelled', ['active', 'paused'], reason);
  }

  private async transition(
    id: string,
    to: 'active' | 'paused' | 'cancelled',
    from: readonly QuestionnaireCampaign['status'][],
    reason: string | null,
  ): Promise<CampaignDetail> {
    const actor = RequestContext.actor();
    await this.dataSource.transaction(async (m) => {
      const c = await findScoped(m, QuestionnaireCampaign, id, 'questionnaire_campaign', { lock: true });
      if (!from.includes(c.status))
        throw new Conflict('questionnaire_campaign.invalid_transition', `The campaign is ${c.status}: it cannot become ${to} now`);
      const was = c.status;
      c.status = to;
      c.pausedAt = to === 'paused' ? new Date() : null;
      if (to === 'cancelled')
        Object.assign(c, { cancelledAt: new Date(), cancelledBy: actor.userId, cancelReason: reason, nextCycleOn: null });
      await m.save(c);
      await this.audit.append(m, {
        action: `questionnaire_campaign.${to === 'active' ? 'resumed' : to}`,
        entityType: 'questionnaire_campaign',
        entityId: c.id,
        diff: { status: { from: was, to }, ...(reason ? { reason } : {}) },
      });
    });
    return this.get(id);
  }

  /**
   * Runs every cycle due by `now` (all organizations): the periodic job's work. A campaign is locked while its
   * cycle runs and re-read under the lock, so two runs at once (two workers) run each cycle once.
   */
  async runDue(now = new Date()): Promise<CycleResult[]> {
    const today = now.toISOString().slice(0, 10);
    const due: { id: string; organization_id: string }[] = await this.dataSource.query(
      `SELECT id, organization_id FROM questionnaire_campaigns WHERE status = 'active' AND next_cycle_on <= $1::date ORDER BY next_cycle_on, id`,
      [today],
    );
    const out: CycleResult[] = [];
    for (const d of due) {
      try {
        const r = await RequestContext.runAs(systemActor(d.organization_id, 'campaigns@bulwark'), () => this.runCycle(d.id, today));
        if (r) out.push(r);
      } catch (err) {
        // One campaign's failure (its template gone) never stops the others; the next run tries it again.
        this.logger.error(`Campaign ${d.id}: the cycle failed: ${(err as Error).message}`);
      }
    }
    return out;
  }

  /** Runs the campaign's due cycle, if it still is due (re-read under the lock). */
  private async runCycle(id: string, today: string): Promise<CycleResult | null> {
    return this.dataSource.transaction(async (m) => {
      const c = await findScoped(m, QuestionnaireCampaign, id, 'questionnaire_campaign', { lock: true });
      if (c.status !== 'active' || !c.nextCycleOn || c.nextCycleOn > today) return null;
      const version = await scoped(m, QuestionnaireTemplateVersion, 'v')
        .innerJoin(QuestionnaireTemplate, 't', 't.id = v.templateId AND t.archivedAt IS NULL')
        .andWhere(`v.templateId = :t AND v.status = 'published'`, { t: c.templateId })
        .orderBy('v.version', 'DESC')
        .getOne();
      if (!version) {
        // The template was archived: nothing is sent, and the campaign waits for its next date.
        const scheduled = c.nextCycleOn;
        this.advance(c, today);
        await m.save(c);
        await this.audit.append(m, {
          action: 'questionnaire_campaign.cycle_skipped',
          entityType: 'questionnaire_campaign',
          entityId: c.id,
          diff: { scheduledOn: scheduled, reason: 'the template is archived or has no published version', nextCycleOn: c.nextCycleOn },
        });
        return null;
      }
      const vendors = await this.vendors(m, c.organizationId, c.filter, c.templateId, c.inviteContacts);
      const result = await this.cycleIn(m, c, version, vendors, today);
      await this.audit.append(m, {
        action: 'questionnaire_campaign.cycle_run',
        entityType: 'questionnaire_campaign',
        entityId: c.id,
        diff: {
          cycle: result.number,
          templateVersion: version.version,
          requests: result.created,
          prefilled: result.prefilled,
          skipped: result.skipped,
          nextCycleOn: c.nextCycleOn,
        },
      });
      return result;
    });
  }

  /** One cycle, in the caller's transaction: the requests, the cycle's record and the campaign's next date. */
  private async cycleIn(
    m: EntityManager,
    c: QuestionnaireCampaign,
    version: QuestionnaireTemplateVersion,
    vendors: VendorRow[],
    today: string,
  ): Promise<CycleResult> {
    const number = c.cycles + 1;
    const dueDate = plusDays(today, c.dueInDays);
    const targeted = vendors.filter((v) => !skipReason(v));
    const skipped = vendors.flatMap((v) => {
      const reason = skipReason(v);
      return reason ? [{ vendorId: v.id, vendorName: v.name, reason }] : [];
    });
    const prefills = await this.prefills(
      m,
      c.templateId,
      version,
      targeted.map((v) => v.id),
    );
    const items: RequestToSend[] = targeted.map((v) => ({
      vendorId: v.id,
      vendorName: v.name,
      recipientIds: v.contacts,
      ...(prefills.has(v.id) ? { prefill: prefills.get(v.id)! } : {}),
    }));
    const sent = await this.requests.insertRequests(
      m,
      {
        organizationId: c.organizationId,
        version,
        dueDate,
        message: c.message,
        sentBy: RequestContext.actor().userId,
        campaignId: c.id,
        campaignCycle: number,
      },
      items,
    );
    const sentIds = new Set(sent.map((s) => s.vendorId));
    // The invitation and the request arrive together: an address the identity rules refuse, or a mail the queue cannot
    // take, fails the whole cycle (and is retried with it), never leaving a request nobody can open.
    for (const v of targeted)
      if (!v.contacts.length && v.invitee && sentIds.has(v.id))
        await this.invitations.inviteContactIn(
          m,
          { vendorId: v.id, email: v.invitee.email, name: v.invitee.name },
          `A questionnaire waits for you: "${version.content.name}", due on ${dueDate}. You will find it on your home page once your password is set.`,
        );
    const prefilled = items.filter((i) => i.prefill && sentIds.has(i.vendorId)).length;
    await m.query(
      `INSERT INTO questionnaire_campaign_cycles (organization_id, campaign_id, number, template_version_id, template_version, due_date, created, prefilled, skipped)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb) ON CONFLICT (campaign_id, number) DO NOTHING`,
      [c.organizationId, c.id, number, version.id, version.version, dueDate, sent.length, prefilled, JSON.stringify(skipped)],
    );
    c.cycles = number;
    this.advance(c, today);
    await m.save(c);
    return { number, created: sent.length, prefilled, skipped: skipped.length };
  }

  /** The next cycle's date: one period after the one just due (periods missed while down are not caught up one by one); none without a recurrence. */
  private advance(c: QuestionnaireCampaign, today: string): void {
    if (!c.recurrence) {
      Object.assign(c, { status: 'completed', nextCycleOn: null });
      return;
    }
    let next = addMonths(c.nextCycleOn ?? today, RECURRENCE_MONTHS[c.recurrence]);
    while (next <= today) next = addMonths(next, RECURRENCE_MONTHS[c.recurrence]);
    c.nextCycleOn = next;
  }

  /**
   * For each vendor, the answers of its last accepted request of the template to the questions of `version` with
   * the same key that the new question still takes (an option that was removed is not carried over). Evidence is
   * asked again: last cycle's report is not this cycle's.
   */
  private async prefills(
    m: EntityManager,
    templateId: string,
    version: QuestionnaireTemplateVersion,
    vendorIds: string[],
  ): Promise<Map<string, NonNullable<RequestToSend['prefill']>>> {
    const out = new Map<string, NonNullable<RequestToSend['prefill']>>();
    if (!vendorIds.length) return out;
    const questions = new Map(version.content.sections.flatMap((s) => s.questions.map((q) => [q.key, q] as const)));
    const rows: {
      request_id: string;
      vendor_id: string;
      accepted_at: Date;
      question_key: string | null;
      value: AnswerValue;
      comment: string | null;
    }[] = await m.query(
      `WITH last AS (
           SELECT DISTINCT ON (vendor_id) id, vendor_id, accepted_at FROM questionnaire_requests
            WHERE organization_id = $1 AND template_id = $2 AND status = 'accepted' AND vendor_id = ANY($3::uuid[])
            ORDER BY vendor_id, accepted_at DESC, id)
         SELECT last.id AS request_id, last.vendor_id, last.accepted_at, a.question_key, a.value, a.comment
           FROM last LEFT JOIN questionnaire_answers a ON a.request_id = last.id AND a.value IS NOT NULL AND a.value <> 'null'::jsonb`,
      [RequestContext.actor().organizationId, templateId, vendorIds],
    );
    for (const r of rows) {
      const p = out.get(r.vendor_id) ?? { fromRequestId: r.request_id, acceptedAt: r.accepted_at, answers: [] };
      out.set(r.vendor_id, p);
      const q = r.question_key ? questions.get(r.question_key) : undefined;
      if (!q || q.type === 'evidence') continue;
      const checked = checkAnswerValue(q, r.value);
      if (checked.ok && checked.value !== null) p.answers.push({ questionKey: q.key, value: checked.value, comment: r.comment });
    }
    for (const [k, p] of out) if (!p.answers.length) out.delete(k);
    return out;
  }

  /**
   * The vendors a filter matches, with their active portal contacts, whether a request of the template is open, and
   * (when `invite`) the contact on file to invite if there is no portal account: the primary one first, whose address
   * is no account's yet and has no open invitation (what the invitation rules would refuse is never chosen).
   */
  private vendors(m: EntityManager, organizationId: string, f: CampaignFilter, templateId: string, invite: boolean): Promise<VendorRow[]> {
    const list = (xs: readonly string[] | undefined) => (xs?.length ? [...xs] : null);
    return m.query(
      `SELECT v.id, v.name, v.tier, v.lifecycle,
              coalesce((SELECT array_agg(DISTINCT s.kind ORDER BY s.kind) FROM services s WHERE s.vendor_id = v.id), '{}') AS kinds,
              coalesce((SELECT array_agg(u.id ORDER BY u.id) FROM users u
                         WHERE u.organization_id = v.organization_id AND u.vendor_id = v.id AND u.role = 'vendor_contact' AND u.active), '{}') AS contacts,
              EXISTS (SELECT 1 FROM questionnaire_requests r WHERE r.vendor_id = v.id AND r.template_id = $2 AND r.status = ANY($3::text[])) AS open,
              CASE WHEN $7::boolean THEN (
                SELECT json_build_object('name', c.name, 'email', lower(trim(c.email))) FROM vendor_contacts c
                 WHERE c.vendor_id = v.id AND c.email LIKE '%_@_%'
                   AND NOT EXISTS (SELECT 1 FROM users u WHERE lower(u.email) = lower(trim(c.email)))
                   AND NOT EXISTS (SELECT 1 FROM invitations i WHERE lower(i.email) = lower(trim(c.email))
                                      AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now())
                 ORDER BY c.is_primary DESC, c.created_at, c.id LIMIT 1) END AS invitee
         FROM vendors v
        WHERE v.organization_id = $1
          AND ($4::text[] IS NULL OR v.tier = ANY($4::text[]))
          AND ($5::text[] IS NULL OR v.lifecycle = ANY($5::text[]))
          AND ($6::text[] IS NULL OR EXISTS (SELECT 1 FROM services s WHERE s.vendor_id = v.id AND s.kind = ANY($6::text[])))
        ORDER BY v.name, v.id`,
      [organizationId, templateId, [...OPEN_REQUEST_STATUSES], list(f.tiers), list(f.lifecycles), list(f.serviceKinds), invite],
    );
  }

  private previewOf(filter: CampaignFilter, vendors: VendorRow[]): CampaignPreview {
    const all: CampaignTarget[] = vendors.map((v) => ({
      vendorId: v.id,
      vendorName: v.name,
      tier: v.tier,
      lifecycle: v.lifecycle,
      serviceKinds: v.kinds,
      contacts: v.contacts.length,
      invitee: v.contacts.length ? null : v.invitee,
      skipReason: skipReason(v),
    }));
    const targeted = all.filter((v) => !v.skipReason);
    return {
      filterSummary: campaignFilterSummary(filter),
      matched: all.length,
      targeted: targeted.length,
      skipped: all.length - targeted.length,
      vendors: [...targeted, ...all.filter((v) => v.skipReason)],
    };
  }

  private async summaryData(m: EntityManager, rows: QuestionnaireCampaign[]) {
    const ids = rows.map((c) => c.id);
    const counts: { campaign_id: string; status: QuestionnaireRequestStatus; n: number; overdue: number }[] = ids.length
      ? await m.query(
          `SELECT campaign_id, status, count(*)::int AS n,
                  count(*) FILTER (WHERE due_date < $2::date AND status = ANY($3::text[]))::int AS overdue
             FROM questionnaire_requests WHERE campaign_id = ANY($1::uuid[]) GROUP BY campaign_id, status`,
          [ids, todayUtc(), [...ANSWERING_STATUSES]],
        )
      : [];
    const versions: { id: string; version: number; name: string }[] = ids.length
      ? await m.query(
          `SELECT v.id, v.version, t.name FROM questionnaire_template_versions v JOIN questionnaire_templates t ON t.id = v.template_id WHERE v.id = ANY($1::uuid[])`,
          [[...new Set(rows.map((c) => c.templateVersionId))]],
        )
      : [];
    const creators = [...new Set(rows.map((c) => c.createdBy).filter((x): x is string => !!x))];
    const names: { id: string; name: string }[] = creators.length
      ? await m.query(`SELECT id, coalesce(name, email) AS name FROM users WHERE id = ANY($1::uuid[])`, [creators])
      : [];
    return { counts, versions: new Map(versions.map((v) => [v.id, v])), names: new Map(names.map((n) => [n.id, n.name])) };
  }

  private summary(c: QuestionnaireCampaign, extra: Awaited<ReturnType<QuestionnaireCampaignService['summaryData']>>): CampaignSummary {
    const mine = extra.counts.filter((x) => x.campaign_id === c.id);
    const v = extra.versions.get(c.templateVersionId);
    return {
      id: c.id,
      name: c.name,
      templateId: c.templateId,
      templateName: v?.name ?? '',
      templateVersion: v?.version ?? 1,
      filter: c.filter,
      filterSummary: campaignFilterSummary(c.filter),
      dueInDays: c.dueInDays,
      recurrence: c.recurrence,
      inviteContacts: c.inviteContacts,
      status: c.status,
      nextCycleOn: c.status === 'active' || c.status === 'paused' ? c.nextCycleOn : null,
      cycles: c.cycles,
      requests: {
        total: mine.reduce((n, x) => n + x.n, 0),
        byStatus: Object.fromEntries(mine.map((x) => [x.status, x.n])) as Partial<Record<QuestionnaireRequestStatus, number>>,
        overdue: mine.reduce((n, x) => n + x.overdue, 0),
      },
      createdAt: c.createdAt.toISOString(),
      createdByName: c.createdBy ? (extra.names.get(c.createdBy) ?? null) : null,
    };
  }
}

function skipReason(v: VendorRow): CampaignSkipReason | null {
  if (v.open) return 'open_request';
  if (!v.contacts.length && !v.invitee) return 'no_contact';
  return null;
}
