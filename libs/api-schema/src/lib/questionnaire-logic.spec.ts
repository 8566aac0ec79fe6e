import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  describeCondition,
  isAnswered,
  progress,
  score,
  validateForPublish,
  visibleQuestions,
  visibleWarnings,
} from './questionnaire-logic.js';
import {
  templateDocumentSchema,
  type Answers,
  type AnswerValue,
  type Condition,
  type TemplateDocument,
  type TemplateDocumentInput,
} from './questionnaires.js';

const doc = (input: TemplateDocumentInput): TemplateDocument => templateDocumentSchema.parse(input);
const yesNo = [
  { value: 'yes', label: 'Yes', points: 1 },
  { value: 'no', label: 'No', points: 0 },
];

/** A small template: a model-provider switch, model questions behind it, and a follow-up behind those. */
const sample = doc({
  name: 'Sample',
  sections: [
    {
      key: 'scope',
      title: 'Scope',
      questions: [
        { key: 'provider', type: 'yes_no', text: 'Do you provide AI models?', required: true, weight: 0, options: yesNo },
        { key: 'region', type: 'text', text: 'Which regions?' },
      ],
    },
    {
      key: 'model',
      title: 'Models',
      showWhen: { key: 'provider', equals: 'yes' },
      questions: [
        {
          key: 'rollback',
          type: 'yes_no',
          text: 'Can you roll back a model?',
          required: true,
          weight: 2,
          options: [...yesNo, { value: 'na', label: 'Not applicable', na: true }],
        },
        {
          key: 'rollback_minutes',
          type: 'number',
          text: 'How fast?',
          showWhen: { key: 'rollback', equals: 'yes' },
          unit: 'minutes',
        },
        {
          key: 'no_rollback_why',
          type: 'text',
          text: 'Why not?',
          required: true,
          showWhen: { not: { key: 'rollback', equals: 'yes' } },
          warnings: [{ key: 'w_no_rollback', severity: 'high', text: 'No rollback', showWhen: { key: 'rollback', equals: 'no' } }],
        },
      ],
    },
    {
      key: 'tests',
      title: 'Tests',
      questions: [
        {
          key: 'exercises',
          type: 'multi_choice',
          text: 'Which exercises?',
          required: true,
          options: [
            { value: 'tabletop', label: 'Tabletop', points: 1 },
            { value: 'restore', label: 'Restore', points: 2 },
            { value: 'none', label: 'None', points: 0 },
          ],
        },
        { key: 'report', type: 'evidence', text: 'DR test report', points: 1, showWhen: { key: 'exercises', equals: 'restore' } },
      ],
    },
  ],
});

describe('visibleQuestions', () => {
  it('shows a section and its questions only when their conditions hold', () => {
    expect([...visibleQuestions(sample, {})]).toEqual(['provider', 'region', 'exercises']);
    expect(visibleQuestions(sample, { provider: 'no' }).has('rollback')).toBe(false);
    const shown = visibleQuestions(sample, { provider: 'yes' });
    expect(shown.has('rollback')).toBe(true);
    // "not rollback = yes" holds for an unanswered (shown) rollback question.
    expect(shown.has('no_rollback_why')).toBe(true);
    expect(shown.has('rollback_minutes')).toBe(false);
    expect(visibleQuestions(sample, { provider: 'yes', rollback: 'yes' }).has('rollback_minutes')).toBe(true);
    expect(visibleQuestions(sample, { exercises: ['tabletop', 'restore'] }).has('report')).toBe(true);
  });

  it('a condition about a hidden question is unknown: negating it does not show a question', () => {
    // The model section is hidden, so "rollback is not yes" is unknown, and the question stays hidden.
    const shown = visibleQuestions(sample, { provider: 'no', rollback: 'no' });
    expect(shown.has('no_rollback_why')).toBe(false);
    expect(shown.has('rollback_minutes')).toBe(false);
    // `any` still holds through a branch that is known.
    const d = doc({
      name: 'Any',
      sections: [
        {
          key: 's',
          title: 'S',
          questions: [
            { key: 'a', type: 'yes_no', text: 'A?', options: yesNo },
            { key: 'b', type: 'yes_no', text: 'B?', options: yesNo, showWhen: { key: 'a', equals: 'no' } },
            {
              key: 'c',
              type: 'text',
              text: 'C?',
              showWhen: {
                any: [
                  { key: 'a', equals: 'yes' },
                  { key: 'b', equals: 'yes' },
                ],
              },
            },
            { key: 'd', type: 'text', text: 'D?', showWhen: { all: [{ key: 'a', equals: 'yes' }, { not: { key: 'b', answered: true } }] } },
          ],
        },
      ],
    });
    expect(visibleQuestions(d, { a: 'yes' }).has('c')).toBe(true);
    expect(visibleQuestions(d, { a: 'yes' }).has('d')).toBe(false);
    expect(visibleQuestions(d, { a: 'no', b: 'yes' }).has('c')).toBe(true);
  });

  it('terminates on a cycle in a draft and hides the questions on it', () => {
    const d = doc({
      name: 'Cycle',
      sections: [
        {
          key: 's',
          title: 'S',
          questions: [
            { key: 'a', type: 'yes_no', text: 'A?', options: yesNo, showWhen: { key: 'b', equals: 'yes' } },
            { key: 'b', type: 'yes_no', text: 'B?', options: yesNo, showWhen: { key: 'a', equals: 'yes' } },
            { key: 'c', type: 'text', text: 'C?', showWhen: { key: 'missing', answered: true } },
            { key: 'd', type: 'text', text: 'D?' },
          ],
        },
      ],
    });
    expect([...visibleQuestions(d, { a: 'yes', b: 'yes' })]).toEqual(['d']);
  });

  it('shows warnings whose question shows and whose condition holds', () => {
    expect(visibleWarnings(sample, { provider: 'yes', rollback: 'no' }).map((w) => w.warning.key)).toEqual(['w_no_rollback']);
    expect(visibleWarnings(sample, { provider: 'no', rollback: 'no' })).toEqual([]);
  });
});

