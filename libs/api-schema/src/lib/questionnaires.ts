import { z } from 'zod';

import { count, entityId, paginationQuery, sortSchema, timestamp } from './common.js';
import { EVIDENCE_KINDS } from './evidence.js';

/**
 * DR questionnaire templates (issue 11, items 1 to 3): the template document a version holds, the condition
 * language, and the API's shapes. A template is versioned: its draft is edited as a whole document, and
 * publishing freezes a version (its canonical content hash is stored). Answers are always keyed by a
 * question's stable `key`, never by its position. The pure functions over a document (visibility, checks
 * before publishing, scoring, plain-words conditions) are in `questionnaire-logic.ts`.
 */

export const QUESTION_TYPES = ['yes_no', 'single_choice', 'multi_choice', 'text', 'number', 'date', 'evidence'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
/** Types answered by picking options (their points score them). */
export const CHOICE_TYPES: readonly QuestionType[] = ['yes_no', 'single_choice', 'multi_choice'];
export const isChoiceType = (t: QuestionType): boolean => CHOICE_TYPES.includes(t);

export const QUESTION_TYPE_LABELS: Readonly<Record<QuestionType, string>> = {
  yes_no: 'Yes / no',
  single_choice: 'Single choice',
  multi_choice: 'Multiple choice',
  text: 'Text',
  number: 'Number',
  date: 'Date',
  evidence: 'Evidence',
};

export const WARNING_SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type WarningSeverity = (typeof WARNING_SEVERITIES)[number];

/**
 * A stable key: sections, questions, options and warnings are named by it, answers are keyed by it, and it
 * survives reordering and re-publishing. Letters, digits and `_ . : -` (VSAQ ids, with their namespace, fit).
 */
export const KEY_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,119}$/;
export const templateKey = z
  .string()
  .regex(KEY_PATTERN, 'a key is 1 to 120 letters, digits or _ . : - (starting with a letter, digit or _)');

/** Frameworks a question's control mapping names; any other framework id is allowed too. */
export const CONTROL_FRAMEWORKS = {
  'iso42001-annex-a': 'ISO/IEC 42001 Annex A',
  iso42001: 'ISO/IEC 42001',
  iso22301: 'ISO 22301',
} as const;

/**
 * ISO/IEC 42001:2023 Annex A: the 38 reference controls (ids and short titles), for mapping questions and
 * naming them on screen. A mapping to `iso42001-annex-a` must use one of these ids.
 */
export const ISO42001_ANNEX_A: Readonly<Record<string, string>> = {
  'A.2.2': 'AI policy',
  'A.2.3': 'Alignment with other organizational policies',
  'A.2.4': 'Review of the AI policy',
  'A.3.2': 'AI roles and responsibilities',
  'A.3.3': 'Reporting of concerns',
  'A.4.2': 'Resource documentation',
  'A.4.3': 'Data resources',
  'A.4.4': 'Tooling resources',
  'A.4.5': 'System and computing resources',
  'A.4.6': 'Human resources',
  'A.5.2': 'AI system impact assessment process',
  'A.5.3': 'Documentation of AI system impact assessments',
  'A.5.4': 'Assessing AI system impact on individuals or groups of individuals',
  'A.5.5': 'Assessing societal impacts of AI systems',
  'A.6.1.2': 'Objectives for responsible development of AI system',
  'A.6.1.3': 'Processes for responsible AI system design and development',
  'A.6.2.2': 'AI system requirements and specification',
  'A.6.2.3': 'Documentation of AI system design and development',
  'A.6.2.4': 'AI system verification and validation',
  'A.6.2.5': 'AI system deployment',
  'A.6.2.6': 'AI system operation and monitoring',
  'A.6.2.7': 'AI system technical documentation',
  'A.6.2.8': 'AI system recording of event logs',
  'A.7.2': 'Data for development and enhancement of AI system',
  'A.7.3': 'Acquisition of data',
  'A.7.4': 'Quality of data for AI systems',
  'A.7.5': 'Data provenance',
  'A.7.6': 'Data preparation',
  'A.8.2': 'System documentation and information for users',
  'A.8.3': 'External reporting',
  'A.8.4': 'Communication of incidents',
  'A.8.5': 'Information for interested parties',
  'A.9.2': 'Processes for responsible use of AI systems',
  'A.9.3': 'Objectives for responsible use of AI system',
  'A.9.4': 'Intended use of the AI system',
  'A.10.2': 'Allocating responsibilities',
  'A.10.3': 'Suppliers',
  'A.10.4': 'Customers',
};

