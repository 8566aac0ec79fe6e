import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { DateTime } from 'luxon';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { QuestionnaireRequestDetail, TemplateDocumentInput } from '@bulwark/api-schema';

import { auth, login } from '../support/app';
import { newSession, reportUnavailable, shot as save, signIn, startStack, textOf, tid, type Stack } from './support/browser';

const unavailable = reportUnavailable();

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await save(page, name);
}

const yesNo = [
  { value: 'yes', label: 'Yes', points: 1 },
  { value: 'no', label: 'No', points: 0 },
];
const doc: TemplateDocumentInput = {
  name: 'Offline DR check',
  sections: [
    {
      key: 'scope',
      title: 'Scope',
      questions: [{ key: 'provider', type: 'yes_no', text: 'Do you provide AI models to us?', required: true, options: yesNo }],
    },
    {
      key: 'dr',
      title: 'Disaster recovery',
      questions: [
        {
          key: 'rto',
          type: 'single_choice',
          text: 'What recovery time objective do you commit to?',
          options: [
            { value: 'lt4h', label: 'Under 4 hours', points: 2 },
            { value: 'lt24h', label: 'Under 24 hours', points: 1 },
          ],
        },
        { key: 'hours', type: 'number', text: 'Hours since the last restore drill', unit: 'hours' },
        { key: 'notes', type: 'text', multiline: true, text: 'How do you test your restores?' },
      ],
    },
  ],
};

/**
 * The offline round trip in the browser (issue 11, item 6): the vendor's contact downloads the spreadsheet, answers
 * it in another XLSX implementation (SheetJS here), uploads it, sees the row errors of a bad file, then the diff of a
 * good one, confirms, and finds the answers on the page; the manager downloads it from the review page.
 */
