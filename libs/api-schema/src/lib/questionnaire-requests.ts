import { z } from 'zod';

import { count, entityId, isoDate, paginationQuery, timestamp, uuidSchema } from './common.js';
import { FINDING_SEVERITIES } from './findings.js';
import { progress, visibleQuestions } from './questionnaire-logic.js';
import {
  answerValueSchema,
  KEY_PATTERN,
  templateDocumentSchema,
  type Answers,
  type AnswerValue,
  type TemplateDocument,
  type TemplateQuestion,
} from './questionnaires.js';

/**
 * DR questionnaire requests (issue 11, items 4, 5 and 7): one published template version sent to one vendor,
 * answered by the vendor's contacts (autosave per answer with optimistic concurrency), submitted, reviewed
 * answer by answer and accepted with a score. The request holds a snapshot of the version (content, hash,
 * number), so later template edits never change what the vendor was asked.
 */

export const QUESTIONNAIRE_REQUEST_STATUSES = [
  'sent',
  'in_progress',
  'submitted',
  'in_review',
  'changes_requested',
  'accepted',
  'cancelled',
] as const;
export type QuestionnaireRequestStatus = (typeof QUESTIONNAIRE_REQUEST_STATUSES)[number];

/** States in which the vendor answers (and the request can become overdue). */
export const ANSWERING_STATUSES: readonly QuestionnaireRequestStatus[] = ['sent', 'in_progress', 'changes_requested'];
/** States the organization reviews in. */
export const REVIEW_STATUSES: readonly QuestionnaireRequestStatus[] = ['submitted', 'in_review'];
/** States a request may be cancelled from: every open one. */
export const OPEN_REQUEST_STATUSES: readonly QuestionnaireRequestStatus[] = [...ANSWERING_STATUSES, ...REVIEW_STATUSES];

export const QUESTIONNAIRE_REQUEST_STATUS_LABELS: Readonly<Record<QuestionnaireRequestStatus, string>> = {
  sent: 'Sent',
  in_progress: 'In progress',
  submitted: 'Submitted',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  accepted: 'Accepted',
  cancelled: 'Cancelled',
};

/** Whether a request is overdue on `today` (`YYYY-MM-DD`): past its due date while the vendor still has to answer. */
export function isRequestOverdue(r: { status: QuestionnaireRequestStatus; dueDate: string }, today: string): boolean {
  return ANSWERING_STATUSES.includes(r.status) && r.dueDate < today;
}

/** A question's key in a path (`/answers/:questionKey`). */
export const questionKeyParam = z.string().regex(KEY_PATTERN, 'a question key');

/** The longest text answer. */
export const MAX_TEXT_ANSWER = 20_000;
/** The most evidence items one answer names. */
export const MAX_EVIDENCE_PER_ANSWER = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks an answer against its question (type, options, "not applicable" alone, sizes) and normalizes it (text
 * trimmed; a blank text, an empty list: unanswered, `null`). The API refuses what this refuses (422 on `value`),
 * and the portal checks with it before saving. Whether evidence ids are the vendor's is the API's to check.
 */
