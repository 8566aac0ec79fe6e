import { KEY_PATTERN, type Condition, type TemplateDocumentInput, type WarningSeverity } from '@bulwark/api-schema';

import { htmlToText } from './html-text.js';
import { parseVsaqCond, VsaqCondError, type VsaqExpr } from './vsaq-cond.js';
import { parseVsaqText, VsaqSyntaxError, type VsaqValue } from './vsaq-dialect.js';

/**
 * Google VSAQ questionnaires (Apache-2.0, github.com/google/vsaq) as Bulwark templates:
 *
 * - `block`s become sections (nested blocks: sections of their own, titled "Parent › Child", showing only when
 *   every enclosing block's `cond` holds); items directly in the root block go to a first section;
 * - `radiogroup` → single choice, `checkgroup` → multiple choice (each choice id is an option value; a
 *   `defaultChoice` adds "None of the above."), `check` and `yesno` → yes/no, `line` → text, `box` → multi-line
 *   text, `upload` → evidence;
 * - `info` → help text of the next question (or the section's description); an `info` with a `cond` → an
 *   advice (warning of severity `info`) that shows under that condition;
 * - `tip` → a warning on the question before it (`warn: "yes"` with its `severity`, else advice), shown under
 *   the tip's `cond`; a tip asking for a clarification (`why`) → an optional multi-line text question (keyed by
 *   the tip's id, as VSAQ keys its answer) that carries the warning;
 * - `cond` → a condition: a choice id → "the group's answer is (includes) that choice", a check or yes/no id →
 *   "is yes" (`/no`: "is no"), any other question id → "is answered"; `&&`, `||`, `!` → all, any, not;
 * - `spacer` is left out.
 *
 * Whatever cannot be mapped (an unknown item type, conditional choices, a `cond` using functions, `^` or
 * `/value`, an id used twice or referring to nothing) is collected and reported by item id; nothing is half
 * imported. Answers and scoring: VSAQ has no points, so an imported template scores nothing until given some.
 */

export interface VsaqProblem {
  /** The item's id, or how to find it when it has none (`radiogroup #3 in "HTTPS"`). */
  item: string;
  message: string;
}

export class VsaqImportError extends Error {
  constructor(readonly problems: VsaqProblem[]) {
    super(problems.map((p) => `${p.item}: ${p.message}`).join('; '));
    this.name = 'VsaqImportError';
  }
}

type Obj = { [key: string]: VsaqValue };
const isObj = (v: VsaqValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: VsaqValue | undefined): string => (typeof v === 'string' ? v : '');

const GROUPS = ['radiogroup', 'checkgroup'] as const;
const SINGLE = ['check', 'yesno', 'line', 'box', 'upload'] as const;
const KNOWN_TYPES = new Set<string>([...GROUPS, ...SINGLE, 'block', 'info', 'tip', 'spacer']);
const SEVERITIES: Record<string, WarningSeverity> = { low: 'low', medium: 'medium', high: 'high', critical: 'critical' };
const MAX_PROBLEMS = 50;
const MAX_TEXT = 20_000;

/** What an id names, for reading conditions. */
type Target =
  | { kind: 'question'; key: string; vsaqType: string }
  | { kind: 'choice'; key: string; value: string }
  | { kind: 'other'; vsaqType: string };

type Question = NonNullable<TemplateDocumentInput['sections'][number]['questions']>[number];
type Section = TemplateDocumentInput['sections'][number];
type Warning = NonNullable<Question['warnings']>[number];

/** Reads a VSAQ file (the dialect with comments and `+`) into a template document. */
export function importVsaqText(text: string): TemplateDocumentInput {
  let value: VsaqValue;
  try {
    value = parseVsaqText(text);
  } catch (err) {
    if (err instanceof VsaqSyntaxError)
      throw new VsaqImportError([{ item: '(file)', message: `not a VSAQ questionnaire: ${err.message}` }]);
    throw err;
  }
  return vsaqToTemplate(value);
}

/** Maps parsed VSAQ data (a questionnaire, or an extension file on its own) to a template document. */
export function vsaqToTemplate(value: VsaqValue): TemplateDocumentInput {
  return new VsaqMapper().map(value);
}

class VsaqMapper {
  private readonly problems: VsaqProblem[] = [];
  private readonly targets = new Map<string, Target>();
  private readonly keys = new WeakMap<Obj, string>();
  private readonly labels = new WeakMap<Obj, string>();
  /** Items the first pass refused: the second pass leaves them out (their problem is already reported). */
  private readonly refused = new WeakSet<Obj>();
  private readonly needKey: { item: Obj; make: () => string[] }[] = [];
  private readonly sectionKeys = new Set<string>();
  private readonly warningKeys = new Set<string>();
  private namespace: string | null = null;
  private blockSeq = 0;

