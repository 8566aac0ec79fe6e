import {
  isChoiceType,
  type Answers,
  type AnswerValue,
  type Condition,
  type ConditionValue,
  type TemplateDocument,
  type TemplateIssue,
  type TemplateQuestion,
  type TemplateSection,
  type TemplateWarning,
} from './questionnaires.js';

/**
 * What a template document means, as pure functions shared by the API and the portal (the vendor preview
 * renders with the same `visibleQuestions` the API will use for requests): conditions, visibility, the checks
 * before publishing, scoring and conditions in plain words. No framework, no I/O.
 */

/** Three-valued truth: a condition about a hidden question is unknown. */
type Truth = 'true' | 'false' | 'unknown';

/** Whether an answer counts as given: a non-blank text, a finite number, a non-empty list. */
export function isAnswered(value: AnswerValue | undefined): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (typeof value === 'number') return Number.isFinite(value);
  return value.length > 0;
}

/** The question keys a condition reads, each once, in order of appearance. */
export function conditionKeys(c: Condition | undefined): string[] {
  const out: string[] = [];
  const walk = (x: Condition) => {
    if ('all' in x) x.all.forEach(walk);
    else if ('any' in x) x.any.forEach(walk);
    else if ('not' in x) walk(x.not);
    else if (!out.includes(x.key)) out.push(x.key);
  };
  if (c) walk(c);
  return out;
}

interface Located {
  question: TemplateQuestion;
  section: TemplateSection;
  sectionIndex: number;
  questionIndex: number;
}

/** Every question by key (the first one, should a draft hold a key twice). */
function indexQuestions(doc: TemplateDocument): Map<string, Located> {
  const index = new Map<string, Located>();
  doc.sections.forEach((section, sectionIndex) =>
    section.questions.forEach((question, questionIndex) => {
      if (!index.has(question.key)) index.set(question.key, { question, section, sectionIndex, questionIndex });
    }),
  );
  return index;
}

const asList = (v: AnswerValue | undefined): string[] => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [String(v)]);

/** Whether an answer to `q` is (or, for multiple choice and evidence, includes) `value`. */
function answerMatches(q: TemplateQuestion, answer: AnswerValue | undefined, value: ConditionValue): boolean {
  if (!isAnswered(answer)) return false;
  switch (q.type) {
    case 'multi_choice':
    case 'evidence':
      return asList(answer).includes(String(value));
    case 'number':
      return Number(answer) === Number(value);
    default:
      return typeof answer === 'string' ? answer.trim() === String(value) : String(answer) === String(value);
  }
}

/**
 * Decides what shows for a set of answers. A question shows when its section's condition and its own
 * definitely hold; a condition about a hidden (or missing, or cyclic) question is unknown, so an answer left
 * on a hidden question never shows or hides anything.
 */
class Visibility {
  private readonly index: Map<string, Located>;
  private readonly memo = new Map<string, boolean>();
  private readonly visiting = new Set<string>();

  constructor(
    doc: TemplateDocument,
    private readonly answers: Answers,
  ) {
    this.index = indexQuestions(doc);
  }

  question(key: string): TemplateQuestion | undefined {
    return this.index.get(key)?.question;
  }

  visible(key: string): boolean {
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const at = this.index.get(key);
    // A cycle (refused at publishing, possible in a draft) hides every question on it.
    if (!at || this.visiting.has(key)) return false;
    this.visiting.add(key);
    const result = this.holds(at.section.showWhen) && this.holds(at.question.showWhen);
    this.visiting.delete(key);
    this.memo.set(key, result);
    return result;
  }

  /** A condition holds only when it is definitely true; none always holds. */
  holds(c: Condition | undefined): boolean {
    return c === undefined || this.truth(c) === 'true';
  }

  truth(c: Condition): Truth {
    if ('all' in c) {
      const parts = c.all.map((x) => this.truth(x));
      return parts.includes('false') ? 'false' : parts.includes('unknown') ? 'unknown' : 'true';
    }
    if ('any' in c) {
      const parts = c.any.map((x) => this.truth(x));
      return parts.includes('true') ? 'true' : parts.includes('unknown') ? 'unknown' : 'false';
    }
    if ('not' in c) {
      const inner = this.truth(c.not);
      return inner === 'unknown' ? 'unknown' : inner === 'true' ? 'false' : 'true';
    }
    const q = this.question(c.key);
    if (!q || !this.visible(c.key)) return 'unknown';
    const answer = this.answers[c.key];
    if ('answered' in c) return isAnswered(answer) ? 'true' : 'false';
    if ('equals' in c) return answerMatches(q, answer, c.equals) ? 'true' : 'false';
    return c.oneOf.some((v) => answerMatches(q, answer, v)) ? 'true' : 'false';
  }