describe('progress', () => {
  it('counts required questions only when they show', () => {
    expect(progress(sample, {}).requiredMissing).toEqual(['provider', 'exercises']);
    expect(progress(sample, { provider: 'yes' }).requiredMissing).toEqual(['rollback', 'no_rollback_why', 'exercises']);
    expect(progress(sample, { provider: 'yes', rollback: 'yes', exercises: [] }).requiredMissing).toEqual(['exercises']);
    expect(progress(sample, { provider: 'no', exercises: ['none'] })).toEqual({ visible: 3, answered: 2, requiredMissing: [] });
  });
});

describe('score', () => {
  it('weights option points, leaves n/a and hidden questions out, counts unanswered required questions as 0', () => {
    const r = score(sample, { provider: 'yes', rollback: 'yes', exercises: ['tabletop', 'restore'], report: ['e1'] });
    expect(r.questions.find((q) => q.key === 'provider')).toMatchObject({ status: 'not_scored' }); // weight 0
    expect(r.questions.find((q) => q.key === 'rollback')).toMatchObject({ status: 'scored', earned: 2, max: 2 });
    expect(r.questions.find((q) => q.key === 'no_rollback_why')).toMatchObject({ status: 'hidden' });
    expect(r.questions.find((q) => q.key === 'exercises')).toMatchObject({ status: 'scored', earned: 3, max: 3 });
    expect(r.questions.find((q) => q.key === 'report')).toMatchObject({ status: 'scored', earned: 1, max: 1 });
    expect(r).toMatchObject({ earned: 6, max: 6, percent: 100 });
    expect(r.sections.map((s) => [s.key, s.earned, s.max, s.percent])).toEqual([
      ['scope', 0, 0, null],
      ['model', 2, 2, 100],
      ['tests', 4, 4, 100],
    ]);
    expect(r.rule).toMatch(/not applicable/);

    const na = score(sample, { provider: 'yes', rollback: 'na', exercises: ['none'] });
    expect(na.questions.find((q) => q.key === 'rollback')!.status).toBe('not_applicable');
    expect(na).toMatchObject({ earned: 0, max: 3, percent: 0 });

    const missing = score(sample, { provider: 'yes' });
    expect(missing.questions.find((q) => q.key === 'rollback')).toMatchObject({ status: 'unanswered_required', earned: 0, max: 2 });
    expect(missing.questions.find((q) => q.key === 'report')!.status).toBe('hidden');
    expect(missing).toMatchObject({ earned: 0, max: 5 });
  });

  it('caps multiple choice at the sum of its positive options and ignores unknown values', () => {
    const r = score(sample, { exercises: ['restore', 'restore', 'bogus'] });
    expect(r.questions.find((q) => q.key === 'exercises')).toMatchObject({ earned: 2, max: 3 });
  });
});

