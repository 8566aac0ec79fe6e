import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import {
  ANSWERING_STATUSES,
  checkAnswerValue,
  isAnswered,
  isNotApplicable,
  isRequestOverdue,
  OPEN_REQUEST_STATUSES,
  requestProgress,
  REVIEW_STATUSES,
  score,
  visibleQuestions,
  type Answers,
  type AnswerValue,
  type AnswerView,
  type CreateQuestionnaireRequestInput,
  type Input,
  type Page,
  type QuestionnaireRequestDetail,
  type questionnaireRequestListQuery,
  type QuestionnaireRequestStatus,
  type QuestionnaireRequestSummary,
  type QuestionnaireScore,
  type raiseAnswerFindingSchema,
  type ReviewQuestionnaireRequestInput,
  type SaveAnswerInput,
  type StaleAnswer,
  type TemplateDocument,
  type TemplateQuestion,
} from '@bulwark/api-schema';
import { assertEvidenceOf, linkCurrentRevisions } from '@bulwark/evidence';
import { FindingService } from '@bulwark/findings';
import { InvitationService } from '@bulwark/identity';
import {
  AuditLogService,
  Conflict,
  DomainException,
  findScoped,
  Invalid,
  likePattern,
  NotFound,
  Notifier,
  RequestContext,
  scoped,
  ThreadService,
  todayUtc,
  type Actor,
} from '@bulwark/platform';

import { QuestionnaireAnswer, QuestionnaireRequest } from './questionnaire-request.entities.js';
import { QuestionnaireTemplate, QuestionnaireTemplateVersion } from './questionnaire-template.entities.js';

