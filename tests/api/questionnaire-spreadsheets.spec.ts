import * as XLSX from '@e965/xlsx';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type {
  QuestionnaireImportRejection,
  QuestionnaireImportResult,
  QuestionnaireRequestDetail,
  TemplateDetail,
  TemplateDocumentInput,
} from '@bulwark/api-schema';
import { readWorkbook } from '@bulwark/platform';

import { editZip } from '../../libs/platform/src/lib/spreadsheets/testing/zip';
import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

/**
 * The spreadsheet round trip of a questionnaire request (issue 11, item 6): XLSX export with a very hidden
 * metadata sheet, the workbook edited by another implementation (SheetJS) and imported back, CSV both ways,
 * each kind of row error with its row and column, all or nothing, another request's or version's file, stale
 * versions, formula-looking text kept as text, and hostile workbooks refused within seconds while the API answers.
 */
let t: TestApp;
let ds: DataSource;
let manager: string;
let contact: string; // OpenAI's
let otherContact: string; // Bloomberg's
let openai: string;
let versionId: string;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const inDays = (n: number) => DateTime.utc().plus({ days: n }).toISODate()!;

const yesNo = [
  { value: 'yes', label: 'Yes', points: 1 },
  { value: 'no', label: 'No', points: 0 },
];
const doc: TemplateDocumentInput = {
  name: 'Spreadsheet DR questionnaire',
  sections: [
    {
      key: 'scope',
      title: 'Scope',
      questions: [
        { key: 'provider', type: 'yes_no', text: 'Do you provide AI models?', required: true, options: yesNo },
        {
          key: 'rollback',
          type: 'yes_no',
          text: 'Can you roll a model back within a day?',
          options: yesNo,
          showWhen: { key: 'provider', equals: 'yes' },
        },
      ],
    },
    {
      key: 'dr',
      title: 'Disaster recovery',
      questions: [
        {
          key: 'rto',
          type: 'single_choice',
          text: 'What is your RTO?',
          options: [
            { value: 'lt4h', label: 'Under 4 hours', points: 2 },
            { value: 'lt24h', label: 'Under 24 hours', points: 1 },
            { value: 'na', label: 'Not applicable', na: true },
          ],
        },
        {
          key: 'sites',
          type: 'multi_choice',
          text: 'Where are your recovery sites?',
          options: [
            { value: 'eu', label: 'Europe', points: 1 },
            { value: 'us', label: 'United States', points: 1 },
            { value: 'none', label: 'No recovery site', na: true },
          ],
        },
        { key: 'hours', type: 'number', text: 'Hours since the last restore drill', unit: 'hours' },
        { key: 'drill', type: 'date', text: 'Date of the last joint test' },
        { key: 'notes', type: 'text', text: 'Anything else?' },
        { key: 'report', type: 'evidence', text: 'Your latest DR test report' },
      ],
    },
  ],
};

