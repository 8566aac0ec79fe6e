import { describe, expect, it } from 'vitest';

import { templateDocumentSchema, type TemplateQuestion } from '@bulwark/api-schema';

import {
  conditionToModel,
  errorsUnder,
  keyFromText,
  keyProblem,
  locateIssue,
  mapIssues,
  modelToCondition,
  moveItem,
  moveQuestionTo,
  stepQuestion,
  toDocument,
  toDraft,
  uniqueKey,
  withType,
} from './builder';

describe('keys', () => {
  it('generates a key from the text', () => {
    expect(keyFromText('Do you replicate data across regions?')).toBe('do_you_replicate_data_across_regions');
    expect(keyFromText('  RTO (hours) — café  ')).toBe('rto_hours_cafe');
    expect(keyFromText('???')).toBe('question');
    expect(keyFromText('', 'section')).toBe('section');
    // Long texts are cut between words, at most 40 characters; a 40-character word run is cut where it must.
    expect(keyFromText('Do you replicate customer data to a second region?')).toBe('do_you_replicate_customer_data_to_a');
    expect(keyFromText('x'.repeat(60))).toBe('x'.repeat(40));
    expect(keyFromText('a'.repeat(40))).toBe('a'.repeat(40));
  });

  it('makes a key unique with a suffix', () => {
    expect(uniqueKey('rto', [])).toBe('rto');
    expect(uniqueKey('rto', ['rto'])).toBe('rto_2');
    expect(uniqueKey('rto', ['rto', 'rto_2'])).toBe('rto_3');
  });

  it('validates a key: form and uniqueness', () => {
    expect(keyProblem('backup.rto', ['x'])).toBeNull();
    expect(keyProblem('', [])).toBe('a key is required');
    expect(keyProblem('has space', [])).toMatch(/letters, digits/);
    expect(keyProblem('-dash', [])).toMatch(/letters, digits/);
    expect(keyProblem('rto', ['rpo', 'rto'])).toBe('the key "rto" is already used');
  });
});

describe('reordering', () => {
  it('moves an item in a list', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moveItem(['a', 'b', 'c'], 2, 9)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 5, 0)).toEqual(['a', 'b', 'c']);
  });

  const sections = [{ questions: ['a', 'b'] }, { questions: [] as string[] }, { questions: ['c'] }];

  it('steps a question within its section', () => {
    expect(stepQuestion(sections, { section: 0, question: 0 }, 1)).toEqual({
      sections: [{ questions: ['b', 'a'] }, { questions: [] }, { questions: ['c'] }],
      at: { section: 0, question: 1 },
    });
  });

  it('steps a question over a section boundary, into an empty section too', () => {
    expect(stepQuestion(sections, { section: 0, question: 1 }, 1)).toEqual({
      sections: [{ questions: ['a'] }, { questions: ['b'] }, { questions: ['c'] }],
      at: { section: 1, question: 0 },
    });
    expect(stepQuestion(sections, { section: 2, question: 0 }, -1)).toEqual({
      sections: [{ questions: ['a', 'b'] }, { questions: ['c'] }, { questions: [] }],
      at: { section: 1, question: 0 },
    });
  });

  it('does not step past the first or last question', () => {
    expect(stepQuestion(sections, { section: 0, question: 0 }, -1)).toBeNull();
    expect(stepQuestion(sections, { section: 2, question: 0 }, 1)).toBeNull();
  });

  it('moves a question to another section, at the end by default', () => {
    expect(moveQuestionTo(sections, { section: 0, question: 0 }, 2)).toEqual({
      sections: [{ questions: ['b'] }, { questions: [] }, { questions: ['c', 'a'] }],
      at: { section: 2, question: 1 },
    });
    expect(moveQuestionTo(sections, { section: 0, question: 0 }, 7)).toBeNull();
  });
});

describe('changing a question type', () => {
  const base: TemplateQuestion = { key: 'q', type: 'text', text: 'Q?', required: false, weight: 1, controls: [], multiline: true };

  it('adds yes/no options and drops what the new type has no use for', () => {
    const yn = withType(base, 'yes_no');
    expect(yn.options?.map((o) => o.value)).toEqual(['yes', 'no']);
    expect(yn.multiline).toBeUndefined();
    expect(templateDocumentSchema.safeParse({ name: 'T', sections: [{ key: 's', title: 'S', questions: [yn] }] }).success).toBe(true);
  });

  it('keeps choice options between single and multiple choice, and drops them for a number', () => {
    const single = withType(base, 'single_choice');
    const renamed = { ...single, options: [{ value: 'a', label: 'A' }] };
    expect(withType(renamed, 'multi_choice').options).toEqual([{ value: 'a', label: 'A' }]);
    const n = withType(renamed, 'number');
    expect(n.options).toBeUndefined();
    expect(templateDocumentSchema.safeParse({ name: 'T', sections: [{ key: 's', title: 'S', questions: [n] }] }).success).toBe(true);
  });
});