  sectionVisible(section: TemplateSection): boolean {
    return this.holds(section.showWhen);
  }
}

/** The keys of the questions that show for these answers. */
export function visibleQuestions(doc: TemplateDocument, answers: Answers): Set<string> {
  const v = new Visibility(doc, answers);
  const out = new Set<string>();
  for (const s of doc.sections) for (const q of s.questions) if (v.visible(q.key)) out.add(q.key);
  return out;
}

export interface ShownWarning {
  warning: TemplateWarning;
  sectionKey: string;
  /** The question it belongs to, or null for a section's warning. */
  questionKey: string | null;
}

/** The warnings that show: their question (or section) shows and their own condition holds. */
export function visibleWarnings(doc: TemplateDocument, answers: Answers): ShownWarning[] {
  const v = new Visibility(doc, answers);
  const out: ShownWarning[] = [];
  for (const s of doc.sections) {
    if (!v.sectionVisible(s)) continue;
    for (const w of s.warnings ?? []) if (v.holds(w.showWhen)) out.push({ warning: w, sectionKey: s.key, questionKey: null });
    for (const q of s.questions) {
      if (!v.visible(q.key)) continue;
      for (const w of q.warnings ?? []) if (v.holds(w.showWhen)) out.push({ warning: w, sectionKey: s.key, questionKey: q.key });
    }
  }
  return out;
}

export interface Progress {
  /** Questions that show. */
  visible: number;
  /** Of them, answered. */
  answered: number;
  /** Required questions that show and are not answered (hidden questions are never required). */
  requiredMissing: string[];
}

export function progress(doc: TemplateDocument, answers: Answers): Progress {
  const shown = visibleQuestions(doc, answers);
  let answered = 0;
  const requiredMissing: string[] = [];
  for (const s of doc.sections)
    for (const q of s.questions) {
      if (!shown.has(q.key)) continue;
      if (isAnswered(answers[q.key])) answered += 1;
      else if (q.required && !requiredMissing.includes(q.key)) requiredMissing.push(q.key);
    }
  return { visible: shown.size, answered, requiredMissing };
}

export function questionCount(doc: TemplateDocument): number {
  return doc.sections.reduce((n, s) => n + s.questions.length, 0);
}

// ---- scoring ----

export const SCORING_RULE =
  'Each question that shows and carries points earns its weight × the points of the chosen option (multiple choice: the ' +
  'sum of the chosen options, at most the sum of its positive options); it can earn at most its weight × its best option. ' +
  'A “not applicable” answer and a hidden question count neither way. An unanswered required question counts 0 of its ' +
  'maximum; an unanswered optional question is left out. Text, number, date and evidence questions count only when they ' +
  'carry points, earned in full once answered. Sections and the total are the sums, as a percentage of the maximum.';

export type QuestionScoreStatus = 'scored' | 'unanswered_required' | 'unanswered_optional' | 'not_applicable' | 'hidden' | 'not_scored';

export interface QuestionScore {
  key: string;
  sectionKey: string;
  status: QuestionScoreStatus;
  earned: number;
  max: number;
}

export interface SectionScore {
  key: string;
  title: string;
  earned: number;
  max: number;
  /** Null when nothing in the section counts. */
  percent: number | null;
}

export interface ScoreResult {
  earned: number;
  max: number;
  percent: number | null;
  sections: SectionScore[];
  questions: QuestionScore[];
  /** The rule in words, to show beside the figures. */
  rule: string;
}

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
const percentOf = (earned: number, max: number) => (max > 0 ? round((earned / max) * 100, 1) : null);

/** Whether the answer is (or, for multiple choice, includes) a "not applicable" option. */
export function isNotApplicable(q: TemplateQuestion, answer: AnswerValue | undefined): boolean {
  if (!isChoiceType(q.type) || !isAnswered(answer)) return false;
  const na = new Set((q.options ?? []).filter((o) => o.na).map((o) => o.value));
  return asList(answer).some((v) => na.has(v));
}

/** The most a question can earn before its weight, or null when it carries no points. */
function maxPoints(q: TemplateQuestion): number | null {
  if (!isChoiceType(q.type)) return q.points ?? null;
  const options = (q.options ?? []).filter((o) => !o.na);
  if (!options.some((o) => o.points !== undefined)) return null;
  const points = options.map((o) => o.points ?? 0);
  return q.type === 'multi_choice' ? points.reduce((sum, p) => sum + Math.max(p, 0), 0) : Math.max(0, ...points);
}

