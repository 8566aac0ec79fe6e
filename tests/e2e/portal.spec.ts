import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { fill, newSession, reportUnavailable, shot, signIn, startStack, textOf, tid, type Stack } from './support/browser';

const unavailable = reportUnavailable();

/** Picks the <option> whose text starts with `label` in a native select. */
async function selectByText(page: Page, selector: string, label: string): Promise<void> {
  await page.waitForSelector(selector);
  const value = await page.$eval(
    selector,
    (el, l) => [...(el as HTMLSelectElement).options].find((o) => o.text.startsWith(l))?.value ?? '',
    label,
  );
  expect(value, `option "${label}" in ${selector}`).not.toBe('');
  await page.select(selector, value);
}

describe.skipIf(unavailable)('portal in a real browser', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.close());

  it('a manager signs in, creates a vendor, a service and a dependency, and sees it on the map as a single point of failure', async () => {
    const page = await newSession(stack);
    await page.goto(`${stack.baseUrl}/login`);
    await page.waitForSelector(tid('login-form'));
    await shot(page, '01-login');
    await signIn(stack, page, 'manager@demo.bulwark.test');
    await page.waitForSelector(tid('vendor-row'));
    expect(await textOf(page, tid('header-org'))).toContain('Demo Org');
    expect((await page.$$(tid('vendor-row'))).length).toBe(16);
    await shot(page, '02-vendor-list');

    await page.locator(tid('new-vendor-button')).click();
    await fill(page, tid('vendor-name'), 'Mistral AI');
    await fill(page, tid('vendor-legal-name'), 'Mistral AI SAS');
    await fill(page, tid('vendor-country'), 'FR');
    await page.select(tid('intake-served-criticality'), 'critical');
    await page.select(tid('intake-data-sensitivity'), 'confidential');
    await page.select(tid('intake-substitutability'), 'difficult');
    await page.locator(tid('intake-ai-model-provider')).click();
    await shot(page, '03-new-vendor-form');
    await page.locator(tid('vendor-submit')).click();
    expect(await textOf(page, tid('vendor-title'))).toBe('Mistral AI');
    expect(await page.$eval(tid('tier-badge'), (el) => el.getAttribute('data-tier'))).toBe('critical');

    await page.locator(tid('tab-services')).click();
    await fill(page, tid('service-name'), 'La Plateforme');
    await page.select(tid('service-kind'), 'ai_model_api');
    await fill(page, tid('service-regions'), 'eu-west-1');
    await page.locator(tid('service-submit')).click();
    await page.waitForFunction(
      (sel) => [...document.querySelectorAll(sel)].some((e) => e.textContent?.includes('La Plateforme')),
      {},
      tid('service-card-name'),
    );
    await shot(page, '04-vendor-services');

    await page.locator(tid('nav-systems')).click();
    await page.waitForSelector(tid('system-row'));
    await page.$$eval(tid('system-row'), (rows) =>
      (rows.find((r) => r.textContent?.includes('Internal Knowledge Search')) as HTMLElement | undefined)?.click(),
    );
    expect(await textOf(page, tid('system-title'))).toBe('Internal Knowledge Search');
    await selectByText(page, tid('dependency-service'), 'La Plateforme');
    await page.select(tid('dependency-criticality'), 'critical');
    await fill(page, tid('dependency-steps'), 'Switch the search re-ranker back to keyword search');
    await page.locator(tid('dependency-submit')).click();
    await page.waitForFunction(
      (sel) =>
        [...document.querySelectorAll(sel)].some((e) => e.textContent?.includes('La Plateforme') && e.getAttribute('data-spof') === 'true'),
      {},
      tid('dependency-row'),
    );
    await shot(page, '05-system-dependencies');

    await page.locator(tid('nav-map')).click();
    await page.waitForSelector(tid('map-canvas'));
    await page.waitForFunction(
      (sel) =>
        [...document.querySelectorAll(sel)].some((e) => e.textContent?.includes('La Plateforme') && e.getAttribute('data-spof') === 'true'),
      {},
      tid('map-node-service'),
    );
    for (const type of ['system', 'service', 'vendor', 'fourth_party'])
      expect((await page.$$(tid(`map-node-${type}`))).length).toBeGreaterThan(0);
    const spofs = await page.$$eval(tid('spof-row'), (rows) => rows.map((r) => r.textContent ?? ''));
    expect(spofs.some((s) => s.includes('Internal Knowledge Search') && s.includes('La Plateforme'))).toBe(true);
    // The first view shows every node (none clipped by the canvas), and the minimap draws them.
    const clipped = await page.$eval(tid('map-canvas'), (canvas) => {
      const box = canvas.getBoundingClientRect();
      return [...canvas.querySelectorAll('.react-flow__node')]
        .map((n) => n.getBoundingClientRect())
        .filter((r) => r.top < box.top - 1 || r.bottom > box.bottom + 1 || r.left < box.left - 1 || r.right > box.right + 1).length;
    });
    expect(clipped).toBe(0);
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__minimap-node').length > 10);
    await shot(page, '06-dependency-map');

    await page.locator(tid('nav-concentration')).click();
    await page.waitForSelector(tid('concentration-row'));
    await shot(page, '07-concentration');
    await page.browserContext().close();
  });

  it("a vendor contact sees their own vendor's home and cannot reach another vendor's page", async () => {
    const ids = (await stack.t.app
      .get((await import('typeorm')).DataSource)
      .query(
        `SELECT v.id, v.name FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name IN ('OpenAI', 'Bloomberg')`,
      )) as { id: string; name: string }[];
    const bloomberg = ids.find((v) => v.name === 'Bloomberg')!.id;
    const page = await newSession(stack);
    await signIn(stack, page, 'contact@openai.demo.bulwark.test');
    expect(await textOf(page, tid('vendor-home-title'))).toContain('OpenAI');
    expect(await page.$$eval(tid('vendor-home-service'), (els) => els.map((e) => e.textContent ?? '').join(' '))).toContain('OpenAI API');
    await shot(page, '08-vendor-home');

    await page.goto(`${stack.baseUrl}/vendors/${bloomberg}`);
    await page.waitForSelector(tid('not-found'));
    expect(await page.content()).not.toContain('Bloomberg Data License');
    await shot(page, '09-vendor-contact-other-vendor');

    await page.goto(`${stack.baseUrl}/systems`);
    await page.waitForSelector(tid('vendor-home-title'));
    expect(new URL(page.url()).pathname).toBe('/vendor-home');
    await page.browserContext().close();
  });

  it('a manager checks and imports vendors from a CSV file', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'manager@demo.bulwark.test');
    await page.waitForSelector(tid('nav-import'));
    await page.locator(tid('nav-import')).click();
    const file = join(mkdtempSync(join(tmpdir(), 'bulwark-csv-')), 'vendors.csv');
    writeFileSync(
      file,
      'name,served_criticality,data_sensitivity,ai_model_provider,substitutability\nMistral AI CSV,high,confidential,yes,moderate\nBad Row,extreme,confidential,no,easy\n',
    );
    const input = (await page.waitForSelector(tid('import-file')))!;
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
    await page.waitForFunction(
      (sel) => (document.querySelector(sel) as HTMLTextAreaElement | null)?.value.includes('Mistral AI CSV'),
      {},
      tid('import-csv'),
    );
    await page.locator(tid('import-check')).click();
    await page.waitForSelector(`${tid('import-result')}[data-ok="false"]`);
    expect(await page.$$eval(tid('import-error-row'), (rows) => rows.map((r) => r.textContent ?? '').join(' '))).toContain(
      'served_criticality',
    );
    await shot(page, '27-import-check');
    await page.browserContext().close();
  });

  it('an auditor reads and verifies the audit log', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'auditor@demo.bulwark.test');
    await page.waitForSelector(tid('nav-audit-log'));
    expect(await page.$(tid('new-vendor-button'))).toBeNull();
    await page.locator(tid('nav-audit-log')).click();
    await page.waitForSelector(tid('audit-row'));
    await page.locator(tid('audit-verify')).click();
    await page.waitForSelector(`${tid('audit-verify-result')}[data-ok="true"]`);
    await shot(page, '10-audit-log');
    // Newest first; a click on the sequence header turns the order round (GET /api/audit-log?sort=seq).
    const seqs = () => page.$$eval(tid('audit-row'), (rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));
    const newest = await seqs();
    expect(newest).toEqual([...newest].sort((a, b) => b - a));
    await page.locator(tid('sort-seq')).click();
    await page.waitForSelector(`${tid('audit-row')}[data-seq="1"]`);
    expect((await seqs()).slice(0, 3)).toEqual([1, 2, 3]);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('seq');
    await page.browserContext().close();
  });
});