/** Clauses a DR questionnaire also maps to (ISO/IEC 42001 clauses and ISO 22301:2019 clause 8). */
export const ISO42001_CLAUSES: Readonly<Record<string, string>> = {
  '8.1': 'Operational planning and control',
  '9.3': 'Management review',
};
export const ISO22301_CLAUSES: Readonly<Record<string, string>> = {
  '8.2': 'Business impact analysis and risk assessment',
  '8.3': 'Business continuity strategies and solutions',
  '8.4': 'Business continuity plans and procedures',
  '8.5': 'Exercise programme',
  '8.6': 'Evaluation of business continuity documentation and capabilities',
};

/** The title of a control, when Bulwark knows the framework (the portal shows "A.10.3 Suppliers"). */
export function controlTitle(framework: string, id: string): string | null {
  const table: Record<string, Readonly<Record<string, string>>> = {
    'iso42001-annex-a': ISO42001_ANNEX_A,
    iso42001: ISO42001_CLAUSES,
    iso22301: ISO22301_CLAUSES,
  };
  return table[framework]?.[id] ?? null;
}

export const controlRefSchema = z.strictObject({
  /** `iso42001-annex-a`, `iso42001`, `iso22301`, or any other framework's id (`nist-csf`, `dora`…). */
  framework: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,49}$/, 'a framework id is lower-case letters, digits and . _ -'),
  id: z.string().trim().min(1).max(50),
});
export type ControlRef = z.output<typeof controlRefSchema>;

// ---- the condition language ----

export const conditionValue = z.union([z.string().max(500), z.number()]);
export type ConditionValue = z.output<typeof conditionValue>;

/**
 * When a question (or a section, or a warning) shows, as data:
 * - `{ key, equals }`: the answer to question `key` is that option (for multiple choice: includes it; for a
 *   number: is that number);
 * - `{ key, oneOf }`: the answer is one of these (multiple choice: includes any of them);
 * - `{ key, answered: true }`: the question is answered (an option, a text, a number, a date, evidence);
 * - `{ all: [...] }`, `{ any: [...] }`, `{ not: c }`: and, or, not (`all: []` always holds, `any: []` never).
 *
 * A condition about a question that is itself hidden is neither true nor false (unknown): `not` keeps it
 * unknown, `any` still holds through another branch, `all` does not hold, and a question shows only when
 * its condition definitely holds. So a question never shows because of an answer nobody could see.
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { key: string; equals: ConditionValue }
  | { key: string; oneOf: ConditionValue[] }
  | { key: string; answered: true };

/** How deep conditions may nest (a VSAQ `cond` or a hand-written one never needs more). */
export const MAX_CONDITION_DEPTH = 12;

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(conditionSchema).max(100) }),
    z.strictObject({ any: z.array(conditionSchema).max(100) }),
    z.strictObject({ not: conditionSchema }),
    z.strictObject({ key: templateKey, equals: conditionValue }),
    z.strictObject({ key: templateKey, oneOf: z.array(conditionValue).min(1).max(200) }),
    z.strictObject({ key: templateKey, answered: z.literal(true) }),
  ]),
);

/** The nesting depth of a condition (a leaf is 1). */
export function conditionDepth(c: Condition): number {
  if ('all' in c) return 1 + Math.max(0, ...c.all.map(conditionDepth));
  if ('any' in c) return 1 + Math.max(0, ...c.any.map(conditionDepth));
  if ('not' in c) return 1 + conditionDepth(c.not);
  return 1;
}