describe('the condition editor model', () => {
  it('reads and writes one level of and/or with not per clause', () => {
    const c = { any: [{ key: 'a', equals: 'yes' }, { not: { key: 'b', oneOf: ['x', 'y'] } }, { key: 'c', answered: true as const }] };
    const m = conditionToModel(c);
    expect(m).toEqual({
      join: 'any',
      clauses: [
        { not: false, key: 'a', kind: 'equals', values: ['yes'] },
        { not: true, key: 'b', kind: 'oneOf', values: ['x', 'y'] },
        { not: false, key: 'c', kind: 'answered', values: [] },
      ],
    });
    expect(modelToCondition(m!)).toEqual(c);
  });

  it('writes a single clause as a leaf and no clause as no condition', () => {
    expect(conditionToModel({ not: { key: 'a', equals: 'no' } })).toEqual({
      join: 'all',
      clauses: [{ not: true, key: 'a', kind: 'equals', values: ['no'] }],
    });
    expect(modelToCondition({ join: 'all', clauses: [{ not: false, key: 'a', kind: 'equals', values: ['yes'] }] })).toEqual({
      key: 'a',
      equals: 'yes',
    });
    expect(modelToCondition({ join: 'any', clauses: [] })).toBeUndefined();
    expect(conditionToModel(undefined)).toEqual({ join: 'all', clauses: [] });
  });

  it('answers null for conditions nested deeper than the editor shows', () => {
    expect(conditionToModel({ all: [{ any: [{ key: 'a', equals: 'yes' }] }] })).toBeNull();
    expect(conditionToModel({ not: { all: [] } })).toBeNull();
  });
});

describe('server error paths onto fields', () => {
  it('reads save paths and publish paths alike', () => {
    expect(locateIssue('content.sections.1.questions.0.key')).toEqual({ section: 1, question: 0, field: 'key' });
    expect(locateIssue('sections[1].questions[0].showWhen.all[1].key')).toEqual({ section: 1, question: 0, field: 'showWhen.all.1.key' });
    expect(locateIssue('content.sections.2.title')).toEqual({ section: 2, question: null, field: 'title' });
    expect(locateIssue('content.name')).toEqual({ section: null, question: null, field: 'name' });
    expect(locateIssue('sections')).toEqual({ section: null, question: null, field: 'sections' });
  });

  it('files errors under the ids of the items sent, and the rest under the document', () => {
    const m = mapIssues(
      [
        { path: 'sections[1].questions[0].showWhen.key', message: 'refers to "gone"' },
        { path: 'content.sections.1.questions.0.options.1.value', message: 'duplicate option' },
        { path: 'content.sections.0.title', message: 'required' },
        { path: 'content.name', message: 'too short' },
        { path: 'sections[5].questions[0].key', message: 'nowhere' },
      ],
      ['s-a', 's-b'],
      [['q-1'], ['q-2']],
    );
    expect(m.questions).toEqual({ 'q-2': { 'showWhen.key': ['refers to "gone"'], 'options.1.value': ['duplicate option'] } });
    expect(m.sections).toEqual({ 's-a': { title: ['required'] } });
    expect(m.document).toEqual({ name: ['too short'], 'sections.5.questions.0.key': ['nowhere'] });
    expect(errorsUnder(m.questions['q-2'], 'options')).toEqual(['duplicate option']);
    expect(errorsUnder(m.questions['q-2'], 'showWhen')).toEqual(['refers to "gone"']);
  });
});

describe('the working copy', () => {
  it('round-trips a document', () => {
    const doc = templateDocumentSchema.parse({
      name: 'T',
      description: 'D',
      sections: [
        {
          key: 's',
          title: 'S',
          questions: [
            {
              key: 'q',
              type: 'yes_no',
              text: 'Q?',
              options: [
                { value: 'yes', label: 'Yes' },
                { value: 'no', label: 'No' },
              ],
            },
          ],
        },
      ],
    });
    const d = toDraft(doc);
    expect(new Set([d.sections[0]!.id, d.sections[0]!.questions[0]!.id]).size).toBe(2);
    expect(toDocument(d)).toEqual(doc);
  });
});
