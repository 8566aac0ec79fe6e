import {
  isChoiceType,
  KEY_PATTERN,
  type Condition,
  type ConditionValue,
  type QuestionOption,
  type QuestionType,
  type TemplateDocument,
  type TemplateQuestion,
  type TemplateSection,
} from '@bulwark/api-schema';

/**
 * Pure helpers of the template builder: keys generated from text, moving sections and questions, the
 * condition editor's model, and mapping the API's error paths (a save's `content.sections.1.questions.0.key`
 * or a publish refusal's `sections[1].questions[0].showWhen.all[1].key`) onto the field they name.
 */

// ---- keys ----

/**
 * A stable key from a question's (or section's) text: lower case, words joined by `_`, at most 40 characters
 * (cut between words when it can be).
 */
export function keyFromText(text: string, fallback = 'question'): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (words.length <= 40) return words || fallback;
  const cut = words.slice(0, 41);
  const boundary = cut.lastIndexOf('_');
  return (boundary >= 20 ? cut.slice(0, boundary) : cut.slice(0, 40)).replace(/_+$/g, '') || fallback;
}

/** `base`, or `base_2`, `base_3`… whichever is not in `taken`. */
export function uniqueKey(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) {
    const suffix = `_${i}`;
    const k = `${base.slice(0, 120 - suffix.length)}${suffix}`;
    if (!used.has(k)) return k;
  }
}

/** What is wrong with a key as typed (null when it is fine): its form, and whether another item already has it. */
export function keyProblem(key: string, othersKeys: Iterable<string>): string | null {
  if (!key) return 'a key is required';
  if (!KEY_PATTERN.test(key)) return 'letters, digits or _ . : - (starting with a letter, digit or _), at most 120';
  for (const k of othersKeys) if (k === key) return `the key "${key}" is already used`;
  return null;
}

// ---- moving items ----

/** A copy of `list` with the item at `from` moved to `to` (clamped); the same array when nothing moves. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(list.length - 1, to));
  if (from < 0 || from >= list.length || from === target) return [...list];
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(target, 0, item!);
  return out;
}

export interface Located {
  section: number;
  question: number;
}

/**
 * Moves a question one step up or down across the whole template: within its section, or, at the first (last)
 * place of a section, to the end (start) of the previous (next) section. Answers where it landed, or null
 * when it cannot move that way.
 */
export function stepQuestion<S extends { questions: readonly unknown[] }>(
  sections: readonly S[],
  at: Located,
  direction: -1 | 1,
): { sections: S[]; at: Located } | null {
  const s = sections[at.section];
  if (!s || at.question < 0 || at.question >= s.questions.length) return null;
  const within = at.question + direction;
  if (within >= 0 && within < s.questions.length) {
    const out = sections.map((x, i) => (i === at.section ? { ...x, questions: moveItem(x.questions, at.question, within) } : x));
    return { sections: out, at: { section: at.section, question: within } };
  }
  const toSection = at.section + direction;
  if (toSection < 0 || toSection >= sections.length) return null;
  return moveQuestionTo(sections, at, toSection, direction === 1 ? 0 : sections[toSection]!.questions.length);
}

/** Moves a question to another section (at `index`, default the end). */
export function moveQuestionTo<S extends { questions: readonly unknown[] }>(
  sections: readonly S[],
  at: Located,
  toSection: number,
  index?: number,
): { sections: S[]; at: Located } | null {
  const from = sections[at.section];
  const to = sections[toSection];
  if (!from || !to || at.question < 0 || at.question >= from.questions.length) return null;
  if (toSection === at.section) {
    const target = Math.min(index ?? from.questions.length - 1, from.questions.length - 1);
    return stepWithin(sections, at, target);
  }
  const item = from.questions[at.question];
  const place = Math.max(0, Math.min(index ?? to.questions.length, to.questions.length));
  const out = sections.map((x, i) => {
    if (i === at.section) return { ...x, questions: x.questions.filter((_, j) => j !== at.question) };
    if (i === toSection) return { ...x, questions: [...x.questions.slice(0, place), item, ...x.questions.slice(place)] };
    return x;
  });
  return { sections: out, at: { section: toSection, question: place } };
}