const boundedCondition = conditionSchema.refine((c) => conditionDepth(c) <= MAX_CONDITION_DEPTH, {
  message: `conditions nest at most ${MAX_CONDITION_DEPTH} levels deep`,
});

// ---- the template document ----

export const optionSchema = z.strictObject({
  value: templateKey,
  label: z.string().trim().min(1).max(5000),
  /** Points this answer earns (× the question's weight). Options without points earn 0. */
  points: z.number().min(0).max(1000).optional(),
  /** "Not applicable": choosing it leaves the question out of the score (numerator and denominator). */
  na: z.boolean().optional(),
});
export type QuestionOption = z.output<typeof optionSchema>;

/** Advice or a warning shown with a question or a section (VSAQ `tip`s): `severity` above `info` is a problem to look at. */
export const warningSchema = z.strictObject({
  key: templateKey,
  severity: z.enum(WARNING_SEVERITIES).default('info'),
  title: z.string().trim().max(500).optional(),
  text: z.string().trim().min(1).max(50_000),
  showWhen: boundedCondition.optional(),
});
export type TemplateWarning = z.output<typeof warningSchema>;

export const questionSchema = z
  .strictObject({
    key: templateKey,
    type: z.enum(QUESTION_TYPES),
    text: z.string().trim().min(1).max(20_000),
    help: z.string().trim().max(50_000).optional(),
    required: z.boolean().default(false),
    /** Multiplies the points earned (and the points possible). 0 keeps a question out of the score. */
    weight: z.number().min(0).max(1000).default(1),
    /** Choice types (`yes_no`: `yes` and `no`, and at most one n/a option). */
    options: z.array(optionSchema).max(200).optional(),
    /** Text, number, date and evidence questions score only when given points: earned once answered. */
    points: z.number().min(0).max(1000).optional(),
    showWhen: boundedCondition.optional(),
    controls: z.array(controlRefSchema).max(50).default([]),
    warnings: z.array(warningSchema).max(50).optional(),
    /** Text: a multi-line answer. */
    multiline: z.boolean().optional(),
    /** Number: the unit the answer is in ("hours", "%"). */
    unit: z.string().trim().min(1).max(40).optional(),
    /** Evidence: the kinds of evidence that answer it. */
    evidenceKinds: z.array(z.enum(EVIDENCE_KINDS)).max(20).optional(),
  })
  .superRefine((q, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const choice = isChoiceType(q.type);
    if (choice) {
      if (!q.options?.length) issue(['options'], `a ${q.type} question needs options`);
      if (q.points !== undefined) issue(['points'], 'choice questions score by their options’ points');
    } else if (q.options?.length) issue(['options'], `a ${q.type} question has no options`);
    const seen = new Set<string>();
    (q.options ?? []).forEach((o, i) => {
      if (seen.has(o.value)) issue(['options', i, 'value'], `duplicate option "${o.value}"`);
      seen.add(o.value);
    });
    const na = (q.options ?? []).filter((o) => o.na);
    if (na.length > 1) issue(['options'], 'at most one option is "not applicable"');
    if (q.type === 'yes_no' && q.options?.length) {
      for (const v of ['yes', 'no']) if (!seen.has(v)) issue(['options'], `a yes/no question has the options "yes" and "no"`);
      (q.options ?? []).forEach((o, i) => {
        if (o.value !== 'yes' && o.value !== 'no' && !o.na)
          issue(['options', i, 'value'], 'a yes/no question’s other option can only be “not applicable”');
      });
    }
    if (q.multiline !== undefined && q.type !== 'text') issue(['multiline'], 'only text questions are multi-line');
    if (q.unit !== undefined && q.type !== 'number') issue(['unit'], 'only number questions have a unit');
    if (q.evidenceKinds !== undefined && q.type !== 'evidence') issue(['evidenceKinds'], 'only evidence questions name evidence kinds');
  });