async function newRequest(): Promise<string> {
  const res = await t.http
    .post('/api/questionnaire-requests')
    .set(auth(manager))
    .send({ templateVersionId: versionId, vendorId: openai, dueDate: inDays(14) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as QuestionnaireRequestDetail).id;
}
const put = (id: string, key: string, body: Record<string, unknown>, token = contact) =>
  t.http.put(`/api/questionnaire-requests/${id}/answers/${key}`).set(auth(token)).send(body);
const get = async (id: string, token = contact) =>
  (await t.http.get(`/api/questionnaire-requests/${id}`).set(auth(token))).body as QuestionnaireRequestDetail;
const answerOf = (d: QuestionnaireRequestDetail, key: string) => d.answers.find((a) => a.questionKey === key);

/** Downloads an export as bytes. */
async function download(id: string, format: 'xlsx' | 'csv', token = contact): Promise<{ res: Response; body: Buffer }> {
  const res = await t.http
    .get(`/api/questionnaire-requests/${id}/export?format=${format}`)
    .set(auth(token))
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  return { res, body: res.body as Buffer };
}
const upload = (id: string, file: Buffer | string, type: string, query = '', token = contact) =>
  t.http.post(`/api/questionnaire-requests/${id}/import${query}`).set(auth(token)).set('Content-Type', type).send(file);

/** The workbook edited by SheetJS, another XLSX implementation: `cells` maps A1 refs of the Answers sheet to values. */
function editWithSheetJs(bytes: Buffer, cells: Record<string, string | number | Date>, edit?: (wb: XLSX.WorkBook) => void): Buffer {
  const wb = XLSX.read(bytes, { type: 'buffer', cellDates: true });
  const sheet = wb.Sheets['Answers']!;
  for (const [ref, value] of Object.entries(cells)) XLSX.utils.sheet_add_aoa(sheet, [[value]], { origin: ref });
  edit?.(wb);
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}
/** The A1 ref of a question's cell in an exported Answers sheet (Answer: F, N/A: G, Comment: H). */
function refOf(bytes: Buffer, key: string, column: 'F' | 'G' | 'H' | 'A'): string {
  const wb = XLSX.read(bytes, { type: 'buffer' });
  const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['Answers']!, { header: 1, defval: '' });
  const i = rows.findIndex((r) => r[0] === key);
  expect(i, key).toBeGreaterThan(0);
  return `${column}${i + 1}`;
}
const rejection = (res: Response) => (res.body as { error: { code: string; details: QuestionnaireImportRejection } }).error;
const auditCount = async (id: string) =>
  Number(
    (
      (await ds.query(`SELECT count(*) AS n FROM audit_log WHERE entity_id = $1 AND action = 'questionnaire_request.imported'`, [id])) as {
        n: string;
      }[]
    )[0]!.n,
  );

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  [manager, contact, otherContact] = await Promise.all(
    ['manager@demo.bulwark.test', 'contact@openai.demo.bulwark.test', 'contact@bloomberg.demo.bulwark.test'].map((e) => login(t, e)),
  );
  openai = (
    (await ds.query(
      `SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name = 'OpenAI'`,
    )) as { id: string }[]
  )[0]!.id;
  const created = await t.http.post('/api/questionnaire-templates').set(auth(manager)).send(doc);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const templateId = (created.body as TemplateDetail).id;
  const published = await t.http.post(`/api/questionnaire-templates/${templateId}/versions/1/publish`).set(auth(manager)).send({});
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  versionId = (
    (await ds.query(`SELECT id FROM questionnaire_template_versions WHERE template_id = $1`, [templateId])) as { id: string }[]
  )[0]!.id;
});
afterAll(async () => t?.close());

describe('export', () => {
  it('writes the visible questions with answers, and a very hidden sheet of the request, version, hash and answer versions', async () => {
    const id = await newRequest();
    expect((await put(id, 'provider', { value: 'no', version: 0 })).status).toBe(200);
    expect((await put(id, 'notes', { value: "=cmd|' /C calc'!A0", version: 0, comment: '+1 from ops' })).status).toBe(200);
    expect((await put(id, 'rto', { value: 'na', version: 0 })).status).toBe(200);
    const { res, body } = await download(id, 'xlsx');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX_TYPE);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="OpenAI-Spreadsheet-DR-questionnaire\.xlsx"/);

    const ours = await readWorkbook(body);
    const answers = ours.sheets.find((s) => s.name === 'Answers')!;
    expect(answers.visibility).toBe('visible');
    expect(answers.rows[0]).toEqual(['Key', 'Section', 'Question', 'Type', 'Allowed values', 'Answer', 'N/A', 'Comment']);
    // The model question is hidden for a vendor that provides no models: not exported.
    expect(answers.rows.map((r) => r[0])).toEqual(['Key', 'provider', 'rto', 'sites', 'hours', 'drill', 'notes', 'report']);
    expect(answers.rows[1]).toEqual(['provider', 'Scope', 'Do you provide AI models?', 'Yes / no', 'One of: Yes | No', 'No', '', '']);
    expect(answers.rows[2]!.slice(5, 7)).toEqual(['', 'yes']); // n/a is its own column
    const meta = ours.sheets.find((s) => s.name === '_bulwark')!;
    expect(meta.visibility).toBe('veryHidden');
    const detail = await get(id);
    expect(meta.rows).toEqual(
      expect.arrayContaining([
        ['request', '', id],
        ['template_version', '', '1'],
        ['content_hash', '', detail.contentHash],
        ['answer_version', 'provider', '1'],
        ['answer_version', 'sites', '0'],
      ]),
    );
    // Formula-looking text is a string cell in the other implementation too, never a formula.
    const theirs = XLSX.read(body, { type: 'buffer' });
    const notes = theirs.Sheets['Answers']![refOf(body, 'notes', 'F')]!;
    expect(notes.t).toBe('s');
    expect(notes.f).toBeUndefined();
    expect(notes.v).toBe("=cmd|' /C calc'!A0");
    expect(theirs.Sheets['Answers']![refOf(body, 'notes', 'H')]!.v).toBe('+1 from ops');

    // The manager exports it too; another vendor's contact cannot.
    expect((await download(id, 'xlsx', manager)).res.status).toBe(200);
    expect((await download(id, 'csv', otherContact)).res.status).toBe(404);
  });
});

