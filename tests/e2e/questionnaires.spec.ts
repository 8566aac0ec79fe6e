import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { newSession, reportUnavailable, shot, signIn, startStack, textOf, tid, type Stack } from './support/browser';

const unavailable = reportUnavailable();

const WEBAPP = join(__dirname, '..', '..', 'libs', 'domain', 'questionnaires', 'fixtures', 'vsaq', 'webapp.json');

async function chooseFile(page: Page, path: string): Promise<void> {
  const input = await page.waitForSelector(tid('template-import-file'));
  await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(path);
}

const questionShown = (page: Page, key: string) => page.$(`${tid('preview-question')}[data-question-key="${key}"]`);

/**
 * The questionnaire templates in the portal: a vendor manager finds the built-in template, imports Google's real
 * VSAQ web application questionnaire, sees it listed, opens it, previews it as the vendor and answers a question
 * that turns a conditional section on; a file VSAQ cannot be mapped from is refused with its item ids.
 */
describe.skipIf(unavailable)('questionnaire templates: import a VSAQ questionnaire, list, open, preview', () => {
  let stack: Stack;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    page = await newSession(stack);
  }, 120_000);
  afterAll(async () => stack?.close());

  it('lists the built-in template and imports webapp.json', async () => {
    await signIn(stack, page, 'manager@demo.bulwark.test', 'nav-questionnaires');
    await page.locator(tid('nav-questionnaires')).click();
    await page.waitForSelector(tid('template-row'));
    expect(await textOf(page, tid('template-table'))).toContain('AI supplier disaster recovery');
    await shot(page, 'questionnaires-01-list');
    // The built-in template: questions with their points, conditions in words and control mappings.
    await page.locator(`${tid('template-row-link')}::-p-text(AI supplier disaster recovery)`).click();
    await page.waitForSelector(`${tid('template-question')}[data-question-key="model.rollback_minutes"] ${tid('question-condition')}`);
    expect(await textOf(page, `${tid('template-section')}[data-section-key="model"] ${tid('section-condition')}`)).toContain('is “Yes”');
    await page.locator(`${tid('template-question')}[data-question-key="backup.replication"]`).scroll();
    await shot(page, 'questionnaires-01b-builtin-structure', { viewport: true });
    await page.locator(tid('nav-questionnaires')).click();
    await page.waitForSelector(tid('template-import-button'));

    await page.locator(tid('template-import-button')).click();
    await chooseFile(page, WEBAPP);
    await page.select(tid('template-import-format'), 'vsaq');
    await shot(page, 'questionnaires-02-import', { viewport: true });
    await page.locator(tid('template-import-submit')).click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="template-title"]')?.textContent === 'Web Application Security Questionnaire',
    );
    expect(await page.$eval(tid('template-status'), (el) => el.getAttribute('data-status'))).toBe('draft');
    expect(await textOf(page, tid('template-version'))).toContain('110 questions in 28 sections');
    // Conditions read in words on the questions page.
    await page.waitForSelector(`${tid('template-section')}[data-section-key="application_ssl_configuration"] ${tid('section-condition')}`);
    expect(
      await textOf(page, `${tid('template-section')}[data-section-key="application_ssl_configuration"] ${tid('section-condition')}`),
    ).toMatch(/shown when “Select the option that best describes your web application:” is “The web application is flexible/);
    await shot(page, 'questionnaires-03-imported-structure');
  });

  it('shows the imported template in the list; opening it and previewing as the vendor turns conditions on live', async () => {
    await page.locator(tid('nav-questionnaires')).click();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="template-row-link"]')].some(
        (a) => a.textContent === 'Web Application Security Questionnaire',
      ),
    );
    const row = await page.$$eval(tid('template-row'), (rows) =>
      rows
        .filter((r) => r.textContent?.includes('Web Application Security Questionnaire'))
        .map((r) => ({
          questions: r.querySelector('[data-testid="template-row-questions"]')?.textContent,
          status: r.querySelector('[data-testid="template-row-status"]')?.getAttribute('data-status'),
        })),
    );
    expect(row).toEqual([{ questions: '110', status: 'draft' }]);
    await shot(page, 'questionnaires-04-list-with-import');

    await page.locator(`${tid('template-row-link')}::-p-text(Web Application Security Questionnaire)`).click();
    await page.waitForSelector(tid('template-structure'));
    await page.locator(`${tid('template-view')} ::-p-text(Preview as the vendor)`).click();
    await page.waitForSelector(tid('template-preview'));
    // The TLS questions are asked only of an application reachable over HTTPS.
    expect(await questionShown(page, 'application_ssl_configuration_ciphers')).toBeNull();
    const before = Number(await page.$eval(tid('preview-progress'), (el) => el.getAttribute('data-visible')));
    await page.locator(tid('preview-option-application_ssl-application_ssl_exclusively')).click();
    await page.waitForSelector(`${tid('preview-question')}[data-question-key="application_ssl_configuration_ciphers"]`);
    const after = Number(await page.$eval(tid('preview-progress'), (el) => el.getAttribute('data-visible')));
    expect(after).toBeGreaterThan(before);
    await page.locator(`${tid('preview-question')}[data-question-key="application_ssl_configuration_ciphers"]`).scroll();
    await shot(page, 'questionnaires-05-preview-condition-on', { viewport: true });
    // "HTTP only" hides them again and asks for the clarification the warning wants.
    await page.locator(tid('preview-option-application_ssl-application_ssl_none')).click();
    await page.waitForFunction(
      () => !document.querySelector('[data-question-key="application_ssl_configuration_ciphers"][data-testid="preview-question"]'),
    );
    await page.waitForSelector(`${tid('preview-question')}[data-question-key="warn_application_not_ssl"] ${tid('preview-warning')}`);
    await page.locator(`${tid('preview-question')}[data-question-key="warn_application_not_ssl"]`).scroll();
    await shot(page, 'questionnaires-06-preview-warning', { viewport: true });
  });

  it('publishes the imported draft', async () => {
    await page.locator(tid('template-publish')).click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="template-status"]')?.getAttribute('data-status') === 'published',
    );
    expect(await page.$eval(tid('template-version'), (el) => el.getAttribute('data-version-status'))).toBe('published');
    await shot(page, 'questionnaires-07-published');
  });

  it('refuses a file it cannot map, naming the items', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-vsaq-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(
      broken,
      `// A questionnaire with what VSAQ allows and Bulwark does not map
      {"questionnaire": [{"type": "block", "text": "Broken", "items": [
        {"type": "slider", "id": "speed", "text": "How fast?"},
        {"type": "line", "id": "city", "text": "City", "cond": "matches(speed/value, " + '"fast")'}
      ]}]}`,
    );
    await page.locator(tid('nav-questionnaires')).click();
    await page.locator(tid('template-import-button')).click();
    await chooseFile(page, broken);
    await page.locator(tid('template-import-submit')).click();
    await page.waitForSelector(tid('template-import-error'));
    const items = await page.$$eval(tid('template-import-problem'), (els) => els.map((e) => e.getAttribute('data-item')));
    expect(items).toEqual(['speed', 'city']);
    expect(await textOf(page, tid('template-import-error'))).toContain('the item type "slider" is not supported');
    await shot(page, 'questionnaires-08-import-refused', { viewport: true });
  });
});
