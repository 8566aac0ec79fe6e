import type { Page } from 'puppeteer-core';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  clickWhenReachable,
  dropPdf,
  fill,
  newSession,
  reportUnavailable,
  setDate,
  shot,
  signIn,
  startStack,
  textOf,
  tid,
  type Stack,
} from './support/browser';

const unavailable = reportUnavailable();
const DAY = 86_400_000;
const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

/** Issue 10, item 1: a vendor uploads a certificate with its validity; the manager sees it on the vendor page and in the expiring list. */
describe.skipIf(unavailable)('evidence library', () => {
  let stack: Stack;
  let openai: string;
  beforeAll(async () => {
    stack = await startStack();
    const rows = (await stack.t.app
      .get(DataSource)
      .query(
        `SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name = 'OpenAI'`,
      )) as { id: string }[];
    openai = rows[0]!.id;
  }, 120_000);
  afterAll(async () => stack?.close());

  /** The item this test uploaded (the demo holds others of OpenAI's), once the page shows it: its selector. */
  async function uploadedItem(page: Page): Promise<string> {
    const handle = await page.waitForFunction(
      (sel, title) =>
        [...document.querySelectorAll(sel)]
          .find((el) => el.querySelector('[data-testid="evidence-title-text"]')?.textContent === title)
          ?.getAttribute('data-evidence-id'),
      { timeout: 60_000 },
      tid('evidence-item'),
      'ISO 27001 certificate 2026',
    );
    const id = (await handle.jsonValue()) as string;
    return `${tid('evidence-item')}[data-evidence-id="${id}"]`;
  }

  it('a vendor contact uploads a certificate by drag and drop, with its validity; it shows as expiring and not scanned', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'contact@openai.demo.bulwark.test', 'vendor-home-evidence');
    // The demo already holds some of OpenAI's evidence: the summary counts it.
    expect(await textOf(page, tid('vendor-home-evidence-summary'))).toMatch(/^\d+ items?/);
    await page.locator(tid('vendor-home-evidence-open')).click();
    await page.waitForSelector(tid('evidence-upload-toggle'));
    await shot(page, 'evidence-vendor-library-before');

    await page.locator(tid('evidence-upload-toggle')).click();
    await page.waitForSelector(tid('evidence-title'), { visible: true });
    // Submitting without a title or a file says what is missing, by field (once the panel has slid open).
    await clickWhenReachable(page, tid('evidence-upload-submit'));
    expect(await textOf(page, tid('evidence-file-error'))).toBe('Choose a file to upload.');

    await fill(page, tid('evidence-title'), 'ISO 27001 certificate 2026');
    await page.select(tid('evidence-kind'), 'iso27001_certificate');
    await setDate(page, 'evidence-valid-from', dateIn(-345));
    await setDate(page, 'evidence-valid-until', dateIn(20));
    await dropPdf(page, 'evidence-file-dropzone', 'ISO 27001 certificate.pdf');
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent?.includes('ISO 27001 certificate.pdf'),
      {},
      tid('evidence-file-dropzone'),
    );
    // The messages went as the fields were fixed.
    expect(await page.$(tid('evidence-file-error'))).toBeNull();
    expect(await page.$eval(tid('evidence-title'), (el) => el.getAttribute('aria-invalid'))).not.toBe('true');
    await shot(page, 'evidence-vendor-upload-form');
    await page.locator(tid('evidence-upload-submit')).click();

    const item = await uploadedItem(page);
    expect(await textOf(page, `${item} ${tid('evidence-title-text')}`)).toBe('ISO 27001 certificate 2026');
    expect(await textOf(page, `${item} ${tid('evidence-status')}`)).toBe('Expires in 20 days');
    expect(await textOf(page, `${item} ${tid('evidence-scan')}`)).toBe('Not scanned');
    expect(await textOf(page, `${item} ${tid('evidence-validity')}`)).toContain('until');
    const href = await page.$eval(`${item} ${tid('evidence-download')}`, (a) => a.getAttribute('href') ?? '');
    expect(href).toMatch(/^\/api\/evidence\/[0-9a-f-]{36}\/revisions\/[0-9a-f-]{36}\/download$/);
    // The vendor's own download goes through (same-origin cookie), served as an attachment.
    const download = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return { status: r.status, disposition: r.headers.get('content-disposition'), nosniff: r.headers.get('x-content-type-options') };
    }, href);
    expect(download).toEqual({ status: 200, disposition: expect.stringMatching(/^attachment;/), nosniff: 'nosniff' });
    await shot(page, 'evidence-vendor-library');
    // An expiry reminder links to the internal page of the vendor's evidence: the contact lands on its own library.
    await page.goto(`${stack.baseUrl}/vendors/${openai}/evidence`);
    await page.waitForFunction(() => location.pathname === '/vendor-home/evidence');
    await uploadedItem(page);
    await page.browserContext().close();
  });

  it('the manager sees it on the vendor page, links it to the contract, and finds it in the 60-day expiring list', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'manager@demo.bulwark.test', 'vendor-row');
    await page.goto(`${stack.baseUrl}/vendors/${openai}/evidence`);
    const item = await uploadedItem(page);
    expect(await textOf(page, `${item} ${tid('evidence-title-text')}`)).toBe('ISO 27001 certificate 2026');
    expect(await textOf(page, `${item} ${tid('evidence-status')}`)).toBe('Expires in 20 days');
    expect(await textOf(page, `${item} ${tid('evidence-links-empty')}`)).toMatch(/Not linked/);

    const contract = await page.$eval(`${item} ${tid('evidence-link-target')}`, (s) => (s as HTMLSelectElement).options[1]?.value ?? '');
    expect(contract).toMatch(/^[0-9a-f-]{36}$/);
    await page.select(`${item} ${tid('evidence-link-target')}`, contract);
    await page.locator(`${item} ${tid('evidence-link-submit')}`).click();
    await page.waitForSelector(`${item} ${tid('evidence-link')}`);
    expect(await textOf(page, `${item} ${tid('evidence-link')}`)).toMatch(/^Contract: /);
    await shot(page, 'evidence-manager-vendor-tab');

    await page.locator(tid('nav-evidence')).click();
    await page.waitForSelector(tid('expiring-evidence-table'));
    const rows = await page.$$eval(`${tid('expiring-evidence-table')} tbody tr`, (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows.some((r) => r.includes('OpenAI') && r.includes('ISO 27001 certificate 2026') && r.includes('Expires in 20 days'))).toBe(
      true,
    );
    await shot(page, 'evidence-manager-expiring');
    await page.browserContext().close();
  });
});