export type TemplateQuestion = z.output<typeof questionSchema>;

export const sectionSchema = z.strictObject({
  key: templateKey,
  title: z.string().trim().min(1).max(2000),
  description: z.string().trim().max(50_000).optional(),
  /** The section (all its questions) shows only when this holds. */
  showWhen: boundedCondition.optional(),
  questions: z.array(questionSchema).max(1000),
  warnings: z.array(warningSchema).max(100).optional(),
});
export type TemplateSection = z.output<typeof sectionSchema>;

/** At most this many questions in one template. */
export const MAX_TEMPLATE_QUESTIONS = 2000;

/**
 * The whole document of a template version: what a draft holds, what publishing freezes (and hashes), and
 * what a request will snapshot. Drafts may be unfinished (no questions yet, a condition naming a key that is
 * not there yet); publishing checks the references (`validateForPublish`).
 */
export const templateDocumentSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().max(20_000).default(''),
    sections: z.array(sectionSchema).max(300),
  })
  .superRefine((d, ctx) => {
    const n = d.sections.reduce((sum, s) => sum + s.questions.length, 0);
    if (n > MAX_TEMPLATE_QUESTIONS)
      ctx.addIssue({ code: 'custom', path: ['sections'], message: `a template has at most ${MAX_TEMPLATE_QUESTIONS} questions (${n})` });
  });
/** A template document as stored and served (defaults filled in, text trimmed). */
export type TemplateDocument = z.output<typeof templateDocumentSchema>;
/** A template document as a client writes it (defaults may be left out). */
export type TemplateDocumentInput = z.input<typeof templateDocumentSchema>;

/** Bulwark's own template file: what export writes and import reads back (a lossless round trip). */
export const BULWARK_TEMPLATE_FORMAT = 'bulwark.questionnaire-template';
export const bulwarkTemplateFileSchema = z.strictObject({
  format: z.literal(BULWARK_TEMPLATE_FORMAT),
  formatVersion: z.literal(1),
  exportedAt: timestamp.optional(),
  /** The version the file was exported from (informational: import creates a new template). */
  source: z
    .strictObject({
      version: z.number().int().min(1),
      contentHash: z.string().regex(/^[0-9a-f]{64}$/),
      publishedAt: timestamp.nullable(),
    })
    .optional(),
  template: templateDocumentSchema,
});
export type BulwarkTemplateFile = z.output<typeof bulwarkTemplateFileSchema>;

// ---- answers (what visibility and scoring read) ----

/**
 * An answer, by question type: an option value (`yes_no`, `single_choice`), option values (`multi_choice`),
 * text, a number, a date (`YYYY-MM-DD`), evidence ids (`evidence`). `null` or absent is unanswered.
 */
export const answerValueSchema = z.union([z.string().max(100_000), z.number(), z.array(z.string().max(500)).max(500), z.null()]);
export type AnswerValue = z.output<typeof answerValueSchema>;
export type Answers = Readonly<Record<string, AnswerValue | undefined>>;

// ---- requests ----

export const TEMPLATE_IMPORT_FORMATS = ['bulwark', 'vsaq'] as const;
export type TemplateImportFormat = (typeof TEMPLATE_IMPORT_FORMATS)[number];

export const templateImportQuery = z.strictObject({
  /** Unset: decided from the content (a Bulwark file names its format; anything else is read as VSAQ). */
  format: z.enum(TEMPLATE_IMPORT_FORMATS).optional(),
  /** The uploaded file's name, kept with the version's provenance. */
  fileName: z.string().trim().min(1).max(255).optional(),
});

export const TEMPLATE_LIST_STATUSES = ['active', 'archived', 'all'] as const;
export const templateListQuery = z.strictObject({
  ...paginationQuery,
  /** Name or description contains (case-insensitive). */
  search: z.string().trim().max(200).optional(),
  /** `active` (default): not archived. */
  status: z.enum(TEMPLATE_LIST_STATUSES).default('active'),
  sort: sortSchema(['name', 'updatedAt'] as const, 'name'),
});

