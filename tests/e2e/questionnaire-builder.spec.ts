import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { fill, newSession, reportUnavailable, shot, signIn, startStack, textOf, tid, type Stack } from './support/browser';

const unavailable = reportUnavailable();

const question = (key: string) => `${tid('builder-question')}[data-question-key="${key}"]`;
const inQuestion = (key: string, testId: string) => `${question(key)} ${tid(testId)}`;

/** The keys of the builder's questions, in order, by section. */
async function questionOrder(page: Page): Promise<string[][]> {
  return page.$$eval(tid('builder-section'), (sections) =>
    sections.map((s) => [...s.querySelectorAll('[data-testid="builder-question"]')].map((q) => q.getAttribute('data-question-key') ?? '')),
  );
}

/** Adds a question at the end of a section: its text (the key follows it: `autoKey`), then its key typed by hand, then its type. */
async function addQuestion(page: Page, section: number, text: string, autoKey: string, key: string, type: string): Promise<void> {
  const before = (await questionOrder(page))[section]!.length;
  const sections = await page.$$(tid('builder-section'));
  await (await sections[section]!.$(tid('builder-add-question')))!.click();
  await page.waitForFunction(
    (i, n) =>
      document.querySelectorAll('[data-testid="builder-section"]')[i]!.querySelectorAll('[data-testid="builder-question"]').length ===
      n + 1,
    {},
    section,
    before,
  );
  // The new question's text has the focus: the text is pasted into it (one input event), and the key follows it.
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'builder-question-text');
  await page.evaluate((v) => {
    const el = document.activeElement as HTMLTextAreaElement;
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(el, v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  const qs = await (await page.$$(tid('builder-section')))[section]!.$$(tid('builder-question'));
  const q = qs[qs.length - 1] as ElementHandle<Element>;
  const keyInput = (await q.$(`input${tid('builder-question-key')}`))!;
  await page.waitForFunction((el, want) => (el as HTMLInputElement).value === want, {}, keyInput, autoKey);
  await keyInput.click({ count: 3 });
  await page.keyboard.press('Backspace');
  await keyInput.type(key);
  await page.waitForSelector(question(key));
  if (type !== 'yes_no') await (await page.$(`${question(key)} select${tid('builder-question-type')}`))!.select(type);
}

/**
 * The template builder: a vendor manager creates a template, builds two sections with four questions of
 * different types (a yes/no, a number shown only when the yes/no is yes, a single choice with an n/a option and
 * an Annex A mapping, an evidence question), reorders with the keyboard, previews as the vendor, is refused
 * publishing while a condition names a removed question (the path shown), fixes it and publishes; the
 * published version is read-only.
 */
describe.skipIf(unavailable)('questionnaire template builder', () => {
  let stack: Stack;
  let page: Page;
  let templateUrl = '';

  beforeAll(async () => {
    stack = await startStack();
    page = await newSession(stack);
  }, 120_000);
  afterAll(async () => stack?.close());

  it('creates a template and opens its draft in the builder', async () => {
    await signIn(stack, page, 'manager@demo.bulwark.test', 'nav-questionnaires');
    await page.locator(tid('nav-questionnaires')).click();
    await page.locator(tid('template-new-button')).click();
    // The name is required: the form says so next to the field.
    await page.waitForSelector(tid('template-new-form'));
    await page.locator(tid('template-new-submit')).click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="template-new-form"]')?.textContent?.includes('A template needs a name.'),
    );
    await fill(page, tid('template-new-name'), 'Cloud hosting resilience');
    await fill(page, tid('template-new-description'), 'Asked of hosting providers every year.');
    await shot(page, 'questionnaire-builder-01-new', { viewport: true });
    await page.locator(tid('template-new-submit')).click();
    await page.waitForSelector(tid('template-builder'));
    expect(page.url()).toMatch(/\/questionnaires\/[0-9a-f-]{36}\/edit$/);
    templateUrl = page.url().replace(/\/edit$/, '');
    expect(await textOf(page, tid('builder-empty'))).toContain('No sections yet');
    expect(await page.$eval(tid('builder-name'), (el) => (el as HTMLInputElement).value)).toBe('Cloud hosting resilience');
  });

  it('adds two sections and four questions of different types, a condition and a mapping', async () => {
    await page.locator(tid('builder-add-section')).click();
    await page.waitForSelector(tid('builder-section'));
    await fill(page, `${tid('builder-section')}:nth-of-type(1) ${tid('builder-section-title')}`, 'Recovery');
    await page.locator(tid('builder-add-section')).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="builder-section"]').length === 2);
    const secondTitle = (await page.$$(tid('builder-section-title')))[1]!;
    await secondTitle.click({ count: 3 });
    await page.keyboard.press('Backspace');
    await secondTitle.type('Evidence and testing');
    // The section keys followed the titles.
    expect(await page.$$eval(tid('builder-section'), (els) => els.map((e) => e.getAttribute('data-section-key')))).toEqual([
      'recovery',
      'evidence_and_testing',
    ]);

    await addQuestion(
      page,
      0,
      'Do you replicate customer data to a second region?',
      'do_you_replicate_customer_data_to_a',
      'replication',
      'yes_no',
    );
    await page.locator(inQuestion('replication', 'builder-question-required')).click();
    await addQuestion(page, 0, 'What is your recovery time objective?', 'what_is_your_recovery_time_objective', 'rto', 'number');
    await fill(page, inQuestion('rto', 'builder-question-unit'), 'hours');
    await addQuestion(page, 1, 'How often do you test a restore?', 'how_often_do_you_test_a_restore', 'restore_tests', 'single_choice');
    await addQuestion(page, 1, 'Upload your latest DR test report', 'upload_your_latest_dr_test_report', 'dr_report', 'evidence');
    expect(await questionOrder(page)).toEqual([
      ['replication', 'rto'],
      ['restore_tests', 'dr_report'],
    ]);

    // A key used twice is named next to the field.
    const drKey = (await page.$(`${question('dr_report')} input${tid('builder-question-key')}`))!;
    await drKey.click({ count: 3 });
    await page.keyboard.press('Backspace');
    await drKey.type('rto');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="builder-question"][data-question-key="rto"]')].some((q) =>
        q.textContent?.includes('the key "rto" is already used'),
      ),
    );
    await drKey.click({ count: 3 });
    await page.keyboard.press('Backspace');
    await drKey.type('dr_report');
    await page.waitForSelector(question('dr_report'));

    // Options with points and the n/a option.
    await fill(page, inQuestion('restore_tests', 'builder-question-option-label-0'), 'Every month');
    await fill(page, inQuestion('restore_tests', 'builder-question-option-value-0'), 'monthly');
    await fill(page, inQuestion('restore_tests', 'builder-question-option-points-0'), '3');
    await fill(page, inQuestion('restore_tests', 'builder-question-option-label-1'), 'Every year');
    await fill(page, inQuestion('restore_tests', 'builder-question-option-value-1'), 'yearly');
    await fill(page, inQuestion('restore_tests', 'builder-question-option-points-1'), '1');
    await page.locator(inQuestion('restore_tests', 'builder-question-option-add-na')).click();
    await page.waitForSelector(`${inQuestion('restore_tests', 'builder-question-option')}[data-value="na"]`);

    // A mapping to an ISO/IEC 42001 Annex A control: the id is suggested and named.
    await page.locator(inQuestion('restore_tests', 'builder-question-control-add')).click();
    await fill(page, inQuestion('restore_tests', 'builder-question-control-id-0'), 'A.10.3');
    expect(await textOf(page, inQuestion('restore_tests', 'builder-question-control-title-0'))).toBe('Suppliers');

    // The RTO is asked only when data is replicated: "replication is yes".
    await page.locator(inQuestion('rto', 'builder-question-condition-add')).click();
    await page.waitForSelector(inQuestion('rto', 'builder-question-condition-key-0'));
    await (await page.$(`${question('rto')} select${tid('builder-question-condition-key-0')}`))!.select('replication');
    await (await page.$(`${question('rto')} select${tid('builder-question-condition-value-0')}`))!.select('yes');
    expect(await textOf(page, inQuestion('rto', 'builder-question-condition-words'))).toBe(
      'Shown when “Do you replicate customer data to a second region?” is “Yes”',
    );
    expect(await page.$eval(tid('template-builder'), (el) => el.getAttribute('data-dirty'))).toBe('true');
    await page.locator(inQuestion('rto', 'builder-question-condition')).scroll();
    await shot(page, 'questionnaire-builder-02-condition', { viewport: true });
    await shot(page, 'questionnaire-builder-03-built');
  });

  it('reorders with the keyboard and saves the whole draft', async () => {
    // The evidence question moves up twice with Enter on its "move up" button: within its section, then into
    // the first section (the focus stays on the button it moved with).
    await page.$eval(inQuestion('dr_report', 'builder-question-up'), (el) => (el as HTMLElement).focus());
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () =>
        document
          .querySelectorAll('[data-testid="builder-section"]')[1]!
          .querySelector('[data-testid="builder-question"]')
          ?.getAttribute('data-question-key') === 'dr_report',
    );
    await page.waitForFunction(
      () => document.activeElement?.closest('[data-testid="builder-question"]')?.getAttribute('data-question-key') === 'dr_report',
    );
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid="builder-section"]')[0]!.querySelectorAll('[data-testid="builder-question"]').length === 3,
    );
    expect(await questionOrder(page)).toEqual([['replication', 'rto', 'dr_report'], ['restore_tests']]);
    // And back down to the second section, with Space this time.
    await page.waitForFunction(
      () => document.activeElement?.closest('[data-testid="builder-question"]')?.getAttribute('data-question-key') === 'dr_report',
    );
    await page.$eval(inQuestion('dr_report', 'builder-question-down'), (el) => (el as HTMLElement).focus());
    await page.keyboard.press('Space');
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid="builder-section"]')[1]!.querySelectorAll('[data-testid="builder-question"]').length === 2,
    );
    expect(await questionOrder(page)).toEqual([
      ['replication', 'rto'],
      ['dr_report', 'restore_tests'],
    ]);

    await page.locator(tid('builder-save')).click();
    await page.waitForSelector(tid('builder-saved'));
    expect(await page.$eval(tid('template-builder'), (el) => el.getAttribute('data-revision'))).toBe('2');
    // What was saved is what the template page shows.
    await page.goto(templateUrl);
    await page.waitForSelector(tid('template-structure'));
    expect(await textOf(page, tid('template-version'))).toContain('4 questions in 2 sections');
    expect(await textOf(page, `${tid('template-question')}[data-question-key="rto"] ${tid('question-condition')}`)).toContain('is “Yes”');
    expect(await textOf(page, `${tid('template-question')}[data-question-key="restore_tests"] ${tid('question-controls')}`)).toContain(
      'A.10.3',
    );
    await page.locator(tid('template-edit-draft')).click();
    await page.waitForSelector(tid('template-builder'));
  });

  it('previews as the vendor: the conditional question shows when its condition holds', async () => {
    await page.locator(`${tid('builder-view')} ::-p-text(Preview as the vendor)`).click();
    await page.waitForSelector(tid('template-preview'));
    expect(await page.$(`${tid('preview-question')}[data-question-key="rto"]`)).toBeNull();
    await page.locator(tid('preview-option-replication-yes')).click();
    await page.waitForSelector(`${tid('preview-question')}[data-question-key="rto"]`);
    await shot(page, 'questionnaire-builder-04-preview', { viewport: true });
    await page.locator(tid('preview-option-replication-no')).click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="preview-question"][data-question-key="rto"]'));
    await page.locator(`${tid('builder-view')} ::-p-text(Edit)`).click();
    await page.waitForSelector(tid('builder-add-section'));
  });

  it('asks before leaving with unsaved changes', async () => {
    await fill(page, tid('builder-description'), 'Asked of hosting providers every year, before renewal.');
    await page.waitForSelector(tid('builder-dirty'));
    await page.locator(tid('nav-questionnaires')).click();
    await page.waitForSelector(tid('builder-leave-stay'));
    await page.locator(tid('builder-leave-stay')).click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="builder-leave-stay"]'));
    expect(page.url()).toMatch(/\/edit$/);
  });

  it('is refused publishing while a condition names a removed question, with the path; fixed, it publishes', async () => {
    await page.locator(inQuestion('rto', 'builder-question-toggle')).click();
    await page.waitForSelector(inQuestion('rto', 'builder-question-condition-key-0'));
    await page.locator(inQuestion('replication', 'builder-question-remove')).click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="builder-question"][data-question-key="replication"]'));
    // The builder already says so next to the condition...
    expect(await textOf(page, inQuestion('rto', 'builder-question-condition-error'))).toContain('refers to "replication"');
    // ...and the server refuses publishing, naming the path.
    await page.locator(tid('builder-publish')).click();
    await page.waitForSelector(tid('builder-publish-confirm'));
    expect(await textOf(page, '.mantine-Modal-content')).toContain('freezes');
    await page.waitForFunction(() => {
      const c = document.querySelector('.mantine-Modal-content');
      return !!c && getComputedStyle(c).opacity === '1';
    });
    await shot(page, 'questionnaire-builder-05-confirm', { viewport: true });
    await page.locator(tid('builder-publish-confirm')).click();
    await page.waitForSelector(tid('builder-refusal-problem'));
    expect(await textOf(page, tid('builder-refusal'))).toContain('Not published');
    expect(await page.$$eval(tid('builder-refusal-problem'), (els) => els.map((e) => e.getAttribute('data-path')))).toEqual([
      'sections[0].questions[0].showWhen.key',
    ]);
    await page.locator(tid('builder-toolbar')).scroll();
    await shot(page, 'questionnaire-builder-06-refused', { viewport: true });

    // Fixed: the RTO is asked when restores are tested every month.
    await (await page.$(`${question('rto')} select${tid('builder-question-condition-key-0')}`))!.select('restore_tests');
    await (await page.$(`${question('rto')} select${tid('builder-question-condition-value-0')}`))!.select('monthly');
    await page.waitForFunction(() => !document.querySelector('[data-testid="builder-problem-count"]'));
    await page.locator(tid('builder-publish')).click();
    await page.locator(tid('builder-publish-confirm')).click();
    // Published, the builder hands over to the template page.
    await page.waitForFunction(
      () => !location.pathname.endsWith('/edit') && !!document.querySelector('[data-testid="template-structure"]'),
    );
    expect(page.url()).toBe(templateUrl);
    expect(await page.$eval(tid('template-status'), (el) => el.getAttribute('data-status'))).toBe('published');
    expect(await page.$eval(tid('template-version'), (el) => el.getAttribute('data-version-status'))).toBe('published');
    expect(await textOf(page, `${tid('template-question')}[data-question-key="rto"] ${tid('question-condition')}`)).toContain(
      '“How often do you test a restore?” is “Every month”',
    );
    await shot(page, 'questionnaire-builder-07-published');
  });

  it('keeps the published version read-only, and opens a new draft from it', async () => {
    await page.goto(`${templateUrl}/edit`);
    await page.waitForSelector(tid('builder-read-only'));
    expect(await page.$(tid('template-builder'))).toBeNull();
    await page.locator(tid('builder-new-draft')).click();
    await page.waitForSelector(tid('template-builder'));
    expect(await page.$eval(tid('builder-title'), (el) => el.textContent)).toBe('Edit draft version 2');
    expect(await questionOrder(page)).toEqual([['rto'], ['dr_report', 'restore_tests']]);
    // A laptop screen: the toolbar, a section and its questions fit without a horizontal scroll bar.
    await page.setViewport({ width: 1366, height: 768 });
    await page.locator(inQuestion('rto', 'builder-question-toggle')).click();
    await page.waitForSelector(inQuestion('rto', 'builder-question-editor'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot(page, 'questionnaire-builder-08-laptop', { viewport: true });
  });

  it('does not overwrite a draft someone else saved meanwhile: the 409 is shown, and the saved draft can be loaded', async () => {
    await fill(page, tid('builder-description'), 'Changed in this tab.');
    await page.waitForSelector(tid('builder-dirty'));
    // Another tab of the same manager saves the draft first.
    const id = templateUrl.split('/').pop()!;
    const status = await page.evaluate(async (templateId) => {
      const t = (await (await fetch(`/api/questionnaire-templates/${templateId}`)).json()) as {
        current: { version: number; revision: number; content: { name: string } };
      };
      const res = await fetch(`/api/questionnaire-templates/${templateId}/versions/${t.current.version}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ revision: t.current.revision, content: { ...t.current.content, name: 'Cloud hosting resilience 2027' } }),
      });
      return res.status;
    }, id);
    expect(status).toBe(200);
    await page.locator(tid('builder-save')).click();
    await page.waitForSelector(tid('builder-reload'));
    await page.locator(tid('builder-refusal')).scroll();
    await shot(page, 'questionnaire-builder-09-stale', { viewport: true });
    expect(await textOf(page, tid('builder-refusal'))).toContain('someone else');
    // Nothing was lost silently: the local change is still there until the user chooses to load the saved draft.
    expect(await page.$eval(tid('builder-description'), (el) => (el as HTMLTextAreaElement).value)).toBe('Changed in this tab.');
    await page.locator(tid('builder-reload')).click();
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="builder-name"]') as HTMLInputElement | null)?.value === 'Cloud hosting resilience 2027',
    );
    expect(await page.$(tid('builder-saved'))).not.toBeNull();
  });
});