describe.skipIf(unavailable)('questionnaire spreadsheets: download, answer offline, upload, review the diff, confirm', () => {
  let stack: Stack;
  let manager: string;
  let requestId: string;
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-xlsx-e2e-'));

  beforeAll(async () => {
    stack = await startStack();
    manager = await login(stack.t, 'manager@demo.bulwark.test');
    const vendors = await stack.t.http.get('/api/vendors?search=OpenAI').set(auth(manager)).expect(200);
    const t = await stack.t.http.post('/api/questionnaire-templates').set(auth(manager)).send(doc).expect(201);
    await stack.t.http.post(`/api/questionnaire-templates/${t.body.id}/versions/1/publish`).set(auth(manager)).send({}).expect(200);
    const versions = await stack.t.http.get(`/api/questionnaire-templates/${t.body.id}`).set(auth(manager)).expect(200);
    const versionId = (versions.body as { versions: { id: string }[] }).versions[0]!.id;
    const sent = await stack.t.http
      .post('/api/questionnaire-requests')
      .set(auth(manager))
      .send({ templateVersionId: versionId, vendorId: vendors.body.items[0].id, dueDate: DateTime.utc().plus({ days: 20 }).toISODate() })
      .expect(201);
    requestId = (sent.body as QuestionnaireRequestDetail).id;
  }, 120_000);
  afterAll(async () => stack?.close());

  /** Fetches a download link's file in the page (the session's cookie), as the browser's download would. */
  const downloadIn = async (page: Page, selector: string) => {
    const href = await page.$eval(selector, (a) => (a as HTMLAnchorElement).href);
    const base64 = await page.evaluate(async (url) => {
      const res = await fetch(url, { credentials: 'same-origin' });
      if (!res.ok) throw new Error(`download failed: ${res.status}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    }, href);
    return Buffer.from(base64, 'base64');
  };
  /** The downloaded workbook answered in SheetJS: `answers` maps question keys to the Answer cell. */
  const answered = (bytes: Buffer, answers: Record<string, string | number>, name: string) => {
    const wb = XLSX.read(bytes, { type: 'buffer' });
    const sheet = wb.Sheets['Answers']!;
    const rows = XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1, defval: '' });
    for (const [key, value] of Object.entries(answers)) {
      const i = rows.findIndex((r) => r[0] === key);
      expect(i, key).toBeGreaterThan(0);
      XLSX.utils.sheet_add_aoa(sheet, [[value]], { origin: `F${i + 1}` });
    }
    const file = join(dir, name);
    writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    return file;
  };
  const choose = async (page: Page, file: string) => {
    const input = (await page.$(tid('spreadsheet-file'))) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(file);
  };

  it('the vendor downloads, uploads a file with errors (listed by row and column), then a good one, confirms the diff, and sees the answers', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'contact@openai.demo.bulwark.test', 'vendor-home-questionnaires');
    await page.goto(`${stack.baseUrl}/vendor-home/questionnaire-requests/${requestId}`);
    await page.waitForSelector(tid('request-spreadsheet'));
    await shot(page, 'questionnaire-xlsx-01-vendor-page');

    const xlsx = await downloadIn(page, tid('spreadsheet-download-xlsx'));
    expect(xlsx.subarray(0, 2).toString('latin1')).toBe('PK');
    const csv = await downloadIn(page, tid('spreadsheet-download-csv'));
    expect(csv.toString('utf8')).toContain(`#request,${requestId}`);

    // A file with a value outside the allowed set and a number that is not one: nothing is saved, the rows are named.
    await choose(page, answered(xlsx, { provider: 'Perhaps', hours: 'a day', notes: 'Quarterly restores' }, 'bad.xlsx'));
    await page.waitForSelector(tid('spreadsheet-errors'));
    const errors = await page.$$eval(tid('spreadsheet-error'), (rows) =>
      rows.map((r) => [r.getAttribute('data-row'), r.getAttribute('data-column'), r.getAttribute('data-code')]),
    );
    expect(errors).toEqual([
      ['2', 'Answer', 'invalid_value'],
      ['4', 'Answer', 'invalid_value'],
    ]);
    expect(await textOf(page, tid('spreadsheet-errors'))).toContain('"Perhaps" is not an option');
    await shot(page, 'questionnaire-xlsx-02-row-errors');

    // The fixed file: the diff is shown before anything is saved.
    await choose(
      page,
      answered(xlsx, { provider: 'Yes', rto: 'Under 4 hours', hours: 36, notes: '=Quarterly restores, tested by SRE' }, 'good.xlsx'),
    );
    await page.waitForSelector(tid('spreadsheet-preview'));
    const changed = await page.$$eval(tid('spreadsheet-change'), (rows) => rows.map((r) => r.getAttribute('data-question-key')));
    expect(changed).toEqual(['provider', 'rto', 'hours', 'notes']);
    expect(await textOf(page, tid('spreadsheet-preview'))).toContain('36 hours');
    await shot(page, 'questionnaire-xlsx-03-diff');
    const before = (await stack.t.http.get(`/api/questionnaire-requests/${requestId}`).set(auth(manager)).expect(200))
      .body as QuestionnaireRequestDetail;
    expect(before.answers.every((a) => a.value === null)).toBe(true);

    await page.locator(tid('spreadsheet-confirm')).click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="spreadsheet-preview"]'));
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="option-provider-yes"]') as HTMLInputElement | null)?.checked === true,
    );
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="answer-notes"]') as HTMLTextAreaElement | null)?.value ===
        '=Quarterly restores, tested by SRE',
    );
    expect(await textOf(page, tid('request-progress'))).toContain('1 of 1 required');
    await shot(page, 'questionnaire-xlsx-04-answers-imported');
    const after = (await stack.t.http.get(`/api/questionnaire-requests/${requestId}`).set(auth(manager)).expect(200))
      .body as QuestionnaireRequestDetail;
    expect(Object.fromEntries(after.answers.map((a) => [a.questionKey, a.value]))).toEqual({
      provider: 'yes',
      rto: 'lt4h',
      hours: 36,
      notes: '=Quarterly restores, tested by SRE',
    });
    await page.browserContext().close();
  });

  it('the manager downloads the spreadsheet from the review page', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'manager@demo.bulwark.test', 'nav-vendors');
    await page.goto(`${stack.baseUrl}/questionnaire-requests/${requestId}`);
    await page.waitForSelector(tid('spreadsheet-download-xlsx'));
    const xlsx = await downloadIn(page, tid('spreadsheet-download-xlsx'));
    const rows = XLSX.utils.sheet_to_json<string[]>(XLSX.read(xlsx, { type: 'buffer' }).Sheets['Answers']!, { header: 1, defval: '' });
    expect(rows.find((r) => r[0] === 'hours')![5]).toBe('36');
    await shot(page, 'questionnaire-xlsx-05-manager-review');
    await page.browserContext().close();
  });
});