const isVendor = (a: Actor) => a.role === 'vendor_contact';
const label = (s: QuestionnaireRequestStatus) => s.replace(/_/g, ' ');
function shortText(s: string, max = 120): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1).trimEnd()}…` : one;
}

/** Portal paths of a request: the organization's and the vendor's. */
export const requestLinks = (id: string) => ({
  internal: `/questionnaire-requests/${id}`,
  vendor: `/vendor-home/questionnaire-requests/${id}`,
});

/** Requests inserted per statement. */
const INSERT_CHUNK = 500;

/** What the requests of one sending share. */
export interface SendSpec {
  organizationId: string;
  version: QuestionnaireTemplateVersion;
  dueDate: string;
  message: string | null;
  sentBy: string | null;
  campaignId?: string;
  campaignCycle?: number;
}

/** One request to send: the vendor, its recipients, and the answers it starts with (a later campaign cycle). */
export interface RequestToSend {
  vendorId: string;
  vendorName: string;
  recipientIds: string[];
  prefill?: {
    fromRequestId: string;
    acceptedAt: Date;
    answers: { questionKey: string; value: AnswerValue; comment: string | null }[];
  };
}

/** The notice a request's recipients get when it is sent. */
export function sentNotice(
  r: { id: string; templateName: string; dueDate: string; message: string | null },
  vendorName: string,
  prefilledFrom: Date | null = null,
): { title: string; body: string; link: string; key: string } {
  return {
    title: `Questionnaire to answer: ${r.templateName}`,
    body:
      `Please answer the questionnaire "${r.templateName}" for ${vendorName} by ${r.dueDate}. Your answers are saved as you go, ` +
      `and several of you can answer at once.` +
      (prefilledFrom
        ? ` It is pre-filled with your accepted answers of ${prefilledFrom.toISOString().slice(0, 10)}: confirm or change them.`
        : '') +
      (r.message ? `\n\nMessage: ${r.message}` : ''),
    link: requestLinks(r.id).vendor,
    key: `questionnaire-request-${r.id}-sent`,
  };
}

/** Every question of a document by key. */
function questionsOf(doc: TemplateDocument): Map<string, TemplateQuestion> {
  const out = new Map<string, TemplateQuestion>();
  for (const s of doc.sections) for (const q of s.questions) if (!out.has(q.key)) out.set(q.key, q);
  return out;
}

/** The answers as the pure logic reads them: only given values. */
function answerMap(rows: readonly QuestionnaireAnswer[]): Answers {
  const out: Record<string, AnswerValue> = {};
  for (const a of rows) if (a.value !== null && a.value !== undefined) out[a.questionKey] = a.value;
  return out;
}

/**
 * Questionnaire requests: sending a published template version to a vendor (a frozen snapshot), answering it
 * per question with optimistic concurrency, submitting, reviewing answer by answer, requesting changes on the
 * flagged answers only, accepting with the stored score, cancelling. Each change is one transaction with its
 * audit entry and its notices; reads go through the tenant scope (vendor contacts: their vendor's only).
 */
/**
 * A published version of a template that is not archived: what requests and campaigns may send, else 422 on
 * `templateVersionId` (codes under the caller's area: `<area>.invalid_version`, `.unpublished_version`, `.archived_template`).
 */
export async function sendableVersion(
  m: EntityManager,
  id: string,
  area: 'questionnaire_request' | 'questionnaire_campaign',
): Promise<{ version: QuestionnaireTemplateVersion; template: QuestionnaireTemplate }> {
  const version = await scoped(m, QuestionnaireTemplateVersion, 'v').andWhere('v.id = :id', { id }).getOne();
  if (!version)
    throw new Invalid(`${area}.invalid_version`, 'No such template version', [
      { path: 'templateVersionId', message: 'no such template version' },
    ]);
  if (version.status !== 'published')
    throw new Invalid(`${area}.unpublished_version`, 'Only a published template version can be sent', [
      { path: 'templateVersionId', message: `version ${version.version} is a draft: publish it first` },
    ]);
  const template = await findScoped(m, QuestionnaireTemplate, version.templateId, 'questionnaire_template');
  if (template.archivedAt)
    throw new Invalid(`${area}.archived_template`, 'The template is archived', [
      { path: 'templateVersionId', message: 'the template is archived: restore it to send it' },
    ]);
  return { version, template };
}

@Injectable()
export class QuestionnaireRequestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly notifier: Notifier,
    private readonly threads: ThreadService,
    private readonly findings: FindingService,
    private readonly invitations: InvitationService,
  ) {}

  async list(q: Input<typeof questionnaireRequestListQuery>): Promise<Page<QuestionnaireRequestSummary>> {
    const m = this.dataSource.manager;
    const today = todayUtc();
    const qb = scoped(m, QuestionnaireRequest, 'r')
      .setParameter('today', today)
      .setParameter('answering', [...ANSWERING_STATUSES]);
    if (q.vendorId) qb.andWhere('r.vendorId = :vendorId', { vendorId: q.vendorId });
    if (q.status) qb.andWhere('r.status = :status', { status: q.status });
    const overdue = `(r.due_date < :today::date AND r.status = ANY(:answering))`;
    if (q.overdue === 'true') qb.andWhere(overdue);
    if (q.overdue === 'false') qb.andWhere(`NOT ${overdue}`);
    if (q.search)
      qb.andWhere(`(r.template_name ILIKE :s OR EXISTS (SELECT 1 FROM vendors v WHERE v.id = r.vendor_id AND v.name ILIKE :s))`, {
        s: likePattern(q.search),
      });
    qb.orderBy('r.dueDate', 'ASC').addOrderBy('r.sentAt', 'DESC').addOrderBy('r.id');
    const [rows, total] = await qb
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    const answers = await this.answersOf(
      m,
      rows.map((r) => r.id),
    );
    const names = await this.names(
      m,
      rows.flatMap((r) => [r.sentBy, ...r.recipientIds]),
    );
    const vendors = await this.vendorNames(
      m,
      rows.map((r) => r.vendorId),
    );
    return {
      items: rows.map((r) => this.summary(r, answers.get(r.id) ?? [], names, vendors, today)),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async get(id: string, m: EntityManager = this.dataSource.manager): Promise<QuestionnaireRequestDetail> {
    return this.detail(m, await findScoped(m, QuestionnaireRequest, id, 'questionnaire_request'));
  }

  /** Sends a published version to a vendor: the snapshot, the recipients (default every active contact), their notices. */
  async create(input: CreateQuestionnaireRequestInput): Promise<QuestionnaireRequestDetail> {
    const actor = RequestContext.actor();
    return this.dataSource.transaction(async (m) => {
      const [vendor]: { id: string; name: string }[] = await m.query(
        `SELECT id, name FROM vendors WHERE id = $1 AND organization_id = $2`,
        [input.vendorId, actor.organizationId],
      );
      if (!vendor)
        throw new Invalid('questionnaire_request.invalid_vendor', 'No such vendor', [{ path: 'vendorId', message: 'no such vendor' }]);
      const { version, template } = await sendableVersion(m, input.templateVersionId, 'questionnaire_request');
      if (input.dueDate < todayUtc())
        throw new Invalid('questionnaire_request.invalid_due_date', 'The due date has passed', [
          { path: 'dueDate', message: 'must be today or later' },
        ]);
      const contacts: { id: string }[] = await m.query(
        `SELECT id FROM users WHERE organization_id = $1 AND vendor_id = $2 AND role = 'vendor_contact' AND active ORDER BY id`,
        [actor.organizationId, vendor.id],
      );
      if (!contacts.length && !input.invite)
        throw new Invalid('questionnaire_request.no_recipient', `${vendor.name} has no contact with a portal account to answer`, [
          {
            path: 'recipientIds',
            message: `${vendor.name} has no active portal contact: name a person to invite with the questionnaire (invite), or invite a contact of the vendor first`,
          },
        ]);
      const known = new Set(contacts.map((c) => c.id));
      const recipientIds = [...new Set(input.recipientIds ?? contacts.map((c) => c.id))];
      const unknown = (input.recipientIds ?? []).flatMap((id, i) => (known.has(id) ? [] : [i]));
      if (unknown.length)
        throw new Invalid(
          'questionnaire_request.invalid_recipient',
          'Recipients are active portal contacts of the vendor',
          unknown.map((i) => ({ path: `recipientIds.${i}`, message: `not an active portal contact of ${vendor.name}` })),
        );
      const [sent] = await this.insertRequests(
        m,
        { organizationId: actor.organizationId, version, dueDate: input.dueDate, message: input.message || null, sentBy: actor.userId },
        [{ vendorId: vendor.id, vendorName: vendor.name, recipientIds }],
        { notify: false },
      );
      const r = await findScoped(m, QuestionnaireRequest, sent!.id, 'questionnaire_request');
      // The invitation and the request arrive together: a refused address or a mail the queue cannot take keeps neither.
      const invitation = input.invite
        ? await this.invitations.inviteContactIn(
            m,
            { vendorId: vendor.id, email: input.invite.email, name: input.invite.name },
            `A questionnaire waits for you: "${r.templateName}", due on ${r.dueDate}. You will find it on your home page once your password is set.`,
          )
        : null;
      await this.audit.append(m, {
        action: 'questionnaire_request.sent',
        entityType: 'questionnaire_request',
        entityId: r.id,
        diff: {
          vendorId: vendor.id,
          templateId: template.id,
          templateVersion: version.version,
          contentHash: version.contentHash,
          dueDate: input.dueDate,
          recipientIds,
          ...(invitation ? { invitationId: invitation.id } : {}),
        },
      });
      await this.notifier.notify(actor.organizationId, { userIds: recipientIds }, sentNotice(r, vendor.name), m);
      return this.detail(m, r);
    });
  }

  /**
   * Inserts requests of one published version for several vendors in batches (one statement per chunk), the
   * answers they are pre-filled with, and (unless `notify: false`) their recipients' notices, the mails recorded
   * in the job outbox: all in the caller's transaction. `create` sends one request this way, a campaign cycle
   * many. A campaign's requests are unique per (campaign, cycle, vendor): one that exists already is left as it
   * is and not returned, so a cycle run twice creates and announces each request once.
   */
  async insertRequests(
    m: EntityManager,
    spec: SendSpec,
    items: readonly RequestToSend[],
    opts: { notify?: boolean } = {},
  ): Promise<{ id: string; vendorId: string }[]> {
    const { version } = spec;
    const out: { id: string; vendorId: string }[] = [];
    for (let i = 0; i < items.length; i += INSERT_CHUNK) {
      const chunk = items.slice(i, i + INSERT_CHUNK);
      const rows: { id: string; vendor_id: string }[] = await m.query(
        `INSERT INTO questionnaire_requests (organization_id, vendor_id, template_id, template_version_id, template_version, template_name,
                content, content_hash, status, due_date, message, recipient_ids, sent_by, sent_at, campaign_id, campaign_cycle,
                prefilled_from, prefilled_accepted_at, prefilled_answers)
         SELECT $1, x.vendor_id, $2, $3, $4, $5, $6::jsonb, $7, 'sent', $8::date, $9, x.recipient_ids, $10, now(), $11, $12,
                x.prefilled_from, x.prefilled_accepted_at, coalesce(x.prefilled_answers, 0)
           FROM jsonb_to_recordset($13::jsonb)
             AS x(vendor_id uuid, recipient_ids uuid[], prefilled_from uuid, prefilled_accepted_at timestamptz, prefilled_answers integer)
         ON CONFLICT (campaign_id, campaign_cycle, vendor_id) WHERE campaign_id IS NOT NULL DO NOTHING
         RETURNING id, vendor_id`,
        [
          spec.organizationId,
          version.templateId,
          version.id,
          version.version,
          version.content.name,
          JSON.stringify(version.content),
          version.contentHash,
          spec.dueDate,
          spec.message,
          spec.sentBy,
          spec.campaignId ?? null,
          spec.campaignCycle ?? null,
          JSON.stringify(
            chunk.map((it) => ({
              vendor_id: it.vendorId,
              recipient_ids: it.recipientIds,
              prefilled_from: it.prefill?.fromRequestId ?? null,
              prefilled_accepted_at: it.prefill?.acceptedAt.toISOString() ?? null,
              prefilled_answers: it.prefill?.answers.length ?? 0,
            })),
          ),
        ],
      );
      const ids = new Map(rows.map((r) => [r.vendor_id, r.id]));
      const inserted = chunk.filter((it) => ids.has(it.vendorId));
      const answers = inserted.flatMap((it) =>
        (it.prefill?.answers ?? []).map((a) => ({
          vendor_id: it.vendorId,
          request_id: ids.get(it.vendorId)!,
          question_key: a.questionKey,
          value: a.value,
          comment: a.comment,
        })),
      );
      for (let j = 0; j < answers.length; j += INSERT_CHUNK * 10)
        await m.query(
          `INSERT INTO questionnaire_answers (organization_id, vendor_id, request_id, question_key, value, comment, version, answered_at)
           SELECT $1, x.vendor_id, x.request_id, x.question_key, x.value, x.comment, 1, now()
             FROM jsonb_to_recordset($2::jsonb) AS x(vendor_id uuid, request_id uuid, question_key text, value jsonb, comment text)`,
          [spec.organizationId, JSON.stringify(answers.slice(j, j + INSERT_CHUNK * 10))],
        );
      if (opts.notify !== false)
        await this.notifier.notifyAll(
          spec.organizationId,
          inserted.map((it) => ({
            userIds: it.recipientIds,
            notice: sentNotice(
              { id: ids.get(it.vendorId)!, templateName: version.content.name, dueDate: spec.dueDate, message: spec.message },
              it.vendorName,
              it.prefill ? it.prefill.acceptedAt : null,
            ),
          })),
          m,
        );
      out.push(...inserted.map((it) => ({ id: ids.get(it.vendorId)!, vendorId: it.vendorId })));
    }
    return out;
  }

  /**
   * Saves one answer. `version` must be the answer's current version (0 for one never answered), else 409 with the
   * current value, version and author: the newer answer stays. The first answer moves a sent request in progress.
   */
  async saveAnswer(id: string, questionKey: string, input: SaveAnswerInput): Promise<QuestionnaireRequestDetail> {
    const actor = RequestContext.actor();
    return this.dataSource.transaction(async (m) => {
      // One writer per request at a time: a stale version is then always seen, and a submit never races an answer.
      const r = await findScoped(m, QuestionnaireRequest, id, 'questionnaire_request', { lock: true });
      const q = questionsOf(r.content).get(questionKey);
      if (!q) throw new NotFound('questionnaire_question', questionKey);
      if (!ANSWERING_STATUSES.includes(r.status))
        throw new Conflict(
          'questionnaire_request.not_answerable',
          `The questionnaire is ${label(r.status)}: its answers cannot change now`,
        );
      if (r.reopenedKeys && !r.reopenedKeys.includes(questionKey))
        throw new Conflict(
          'questionnaire_answer.closed',
          'The reviewer sent back only some answers: this one was accepted as it is and cannot change now',
        );
      const rows = await this.answerRows(m, r.id);
      const row = rows.find((a) => a.questionKey === questionKey) ?? null;
      const current = row?.version ?? 0;
      if (input.version !== current) {
        const names = await this.names(m, [row?.updatedBy ?? null]);
        const details: { current: StaleAnswer } = {
          current: {
            value: row?.value ?? null,
            comment: row?.comment ?? null,
            version: current,
            updatedByName: row?.updatedBy ? (names.get(row.updatedBy) ?? null) : null,
            updatedAt: row?.answeredAt?.toISOString() ?? null,
          },
        };
        throw new DomainException(
          'questionnaire_answer.stale',
          'conflict',
          `Someone else saved this answer meanwhile (version ${current}, you edited version ${input.version})${
            details.current.updatedByName ? `: ${details.current.updatedByName}` : ''
          }. Keep their answer or save yours over it.`,
          [{ path: 'version', message: `the answer is at version ${current}` }],
          undefined,
          details,
        );
      }
      if (!visibleQuestions(r.content, answerMap(rows)).has(questionKey))
        throw new Conflict('questionnaire_answer.hidden', 'This question does not show for the current answers: reload the questionnaire');
      const checked = checkAnswerValue(q, input.value);
      if (!checked.ok)
        throw new Invalid('questionnaire_answer.invalid', 'The answer does not fit the question', [
          { path: 'value', message: checked.message },
        ]);
      const value = checked.value;
      const evidenceIds = q.type === 'evidence' && Array.isArray(value) ? value : [];
      if (evidenceIds.length)
        await assertEvidenceOf(m, r.vendorId, evidenceIds, {
          code: 'questionnaire_answer.invalid_evidence',
          message: 'Evidence must be items of the vendor’s evidence library',
        }).catch((e: unknown) => {
          if (e instanceof DomainException)
            throw new Invalid(e.code, e.message, [{ path: 'value', message: e.fields?.[0]?.message ?? e.message }]);
          throw e;
        });
      const comment = input.comment === undefined ? (row?.comment ?? null) : input.comment || null;
      if (row && JSON.stringify(row.value ?? null) === JSON.stringify(value) && row.comment === comment) return this.detail(m, r);

      const now = new Date();
      const saved = await m.save(
        Object.assign(
          row ??
            m.create(QuestionnaireAnswer, {
              vendorId: r.vendorId,
              requestId: r.id,
              questionKey,
              findingId: null,
            }),
          {
            value,
            comment,
            version: current + 1,
            updatedBy: actor.userId,
            answeredAt: now,
            // A changed answer is judged again.
            reviewDecision: null,
            reviewComment: null,
            reviewAudience: null,
            reviewedBy: null,
            reviewedAt: null,
          } satisfies Partial<QuestionnaireAnswer>,
        ),
      );
      if (evidenceIds.length)
        await linkCurrentRevisions(m, evidenceIds, { type: 'questionnaire_answer', id: saved.id, createdBy: actor.userId });
      const from = r.status;
      if (from !== 'in_progress') {
        r.status = 'in_progress';
        await m.save(r);
      }
      await this.audit.append(m, {
        action: 'questionnaire_request.answered',
        entityType: 'questionnaire_request',
        entityId: r.id,
        diff: {
          questionKey,
          version: { from: current, to: current + 1 },
          value,
          ...(comment !== (row?.comment ?? null) ? { comment } : {}),
          ...(from !== r.status ? { status: { from, to: r.status } } : {}),
        },
      });
      return this.detail(m, r);
    });
  }

  /** Submits the answers: every visible required question must be answered (else 422 naming each missing key). */
  async submit(id: string): Promise<QuestionnaireRequestDetail> {
    const actor = RequestContext.actor();
    return this.dataSource.transaction(async (m) => {
      const r = await findScoped(m, QuestionnaireRequest, id, 'questionnaire_request', { lock: true });
      if (!ANSWERING_STATUSES.includes(r.status))
        throw new Conflict('questionnaire_request.not_submittable', `The questionnaire is ${label(r.status)}: it cannot be submitted`);
      const answers = answerMap(await this.answerRows(m, r.id));
      const p = requestProgress(r.content, answers);
      if (p.requiredMissing.length) {
        const questions = questionsOf(r.content);
        throw new DomainException(
          'questionnaire_request.incomplete',
          'invalid',
          `${p.requiredMissing.length} required question${p.requiredMissing.length === 1 ? ' is' : 's are'} not answered`,
          p.requiredMissing.map((key) => ({
            path: `answers.${key}`,
            message: `required: “${shortText(questions.get(key)?.text ?? key)}”`,
          })),
          undefined,
          { missing: p.requiredMissing },
        );
      }
      const from = r.status;
      Object.assign(r, {
        status: 'submitted',
        submittedAt: new Date(),
        submittedBy: actor.userId,
        reopenedKeys: null,
      } satisfies Partial<QuestionnaireRequest>);
      await m.save(r);
      await this.audit.append(m, {
        action: 'questionnaire_request.submitted',
        entityType: 'questionnaire_request',
        entityId: r.id,
        diff: { status: { from, to: 'submitted' }, answered: p.answered, visible: p.visible },
      });
      const vendor = (await this.vendorNames(m, [r.vendorId])).get(r.vendorId) ?? 'The vendor';
      await this.notifier.notify(
        r.organizationId,
        { vendorOwnerOf: r.vendorId, userIds: r.sentBy ? [r.sentBy] : [] },
        {
          title: `Questionnaire submitted: ${r.templateName}`,
          body: `${vendor} submitted the questionnaire "${r.templateName}" (${p.answered} of ${p.visible} questions answered). It is ready for review.`,
          link: requestLinks(r.id).internal,
          key: `questionnaire-request-${r.id}-submitted-${r.version}`,
        },
        m,
      );
      return this.detail(m, r);
    });
  }

  /**
   * Reviews answers: accept, or flag with a comment on the request's thread (the vendor's audience or internal).
   * The first review moves a submitted request in review. `outcome`: `request_changes` sends the request back with
   * only the flagged answers reopened; `accept` stores the score (the pure `score` of the snapshot and the answers).
   */
  async review(id: string, input: ReviewQuestionnaireRequestInput): Promise<QuestionnaireRequestDetail> {
    const actor = RequestContext.actor();
    return this.dataSource.transaction(async (m) => {
      const r = await findScoped(m, QuestionnaireRequest, id, 'questionnaire_request', { lock: true });
      if (!REVIEW_STATUSES.includes(r.status))
        throw new Conflict(
          'questionnaire_request.not_reviewable',
          `The questionnaire is ${label(r.status)}: it is reviewed once submitted`,
        );
      const rows = await this.answerRows(m, r.id);
      const answers = answerMap(rows);
      const shown = visibleQuestions(r.content, answers);
      const questions = questionsOf(r.content);
      const bad = input.decisions.flatMap((d, i) =>
        shown.has(d.questionKey)
          ? []
          : [
              {
                path: `decisions.${i}.questionKey`,
                message: questions.has(d.questionKey) ? 'this question does not show' : 'no such question',
              },
            ],
      );
      if (bad.length) throw new Invalid('questionnaire_review.invalid', 'Decisions are about questions that show', bad);
      const now = new Date();
      for (const d of input.decisions) {
        const row =
          rows.find((a) => a.questionKey === d.questionKey) ??
          m.create(QuestionnaireAnswer, {
            vendorId: r.vendorId,
            requestId: r.id,
            questionKey: d.questionKey,
            value: null,
            comment: null,
            version: 0,
            updatedBy: null,
            answeredAt: null,
            findingId: null,
          });
        Object.assign(row, {
          reviewDecision: d.decision === 'flag' ? 'flagged' : 'accepted',
          reviewComment: d.comment ?? null,
          reviewAudience: d.audience,
          reviewedBy: actor.userId,
          reviewedAt: now,
        } satisfies Partial<QuestionnaireAnswer>);
        const saved = await m.save(row);
        if (!rows.includes(saved)) rows.push(saved);
        if (d.decision === 'flag' && d.comment)
          await this.threads.post(
            'questionnaire_request',
            r.id,
            {
              body: `On “${shortText(questions.get(d.questionKey)!.text)}”: ${d.comment}`,
              audience: d.audience,
              mentions: [],
              evidenceIds: [],
              links: [],
            },
            m,
          );
      }
      const from = r.status;
      const flagged = rows.filter((a) => a.reviewDecision === 'flagged' && shown.has(a.questionKey)).map((a) => a.questionKey);
      if (input.outcome === 'request_changes') {
        if (!flagged.length)
          throw new Invalid(
            'questionnaire_review.nothing_flagged',
            'Flag the answers that must change before sending the questionnaire back',
            [{ path: 'outcome', message: 'no answer is flagged' }],
          );
        Object.assign(r, { status: 'changes_requested', reopenedKeys: flagged } satisfies Partial<QuestionnaireRequest>);
      } else if (input.outcome === 'accept') {
        const result = score(r.content, answers);
        Object.assign(r, {
          status: 'accepted',
          acceptedAt: now,
          acceptedBy: actor.userId,
          score: result,
          scorePercent: result.percent === null ? null : String(result.percent),
          reopenedKeys: null,
        } satisfies Partial<QuestionnaireRequest>);
      } else if (r.status === 'submitted') r.status = 'in_review';
      if (r.status !== from) await m.save(r);
      await this.audit.append(m, {
        action:
          input.outcome === 'accept'
            ? 'questionnaire_request.accepted'
            : input.outcome === 'request_changes'
              ? 'questionnaire_request.changes_requested'
              : 'questionnaire_request.reviewed',
        entityType: 'questionnaire_request',
        entityId: r.id,
        diff: {
          // The comments are on the thread (an internal one must not travel into the log).
          decisions: input.decisions.map((d) => ({ questionKey: d.questionKey, decision: d.decision, audience: d.audience })),
          ...(r.status !== from ? { status: { from, to: r.status } } : {}),
          ...(input.outcome === 'request_changes' ? { reopenedKeys: flagged } : {}),
          ...(input.outcome === 'accept' ? { score: { earned: r.score!.earned, max: r.score!.max, percent: r.score!.percent } } : {}),
        },
      });
      if (input.outcome)
        await this.notifier.notify(
          r.organizationId,
          { userIds: r.recipientIds },
          input.outcome === 'accept'
            ? {
                title: `Questionnaire accepted: ${r.templateName}`,
                body: `Your answers to "${r.templateName}" were reviewed and accepted. Thank you.`,
                link: requestLinks(r.id).vendor,
                key: `questionnaire-request-${r.id}-accepted`,
              }
            : {
                title: `Changes requested: ${r.templateName}`,
                body: `The reviewer sent back ${flagged.length} answer${flagged.length === 1 ? '' : 's'} of "${r.templateName}" with questions next to them. Please change them and submit again by ${r.dueDate}.`,
                link: requestLinks(r.id).vendor,
                key: `questionnaire-request-${r.id}-changes-${r.version}`,
              },
          m,
        );
      return this.detail(m, r);
    });
  }

  /**
   * Raises a finding from a flagged answer (source `questionnaire_answer`, key `<requestId>:<questionKey>`), linked
   * both ways: the finding names the answer by its key, the answer keeps the finding's id. Raising again reopens
   * or keeps the same finding (the findings area's rule for a source key), never a duplicate.
   */
  async raiseFinding(id: string, questionKey: string, input: Input<typeof raiseAnswerFindingSchema>): Promise<QuestionnaireRequestDetail> {
    const m0 = this.dataSource.manager;
    const r = await findScoped(m0, QuestionnaireRequest, id, 'questionnaire_request');
    const q = questionsOf(r.content).get(questionKey);
    if (!q) throw new NotFound('questionnaire_question', questionKey);
    const row = (await this.answerRows(m0, r.id)).find((a) => a.questionKey === questionKey);
    if (row?.reviewDecision !== 'flagged')
      throw new Conflict('questionnaire_answer.not_flagged', 'Flag the answer (saying what is wrong) before raising a finding from it');
    const answer = row.value === null ? 'not answered' : Array.isArray(row.value) ? row.value.join(', ') : String(row.value);
    const finding = await this.findings.raise({
      vendorId: r.vendorId,
      source: 'questionnaire_answer',
      sourceId: r.id,
      sourceKey: `${r.id}:${questionKey}`,
      title: input.title ?? shortText(`${r.templateName}: ${q.text}`, 300),
      details:
        input.details ??
        `Question (${questionKey}): ${q.text}\nAnswer: ${answer}${row.comment ? `\nVendor's comment: ${row.comment}` : ''}${
          row.reviewComment ? `\nReviewer: ${row.reviewComment}` : ''
        }`.slice(0, 10_000),
      severity: input.severity,
      vendorOwnerId: null,
    });
    return this.dataSource.transaction(async (m) => {
      const locked = await findScoped(m, QuestionnaireRequest, id, 'questionnaire_request', { lock: true });
      const a = (await this.answerRows(m, r.id)).find((x) => x.questionKey === questionKey)!;
      if (a.findingId !== finding.id) {
        a.findingId = finding.id;
        await m.save(a);
      }
      await this.audit.append(m, {
        action: 'questionnaire_request.finding_raised',
        entityType: 'questionnaire_request',
        entityId: r.id,
        diff: { questionKey, findingId: finding.id, severity: input.severity },
      });
      return this.detail(m, locked);
    });
  }

  /** Cancels an open request, with the reason; its recipients are told. */
  async cancel(id: string, reason: string): Promise<QuestionnaireRequestDetail> {
    const actor = RequestContext.actor();
    return this.dataSource.transaction(async (m) => {
      const r = await findScoped(m, QuestionnaireRequest, id, 'questionnaire_request', { lock: true });
      if (!OPEN_REQUEST_STATUSES.includes(r.status))
        throw new Conflict('questionnaire_request.closed', `The questionnaire is ${label(r.status)}: it can no longer be cancelled`);
      const from = r.status;
      Object.assign(r, {
        status: 'cancelled',
        cancelledAt: new Date(),
        cancelledBy: actor.userId,
        cancelReason: reason,
      } satisfies Partial<QuestionnaireRequest>);
      await m.save(r);
      await this.audit.append(m, {
        action: 'questionnaire_request.cancelled',
        entityType: 'questionnaire_request',
        entityId: r.id,
        diff: { status: { from, to: 'cancelled' }, reason },
      });
      await this.notifier.notify(
        r.organizationId,
        { userIds: r.recipientIds },
        {
          title: `Questionnaire cancelled: ${r.templateName}`,
          body: `The questionnaire "${r.templateName}" was cancelled; nothing more is needed from you. Reason: ${reason}`,
          link: requestLinks(r.id).vendor,
          key: `questionnaire-request-${r.id}-cancelled`,
        },
        m,
      );
      return this.detail(m, r);
    });
  }

  /** The scores stored when a vendor's questionnaires were accepted, newest first. */
  async scoreHistory(vendorId: string): Promise<{ items: QuestionnaireScore[] }> {
    const m = this.dataSource.manager;
    const actor = RequestContext.actor();
    const [vendor]: unknown[] = await m.query(`SELECT 1 FROM vendors WHERE id = $1 AND organization_id = $2`, [
      vendorId,
      actor.organizationId,
    ]);
    if (!vendor) throw new NotFound('vendor', vendorId);
    const rows = await scoped(m, QuestionnaireRequest, 'r')
      .andWhere(`r.vendorId = :vendorId AND r.status = 'accepted'`, { vendorId })
      .orderBy('r.acceptedAt', 'DESC')
      .addOrderBy('r.id')
      .getMany();
    return {
      items: rows.map((r) => ({
        requestId: r.id,
        templateName: r.templateName,
        templateVersion: r.templateVersion,
        acceptedAt: r.acceptedAt!.toISOString(),
        percent: r.score?.percent ?? null,
        earned: r.score?.earned ?? 0,
        max: r.score?.max ?? 0,
        rule: r.score?.rule ?? '',
      })),
    };
  }

  // ---- reading ----

  private answerRows(m: EntityManager, requestId: string): Promise<QuestionnaireAnswer[]> {
    return scoped(m, QuestionnaireAnswer, 'a').andWhere('a.requestId = :requestId', { requestId }).getMany();
  }

  private async answersOf(m: EntityManager, ids: string[]): Promise<Map<string, QuestionnaireAnswer[]>> {
    const out = new Map<string, QuestionnaireAnswer[]>();
    if (!ids.length) return out;
    const rows = await scoped(m, QuestionnaireAnswer, 'a').andWhere('a.requestId IN (:...ids)', { ids }).getMany();
    for (const a of rows) out.set(a.requestId, [...(out.get(a.requestId) ?? []), a]);
    return out;
  }

  private async names(m: EntityManager, ids: (string | null)[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter((x): x is string => !!x))];
    const rows: { id: string; name: string }[] = unique.length
      ? await m.query(`SELECT id, coalesce(name, email) AS name FROM users WHERE id = ANY($1::uuid[])`, [unique])
      : [];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  private async vendorNames(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    const rows: { id: string; name: string }[] = unique.length
      ? await m.query(`SELECT id, name FROM vendors WHERE id = ANY($1::uuid[])`, [unique])
      : [];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  private summary(
    r: QuestionnaireRequest,
    rows: QuestionnaireAnswer[],
    names: Map<string, string>,
    vendors: Map<string, string>,
    today: string,
  ): QuestionnaireRequestSummary {
    const internal = !isVendor(RequestContext.actor());
    return {
      id: r.id,
      vendorId: r.vendorId,
      vendorName: vendors.get(r.vendorId) ?? '',
      templateId: r.templateId,
      templateVersionId: r.templateVersionId,
      templateName: r.templateName,
      templateVersion: r.templateVersion,
      contentHash: r.contentHash,
      status: r.status,
      dueDate: r.dueDate,
      overdue: isRequestOverdue(r, today),
      recipients: r.recipientIds.map((id) => ({ id, name: names.get(id) ?? 'Former contact' })),
      progress: requestProgress(r.content, answerMap(rows)),
      scorePercent: internal && r.scorePercent !== null ? Number(r.scorePercent) : null,
      sentAt: r.sentAt.toISOString(),
      sentByName: r.sentBy ? (names.get(r.sentBy) ?? null) : null,
      submittedAt: r.submittedAt?.toISOString() ?? null,
      acceptedAt: r.acceptedAt?.toISOString() ?? null,
      cancelledAt: r.cancelledAt?.toISOString() ?? null,
      cancelReason: r.cancelReason,
      updatedAt: r.updatedAt.toISOString(),
      campaignId: internal ? r.campaignId : null,
    };
  }

  /**
   * One request with its visible questions' answers. Vendor contacts get neither the score nor a reviewer's
   * internal note (an internally flagged answer shows as flagged, without the note).
   */
  async detail(m: EntityManager, r: QuestionnaireRequest): Promise<QuestionnaireRequestDetail> {
    const internal = !isVendor(RequestContext.actor());
    const rows = await this.answerRows(m, r.id);
    const answers = answerMap(rows);
    const shown = visibleQuestions(r.content, answers);
    const names = await this.names(m, [r.sentBy, ...r.recipientIds, ...rows.flatMap((a) => [a.updatedBy, a.reviewedBy])]);
    const vendors = await this.vendorNames(m, [r.vendorId]);
    const byKey = new Map(rows.map((a) => [a.questionKey, a]));
    const answering = ANSWERING_STATUSES.includes(r.status);
    const views: AnswerView[] = [];
    const visibleKeys: string[] = [];
    for (const s of r.content.sections)
      for (const q of s.questions) {
        if (!shown.has(q.key) || visibleKeys.includes(q.key)) continue;
        visibleKeys.push(q.key);
        const a = byKey.get(q.key);
        const value = a?.value ?? null;
        views.push({
          questionKey: q.key,
          value,
          comment: a?.comment ?? null,
          version: a?.version ?? 0,
          notApplicable: isAnswered(value) && isNotApplicable(q, value),
          updatedByName: a?.updatedBy ? (names.get(a.updatedBy) ?? null) : null,
          updatedAt: a?.answeredAt?.toISOString() ?? null,
          review:
            a?.reviewDecision && a.reviewedAt
              ? {
                  decision: a.reviewDecision,
                  comment: internal || a.reviewAudience === 'vendor' ? a.reviewComment : null,
                  audience: a.reviewAudience ?? 'vendor',
                  reviewedByName: a.reviewedBy ? (names.get(a.reviewedBy) ?? null) : null,
                  reviewedAt: a.reviewedAt.toISOString(),
                }
              : null,
          findingId: a?.findingId ?? null,
          editable: answering && (!r.reopenedKeys || r.reopenedKeys.includes(q.key)),
        });
      }
    return {
      ...this.summary(r, rows, names, vendors, todayUtc()),
      message: r.message,
      content: r.content,
      visibleKeys,
      answers: views,
      reopenedKeys: r.reopenedKeys,
      score: internal ? r.score : null,
      campaign: internal && r.campaignId ? await this.campaignOf(m, r.campaignId, r.campaignCycle ?? 1) : null,
      prefilledFrom: r.prefilledAcceptedAt ? { acceptedAt: r.prefilledAcceptedAt.toISOString(), answers: r.prefilledAnswers } : null,
    };
  }

  private async campaignOf(m: EntityManager, id: string, cycle: number): Promise<{ id: string; name: string; cycle: number } | null> {
    const [c]: { name: string }[] = await m.query(`SELECT name FROM questionnaire_campaigns WHERE id = $1`, [id]);
    return c ? { id, name: c.name, cycle } : null;
  }
}