function earnedPoints(q: TemplateQuestion, answer: AnswerValue | undefined, max: number): number {
  if (!isChoiceType(q.type)) return q.points ?? 0;
  const points = new Map((q.options ?? []).map((o) => [o.value, o.points ?? 0]));
  const chosen = [...new Set(asList(answer).map((v) => v.trim()))];
  if (q.type === 'multi_choice')
    return Math.min(
      max,
      Math.max(
        0,
        chosen.reduce((sum, v) => sum + (points.get(v) ?? 0), 0),
      ),
    );
  return points.get(chosen[0] ?? '') ?? 0;
}

/** The weighted score, per section and in total, for these answers (see `SCORING_RULE`). */
export function score(doc: TemplateDocument, answers: Answers): ScoreResult {
  const shown = visibleQuestions(doc, answers);
  const questions: QuestionScore[] = [];
  const sections: SectionScore[] = [];
  for (const s of doc.sections) {
    let sEarned = 0;
    let sMax = 0;
    for (const q of s.questions) {
      const entry = (status: QuestionScoreStatus, earned = 0, max = 0) =>
        questions.push({ key: q.key, sectionKey: s.key, status, earned: round(earned), max: round(max) });
      if (!shown.has(q.key)) {
        entry('hidden');
        continue;
      }
      const answer = answers[q.key];
      const most = maxPoints(q);
      if (most === null || most * q.weight <= 0) {
        entry('not_scored');
        continue;
      }
      if (isNotApplicable(q, answer)) {
        entry('not_applicable');
        continue;
      }
      const max = most * q.weight;
      if (!isAnswered(answer)) {
        if (q.required) {
          entry('unanswered_required', 0, max);
          sMax += max;
        } else entry('unanswered_optional');
        continue;
      }
      const earned = earnedPoints(q, answer, most) * q.weight;
      entry('scored', earned, max);
      sEarned += earned;
      sMax += max;
    }
    sections.push({ key: s.key, title: s.title, earned: round(sEarned), max: round(sMax), percent: percentOf(sEarned, sMax) });
  }
  const earned = round(sections.reduce((n, s) => n + s.earned, 0));
  const max = round(sections.reduce((n, s) => n + s.max, 0));
  return { earned, max, percent: percentOf(earned, max), sections, questions, rule: SCORING_RULE };
}

// ---- checks before publishing ----

/**
 * What refuses publishing: no question at all, a key used twice, a condition naming a question that is not
 * there (or an option that question does not have), and conditions that depend on each other in a cycle.
 * Each problem names its path, e.g. `sections[2].questions[4].showWhen.all[1].key`.
 */