  problem(item: string, message: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ item, message });
  }

  map(value: VsaqValue): TemplateDocumentInput {
    let roots: VsaqValue[];
    let name = 'VSAQ questionnaire';
    let extensionNote: ((item: Obj) => string | undefined) | null = null;
    if (Array.isArray(value)) roots = value;
    else if (isObj(value) && Array.isArray(value['questionnaire'])) roots = value['questionnaire'];
    else if (isObj(value) && Array.isArray(value['extensions'])) {
      // An extension file imported on its own: its blocks, with their ids in the file's namespace.
      this.namespace = str(value['namespace']) || null;
      roots = value['extensions'].map((e) => (this.namespace ? withNamespace(e, this.namespace) : e));
      name = this.namespace ? `VSAQ extension ${this.namespace}` : 'VSAQ extension';
      extensionNote = (item) => {
        const after = str(item['insertAfter']);
        const before = str(item['insertBefore']);
        const where = after ? `after “${after}”` : before ? `before “${before}”` : null;
        return where ? `An extension of a VSAQ questionnaire, inserted ${where} in its base questionnaire.` : undefined;
      };
    } else
      throw new VsaqImportError([
        { item: '(file)', message: 'not a VSAQ questionnaire: expected {"questionnaire": [...]} or {"extensions": [...]}' },
      ]);

    // One root block (VSAQ's own rule): its text names the template and its children are the sections.
    const root = roots.length === 1 && isObj(roots[0]) && roots[0]['type'] === 'block' && !extensionNote ? roots[0] : null;
    const top: VsaqValue[] = root ? (Array.isArray(root['items']) ? root['items'] : []) : roots;
    if (root) {
      name = htmlToText(str(root['text'])).slice(0, 200) || name;
      if (!Array.isArray(root['items'])) this.problem(this.describeItem(root, 'the root block', 0), 'a block has a list of items');
    } else if (extensionNote) {
      const first = roots.find((r) => isObj(r) && r['type'] === 'block') as Obj | undefined;
      if (roots.length === 1 && first) name = htmlToText(str(first['text'])).slice(0, 200) || name;
    }

    this.collect(top, root ? htmlToText(str(root['text'])) || 'the questionnaire' : 'the extension');
    this.assignDerivedKeys();

    const sections: Section[] = [];
    const loose = top.filter((i) => !(isObj(i) && i['type'] === 'block'));
    if (loose.length) {
      // Items directly in the root: a first section of their own, titled like the questionnaire.
      const rootKey = root && str(root['id']) ? str(root['id']) : 'general';
      this.buildSection({ type: 'block', text: root ? name : 'General', items: loose } as Obj, rootKey, [name], [], sections, null);
    }
    for (const item of top)
      if (isObj(item) && item['type'] === 'block' && !this.refused.has(item))
        this.buildSection(item, this.keys.get(item)!, [htmlToText(str(item['text'])) || 'Section'], [], sections, extensionNote?.(item));
    if (this.problems.length) throw new VsaqImportError(this.problems);
    return { name, description: '', sections: sections.filter((s) => s.questions?.length || s.description || s.warnings?.length) };
  }

  private describeItem(item: Obj, where: string, index: number): string {
    const id = str(item['id']);
    if (id) return id;
    const type = str(item['type']) || 'item';
    return `${type} #${index + 1} in “${where.slice(0, 60)}”`;
  }

  private register(id: string, target: Target, label: string): void {
    if (!KEY_PATTERN.test(id)) {
      this.problem(label, `the id "${id.slice(0, 80)}" cannot be a key (letters, digits and _ . : - only, at most 120)`);
      return;
    }
    if (this.targets.has(id)) this.problem(label, `the id "${id}" is used by more than one item`);
    else this.targets.set(id, target);
  }

  /** First pass: checks every item, registers every id (items and choices) and notes the items that need a key made. */
  private collect(items: VsaqValue[], where: string): void {
    items.forEach((raw, index) => {
      if (!isObj(raw)) {
        this.problem(`item #${index + 1} in “${where.slice(0, 60)}”`, 'an item is an object');
        return;
      }
      const label = this.describeItem(raw, where, index);
      this.labels.set(raw, label);
      const refuse = (message: string) => {
        this.refused.add(raw);
        this.problem(label, message);
      };
      const type = raw['type'];
      if (typeof type !== 'string' || !type) return refuse('an item needs a "type"');
      if (!KNOWN_TYPES.has(type)) return refuse(`the item type "${type.slice(0, 40)}" is not supported`);
      if (raw['id'] !== undefined && typeof raw['id'] !== 'string') return refuse('an id is a string');
      if (raw['choicesConds'] !== undefined) refuse('conditional choices (choicesConds) are not supported');
      if (raw['cond'] !== undefined && typeof raw['cond'] !== 'string') refuse('"cond" is a string');
      const id = str(raw['id']);
      switch (type) {
        case 'block': {
          this.blockSeq += 1;
          if (id) {
            this.register(id, { kind: 'other', vsaqType: 'block' }, label);
            this.keys.set(raw, id);
            this.sectionKeys.add(id);
          } else {
            const seq = this.blockSeq;
            this.needKey.push({ item: raw, make: () => [`section_${seq}`] });
          }
          if (!Array.isArray(raw['items'])) refuse('a block has a list of items');
          else this.collect(raw['items'], htmlToText(str(raw['text'])) || label);
          return;
        }
        case 'radiogroup':
        case 'checkgroup': {
          const choices = raw['choices'];
          if (!Array.isArray(choices) || !choices.length) return refuse('a choice group has a list of choices');
          const ids: string[] = [];
          for (const c of choices) {
            const entries = isObj(c) ? Object.entries(c) : [];
            if (entries.length !== 1 || typeof entries[0]![1] !== 'string') {
              refuse('each choice is an object with one id and its text, such as {"x_yes": "Yes"}');
              continue;
            }
            ids.push(entries[0]![0]);
          }
          const register = (key: string) => {
            this.keys.set(raw, key);
            this.register(key, { kind: 'question', key, vsaqType: type }, label);
            for (const c of ids) this.register(c, { kind: 'choice', key, value: c }, label);
          };
          if (id) register(id);
          else {
            // A group without an id is keyed by what its choices' ids share ("application_ssl" for
            // application_ssl_exclusively, application_ssl_mixed…), or by its place.
            const prefix = commonPrefix(ids).replace(/[_.:-]+$/, '');
            for (const c of ids) this.register(c, { kind: 'choice', key: '', value: c }, label);
            this.needKey.push({ item: raw, make: () => [...(prefix.length >= 3 ? [prefix] : []), `${ids[0] ?? 'group'}_group`] });
          }
          return;
        }
        case 'check':
        case 'yesno':
        case 'line':
        case 'box':
        case 'upload':
          if (!id) return refuse(`a ${type} item needs an id (its answer is keyed by it)`);
          this.keys.set(raw, id);
          return this.register(id, { kind: 'question', key: id, vsaqType: type }, label);
        case 'tip':
          if (str(raw['why']).trim()) {
            if (id) {
              this.keys.set(raw, id);
              this.register(id, { kind: 'question', key: id, vsaqType: 'tip' }, label);
            } else
              this.needKey.push({
                item: raw,
                make: () => [`${where.replace(/\W+/g, '_').slice(0, 40) || 'tip'}_clarification_${index + 1}`],
              });
          } else if (id) this.register(id, { kind: 'other', vsaqType: 'tip' }, label);
          return;
        default:
          if (id) this.register(id, { kind: 'other', vsaqType: type }, label);
      }
    });
  }

  /** Keys for items without an id, made once every explicit id is known (so they never take one). */
  private assignDerivedKeys(): void {
    for (const { item, make } of this.needKey) {
      const isBlock = item['type'] === 'block';
      const taken = (k: string) => (isBlock ? this.sectionKeys.has(k) : this.targets.has(k));
      const candidates = make().filter((k) => KEY_PATTERN.test(k));
      let key = candidates.find((k) => !taken(k)) ?? candidates[candidates.length - 1] ?? 'item';
      for (let n = 2; taken(key); n += 1) key = `${candidates[candidates.length - 1] ?? 'item'}_${n}`;
      this.keys.set(item, key);
      if (isBlock) this.sectionKeys.add(key);
      else {
        this.targets.set(key, { kind: 'question', key, vsaqType: str(item['type']) });
        // The group's choices now know their question.
        if (Array.isArray(item['choices']))
          for (const c of item['choices']) {
            const id = isObj(c) ? Object.keys(c)[0] : undefined;
            const t = id ? this.targets.get(id) : undefined;
            if (t?.kind === 'choice') t.key = key;
          }
      }
    }
  }

  private condition(item: Obj): Condition | undefined {
    const src = str(item['cond']).trim();
    if (!src) return undefined;
    const label = this.labels.get(item) ?? str(item['id']) ?? '(item)';
    let expr: VsaqExpr | null;
    try {
      expr = parseVsaqCond(src);
    } catch (err) {
      if (err instanceof VsaqCondError) {
        this.problem(label, `its cond "${src.slice(0, 200)}" cannot be read: ${err.message}`);
        return undefined;
      }
      throw err;
    }
    return expr ? (this.convert(expr, label, src) ?? undefined) : undefined;
  }

  private convert(e: VsaqExpr, label: string, src: string): Condition | null {
    switch (e.kind) {
      case 'not': {
        const inner = this.convert(e.expr, label, src);
        return inner && { not: inner };
      }
      case 'and':
      case 'or': {
        const parts = [this.convert(e.left, label, src), this.convert(e.right, label, src)];
        if (parts.some((p) => !p)) return null;
        const field = e.kind === 'and' ? 'all' : 'any';
        // a && b && c reads as one list.
        const flat = (parts as Condition[]).flatMap((p) => (field in p ? (p as Record<string, Condition[]>)[field]! : [p]));
        return e.kind === 'and' ? { all: flat } : { any: flat };
      }
      case 'ref': {
        if (e.id === 'false') return { any: [] };
        const target = this.targets.get(e.id) ?? (this.namespace ? this.targets.get(`${this.namespace}:${e.id}`) : undefined);
        if (!target) {
          this.problem(label, `its cond "${src.slice(0, 200)}" refers to "${e.id}", which is not in the questionnaire`);
          return null;
        }
        if (target.kind === 'choice') return { key: target.key, equals: target.value };
        if (target.kind === 'other') {
          this.problem(label, `its cond "${src.slice(0, 200)}" refers to "${e.id}", a ${target.vsaqType}, which has no answer`);
          return null;
        }
        if (target.vsaqType === 'check')
          return e.suffix === 'no' ? { not: { key: target.key, equals: 'yes' } } : { key: target.key, equals: 'yes' };
        if (target.vsaqType === 'yesno') return { key: target.key, equals: e.suffix === 'no' ? 'no' : 'yes' };
        return { key: target.key, answered: true };
      }
    }
  }

  private text(item: Obj, field: string, label: string, max = MAX_TEXT): string {
    const t = htmlToText(str(item[field]));
    if (t.length > max) {
      this.problem(label, `its ${field} is longer than ${max} characters`);
      return t.slice(0, max);
    }
    return t;
  }

  private warningKey(preferred: string | null, fallback: string): string {
    let key = preferred && KEY_PATTERN.test(preferred) ? preferred : fallback;
    for (let n = 2; this.warningKeys.has(key); n += 1) key = `${fallback}_${n}`;
    this.warningKeys.add(key);
    return key;
  }

  /** Second pass: one section per block, in document order; nested blocks follow their parent. */
  private buildSection(
    block: Obj,
    key: string,
    titles: string[],
    inherited: Condition[],
    out: Section[],
    note: string | undefined | null,
  ): void {
    const own = this.condition(block);
    const conds = own ? [...inherited, own] : inherited;
    const section: Section = { key, title: titles.join(' › ').slice(0, 2000) || key, questions: [] };
    if (conds.length) section.showWhen = conds.length === 1 ? conds[0] : { all: conds };
    out.push(section);
    const questions: Question[] = [];
    const sectionWarnings: Warning[] = [];
    const help: string[] = [];
    let pendingWarnings: Warning[] = [];
    let last: Question | null = null;
    let n = 0;
    const add = (q: Question) => {
      if (!q.text && help.length) q.text = help.pop()!;
      if (help.length) q.help = [...help.splice(0), q.help].filter(Boolean).join('\n\n');
      if (pendingWarnings.length) q.warnings = [...pendingWarnings, ...(q.warnings ?? [])];
      pendingWarnings = [];
      if (!q.text) q.text = q.key;
      questions.push(q);
      last = q;
    };
    const items = Array.isArray(block['items']) ? block['items'] : [];
    for (const raw of items) {
      if (!isObj(raw) || this.refused.has(raw)) continue;
      n += 1;
      const type = str(raw['type']);
      const label = this.labels.get(raw) ?? key;
      const id = str(raw['id']) || null;
      if (type === 'block') {
        this.buildSection(raw, this.keys.get(raw)!, [...titles, htmlToText(str(raw['text'])) || 'Section'], conds, out, note);
        continue;
      }
      const cond = this.condition(raw);
      switch (type) {
        case 'spacer':
          break;
        case 'info': {
          const text = this.text(raw, 'text', label);
          if (!text) break;
          if (cond) pendingWarnings.push({ key: this.warningKey(id, `${key}_info_${n}`), severity: 'info', text, showWhen: cond });
          else help.push(text);
          break;
        }
        case 'tip': {
          const warn = str(raw['warn']) === 'yes';
          const text = this.text(raw, 'text', label) || htmlToText(str(raw['name'])) || 'See this advice.';
          const title = htmlToText(str(raw['name'])).slice(0, 500) || undefined;
          const severity: WarningSeverity = warn ? (SEVERITIES[str(raw['severity'])] ?? 'medium') : 'info';
          const warning: Warning = { key: this.warningKey(id, `${key}_tip_${n}`), severity, text, ...(title ? { title } : {}) };
          if (str(raw['why']).trim()) {
            // The clarification VSAQ asks for under the tip: an optional text question carrying the warning.
            add({
              key: this.keys.get(raw)!,
              type: 'text',
              multiline: true,
              text: this.text(raw, 'why', label),
              required: false,
              ...(cond ? { showWhen: cond } : {}),
              warnings: [warning],
            });
          } else {
            if (cond) warning.showWhen = cond;
            if (last) (last as Question).warnings = [...((last as Question).warnings ?? []), warning];
            else pendingWarnings.push(warning);
          }
          break;
        }
        default: {
          const q = this.question(raw, type, label);
          if (cond) q.showWhen = cond;
          add(q);
        }
      }
    }
    if (help.length) section.description = help.join('\n\n');
    sectionWarnings.push(...pendingWarnings);
    if (sectionWarnings.length) section.warnings = sectionWarnings;
    if (note) section.description = [note, section.description].filter(Boolean).join('\n\n');
    section.questions = questions;
  }

  private question(raw: Obj, type: string, label: string): Question {
    const key = this.keys.get(raw)!;
    const base = { key, text: this.text(raw, 'text', label), required: raw['required'] === true };
    switch (type) {
      case 'radiogroup':
      case 'checkgroup': {
        const options = (raw['choices'] as VsaqValue[]).filter(isObj).map((c) => {
          const [value, text] = Object.entries(c)[0]!;
          const optionLabel = htmlToText(str(text));
          if (optionLabel.length > 5000) this.problem(label, `the text of choice "${value}" is longer than 5000 characters`);
          return { value, label: optionLabel.slice(0, 5000) || value };
        });
        if (raw['defaultChoice'] === true) {
          let value = `${key}__none`;
          while (options.some((o) => o.value === value)) value += '_';
          options.push({ value, label: 'None of the above.' });
        }
        return { ...base, type: type === 'radiogroup' ? 'single_choice' : 'multi_choice', options };
      }
      case 'check':
        return {
          ...base,
          type: 'yes_no',
          options: [
            { value: 'yes', label: 'Yes' },
            { value: 'no', label: 'No' },
          ],
        };
      case 'yesno':
        return {
          ...base,
          type: 'yes_no',
          options: [
            { value: 'yes', label: htmlToText(str(raw['yes'])).slice(0, 5000) || 'Yes' },
            { value: 'no', label: htmlToText(str(raw['no'])).slice(0, 5000) || 'No' },
          ],
        };
      case 'box':
        return { ...base, type: 'text', multiline: true };
      case 'upload':
        return { ...base, type: 'evidence' };
      default:
        return { ...base, type: 'text' };
    }
  }
}

function commonPrefix(values: string[]): string {
  if (!values.length) return '';
  let prefix = values[0]!;
  for (const v of values.slice(1)) while (!v.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** VSAQ's rule for extension files: every item id and choice id gets the namespace (`ns:id`). */
function withNamespace(value: VsaqValue, ns: string): VsaqValue {
  if (Array.isArray(value)) return value.map((v) => withNamespace(v, ns));
  if (!isObj(value)) return value;
  const out = Object.create(null) as Obj;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'id' && typeof v === 'string') out[k] = `${ns}:${v}`;
    else if (k === 'items') out[k] = withNamespace(v, ns);
    else if (k === 'choices' && Array.isArray(v))
      out[k] = v.map((c) => {
        if (!isObj(c)) return c;
        const renamed = Object.create(null) as Obj;
        for (const [ck, cv] of Object.entries(c)) renamed[`${ns}:${ck}`] = cv;
        return renamed;
      });
    else out[k] = v;
  }
  return out;
}