function stepWithin<S extends { questions: readonly unknown[] }>(sections: readonly S[], at: Located, target: number) {
  const out = sections.map((x, i) => (i === at.section ? { ...x, questions: moveItem(x.questions, at.question, target) } : x));
  return { sections: out, at: { section: at.section, question: target } };
}

// ---- question types ----

export const YES_NO_OPTIONS: QuestionOption[] = [
  { value: 'yes', label: 'Yes', points: 1 },
  { value: 'no', label: 'No', points: 0 },
];

/** A question changed to another type: options added or dropped, and the fields the new type has no use for removed. */
export function withType(q: TemplateQuestion, type: QuestionType): TemplateQuestion {
  if (q.type === type) return q;
  const { options, points, multiline, unit, evidenceKinds, ...rest } = q;
  const next: TemplateQuestion = { ...rest, type };
  if (type === 'yes_no') next.options = YES_NO_OPTIONS.map((o) => ({ ...o }));
  else if (isChoiceType(type)) {
    const kept = isChoiceType(q.type) && q.type !== 'yes_no' ? options : undefined;
    next.options = kept?.length
      ? kept
      : [
          { value: 'option_1', label: 'Option 1', points: 1 },
          { value: 'option_2', label: 'Option 2', points: 0 },
        ];
  } else if (points !== undefined) next.points = points;
  if (type === 'text' && multiline !== undefined) next.multiline = multiline;
  if (type === 'number' && unit !== undefined) next.unit = unit;
  if (type === 'evidence' && evidenceKinds !== undefined) next.evidenceKinds = evidenceKinds;
  return next;
}

// ---- the condition editor's model ----

export type ClauseKind = 'equals' | 'oneOf' | 'answered';
export interface Clause {
  not: boolean;
  key: string;
  kind: ClauseKind;
  /** `equals`: one value; `oneOf`: several. */
  values: ConditionValue[];
}
export interface ConditionModel {
  /** How the clauses combine (`all`: and; `any`: or). */
  join: 'all' | 'any';
  clauses: Clause[];
}

function leafToClause(c: Condition, not: boolean): Clause | null {
  if ('equals' in c) return { not, key: c.key, kind: 'equals', values: [c.equals] };
  if ('oneOf' in c) return { not, key: c.key, kind: 'oneOf', values: [...c.oneOf] };
  if ('answered' in c) return { not, key: c.key, kind: 'answered', values: [] };
  return null;
}

function toClause(c: Condition): Clause | null {
  if ('not' in c) return leafToClause(c.not, true);
  return leafToClause(c, false);
}

/**
 * A condition as the editor shows it: one level of and/or over clauses, each maybe negated. Null when the
 * condition nests deeper than that (the builder shows it read-only, in words).
 */
export function conditionToModel(c: Condition | undefined): ConditionModel | null {
  if (!c) return { join: 'all', clauses: [] };
  if ('all' in c || 'any' in c) {
    const items = 'all' in c ? c.all : c.any;
    const clauses = items.map(toClause);
    if (clauses.some((x) => x === null)) return null;
    return { join: 'all' in c ? 'all' : 'any', clauses: clauses as Clause[] };
  }
  const one = toClause(c);
  return one ? { join: 'all', clauses: [one] } : null;
}

function clauseToCondition(x: Clause): Condition {
  const leaf: Condition =
    x.kind === 'answered'
      ? { key: x.key, answered: true }
      : x.kind === 'oneOf'
        ? { key: x.key, oneOf: [...x.values] }
        : { key: x.key, equals: x.values[0] ?? '' };
  return x.not ? { not: leaf } : leaf;
}

/** The condition the editor's model means (undefined when it has no clause: the question always shows). */
export function modelToCondition(m: ConditionModel): Condition | undefined {
  if (!m.clauses.length) return undefined;
  if (m.clauses.length === 1) return clauseToCondition(m.clauses[0]!);
  const items = m.clauses.map(clauseToCondition);
  return m.join === 'all' ? { all: items } : { any: items };
}

