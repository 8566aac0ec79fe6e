import { describe, expect, it } from 'vitest';

import { templateDocumentSchema, type TemplateDocument } from '@bulwark/api-schema';

import {
  diffImport,
  exportFile,
  parseCsvRows,
  parseWorkbook,
  readAnswerCell,
  SPREADSHEET_FORMAT_ID,
  type RequestSnapshot,
  type StoredAnswer,
} from './questionnaire-request-spreadsheet.js';

const yesNo = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
];
const content: TemplateDocument = templateDocumentSchema.parse({
  name: 'Unit',
  sections: [
    {
      key: 's',
      title: 'S',
      questions: [
        { key: 'provider', type: 'yes_no', text: 'Models?', options: yesNo },
        { key: 'rollback', type: 'yes_no', text: 'Rollback?', options: yesNo, showWhen: { key: 'provider', equals: 'yes' } },
        {
          key: 'sites',
          type: 'multi_choice',
          text: 'Sites?',
          options: [
            { value: 'eu', label: 'Europe; West' },
            { value: 'us', label: 'US' },
            { value: 'none', label: 'None', na: true },
          ],
        },
        { key: 'hours', type: 'number', text: 'Hours?' },
      ],
    },
  ],
});
const request: RequestSnapshot = { id: 'req-1', templateName: 'Unit', templateVersion: 2, contentHash: 'h'.repeat(64), content };
const q = (key: string) => content.sections[0]!.questions.find((x) => x.key === key)!;
const stored = (entries: Record<string, Partial<StoredAnswer>>) =>
  new Map(Object.entries(entries).map(([k, a]) => [k, { value: null, comment: null, version: 1, updatedByName: null, ...a }]));

/** An exported workbook's content as the reader returns it, with `edit` applied to the Answers rows. */
function workbookOf(visible: string[], answers: Map<string, StoredAnswer>, edit?: (rows: string[][]) => void) {
  const file = exportFile(request, visible, answers);
  const sheets = file.workbook.sheets.map((s) => ({
    name: s.name,
    visibility: s.visibility ?? 'visible',
    rows: [s.columns.map((c) => c.header), ...s.rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))],
  }));
  edit?.(sheets[0]!.rows);
  return parseWorkbook({ sheets });
}
const answerCol = 5;

describe('readAnswerCell', () => {
  it('reads options by label or value in any case, a multiple choice by line (a label with ";" whole), numbers and n/a', () => {
    expect(readAnswerCell(q('provider'), ' YES ', '')).toEqual({ ok: true, value: 'yes' });
    expect(readAnswerCell(q('provider'), 'no', '')).toEqual({ ok: true, value: 'no' });
    expect(readAnswerCell(q('sites'), 'Europe; West', '')).toEqual({ ok: true, value: ['eu'] });
    expect(readAnswerCell(q('sites'), 'europe; west\nUS', '')).toEqual({ ok: true, value: ['eu', 'us'] });
    expect(readAnswerCell(q('sites'), '', 'Yes')).toEqual({ ok: true, value: ['none'] });
    expect(readAnswerCell(q('hours'), ' -1.5e2 ', '')).toEqual({ ok: true, value: -150 });
    expect(readAnswerCell(q('hours'), '', '')).toEqual({ ok: true, value: null });
  });

  it('refuses what does not fit, naming the column', () => {
    expect(readAnswerCell(q('provider'), 'Maybe', '')).toMatchObject({ ok: false, column: 'Answer' });
    expect(readAnswerCell(q('hours'), '12h', '')).toMatchObject({ ok: false, column: 'Answer' });
    expect(readAnswerCell(q('hours'), '', 'yes')).toMatchObject({ ok: false, column: 'N/A' });
    expect(readAnswerCell(q('sites'), 'US', 'yes')).toMatchObject({
      ok: false,
      column: 'Answer',
      message: expect.stringContaining('not both'),
    });
    expect(readAnswerCell(q('sites'), '', 'perhaps')).toMatchObject({ ok: false, column: 'N/A' });
  });
});

describe('diffImport', () => {
  it('refuses a change to a question hidden by the resulting answers, and ignores an unchanged one', () => {
    const answers = stored({ provider: { value: 'yes' }, rollback: { value: 'yes' } });
    const visible = ['provider', 'rollback', 'sites', 'hours'];
    // provider → no hides rollback: its unchanged row is ignored.
    const unchanged = workbookOf(visible, answers, (rows) => (rows[1]![answerCol] = 'No'));
    const a = diffImport(unchanged, { request, stored: answers, reopenedKeys: null });
    expect(a.errors).toEqual([]);
    expect(a.changes.map((c) => c.questionKey)).toEqual(['provider']);
    expect(a.ignored).toEqual([{ questionKey: 'rollback', row: 3, reason: 'does not show for your answers' }]);
    // … and a change to it is refused.
    const changed = workbookOf(visible, answers, (rows) => {
      rows[1]![answerCol] = 'No';
      rows[2]![answerCol] = 'No';
    });
    expect(diffImport(changed, { request, stored: answers, reopenedKeys: null }).errors).toEqual([
      expect.objectContaining({ row: 3, column: 'Answer', questionKey: 'rollback', code: 'hidden' }),
    ]);
  });

  it('refuses changes to answers the review closed, and lists questions that start to show', () => {
    const answers = stored({ provider: { value: 'no' }, hours: { value: 4 } });
    const file = workbookOf(['provider', 'sites', 'hours'], answers, (rows) => {
      rows[1]![answerCol] = 'Yes';
      rows[3]![answerCol] = '5';
    });
    const d = diffImport(file, { request, stored: answers, reopenedKeys: ['provider'] });
    expect(d.errors).toEqual([expect.objectContaining({ questionKey: 'hours', code: 'closed' })]);
    const open = diffImport(file, { request, stored: answers, reopenedKeys: null });
    expect(open.errors).toEqual([]);
    expect(open.newlyVisible).toEqual(['rollback']);
  });

  it('reads the CSV form: metadata lines, the header, and each row’s version', () => {
    const answers = stored({ hours: { value: 4, version: 3 } });
    const csv = exportFile(request, ['provider', 'hours'], answers).csv;
    expect(csv[0]![0]).toBe(`#${SPREADSHEET_FORMAT_ID}`);
    csv[6]![answerCol] = '6';
    const parsed = parseCsvRows(csv);
    expect(parsed.versions.get('hours')).toEqual({ value: '3', row: 7 });
    const d = diffImport(parsed, { request, stored: answers, reopenedKeys: null });
    expect(d.errors).toEqual([]);
    expect(d.changes).toEqual([expect.objectContaining({ questionKey: 'hours', row: 7, from: 4, to: 6, version: 3 })]);
    csv[6]![8] = '2';
    expect(diffImport(parseCsvRows(csv), { request, stored: answers, reopenedKeys: null }).errors).toEqual([
      expect.objectContaining({ sheet: 'csv', row: 7, column: 'Answer', code: 'stale' }),
    ]);
  });
});
