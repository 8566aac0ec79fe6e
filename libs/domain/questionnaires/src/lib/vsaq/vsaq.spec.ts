import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import {
  describeCondition,
  questionCount,
  templateDocumentSchema,
  validateForPublish,
  visibleQuestions,
  visibleWarnings,
  type TemplateDocument,
  type TemplateQuestion,
} from '@bulwark/api-schema';

import { htmlToText } from './html-text.js';
import { parseVsaqCond, VsaqCondError } from './vsaq-cond.js';
import { parseVsaqText, VsaqSyntaxError } from './vsaq-dialect.js';
import { importVsaqText, VsaqImportError } from './vsaq-import.js';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'vsaq', name), 'utf8');
const load = (name: string): TemplateDocument => templateDocumentSchema.parse(importVsaqText(fixture(name)));
const questions = (d: TemplateDocument): TemplateQuestion[] => d.sections.flatMap((s) => s.questions);
const question = (d: TemplateDocument, key: string) => questions(d).find((q) => q.key === key)!;

/** The problems an import reports, as "item: message". */
function problemsOf(text: string): string[] {
  try {
    importVsaqText(text);
  } catch (err) {
    if (err instanceof VsaqImportError) return err.problems.map((p) => `${p.item}: ${p.message}`);
    throw err;
  }
  throw new Error('the import was expected to fail');
}