describe('XLSX round trip through another implementation', () => {
  it('imports a workbook edited by SheetJS: a dry run shows the diff and writes nothing, the import writes it all in one audit entry', async () => {
    const id = await newRequest();
    expect((await put(id, 'provider', { value: 'no', version: 0 })).status).toBe(200);
    const { body } = await download(id, 'xlsx');
    const edited = editWithSheetJs(body, {
      [refOf(body, 'provider', 'F')]: 'Yes',
      [refOf(body, 'rto', 'F')]: 'under 4 HOURS', // labels match without case
      [refOf(body, 'sites', 'F')]: 'Europe\nUnited States',
      [refOf(body, 'hours', 'F')]: 36, // a number cell
      [refOf(body, 'drill', 'F')]: new Date(Date.UTC(2026, 9, 15)), // a date cell
      [refOf(body, 'notes', 'F')]: '=SUM(A1:A9) is what we type, as text',
      [refOf(body, 'notes', 'H')]: '@ops please check',
    });

    const preview = await upload(id, edited, XLSX_TYPE, '?dryRun=true');
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const p = preview.body as QuestionnaireImportResult;
    expect(p).toMatchObject({ format: 'xlsx', dryRun: true, applied: false, request: null });
    expect(Object.fromEntries(p.changes.map((c) => [c.questionKey, c.to]))).toEqual({
      provider: 'yes',
      rto: 'lt4h',
      sites: ['eu', 'us'],
      hours: 36,
      drill: '2026-10-15',
      notes: '=SUM(A1:A9) is what we type, as text',
    });
    expect(p.changes.find((c) => c.questionKey === 'provider')).toMatchObject({ from: 'no', version: 1 });
    // Answering yes shows the model question, which the file does not hold.
    expect(p.newlyVisible).toEqual(['rollback']);
    expect(answerOf(await get(id), 'provider')!.value).toBe('no');
    expect(await auditCount(id)).toBe(0);

    const res = await upload(id, edited, XLSX_TYPE);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const r = res.body as QuestionnaireImportResult;
    expect(r.applied).toBe(true);
    const after = await get(id);
    expect(answerOf(after, 'provider')).toMatchObject({ value: 'yes', version: 2 });
    expect(answerOf(after, 'hours')).toMatchObject({ value: 36, version: 1 });
    expect(answerOf(after, 'drill')!.value).toBe('2026-10-15');
    expect(answerOf(after, 'notes')).toMatchObject({ value: '=SUM(A1:A9) is what we type, as text', comment: '@ops please check' });
    expect(answerOf(after, 'sites')!.value).toEqual(['eu', 'us']);
    expect(after.status).toBe('in_progress');
    expect(await auditCount(id)).toBe(1);

    // The same file again changes nothing (its versions are old, but it holds the stored answers).
    const again = await upload(id, edited, XLSX_TYPE);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect((again.body as QuestionnaireImportResult).changes).toEqual([]);
    expect(await auditCount(id)).toBe(1);
  });

  it('reads n/a from its column and clears an answer whose cell was emptied', async () => {
    const id = await newRequest();
    expect((await put(id, 'hours', { value: 12, version: 0 })).status).toBe(200);
    const { body } = await download(id, 'xlsx');
    const edited = editWithSheetJs(body, { [refOf(body, 'rto', 'G')]: 'yes', [refOf(body, 'sites', 'G')]: 'Yes' }, (wb) => {
      delete wb.Sheets['Answers']![refOf(body, 'hours', 'F')];
    });
    const res = await upload(id, edited, XLSX_TYPE);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const after = await get(id);
    expect(answerOf(after, 'rto')).toMatchObject({ value: 'na', notApplicable: true });
    expect(answerOf(after, 'sites')).toMatchObject({ value: ['none'], notApplicable: true });
    expect(answerOf(after, 'hours')).toMatchObject({ value: null, version: 2 });
  });
});