describe('validateForPublish', () => {
  it('names the path of missing keys, unknown options, duplicates and cycles', () => {
    const d = doc({
      name: 'Broken',
      sections: [
        {
          key: 's',
          title: 'S',
          questions: [{ key: 'a', type: 'yes_no', text: 'A?', options: yesNo }],
        },
        {
          key: 't',
          title: 'T',
          showWhen: { key: 'c', equals: 'yes' },
          questions: [
            {
              key: 'b',
              type: 'text',
              text: 'B?',
              showWhen: {
                all: [
                  { key: 'a', equals: 'yes' },
                  { key: 'nope', answered: true },
                ],
              },
            },
            { key: 'c', type: 'yes_no', text: 'C?', options: yesNo, showWhen: { key: 'a', oneOf: ['yes', 'maybe'] } },
            { key: 'a', type: 'text', text: 'A again' },
          ],
        },
      ],
    });
    const issues = validateForPublish(d);
    expect(issues.map((i) => [i.path, i.code])).toEqual(
      expect.arrayContaining([
        ['sections[1].questions[2].key', 'duplicate_key'],
        ['sections[1].questions[0].showWhen.all[1].key', 'missing_key'],
        ['sections[1].questions[1].showWhen.oneOf[1]', 'unknown_option'],
        ['sections[1].showWhen.key', 'cycle'],
      ]),
    );
    expect(issues).toHaveLength(4);
    expect(issues.find((i) => i.code === 'cycle')!.message).toContain('c → c');
  });

  it('finds a cycle across questions once, and passes a sound template', () => {
    const d = doc({
      name: 'Loop',
      sections: [
        {
          key: 's',
          title: 'S',
          questions: [
            { key: 'a', type: 'text', text: 'A?', showWhen: { key: 'c', answered: true } },
            { key: 'b', type: 'text', text: 'B?', showWhen: { key: 'a', answered: true } },
            { key: 'c', type: 'text', text: 'C?', showWhen: { not: { key: 'b', answered: true } } },
          ],
        },
      ],
    });
    const issues = validateForPublish(d);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'cycle' });
    expect(issues[0]!.message).toMatch(/a → c → b → a|c → b → a → c|b → a → c → b/);
    expect(validateForPublish(sample)).toEqual([]);
    expect(validateForPublish(doc({ name: 'Empty', sections: [] }))[0]).toMatchObject({ code: 'empty', path: 'sections' });
  });
});

describe('describeCondition', () => {
  it('says a condition in words, naming questions and options by their text', () => {
    expect(describeCondition({ key: 'provider', equals: 'yes' }, sample)).toBe('“Do you provide AI models?” is “Yes”');
    expect(describeCondition({ not: { key: 'rollback', equals: 'yes' } }, sample)).toBe('“Can you roll back a model?” is not “Yes”');
    expect(
      describeCondition(
        {
          any: [
            { key: 'exercises', oneOf: ['tabletop', 'restore'] },
            {
              all: [
                { key: 'region', answered: true },
                { key: 'ghost', answered: true },
              ],
            },
          ],
        },
        sample,
      ),
    ).toBe(
      '“Which exercises?” includes any of “Tabletop” or “Restore” or (“Which regions?” is answered and the missing question “ghost” is answered)',
    );
  });
});

describe('the template document schema', () => {
  it('refuses malformed questions with the field named', () => {
    const bad = templateDocumentSchema.safeParse({
      name: 'Bad',
      sections: [
        {
          key: 's',
          title: 'S',
          questions: [
            { key: 'a', type: 'single_choice', text: 'A?' },
            { key: 'b', type: 'text', text: 'B?', options: yesNo },
            {
              key: 'c',
              type: 'yes_no',
              text: 'C?',
              options: [
                { value: 'yes', label: 'Y' },
                { value: 'maybe', label: 'M' },
              ],
            },
            { key: 'bad key', type: 'text', text: 'D?' },
          ],
        },
      ],
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'sections.0.questions.0.options',
        'sections.0.questions.1.options',
        'sections.0.questions.2.options.1.value',
        'sections.0.questions.3.key',
      ]),
    );
  });

  it('refuses conditions nested deeper than the limit', () => {
    let c: Condition = { key: 'a', answered: true };
    for (let i = 0; i < 20; i += 1) c = { not: c };
    const res = templateDocumentSchema.safeParse({
      name: 'Deep',
      sections: [{ key: 's', title: 'S', questions: [{ key: 'a', type: 'text', text: 'A', showWhen: c }] }],
    });
    expect(res.success).toBe(false);
  });
});

// ---- properties over random templates and answers ----

const KEYS = ['q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7'];
const OPTION_VALUES = ['a', 'b', 'c', 'na'];
type Kind = 'yes_no' | 'single_choice' | 'multi_choice' | 'text' | 'number';

const conditionArb: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ key: fc.constantFrom(...KEYS), equals: fc.constantFrom('yes', 'no', ...OPTION_VALUES, 5) }),
    fc.record({
      key: fc.constantFrom(...KEYS),
      oneOf: fc.array(fc.constantFrom('yes', 'no', ...OPTION_VALUES), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({ key: fc.constantFrom(...KEYS), answered: fc.constant(true as const) }),
    fc.record({ all: fc.array(tie('c'), { maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('c'), { maxLength: 3 }) }),
    fc.record({ not: tie('c') }),
  ),
})).c;