// ---- error paths onto fields ----

/**
 * Where an API error path points: the section and question (by position in the document that was sent), and
 * the field within it in dotted form (`key`, `options.1.points`, `showWhen.all.1.key`). Paths the API gives
 * for a save (`content.sections.1.questions.0.key`) and for a publish refusal (`sections[1].questions[0].key`)
 * read the same.
 */
export interface IssueTarget {
  section: number | null;
  question: number | null;
  field: string;
}

export function normalizeIssuePath(path: string): string {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^\.+/, '')
    .replace(/^content\./, '')
    .replace(/^content$/, '');
}

export function locateIssue(path: string): IssueTarget {
  const parts = normalizeIssuePath(path).split('.').filter(Boolean);
  let section: number | null = null;
  let question: number | null = null;
  let rest = parts;
  if (parts[0] === 'sections' && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
    section = Number(parts[1]);
    rest = parts.slice(2);
    if (rest[0] === 'questions' && rest[1] !== undefined && /^\d+$/.test(rest[1])) {
      question = Number(rest[1]);
      rest = rest.slice(2);
    }
  }
  return { section, question, field: rest.join('.') };
}

/** Errors of one item (the document, a section or a question), by field. */
export type FieldErrors = Record<string, string[]>;
export interface MappedErrors {
  document: FieldErrors;
  sections: Record<string, FieldErrors>;
  questions: Record<string, FieldErrors>;
}

/**
 * Files each error under the item it names, by that item's id in the builder (`sectionIds[s]`,
 * `questionIds[s][q]`: the ids of the document as it was sent), so an error stays with its question when
 * questions move afterwards. An error naming a position that is not there goes to the document.
 */
export function mapIssues(
  issues: readonly { path: string; message: string }[],
  sectionIds: readonly string[],
  questionIds: readonly (readonly string[])[],
): MappedErrors {
  const out: MappedErrors = { document: {}, sections: {}, questions: {} };
  const add = (bucket: FieldErrors, field: string, message: string) => {
    const list = (bucket[field] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  for (const issue of issues) {
    const t = locateIssue(issue.path);
    const sid = t.section !== null ? sectionIds[t.section] : undefined;
    const qid = t.section !== null && t.question !== null ? questionIds[t.section]?.[t.question] : undefined;
    if (qid) add((out.questions[qid] ??= {}), t.field, issue.message);
    else if (sid && t.question === null) add((out.sections[sid] ??= {}), t.field, issue.message);
    else add(out.document, normalizeIssuePath(issue.path) || '(template)', issue.message);
  }
  return out;
}

/** Errors of a field and of everything under it (`options` takes `options.1.value` too). */
export function errorsUnder(errors: FieldErrors | undefined, field: string): string[] {
  if (!errors) return [];
  return Object.entries(errors)
    .filter(([f]) => f === field || f.startsWith(`${field}.`))
    .flatMap(([, m]) => m);
}

// ---- the builder's working copy ----

export interface QuestionDraft {
  id: string;
  /** Follows the text until the key is typed by hand (a new question only). */
  autoKey: boolean;
  q: TemplateQuestion;
}
export interface SectionDraft {
  id: string;
  autoKey: boolean;
  section: Omit<TemplateSection, 'questions'>;
  questions: QuestionDraft[];
}
export interface BuilderDraft {
  name: string;
  description: string;
  sections: SectionDraft[];
}

let seq = 0;
export const newId = (prefix: string): string => `${prefix}-${++seq}`;

export function toDraft(doc: TemplateDocument): BuilderDraft {
  return {
    name: doc.name,
    description: doc.description,
    sections: doc.sections.map(({ questions, ...section }) => ({
      id: newId('s'),
      autoKey: false,
      section,
      questions: questions.map((q) => ({ id: newId('q'), autoKey: false, q })),
    })),
  };
}

export function toDocument(d: BuilderDraft): TemplateDocument {
  return {
    name: d.name,
    description: d.description,
    sections: d.sections.map((s) => ({ ...s.section, questions: s.questions.map((x) => x.q) })),
  };
}