describe('CSV round trip', () => {
  it('exports metadata lines and a Version column, keeps formula-like text as text, and imports a CSV written by another library', async () => {
    const id = await newRequest();
    expect((await put(id, 'notes', { value: '=1+2', version: 0 })).status).toBe(200);
    const { res, body } = await download(id, 'csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const text = body.toString('utf8').replace(/^\uFEFF/, '');
    expect(
      text
        .split('\r\n')
        .slice(0, 4)
        .map((l) => l.split(',')[0]),
    ).toEqual(['#bulwark.questionnaire-answers/1', '#request', '#template_version', '#content_hash']);
    expect(text).toContain(`#request,${id}`);
    expect(text).toContain("'=1+2"); // written with the apostrophe: a spreadsheet shows it as text
    const records = parseCsv(text, { relax_column_count: true }) as string[][];
    const header = records[4]!;
    expect(header).toEqual(['Key', 'Section', 'Question', 'Type', 'Allowed values', 'Answer', 'N/A', 'Comment', 'Version']);
    const row = (key: string) => records.find((r) => r[0] === key)!;
    expect(row('notes')[8]).toBe('1');
    row('provider')[5] = 'yes';
    row('hours')[5] = '-3'; // a number, not a formula
    row('notes')[5] = '\'=HYPERLINK("http://evil")'; // the apostrophe convention is read back
    row('notes')[7] = '-- from the CSV';
    const edited = stringify(records, { record_delimiter: '\n' });

    const imported = await upload(id, edited, 'text/csv');
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect((imported.body as QuestionnaireImportResult).format).toBe('csv');
    const after = await get(id);
    expect(answerOf(after, 'provider')!.value).toBe('yes');
    expect(answerOf(after, 'hours')!.value).toBe(-3);
    expect(answerOf(after, 'notes')).toMatchObject({ value: '=HYPERLINK("http://evil")', comment: '-- from the CSV', version: 2 });
  });
});

describe('row errors: all or nothing', () => {
  it('names each bad row and column (unknown and duplicate keys, values outside the allowed set) and writes nothing', async () => {
    const id = await newRequest();
    expect((await put(id, 'provider', { value: 'no', version: 0 })).status).toBe(200);
    const { body } = await download(id, 'xlsx');
    const good = refOf(body, 'notes', 'F'); // a valid change that must not be written either
    const edited = editWithSheetJs(
      body,
      {
        [good]: 'A fine answer',
        [refOf(body, 'provider', 'F')]: 'Maybe',
        [refOf(body, 'rto', 'F')]: 'Under a week',
        [refOf(body, 'sites', 'F')]: 'Europe\nMars',
        [refOf(body, 'hours', 'F')]: 'twelve',
        [refOf(body, 'drill', 'F')]: '2026-02-30',
        [refOf(body, 'hours', 'G')]: 'yes', // no n/a option
      },
      (wb) => {
        XLSX.utils.sheet_add_aoa(
          wb.Sheets['Answers']!,
          [
            ['not.a.question', '', '', '', '', 'Yes'],
            ['notes', '', '', '', '', 'Twice'],
          ],
          { origin: -1 },
        );
      },
    );
    const res = await upload(id, edited, XLSX_TYPE);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    const err = rejection(res);
    expect(err.code).toBe('questionnaire_import.rejected');
    const rowOf = (key: string) => Number(refOf(body, key, 'A').slice(1));
    const found = err.details.errors.map((e) => [e.row, e.column, e.code]);
    expect(found).toEqual(
      expect.arrayContaining([
        [rowOf('provider'), 'Answer', 'invalid_value'],
        [rowOf('rto'), 'Answer', 'invalid_value'],
        [rowOf('sites'), 'Answer', 'invalid_value'],
        [rowOf('hours'), 'N/A', 'invalid_value'],
        [rowOf('drill'), 'Answer', 'invalid_value'],
        [rowOf('report') + 1, 'Key', 'unknown_key'],
        [rowOf('report') + 2, 'Key', 'duplicate_key'],
      ]),
    );
    expect(err.details.errors.find((e) => e.code === 'duplicate_key')!.message).toContain(`row ${rowOf('notes')}`);
    expect(err.details.errors.find((e) => e.questionKey === 'provider')!.message).toContain('"Maybe" is not an option');
    // The row errors are also the error's fields, named sheet:row:column.
    expect((res.body as { error: { fields: { path: string }[] } }).error.fields.map((f) => f.path)).toContain(
      `Answers:${rowOf('rto')}:Answer`,
    );
    // All or nothing: the valid change was not written.
    const after = await get(id);
    expect(answerOf(after, 'notes')!.value).toBeNull();
    expect(answerOf(after, 'provider')!.version).toBe(1);
    expect(await auditCount(id)).toBe(0);
  });

  it("refuses another request's workbook, and one of another template version, naming the metadata row", async () => {
    const id = await newRequest();
    const other = await newRequest();
    const { body } = await download(other, 'xlsx');
    const res = await upload(id, editWithSheetJs(body, { [refOf(body, 'provider', 'F')]: 'Yes' }), XLSX_TYPE);
    expect(res.status).toBe(422);
    expect(rejection(res).details.errors).toEqual([
      expect.objectContaining({ sheet: '_bulwark', row: 3, column: 'Value', code: 'other_request' }),
    ]);

    const own = (await download(id, 'xlsx')).body;
    const tampered = editWithSheetJs(own, {}, (wb) => {
      const meta = wb.Sheets['_bulwark']!;
      XLSX.utils.sheet_add_aoa(meta, [['template_version', '', '7']], { origin: 'A5' });
    });
    const res2 = await upload(id, tampered, XLSX_TYPE);
    expect(res2.status).toBe(422);
    expect(rejection(res2).details.errors).toEqual([expect.objectContaining({ row: 5, column: 'Value', code: 'other_version' })]);

    // A workbook that is not an export at all.
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['Key', 'Answer'],
        ['provider', 'Yes'],
      ]),
      'Answers',
    );
    const res3 = await upload(id, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer, XLSX_TYPE);
    expect(res3.status).toBe(422);
    expect(rejection(res3).details.errors[0]!.code).toBe('not_an_export');
  });

  it('refuses a change to an answer saved by someone else since the export (stale version), and keeps the newer answer', async () => {
    const id = await newRequest();
    expect((await put(id, 'provider', { value: 'no', version: 0 })).status).toBe(200);
    const { body } = await download(id, 'xlsx');
    // Meanwhile, a colleague changes two answers in the portal.
    expect((await put(id, 'provider', { value: 'yes', version: 1 })).status).toBe(200);
    expect((await put(id, 'hours', { value: 5, version: 0 })).status).toBe(200);
    const edited = editWithSheetJs(body, { [refOf(body, 'hours', 'F')]: 8, [refOf(body, 'notes', 'F')]: 'new' });
    const res = await upload(id, edited, XLSX_TYPE);
    expect(res.status).toBe(422);
    const errors = rejection(res).details.errors;
    // Both rows are stale: "hours" was changed in the file, "provider" holds the old answer the file would restore.
    expect(errors.map((e) => [e.questionKey, e.code, e.column])).toEqual(
      expect.arrayContaining([
        ['hours', 'stale', 'Answer'],
        ['provider', 'stale', 'Answer'],
      ]),
    );
    expect(errors.find((e) => e.questionKey === 'hours')!.message).toMatch(/version 1, the file has version 0/);
    const after = await get(id);
    expect(answerOf(after, 'provider')).toMatchObject({ value: 'yes', version: 2 });
    expect(answerOf(after, 'hours')).toMatchObject({ value: 5, version: 1 });
    expect(answerOf(after, 'notes')!.value).toBeNull();
  });

  it('refuses evidence changes, imports only while the vendor answers, and only for the vendor', async () => {
    const id = await newRequest();
    const { body } = await download(id, 'xlsx');
    const ev = editWithSheetJs(body, { [refOf(body, 'report', 'F')]: '00000000-0000-4000-8000-000000000000' });
    const res = await upload(id, ev, XLSX_TYPE);
    expect(res.status).toBe(422);
    expect(rejection(res).details.errors[0]).toMatchObject({ questionKey: 'report', code: 'evidence_in_portal' });
    expect((await upload(id, body, XLSX_TYPE, '', manager)).status).toBe(403);
    expect((await upload(id, body, XLSX_TYPE, '', otherContact)).status).toBe(404);
    const json = await t.http.post(`/api/questionnaire-requests/${id}/import`).set(auth(contact)).send({ answers: [] });
    expect(json.status).toBe(422);
    expect(json.body.error.fields[0].path).toBe('body');
    const cancelled = await t.http.post(`/api/questionnaire-requests/${id}/cancel`).set(auth(manager)).send({ reason: 'Sent by mistake' });
    expect(cancelled.status).toBe(200);
    const closed = await upload(id, body, XLSX_TYPE);
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('questionnaire_request.not_answerable');
  });
});

