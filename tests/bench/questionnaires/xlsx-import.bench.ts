/**
 * XLSX import of a 300-question questionnaire (issue 11, item 12), through the real application on PostgreSQL:
 * a template of 300 questions (yes/no, single and multiple choice, numbers, dates, text) is published and sent;
 * the vendor's contact exports the workbook, every row is answered in SheetJS (another XLSX implementation), and
 * the file is imported. Timed in the same run:
 *
 *   (a) the bare parse: `readWorkbook` of the answered file (the worker thread, the caps, the XML);
 *   (b) baseline: the same 300 answer rows written by one INSERT … SELECT (rolled back);
 *   (c) the import as a dry run over HTTP (read, diff, no write);
 *   (d) the import over HTTP: read, diff, 300 answers written in one transaction with one audit entry.
 *
 * Prints the times and the ratios to the baseline; checks that all 300 answers were written. Never fails on a timing.
 *
 *   BULWARK_BENCH=1 npx vitest run --project bench tests/bench/questionnaires/xlsx-import.bench.ts
 */
import * as XLSX from '@e965/xlsx';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { seedDemoIfMissing } from '@bulwark/api';
import type { QuestionnaireImportResult, TemplateDocumentInput } from '@bulwark/api-schema';
import { readWorkbook } from '@bulwark/platform';
import { QUESTIONNAIRE_SPREADSHEET_LIMITS } from '@bulwark/questionnaires';

import { auth, bootApp, login, type TestApp } from '../../support/app';

const QUESTIONS = Number(process.env['BENCH_QUESTIONS'] ?? 300);
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TYPES = ['yes_no', 'single_choice', 'multi_choice', 'number', 'date', 'text'] as const;

let t: TestApp;
let ds: DataSource;
let requestId: string;
let contact: string;

function template(): TemplateDocumentInput {
  const sections: TemplateDocumentInput['sections'] = [];
  for (let s = 0; s < QUESTIONS / 30; s++) {
    const questions = Array.from({ length: 30 }, (_, i) => {
      const n = s * 30 + i;
      const type = TYPES[n % TYPES.length]!;
      const key = `q${n}`;
      const text = `Question ${n}: how do you handle recovery step ${n} for the AI services you provide?`;
      if (type === 'yes_no')
        return {
          key,
          type,
          text,
          options: [
            { value: 'yes', label: 'Yes', points: 1 },
            { value: 'no', label: 'No', points: 0 },
            { value: 'na', label: 'Not applicable', na: true },
          ],
        };
      if (type === 'single_choice' || type === 'multi_choice')
        return {
          key,
          type,
          text,
          options: ['Hourly', 'Daily', 'Weekly', 'Monthly'].map((label, j) => ({ value: `o${j}`, label, points: j })),
        };
      return { key, type, text };
    });
    sections.push({ key: `s${s}`, title: `Section ${s + 1}`, questions });
  }
  return { name: 'Bench: 300-question DR questionnaire', sections };
}

/** The answer a vendor types into row `n`'s Answer cell. */
function answerOf(n: number): string | number | Date {
  switch (TYPES[n % TYPES.length]) {
    case 'yes_no':
      return n % 2 ? 'Yes' : 'No';
    case 'single_choice':
      return 'Weekly';
    case 'multi_choice':
      return 'Hourly\nMonthly';
    case 'number':
      return n * 1.5;
    case 'date':
      return new Date(Date.UTC(2026, n % 12, 1 + (n % 28)));
    default:
      return `We restore step ${n} from an encrypted, immutable backup in a second region and test it every quarter.`;
  }
}

beforeAll(async () => {
  t = await bootApp();
  await seedDemoIfMissing(t.app);
  ds = t.app.get(DataSource);
  const manager = await login(t, 'manager@demo.bulwark.test');
  contact = await login(t, 'contact@openai.demo.bulwark.test');
  const created = await t.http.post('/api/questionnaire-templates').set(auth(manager)).send(template()).expect(201);
  await t.http.post(`/api/questionnaire-templates/${created.body.id}/versions/1/publish`).set(auth(manager)).send({}).expect(200);
  const [{ id: versionId }] = await ds.query(`SELECT id FROM questionnaire_template_versions WHERE template_id = $1`, [created.body.id]);
  const [{ id: vendorId }] = await ds.query(
    `SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name = 'OpenAI'`,
  );
  const sent = await t.http
    .post('/api/questionnaire-requests')
    .set(auth(manager))
    .send({ templateVersionId: versionId, vendorId, dueDate: DateTime.utc().plus({ days: 30 }).toISODate() })
    .expect(201);
  requestId = sent.body.id;
}, 600_000);
afterAll(async () => t?.close());

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