export function checkAnswerValue(
  q: TemplateQuestion,
  value: AnswerValue,
): { ok: true; value: AnswerValue } | { ok: false; message: string } {
  const fail = (message: string) => ({ ok: false as const, message });
  const ok = (v: AnswerValue) => ({ ok: true as const, value: v });
  if (value === null) return ok(null);
  const options = (q.options ?? []).map((o) => o.value);
  const na = new Set((q.options ?? []).filter((o) => o.na).map((o) => o.value));
  switch (q.type) {
    case 'yes_no':
    case 'single_choice': {
      if (typeof value !== 'string') return fail(`one of ${options.join(', ')}`);
      const v = value.trim();
      if (!v) return ok(null);
      return options.includes(v) ? ok(v) : fail(`"${v.slice(0, 100)}" is not an option (${options.join(', ')})`);
    }
    case 'multi_choice': {
      if (!Array.isArray(value)) return fail(`a list of options (${options.join(', ')})`);
      const vs = [...new Set(value.map((v) => v.trim()))];
      const unknown = vs.filter((v) => !options.includes(v));
      if (unknown.length) return fail(`not options: ${unknown.map((v) => `"${v.slice(0, 100)}"`).join(', ')}`);
      if (vs.length > 1 && vs.some((v) => na.has(v))) return fail('“not applicable” is chosen alone');
      return ok(vs.length ? vs : null);
    }
    case 'text': {
      if (typeof value !== 'string') return fail('a text');
      const v = value.trim();
      if (v.length > MAX_TEXT_ANSWER) return fail(`at most ${MAX_TEXT_ANSWER} characters`);
      return ok(v ? v : null);
    }
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? ok(value) : fail('a number');
    case 'date': {
      if (typeof value !== 'string') return fail('a date (YYYY-MM-DD)');
      const v = value.trim();
      if (!v) return ok(null);
      const d = new Date(`${v}T00:00:00Z`);
      return DATE.test(v) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v ? ok(v) : fail('a date (YYYY-MM-DD)');
    }
    case 'evidence': {
      if (!Array.isArray(value)) return fail('a list of evidence ids');
      const vs = [...new Set(value.map((v) => v.trim().toLowerCase()))];
      if (vs.some((v) => !UUID.test(v))) return fail('evidence ids are UUIDs of evidence items');
      if (vs.length > MAX_EVIDENCE_PER_ANSWER) return fail(`at most ${MAX_EVIDENCE_PER_ANSWER} evidence items`);
      return ok(vs.length ? vs : null);
    }
  }
}

// ---- inputs ----

export const createQuestionnaireRequestSchema = z.strictObject({
  /** A published version of a template (its id, as listed in the template's versions). */
  templateVersionId: uuidSchema,
  vendorId: uuidSchema,
  dueDate: isoDate,
  /** Portal accounts of the vendor's contacts who answer; default every active one. */
  recipientIds: z.array(uuidSchema).min(1).max(50).optional(),
  /** A note to the recipients, sent with the request. */
  message: z.string().trim().max(5000).optional(),
  /**
   * A person of the vendor to invite to the portal with the request (the invitation mail says a questionnaire
   * waits). Needed when the vendor has no portal contact yet; the invitee answers once signed in.
   */
  invite: z
    .strictObject({
      email: z.email().max(320),
      name: z.string().trim().min(1).max(200),
    })
    .optional(),
});
export type CreateQuestionnaireRequestInput = z.output<typeof createQuestionnaireRequestSchema>;

export const questionnaireRequestListQuery = z.strictObject({
  ...paginationQuery,
  vendorId: uuidSchema.optional(),
  status: z.enum(QUESTIONNAIRE_REQUEST_STATUSES).optional(),
  /** `true`: only requests past their due date that the vendor still has to answer. */
  overdue: z.enum(['true', 'false']).optional(),
  /** Template name or vendor name contains (case-insensitive). */
  search: z.string().trim().max(200).optional(),
});

export const cancelQuestionnaireRequestSchema = z.strictObject({
  reason: z.string().trim().min(3, 'say why the request is cancelled').max(2000),
});

export const saveAnswerSchema = z.strictObject({
  /** The answer, by question type (see `answerValueSchema`); `null` clears it. */
  value: answerValueSchema,
  /** The answer's version as the client read it (0: not answered yet). A stale one is a 409 with the current answer. */
  version: z.number().int().min(0),
  comment: z.string().trim().max(5000).nullable().optional(),
});
export type SaveAnswerInput = z.output<typeof saveAnswerSchema>;

export const submitQuestionnaireRequestSchema = z.strictObject({});