/** The whole draft document, with the draft's `revision` as the client read it (a stale one is a 409). */
export const saveTemplateDraftSchema = z.strictObject({
  revision: z.number().int().min(1),
  content: templateDocumentSchema,
});

export const publishTemplateSchema = z.strictObject({
  /** The draft's revision the client reviewed: publishing something else (edited meanwhile) is a 409. */
  revision: z.number().int().min(1).optional(),
});

export const newTemplateDraftSchema = z.strictObject({
  /** The published version to start from; default the latest. */
  fromVersion: z.number().int().min(1).optional(),
});

// ---- answers of the API ----

export const TEMPLATE_STATUSES = ['draft', 'published', 'archived'] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];
export const TEMPLATE_VERSION_STATUSES = ['draft', 'published'] as const;
export type TemplateVersionStatus = (typeof TEMPLATE_VERSION_STATUSES)[number];

/** A problem that refuses publishing, at a path such as `sections[2].questions[4].showWhen.all[1].key`. */
export const templateIssueSchema = z.object({
  path: z.string(),
  /** `duplicate_key`, `missing_key`, `cycle`, `unknown_option`, `bad_value`, `empty`. */
  code: z.string(),
  message: z.string(),
});
export type TemplateIssue = z.output<typeof templateIssueSchema>;

/** Where a version's content came from. */
export const templateSourceSchema = z.object({
  format: z.enum(['builtin', 'bulwark', 'vsaq', 'manual']),
  fileName: z.string().nullable(),
  /** Built-in templates: the id of the shipped content; imports: the hash the file said it had, if any. */
  reference: z.string().nullable(),
});
export type TemplateSource = z.output<typeof templateSourceSchema>;

export const templateVersionSummarySchema = z.object({
  /** The version's id (what a questionnaire request names as `templateVersionId`). */
  id: entityId,
  version: z.number().int().min(1),
  status: z.enum(TEMPLATE_VERSION_STATUSES),
  /** A draft's edit counter (send it back when saving or publishing); frozen once published. */
  revision: z.number().int().min(1),
  /** SHA-256 of the canonical JSON of the content. */
  contentHash: z.string(),
  questionCount: count,
  sectionCount: count,
  createdAt: timestamp,
  createdByName: z.string().nullable(),
  updatedAt: timestamp,
  publishedAt: timestamp.nullable(),
  publishedByName: z.string().nullable(),
});
export type TemplateVersionSummary = z.output<typeof templateVersionSummarySchema>;

export const templateVersionViewSchema = templateVersionSummarySchema.extend({
  templateId: entityId,
  content: templateDocumentSchema,
  /** What refuses publishing (always empty for a published version). */
  problems: z.array(templateIssueSchema),
  source: templateSourceSchema.nullable(),
});
export type TemplateVersionView = z.output<typeof templateVersionViewSchema>;

export const templateSummarySchema = z.object({
  id: entityId,
  name: z.string(),
  description: z.string(),
  /** The shipped "AI supplier disaster recovery" template (seeded for every organization). */
  builtIn: z.boolean(),
  /** `archived`; else `published` once a version is; else `draft`. */
  status: z.enum(TEMPLATE_STATUSES),
  latestPublishedVersion: z.number().int().min(1).nullable(),
  /** The open draft's version number, if there is one. */
  draftVersion: z.number().int().min(1).nullable(),
  /** Questions of the version shown (the draft if there is one, else the latest published). */
  questionCount: count,
  createdAt: timestamp,
  updatedAt: timestamp,
  archivedAt: timestamp.nullable(),
});
export type TemplateSummary = z.output<typeof templateSummarySchema>;

export const templateDetailSchema = templateSummarySchema.extend({
  versions: z.array(templateVersionSummarySchema),
  /** The version shown: the draft if there is one, else the latest published. */
  current: templateVersionViewSchema,
});
export type TemplateDetail = z.output<typeof templateDetailSchema>;