class RolledBack extends Error {}

it(`imports a ${QUESTIONS}-question workbook answered in another implementation`, async () => {
  const exported = await t.http
    .get(`/api/questionnaire-requests/${requestId}/export?format=xlsx`)
    .set(auth(contact))
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(200);
  const wb = XLSX.read(exported.body as Buffer, { type: 'buffer' });
  const sheet = wb.Sheets['Answers']!;
  const rows = XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1, defval: '' });
  expect(rows.length).toBe(QUESTIONS + 1);
  rows.slice(1).forEach((r, i) => XLSX.utils.sheet_add_aoa(sheet, [[answerOf(Number(r[0]!.slice(1)))]], { origin: `F${i + 2}` }));
  const answered = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;

  // (a) the bare parse, as the import runs it
  const parse = await timed(() => readWorkbook(answered, QUESTIONNAIRE_SPREADSHEET_LIMITS));
  expect(parse.value.sheets.find((s) => s.name === 'Answers')!.rows.length).toBe(QUESTIONS + 1);

  // (b) the same answer rows by one statement, rolled back
  const values = rows.slice(1).map((r) => ({ key: r[0]!, value: JSON.stringify(String(answerOf(Number(r[0]!.slice(1))))) }));
  const baseline = await timed(() =>
    ds
      .transaction(async (m) => {
        await m.query(
          `INSERT INTO questionnaire_answers (organization_id, vendor_id, request_id, question_key, value, version, answered_at)
           SELECT r.organization_id, r.vendor_id, r.id, a.key, a.value::jsonb, 1, now()
             FROM questionnaire_requests r, jsonb_to_recordset($2::jsonb) AS a(key text, value text) WHERE r.id = $1`,
          [requestId, JSON.stringify(values)],
        );
        throw new RolledBack();
      })
      .catch((e: unknown) => {
        if (!(e instanceof RolledBack)) throw e;
      }),
  );

  const post = (dryRun: boolean) =>
    t.http
      .post(`/api/questionnaire-requests/${requestId}/import${dryRun ? '?dryRun=true' : ''}`)
      .set(auth(contact))
      .set('Content-Type', XLSX_TYPE)
      .send(answered);
  // (c) dry run, (d) the import
  const dry = await timed(() => post(true));
  expect(dry.value.status, JSON.stringify(dry.value.body).slice(0, 500)).toBe(200);
  expect((dry.value.body as QuestionnaireImportResult).changes.length).toBe(QUESTIONS);
  const real = await timed(() => post(false));
  expect(real.value.status, JSON.stringify(real.value.body).slice(0, 500)).toBe(200);
  expect((real.value.body as QuestionnaireImportResult).applied).toBe(true);
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM questionnaire_answers WHERE request_id = $1 AND version = 1`, [requestId]);
  expect(n).toBe(QUESTIONS);

  const ratio = (ms: number) => `${(ms / baseline.ms).toFixed(1)}× the baseline`;
  console.log(`workbook: ${QUESTIONS} questions, ${answered.length.toLocaleString('en')} bytes (answered in SheetJS)`);
  console.log(`(a) bare parse (worker, caps):          ${parse.ms.toFixed(0)} ms`);
  console.log(`(b) baseline (1 × INSERT … SELECT):      ${baseline.ms.toFixed(0)} ms`);
  console.log(`(c) import, dry run (HTTP):              ${dry.ms.toFixed(0)} ms (${ratio(dry.ms)})`);
  console.log(`(d) import, ${QUESTIONS} answers written (HTTP): ${real.ms.toFixed(0)} ms (${ratio(real.ms)})`);
}, 3_600_000);