export const REVIEW_DECISIONS = ['accept', 'flag'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
export const REVIEW_AUDIENCES = ['vendor', 'internal'] as const;
export type ReviewAudience = (typeof REVIEW_AUDIENCES)[number];
export const REVIEW_OUTCOMES = ['accept', 'request_changes'] as const;

export const reviewQuestionnaireRequestSchema = z
  .strictObject({
    decisions: z
      .array(
        z.strictObject({
          questionKey: questionKeyParam,
          decision: z.enum(REVIEW_DECISIONS),
          /** Flagging says why, on the request's thread: the vendor's audience (default) or internal. */
          comment: z.string().trim().min(1).max(5000).optional(),
          audience: z.enum(REVIEW_AUDIENCES).default('vendor'),
        }),
      )
      .max(2000)
      .default([]),
    /** Ends the review: accept (the score is stored) or send the flagged answers back to the vendor. */
    outcome: z.enum(REVIEW_OUTCOMES).optional(),
  })
  .superRefine((b, ctx) => {
    b.decisions.forEach((d, i) => {
      if (d.decision === 'flag' && !d.comment)
        ctx.addIssue({ code: 'custom', path: ['decisions', i, 'comment'], message: 'a flag says what is wrong' });
    });
    const seen = new Set<string>();
    b.decisions.forEach((d, i) => {
      if (seen.has(d.questionKey))
        ctx.addIssue({ code: 'custom', path: ['decisions', i, 'questionKey'], message: `"${d.questionKey}" is decided twice` });
      seen.add(d.questionKey);
    });
    if (!b.decisions.length && !b.outcome)
      ctx.addIssue({ code: 'custom', path: ['decisions'], message: 'decide on an answer or end the review' });
  });
export type ReviewQuestionnaireRequestInput = z.output<typeof reviewQuestionnaireRequestSchema>;

export const raiseAnswerFindingSchema = z.strictObject({
  severity: z.enum(FINDING_SEVERITIES),
  /** Default: the question's text. */
  title: z.string().trim().min(1).max(300).optional(),
  /** Default: the question, the answer and the reviewer's flag. */
  details: z.string().trim().max(10_000).optional(),
});

// ---- answers of the API ----

export const requestProgressSchema = z.object({
  /** Questions that show. */
  visible: count,
  answered: count,
  /** Required questions that show ("x of y required"). */
  required: count,
  requiredAnswered: count,
  /** Keys of the required questions that show and are not answered. */
  requiredMissing: z.array(z.string()),
});
export type RequestProgress = z.output<typeof requestProgressSchema>;

/** "x of y required" and the keys still missing, for a set of answers (hidden questions are never required). */
export function requestProgress(doc: TemplateDocument, answers: Answers): RequestProgress {
  const p = progress(doc, answers);
  const shown = visibleQuestions(doc, answers);
  let required = 0;
  const counted = new Set<string>();
  for (const s of doc.sections)
    for (const q of s.questions)
      if (q.required && shown.has(q.key) && !counted.has(q.key)) {
        counted.add(q.key);
        required += 1;
      }
  return {
    visible: p.visible,
    answered: p.answered,
    required,
    requiredAnswered: required - p.requiredMissing.length,
    requiredMissing: p.requiredMissing,
  };
}

export const scoreResultSchema = z.object({
  earned: z.number(),
  max: z.number(),
  percent: z.number().nullable(),
  sections: z.array(z.object({ key: z.string(), title: z.string(), earned: z.number(), max: z.number(), percent: z.number().nullable() })),
  questions: z.array(
    z.object({
      key: z.string(),
      sectionKey: z.string(),
      status: z.enum(['scored', 'unanswered_required', 'unanswered_optional', 'not_applicable', 'hidden', 'not_scored']),
      earned: z.number(),
      max: z.number(),
    }),
  ),
  rule: z.string(),
});

export const personRefSchema = z.object({ id: entityId, name: z.string() });

export const questionnaireRequestSummarySchema = z.object({
  id: entityId,
  vendorId: entityId,
  vendorName: z.string(),
  templateId: entityId,
  templateVersionId: entityId,
  templateName: z.string(),
  templateVersion: z.number().int().min(1),
  /** The hash of the snapshot (the published version's). */
  contentHash: z.string(),
  status: z.enum(QUESTIONNAIRE_REQUEST_STATUSES),
  dueDate: isoDate,
  overdue: z.boolean(),
  recipients: z.array(personRefSchema),
  progress: requestProgressSchema,
  /** The stored score's percentage, once accepted (internal users only; null for vendor contacts). */
  scorePercent: z.number().nullable(),
  sentAt: timestamp,
  sentByName: z.string().nullable(),
  submittedAt: timestamp.nullable(),
  acceptedAt: timestamp.nullable(),
  cancelledAt: timestamp.nullable(),
  cancelReason: z.string().nullable(),
  updatedAt: timestamp,
  /** The campaign that sent it (internal users only; null for vendor contacts). */
  campaignId: entityId.nullable(),
});
export type QuestionnaireRequestSummary = z.output<typeof questionnaireRequestSummarySchema>;

export const answerReviewSchema = z.object({
  decision: z.enum(['accepted', 'flagged']),
  /** The reviewer's words; null for vendor contacts when it was an internal note. */
  comment: z.string().nullable(),
  audience: z.enum(REVIEW_AUDIENCES),
  reviewedByName: z.string().nullable(),
  reviewedAt: timestamp,
});

export const answerViewSchema = z.object({
  questionKey: z.string(),
  value: answerValueSchema,
  comment: z.string().nullable(),
  /** Send it back when saving (0: never answered). */
  version: count,
  notApplicable: z.boolean(),
  updatedByName: z.string().nullable(),
  updatedAt: timestamp.nullable(),
  /** The reviewer's decision on the answer as it stands (reset when the vendor changes it). */
  review: answerReviewSchema.nullable(),
  /** The finding raised from this answer. */
  findingId: entityId.nullable(),
  /** Whether the vendor may change it now (the request is with the vendor and, after a review, the answer was reopened). */
  editable: z.boolean(),
});
export type AnswerView = z.output<typeof answerViewSchema>;

export const questionnaireRequestDetailSchema = questionnaireRequestSummarySchema.extend({
  message: z.string().nullable(),
  /** The snapshot: what the vendor was asked (the portal evaluates visibility with it, as the API does). */
  content: templateDocumentSchema,
  /** The questions that show for the stored answers, in template order. */
  visibleKeys: z.array(z.string()),
  /** One entry per visible question (answered or not). Answers to hidden questions are kept but not shown. */
  answers: z.array(answerViewSchema),
  /** After changes were requested: the only keys the vendor may change (null: all). */
  reopenedKeys: z.array(z.string()).nullable(),
  /** Once accepted (internal users only). */
  score: scoreResultSchema.nullable(),
  /** The campaign and cycle that sent it (internal users only). */
  campaign: z.object({ id: entityId, name: z.string(), cycle: z.number().int().min(1) }).nullable(),
  /** Answers copied from the vendor's last accepted answers (a later campaign cycle): the vendor confirms or changes them. */
  prefilledFrom: z.object({ acceptedAt: timestamp, answers: count }).nullable(),
});
export type QuestionnaireRequestDetail = z.output<typeof questionnaireRequestDetailSchema>;

/** The 409 of a stale answer write: `error.details.current`. */
export const staleAnswerSchema = z.object({
  value: answerValueSchema,
  comment: z.string().nullable(),
  version: count,
  updatedByName: z.string().nullable(),
  updatedAt: timestamp.nullable(),
});
export type StaleAnswer = z.output<typeof staleAnswerSchema>;

export const questionnaireScoreSchema = z.object({
  requestId: entityId,
  templateName: z.string(),
  templateVersion: z.number().int().min(1),
  acceptedAt: timestamp,
  percent: z.number().nullable(),
  earned: z.number(),
  max: z.number(),
  rule: z.string(),
});
export type QuestionnaireScore = z.output<typeof questionnaireScoreSchema>;
export const questionnaireScoreHistorySchema = z.object({ items: z.array(questionnaireScoreSchema) });
