import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { isAnswered, visibleQuestions } from './questionnaire-logic.js';
import { checkAnswerValue, isRequestOverdue, requestProgress, reviewQuestionnaireRequestSchema } from './questionnaire-requests.js';
import { templateDocumentSchema, type AnswerValue, type TemplateDocument, type TemplateQuestion } from './questionnaires.js';

const doc = templateDocumentSchema.parse({
  name: 'Request logic',
  sections: [
    {
      key: 'scope',
      title: 'Scope',
      questions: [
        {
          key: 'provider',
          type: 'yes_no',
          text: 'Models?',
          required: true,
          options: [
            { value: 'yes', label: 'Yes' },
            { value: 'no', label: 'No' },
          ],
        },
        {
          key: 'rollback',
          type: 'yes_no',
          text: 'Rollback?',
          required: true,
          options: [
            { value: 'yes', label: 'Yes' },
            { value: 'no', label: 'No' },
            { value: 'na', label: 'N/A', na: true },
          ],
          showWhen: { key: 'provider', equals: 'yes' },
        },
        {
          key: 'regions',
          type: 'multi_choice',
          text: 'Regions',
          options: [
            { value: 'eu', label: 'EU' },
            { value: 'us', label: 'US' },
            { value: 'none', label: 'None of these', na: true },
          ],
        },
        { key: 'hours', type: 'number', text: 'Hours' },
        { key: 'since', type: 'date', text: 'Since' },
        { key: 'notes', type: 'text', text: 'Notes' },
        { key: 'report', type: 'evidence', text: 'Report' },
      ],
    },
  ],
}) as TemplateDocument;
const q = (key: string): TemplateQuestion => doc.sections[0]!.questions.find((x) => x.key === key)!;
const ok = (key: string, value: AnswerValue) => checkAnswerValue(q(key), value);

describe('checkAnswerValue', () => {
  it('accepts what fits the question and normalizes it', () => {
    expect(ok('provider', ' yes ')).toEqual({ ok: true, value: 'yes' });
    expect(ok('provider', '')).toEqual({ ok: true, value: null });
    expect(ok('regions', ['eu', 'us', 'eu'])).toEqual({ ok: true, value: ['eu', 'us'] });
    expect(ok('regions', [])).toEqual({ ok: true, value: null });
    expect(ok('regions', ['none'])).toEqual({ ok: true, value: ['none'] });
    expect(ok('hours', 0)).toEqual({ ok: true, value: 0 });
    expect(ok('since', '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(ok('notes', '  two words  ')).toEqual({ ok: true, value: 'two words' });
    expect(ok('notes', '   ')).toEqual({ ok: true, value: null });
    const id = '0b6c1a8e-6a49-4f5e-9d55-0f2f5b1a0c11';
    expect(ok('report', [id.toUpperCase(), id])).toEqual({ ok: true, value: [id] });
    for (const key of ['provider', 'regions', 'hours', 'since', 'notes', 'report'])
      expect(ok(key, null)).toEqual({ ok: true, value: null });
  });

  it('refuses what does not fit, saying why', () => {
    for (const [key, value] of [
      ['provider', 'maybe'],
      ['provider', ['yes']],
      ['regions', 'eu'],
      ['regions', ['eu', 'mars']],
      ['regions', ['eu', 'none']],
      ['hours', '12'],
      ['hours', Number.NaN],
      ['since', '2023-02-29'],
      ['since', '29/02/2024'],
      ['notes', 5],
      ['notes', 'x'.repeat(20_001)],
      ['report', ['not-a-uuid']],
      ['report', 'x'],
    ] as const) {
      const r = ok(key, value as AnswerValue);
      expect(r.ok, `${key} ${JSON.stringify(value).slice(0, 40)}`).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(3);
    }
  });

  it('anything it accepts is answered exactly when it is not null (so progress and the score agree with what was saved)', () => {
    const values = fc.oneof(
      fc.constant(null),
      fc.string({ maxLength: 12 }),
      fc.integer({ min: -5, max: 5 }),
      fc.array(fc.constantFrom('eu', 'us', 'none', 'yes', 'no', ' eu ', ''), { maxLength: 4 }),
      fc.constantFrom('yes', 'no', 'na', ' yes', '2024-01-31', ''),
    );
    fc.assert(
      fc.property(fc.constantFrom('provider', 'rollback', 'regions', 'hours', 'since', 'notes'), values, (key, value) => {
        const r = ok(key, value);
        if (r.ok) expect(isAnswered(r.value)).toBe(r.value !== null);
      }),
      { numRuns: 500 },
    );
  });
});

describe('requestProgress', () => {
  it('counts only the required questions that show', () => {
    expect(requestProgress(doc, {})).toEqual({ visible: 6, answered: 0, required: 1, requiredAnswered: 0, requiredMissing: ['provider'] });
    expect(requestProgress(doc, { provider: 'yes' })).toMatchObject({ required: 2, requiredAnswered: 1, requiredMissing: ['rollback'] });
    // An answer left on a question that is hidden again is not counted, and the question is not required.
    expect(requestProgress(doc, { provider: 'no', rollback: 'no' })).toMatchObject({
      visible: 6,
      answered: 1,
      required: 1,
      requiredMissing: [],
    });
  });

  it('never names a hidden question as missing (random answers)', () => {
    fc.assert(
      fc.property(
        fc.record({
          provider: fc.constantFrom<AnswerValue>('yes', 'no', null),
          rollback: fc.constantFrom<AnswerValue>('yes', 'na', null),
          notes: fc.constantFrom<AnswerValue>('x', null),
        }),
        (answers) => {
          const p = requestProgress(doc, answers);
          const shown = visibleQuestions(doc, answers);
          for (const k of p.requiredMissing) expect(shown.has(k)).toBe(true);
          expect(p.requiredAnswered + p.requiredMissing.length).toBe(p.required);
        },
      ),
    );
  });
});

describe('requests', () => {
  it('is overdue only past its due date while the vendor still answers', () => {
    expect(isRequestOverdue({ status: 'in_progress', dueDate: '2026-01-01' }, '2026-01-02')).toBe(true);
    expect(isRequestOverdue({ status: 'in_progress', dueDate: '2026-01-02' }, '2026-01-02')).toBe(false);
    expect(isRequestOverdue({ status: 'submitted', dueDate: '2026-01-01' }, '2026-01-02')).toBe(false);
    expect(isRequestOverdue({ status: 'changes_requested', dueDate: '2026-01-01' }, '2026-01-02')).toBe(true);
  });

  it('a review flags with a comment, decides each answer once, and does something', () => {
    const paths = (body: unknown) => {
      const r = reviewQuestionnaireRequestSchema.safeParse(body);
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(paths({ decisions: [{ questionKey: 'a', decision: 'flag' }] })).toEqual(['decisions.0.comment']);
    expect(
      paths({
        decisions: [
          { questionKey: 'a', decision: 'accept' },
          { questionKey: 'a', decision: 'flag', comment: 'why' },
        ],
      }),
    ).toEqual(['decisions.1.questionKey']);
    expect(paths({})).toEqual(['decisions']);
    expect(paths({ outcome: 'accept' })).toEqual([]);
  });
});