describe('hostile workbooks', () => {
  /** Runs the import while polling /api/health; returns the import's answer, its time and the health answers seen. */
  async function whileHealthy(p: () => Promise<Response>) {
    const started = Date.now();
    let done = false;
    const health: number[] = [];
    const poll = (async () => {
      while (!done) {
        const h = await t.http.get('/api/health');
        health.push(h.status);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    let res: Response;
    try {
      res = await p();
    } finally {
      done = true;
    }
    await poll;
    return { res, ms: Date.now() - started, health };
  }

  it('sanitizes whole-sheet data validation (imported as usual), and refuses a value at XFD1048576 within seconds while /api/health answers', async () => {
    const id = await newRequest();
    const { body } = await download(id, 'xlsx');
    const edited = editWithSheetJs(body, { [refOf(body, 'provider', 'F')]: 'No' });
    const whole = 'A1:XFD1048576';
    const validated = await editZip(edited, {
      'xl/worksheets/sheet1.xml': (xml) =>
        xml.replace(
          '</sheetData>',
          `</sheetData><dataValidations count="1"><dataValidation type="list" allowBlank="1" sqref="${whole}"><formula1>"a,b"</formula1></dataValidation></dataValidations>` +
            `<conditionalFormatting sqref="${whole}"><cfRule type="expression" priority="1"><formula>TRUE</formula></cfRule></conditionalFormatting>`,
        ),
    });
    const ok = await whileHealthy(() => upload(id, validated, XLSX_TYPE));
    expect(ok.res.status, JSON.stringify(ok.res.body)).toBe(200);
    expect(ok.ms).toBeLessThan(15_000);
    expect(answerOf(await get(id), 'provider')!.value).toBe('no');

    const far = await editZip(body, {
      'xl/worksheets/sheet1.xml': (xml) =>
        xml.replace('</sheetData>', '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'),
    });
    const refused = await whileHealthy(() => upload(id, far, XLSX_TYPE));
    expect(refused.res.status).toBe(413);
    expect(refused.res.body.error.code).toBe('spreadsheet.too_large');
    expect(refused.ms).toBeLessThan(15_000);
    expect(refused.health.length).toBeGreaterThan(0);
    expect(refused.health.every((s) => s === 200)).toBe(true);
  });

  it('refuses huge shared strings and a zip bomb within seconds while /api/health answers, writing nothing', async () => {
    const id = await newRequest();
    const { body } = await download(id, 'xlsx');
    const strings = await editZip(body, {
      'xl/sharedStrings.xml': (xml) =>
        xml.replace('</sst>', Array.from({ length: 60_000 }, (_, i) => `<si><t>${i.toString(36)}</t></si>`).join('') + '</sst>'),
    });
    const giant = await editZip(body, {
      'xl/sharedStrings.xml': (xml) => xml.replace('</sst>', `<si><t>${'y'.repeat(40_000)}</t></si></sst>`),
    });
    const bomb = await editZip(body, {}, [{ name: 'xl/media/bomb.bin', data: Buffer.alloc(60 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    for (const [file, limit] of [
      [strings, 'maxSharedStrings'],
      [giant, 'maxCellChars'],
      [bomb, 'maxCompressionRatio'],
    ] as const) {
      const { res, ms, health } = await whileHealthy(() => upload(id, file, XLSX_TYPE));
      expect(res.status, limit).toBe(413);
      expect(res.body.error).toMatchObject({ code: 'spreadsheet.too_large', details: { limit } });
      expect(ms, limit).toBeLessThan(15_000);
      expect(health.every((s) => s === 200)).toBe(true);
    }
    expect(await auditCount(id)).toBe(0);
    expect((await get(id)).status).toBe('sent');
  });

  it('refuses a formula cell, and a file that is neither XLSX nor CSV', async () => {
    const id = await newRequest();
    const { body } = await download(id, 'xlsx');
    const formula = editWithSheetJs(body, {}, (wb) => {
      wb.Sheets['Answers']![refOf(body, 'notes', 'F')] = { t: 'n', f: 'SUM(1,2)', v: 3 };
    });
    const res = await upload(id, formula, XLSX_TYPE);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('spreadsheet.formula');
    const pdf = await upload(id, Buffer.from('%PDF-1.4 not a sheet'), 'application/octet-stream', '?format=xlsx');
    expect(pdf.status).toBe(422);
    expect(pdf.body.error.code).toBe('spreadsheet.not_xlsx');
  });
});