describe('the VSAQ dialect reader', () => {
  it('reads comments, single quotes, string concatenation, unquoted keys and trailing commas', () => {
    const value = parseVsaqText(`// a comment
      /* a block comment */ {
        type: 'block', // after a value
        "text": 'It' + "'s " + 'joined',
        items: [1, -2.5e3, true, false, null,],
        'esc': 'a\\tb\\u00e9\\x41',
      }`);
    expect(JSON.parse(JSON.stringify(value))).toEqual({
      type: 'block',
      text: "It's joined",
      items: [1, -2500, true, false, null],
      esc: 'a\tbéA',
    });
  });

  it('keeps __proto__ an ordinary key', () => {
    const value = parseVsaqText('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('evaluates nothing: code, calls, arithmetic and bare identifiers are syntax errors with their position', () => {
    for (const [src, where] of [
      ['{"a": alert(1)}', 'line 1, column 7'],
      ['{\n  "a": 1 + 2\n}', 'line 2, column 10'],
      ['{"a": "x" + 1}', 'line 1, column 13'],
      ['{"a": `template`}', 'line 1, column 7'],
      ['{"a": "open', 'line 1, column 7'],
      ['{"a": 1} extra', 'line 1, column 10'],
      ['{"a" 1}', 'line 1, column 6'],
    ] as const) {
      expect(() => parseVsaqText(src), src).toThrow(VsaqSyntaxError);
      expect(() => parseVsaqText(src), src).toThrow(where);
    }
  });

  it('refuses nesting deeper than its budget before the stack is at risk', () => {
    expect(() => parseVsaqText('['.repeat(5000) + ']'.repeat(5000))).toThrow(/nested deeper than 64/);
  });
});

describe('VSAQ cond expressions', () => {
  it('parses &&, ||, ! and parentheses, left to right as VSAQ evaluates them', () => {
    expect(parseVsaqCond('a && !(b || c/no)')).toEqual({
      kind: 'and',
      left: { kind: 'ref', id: 'a', suffix: null },
      right: {
        kind: 'not',
        expr: { kind: 'or', left: { kind: 'ref', id: 'b', suffix: null }, right: { kind: 'ref', id: 'c', suffix: 'no' } },
      },
    });
    expect(parseVsaqCond('a || b && c')).toEqual({
      kind: 'and',
      left: { kind: 'or', left: { kind: 'ref', id: 'a', suffix: null }, right: { kind: 'ref', id: 'b', suffix: null } },
      right: { kind: 'ref', id: 'c', suffix: null },
    });
    expect(parseVsaqCond('  ')).toBeNull();
  });

  it('refuses what has no equivalent, saying what it is', () => {
    for (const [src, message] of [
      ['matches(a/value, "x")', /string literals|function/],
      ['contains(a, b)', /function/],
      ['^a', /visibility operator/],
      ['a/value', /\/value/],
      ['a & b', /doubled/],
      ['(a || b', /not closed/],
      ['a b', /operator/],
      ['a)', /no matching/],
    ] as const) {
      expect(() => parseVsaqCond(src), src).toThrow(VsaqCondError);
      expect(() => parseVsaqCond(src), src).toThrow(message);
    }
  });
});

describe('HTML to text', () => {
  it('keeps paragraphs, list items and link targets, and decodes entities', () => {
    expect(
      htmlToText(
        "<p>Use <a href='https://example.com/x'>HSTS</a> &mdash; <b>always</b>.</p><ul><li>one</li><li>two &amp; three</li></ul>&lt;script&gt;",
      ),
    ).toBe('Use HSTS (https://example.com/x) — always.\n\n• one\n• two & three\n<script>');
    expect(htmlToText('a < b and <a href="#top">top</a> <!-- gone --> <b>x')).toBe('a < b and top x');
  });

  it('reads hostile markup in one pass (unclosed links, comments and tags by the ten thousand)', () => {
    // A pass that rescanned the rest of the text at each of these would not finish within the test's time.
    expect(htmlToText('<a href="x">'.repeat(40_000))).toBe('');
    expect(htmlToText('<!--'.repeat(50_000))).toBe('');
    expect(htmlToText('<a'.repeat(100_000))).toHaveLength(200_000);
    expect(htmlToText(`${'<p'.repeat(50_000)}>text`)).toBe('text');
  });
});

describe('importing the real VSAQ questionnaires', () => {
  it('test_template.json: blocks become sections, a check a yes/no question, the tip a conditional warning', () => {
    const d = load('test_template.json');
    expect(d.name).toBe('My questionnaire');
    expect(d.sections.map((s) => s.title)).toEqual(['Network section', 'Data section', 'Final section']);
    expect(questionCount(d)).toBe(3);
    // The checkgroup has no id and no text: keyed by its choices' common prefix, its text the info before it.
    expect(question(d, 'standard')).toMatchObject({
      type: 'multi_choice',
      text: 'What security standards do you apply?',
      options: [
        { value: 'standard_1', label: 'Standard 1' },
        { value: 'standard_2', label: 'Standard 2' },
      ],
    });
    expect(question(d, 'data_warning')).toMatchObject({ type: 'yes_no' });
    expect(question(d, 'data_warning').warnings).toEqual([
      {
        key: 'data_tip',
        severity: 'critical',
        text: "You shouldn't click the box above.",
        showWhen: { key: 'data_warning', equals: 'yes' },
      },
    ]);
    expect(visibleWarnings(d, { data_warning: 'yes' }).map((w) => w.warning.key)).toEqual(['data_tip']);
    expect(visibleWarnings(d, { data_warning: 'no' })).toEqual([]);
    expect(validateForPublish(d)).toEqual([]);
  });

  it('test_template_extension.json on its own: its block, with ids in its namespace', () => {
    const d = load('test_template_extension.json');
    expect(d.sections).toHaveLength(1);
    expect(questions(d)).toEqual([
      expect.objectContaining({ key: 'mycompany:company_specific', type: 'text', text: 'Company specific question' }),
    ]);
    expect(d.sections[0]!.description).toContain('inserted after “network”');
  });

  it('webapp.json (comments and + concatenation): 28 sections, 110 questions, conditions mapped, publishable', () => {
    const d = load('webapp.json');
    expect(d.name).toBe('Web Application Security Questionnaire');
    expect(d.sections).toHaveLength(28);
    expect(questionCount(d)).toBe(110);
    const byType = questions(d).reduce<Record<string, number>>((n, q) => ({ ...n, [q.type]: (n[q.type] ?? 0) + 1 }), {});
    // 37 radiogroups, 10 checkgroups, 11 lines, 15 boxes, and 37 clarifications asked for under tips.
    expect(byType).toEqual({ single_choice: 37, multi_choice: 10, text: 63 });
    expect(questions(d).filter((q) => q.multiline)).toHaveLength(15 + 37);
    expect(validateForPublish(d)).toEqual([]);

    // A nested block's cond: the section shows only for the choices it names.
    const tls = d.sections.find((s) => s.key === 'application_ssl_configuration')!;
    expect(tls.title).toBe('Application › HTTPS and Mixed-Content Risks › Configuring SSL/TLS');
    expect(tls.showWhen).toEqual({
      any: [
        { key: 'application_ssl', equals: 'application_ssl_mixed' },
        { key: 'application_ssl', equals: 'application_ssl_exclusively' },
      ],
    });
    // "a && !b && !c" and "a && !(b || c)".
    const byCond = (key: string) =>
      questions(d).find((q) => q.key === key)?.showWhen ??
      questions(d)
        .flatMap((q) => q.warnings ?? [])
        .find((w) => w.key === key)?.showWhen;
    expect(byCond('warn_application_upload_contenttypeonly')).toEqual({
      all: [
        { key: 'application_upload_type', equals: 'application_upload_type_contenttype' },
        { not: { key: 'application_upload_type', equals: 'application_upload_type_reencoding' } },
        { not: { key: 'application_upload_type', equals: 'application_upload_type_extension' } },
      ],
    });
    expect(byCond('warn_application_custom_auth_recovery_questions')).toEqual({
      all: [
        { key: 'application_custom_auth_recovery', equals: 'application_custom_auth_recovery_questions' },
        {
          not: {
            any: [
              { key: 'application_custom_auth_recovery', equals: 'application_custom_auth_recovery_resetlink' },
              { key: 'application_custom_auth_recovery', equals: 'application_custom_auth_recovery_newpwd' },
            ],
          },
        },
      ],
    });
    // The HTML went: text, no tags; long texts joined with + arrive whole.
    const xsrf = question(d, 'application_authz_xsrf');
    expect(JSON.stringify(d)).not.toMatch(/<\/?(p|code|a|b)\b/);
    expect(xsrf.help ?? xsrf.text).toBeTruthy();
    expect(describeCondition(tls.showWhen!, d)).toMatch(
      /^“Select the option that best describes your web application:” is “The web application is flexible/,
    );

    // Answering turns the conditional parts on.
    const before = visibleQuestions(d, {});
    expect(before.has('application_ssl_configuration_ciphers')).toBe(false);
    const after = visibleQuestions(d, { application_ssl: 'application_ssl_exclusively' });
    expect(after.has('application_ssl_configuration_ciphers')).toBe(true);
  });
});

describe('what a VSAQ import refuses', () => {
  const wrap = (items: unknown[]) => JSON.stringify({ questionnaire: [{ type: 'block', text: 'Q', items }] });

  it('names every item it cannot map, and imports nothing', () => {
    const problems = problemsOf(
      wrap([
        { type: 'slider', id: 'speed', text: 'How fast?' },
        { type: 'radiogroup', id: 'pick', text: 'Pick', choices: [{ pick_a: 'A' }], choicesConds: [{ pick_a: 'x' }] },
        { type: 'line', id: 'name', text: 'Name', cond: 'matches(pick/value, "a")' },
        { type: 'line', id: 'city', text: 'City', cond: 'nowhere_to_be_found' },
        { type: 'line', id: 'zip', text: 'Zip', cond: '^name' },
        { type: 'line', id: 'name', text: 'Name again' },
        { type: 'line', text: 'No id' },
        { type: 'info', id: 'intro', text: 'Intro' },
        { type: 'box', id: 'more', text: 'More', cond: 'intro' },
      ]),
    );
    expect(problems).toEqual([
      'speed: the item type "slider" is not supported',
      'pick: conditional choices (choicesConds) are not supported',
      'name: the id "name" is used by more than one item',
      'line #7 in “Q”: a line item needs an id (its answer is keyed by it)',
      expect.stringMatching(/^name: its cond "matches\(pick\/value, "a"\)" cannot be read: /),
      'city: its cond "nowhere_to_be_found" refers to "nowhere_to_be_found", which is not in the questionnaire',
      'zip: its cond "^name" cannot be read: the visibility operator "^" (in "^name") is not supported',
      'more: its cond "intro" refers to "intro", a info, which has no answer',
    ]);
  });

  it('refuses what is not a questionnaire, with the position of a syntax error', () => {
    expect(problemsOf('{"questions": []}')).toEqual([expect.stringContaining('expected {"questionnaire": [...]}')]);
    expect(problemsOf('{\n "questionnaire": [\n  {"type": "block" "items": []}\n ]\n}')).toEqual([
      expect.stringContaining('line 3, column 20: expected , or } after the value of "type"'),
    ]);
  });
});