const questionArb = (key: string) =>
  fc
    .record({
      kind: fc.constantFrom<Kind>('yes_no', 'single_choice', 'multi_choice', 'text', 'number'),
      required: fc.boolean(),
      weight: fc.constantFrom(0, 1, 2, 3),
      points: fc.array(fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }), { minLength: 4, maxLength: 4 }),
      withNa: fc.boolean(),
      scalarPoints: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      showWhen: fc.option(conditionArb, { nil: undefined, freq: 2 }),
    })
    .map(({ kind, required, weight, points, withNa, scalarPoints, showWhen }) => {
      const options =
        kind === 'yes_no'
          ? [
              { value: 'yes', label: 'Yes', points: points[0] },
              { value: 'no', label: 'No', points: points[1] },
              ...(withNa ? [{ value: 'na', label: 'N/A', na: true }] : []),
            ]
          : kind === 'single_choice' || kind === 'multi_choice'
            ? [
                ...['a', 'b', 'c'].map((value, i) => ({ value, label: value.toUpperCase(), points: points[i] })),
                ...(withNa ? [{ value: 'na', label: 'N/A', na: true }] : []),
              ]
            : undefined;
      return {
        key,
        type: kind,
        text: `Question ${key}`,
        required,
        weight,
        ...(options ? { options } : { points: scalarPoints }),
        ...(showWhen ? { showWhen } : {}),
      };
    });

const templateArb: fc.Arbitrary<TemplateDocument> = fc
  .tuple(
    fc.integer({ min: 1, max: KEYS.length }),
    fc.array(fc.option(conditionArb, { nil: undefined, freq: 3 }), { minLength: 3, maxLength: 3 }),
  )
  .chain(([n, sectionConditions]) =>
    fc.tuple(...KEYS.slice(0, n).map(questionArb)).map((questions) =>
      doc({
        name: 'Random',
        // Up to three sections of consecutive questions.
        sections: [0, 1, 2]
          .map((s) => ({
            key: `s${s}`,
            title: `Section ${s}`,
            ...(sectionConditions[s] ? { showWhen: sectionConditions[s] } : {}),
            questions: questions.filter((_, i) => i % 3 === s),
          }))
          .filter((s) => s.questions.length),
      }),
    ),
  );

const answerArb: fc.Arbitrary<AnswerValue | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constantFrom('yes', 'no', 'a', 'b', 'c', 'na', '', ' text '),
  fc.integer({ min: 0, max: 9 }),
  fc.subarray(['a', 'b', 'c', 'na']),
);
const answersArb: fc.Arbitrary<Answers> = fc
  .tuple(...KEYS.map(() => answerArb))
  .map((values) => Object.fromEntries(KEYS.map((k, i) => [k, values[i]]).filter(([, v]) => v !== undefined)));

describe('properties over random templates and answers', () => {
  it('hidden questions are never required and never change what shows or the score', () => {
    fc.assert(
      fc.property(templateArb, answersArb, fc.constantFrom(...KEYS), answerArb, (template, answers, key, replacement) => {
        const shown = visibleQuestions(template, answers);
        const missing = progress(template, answers).requiredMissing;
        for (const k of missing) expect(shown.has(k)).toBe(true);
        const before = score(template, answers);
        expect(before.earned).toBeGreaterThanOrEqual(0);
        expect(before.earned).toBeLessThanOrEqual(before.max + 1e-9);
        for (const q of before.questions) if (!shown.has(q.key)) expect(q).toMatchObject({ status: 'hidden', earned: 0, max: 0 });
        if (shown.has(key)) return;
        // Any other answer (or none) to a hidden question changes nothing.
        const changed = { ...answers, [key]: replacement };
        expect(visibleQuestions(template, changed)).toEqual(shown);
        expect(score(template, changed)).toEqual(before);
        expect(progress(template, changed).requiredMissing).toEqual(missing);
      }),
      { numRuns: 400 },
    );
  });

  it('an unanswered visible required question scores 0 of its maximum; an answered one never more than it', () => {
    fc.assert(
      fc.property(templateArb, answersArb, (template, answers) => {
        const r = score(template, answers);
        for (const q of r.questions) {
          if (q.status === 'unanswered_required') {
            expect(q.earned).toBe(0);
            expect(isAnswered(answers[q.key])).toBe(false);
          }
          expect(q.earned).toBeLessThanOrEqual(q.max + 1e-9);
        }
      }),
      { numRuns: 200 },
    );
  });
});