export function validateForPublish(doc: TemplateDocument): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const add = (path: string, code: string, message: string) => issues.push({ path, code, message });
  if (questionCount(doc) === 0) add('sections', 'empty', 'a template needs at least one question to be published');

  const sectionAt = new Map<string, string>();
  const questionAt = new Map<string, string>();
  const warningAt = new Map<string, string>();
  const claim = (seen: Map<string, string>, key: string, path: string, what: string) => {
    const first = seen.get(key);
    if (first) add(`${path}.key`, 'duplicate_key', `the ${what} key "${key}" is already used at ${first}`);
    else seen.set(key, path);
  };
  doc.sections.forEach((s, si) => {
    const sp = `sections[${si}]`;
    claim(sectionAt, s.key, sp, 'section');
    (s.warnings ?? []).forEach((w, wi) => claim(warningAt, w.key, `${sp}.warnings[${wi}]`, 'warning'));
    s.questions.forEach((q, qi) => {
      const qp = `${sp}.questions[${qi}]`;
      claim(questionAt, q.key, qp, 'question');
      (q.warnings ?? []).forEach((w, wi) => claim(warningAt, w.key, `${qp}.warnings[${wi}]`, 'warning'));
    });
  });

  const index = indexQuestions(doc);
  const checkValue = (path: string, key: string, value: ConditionValue) => {
    const q = index.get(key)?.question;
    if (!q) return;
    if (isChoiceType(q.type)) {
      const values = (q.options ?? []).map((o) => o.value);
      if (!values.includes(String(value)))
        add(path, 'unknown_option', `"${String(value)}" is not an option of "${key}" (${values.join(', ') || 'none'})`);
    } else if (q.type === 'number' && !Number.isFinite(Number(value))) add(path, 'bad_value', `"${key}" is answered with a number`);
    else if (q.type === 'evidence') add(path, 'bad_value', `evidence questions are tested with "answered", not a value ("${key}")`);
  };
  /** Checks the references of a condition; answers its edges (key read, path of that reference). */
  const references = (c: Condition | undefined, path: string): { key: string; path: string }[] => {
    const out: { key: string; path: string }[] = [];
    const walk = (x: Condition, p: string) => {
      if ('all' in x) x.all.forEach((y, i) => walk(y, `${p}.all[${i}]`));
      else if ('any' in x) x.any.forEach((y, i) => walk(y, `${p}.any[${i}]`));
      else if ('not' in x) walk(x.not, `${p}.not`);
      else {
        out.push({ key: x.key, path: `${p}.key` });
        if (!index.has(x.key)) add(`${p}.key`, 'missing_key', `refers to "${x.key}", which is not a question of this template`);
        else if ('equals' in x) checkValue(`${p}.equals`, x.key, x.equals);
        else if ('oneOf' in x) x.oneOf.forEach((v, i) => checkValue(`${p}.oneOf[${i}]`, x.key, v));
      }
    };
    if (c) walk(c, path);
    return out;
  };

  // What each question's visibility depends on: its section's condition and its own.
  const edges = new Map<string, { key: string; path: string }[]>();
  doc.sections.forEach((s, si) => {
    const sp = `sections[${si}]`;
    const sectionRefs = references(s.showWhen, `${sp}.showWhen`);
    (s.warnings ?? []).forEach((w, wi) => references(w.showWhen, `${sp}.warnings[${wi}].showWhen`));
    s.questions.forEach((q, qi) => {
      const qp = `${sp}.questions[${qi}]`;
      const own = references(q.showWhen, `${qp}.showWhen`);
      (q.warnings ?? []).forEach((w, wi) => references(w.showWhen, `${qp}.warnings[${wi}].showWhen`));
      if (questionAt.get(q.key) === qp)
        edges.set(
          q.key,
          [...sectionRefs, ...own].filter((e) => index.has(e.key)),
        );
    });
  });

  // Cycles: depth-first over the dependencies; each cycle is reported once, where it closes.
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (key: string) => {
    state.set(key, 'open');
    stack.push(key);
    for (const e of edges.get(key) ?? []) {
      const s = state.get(e.key);
      if (s === 'open') {
        const cycle = [...stack.slice(stack.indexOf(e.key)), e.key];
        const id = [...cycle.slice(0, -1)].sort().join('|');
        if (!reported.has(id)) {
          reported.add(id);
          add(e.path, 'cycle', `conditions depend on each other in a cycle: ${cycle.join(' → ')}`);
        }
      } else if (s === undefined) visit(e.key);
    }
    stack.pop();
    state.set(key, 'done');
  };
  for (const key of edges.keys()) if (!state.has(key)) visit(key);
  return issues;
}

// ---- plain words ----

const quote = (s: string) => `“${s}”`;
function shortText(s: string, max = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1).trimEnd()}…` : one;
}

/** A condition as a sentence ("“Do you provide AI models…?” is “Yes” and …"), naming questions by their text. */
export function describeCondition(c: Condition, doc: TemplateDocument): string {
  const index = indexQuestions(doc);
  const name = (key: string) => {
    const q = index.get(key)?.question;
    return q ? quote(shortText(q.text)) : `the missing question ${quote(key)}`;
  };
  const label = (key: string, value: ConditionValue) => {
    const option = index.get(key)?.question.options?.find((o) => o.value === String(value));
    return quote(option ? shortText(option.label, 60) : String(value));
  };
  const isMulti = (key: string) => ['multi_choice', 'evidence'].includes(index.get(key)?.question.type ?? '');
  const leaf = (x: Condition, negated: boolean): string | null => {
    if ('all' in x || 'any' in x || 'not' in x) return null;
    if ('answered' in x) return `${name(x.key)} is ${negated ? 'not ' : ''}answered`;
    const verb = isMulti(x.key) ? (negated ? 'does not include' : 'includes') : negated ? 'is not' : 'is';
    if ('equals' in x) return `${name(x.key)} ${verb} ${label(x.key, x.equals)}`;
    const values = x.oneOf.map((v) => label(x.key, v));
    if (values.length === 1) return `${name(x.key)} ${verb} ${values[0]}`;
    const list = `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
    return isMulti(x.key)
      ? `${name(x.key)} ${negated ? 'includes none of' : 'includes any of'} ${list}`
      : `${name(x.key)} ${negated ? 'is neither' : 'is one of'} ${list}`;
  };
  const say = (x: Condition, nested: boolean): string => {
    if ('all' in x) {
      if (!x.all.length) return 'always';
      const s = x.all.map((y) => say(y, true)).join(' and ');
      return nested && x.all.length > 1 ? `(${s})` : s;
    }
    if ('any' in x) {
      if (!x.any.length) return 'never';
      const s = x.any.map((y) => say(y, true)).join(' or ');
      return nested && x.any.length > 1 ? `(${s})` : s;
    }
    if ('not' in x) return leaf(x.not, true) ?? `not ${say(x.not, true)}`;
    return leaf(x, false)!;
  };
  return say(c, false);
}
