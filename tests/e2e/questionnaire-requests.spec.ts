import type { Page } from 'puppeteer-core';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { QuestionnaireRequestDetail, TemplateDocumentInput } from '@bulwark/api-schema';

import { auth, login } from '../support/app';
import { uploadEvidence } from '../support/evidence';
import {
  fill,
  newSession,
  pickOption,
  reportUnavailable,
  shot as save,
  signIn,
  startStack,
  textOf,
  tid,
  type Stack,
} from './support/browser';

const unavailable = reportUnavailable();

/** A full-page screenshot from the top (the answering page's toolbar is sticky: captured scrolled, it would sit mid-page). */
async function shot(page: Page, name: string, opts: { viewport?: boolean } = {}): Promise<void> {
  if (!opts.viewport) await page.evaluate(() => window.scrollTo(0, 0));
  await save(page, name, opts);
}

/** Types at the end of a text field (a click on it would put the caret where it landed). */
async function typeAtEnd(page: Page, selector: string, text: string): Promise<void> {
  await page.$eval(selector, (el) => {
    const input = el as HTMLTextAreaElement;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  });
  await page.keyboard.type(text);
}

const yesNo = [
  { value: 'yes', label: 'Yes', points: 1 },
  { value: 'no', label: 'No', points: 0 },
];
const doc: TemplateDocumentInput = {
  name: 'Model supplier DR check',
  description: 'A short DR questionnaire for the browser test',
  sections: [
    {
      key: 'scope',
      title: 'Scope',
      questions: [
        { key: 'provider', type: 'yes_no', text: 'Do you provide AI models to us?', required: true, options: yesNo },
        {
          key: 'rollback',
          type: 'yes_no',
          text: 'Can you roll a model back to the previous version within a day?',
          required: true,
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
          text: 'What recovery time objective do you commit to?',
          required: true,
          options: [
            { value: 'lt4h', label: 'Under 4 hours', points: 2 },
            { value: 'lt24h', label: 'Under 24 hours', points: 1 },
          ],
        },
        { key: 'notes', type: 'text', multiline: true, text: 'How do you test your restores?' },
        { key: 'report', type: 'evidence', text: 'Your latest DR test report', points: 1, evidenceKinds: ['dr_test_report'] },
      ],
    },
  ],
};

/**
 * The questionnaire from both sides (issue 11): the manager sends a template from the vendor's page; the vendor's
 * contact answers part of it, closes the page while typing, comes back to find everything, meets a conflict with a
 * colleague's answer, finishes and submits (after being told what is missing); the manager flags one answer and
 * sends it back; the vendor fixes it and submits again; the manager accepts, and the score shows on the vendor page.
 */
describe.skipIf(unavailable)('questionnaire requests: answered, closed and resumed, reviewed, fixed and accepted', () => {
  let stack: Stack;
  let manager: string;
  let contactToken: string;
  let vendorId: string;
  let requestId: string;

  const answerState = (page: Page, key: string, state: string) =>
    page.waitForFunction(
      (k, s) => document.querySelector(`[data-testid="answer-state-${k}"]`)?.getAttribute('data-state') === s,
      {},
      key,
      state,
    );
  const allSaved = (page: Page) =>
    page.waitForFunction(() => document.querySelector('[data-testid="autosave-status"]')?.getAttribute('data-state') === 'saved');
  const status = (page: Page, s: string) =>
    page.waitForFunction((want) => document.querySelector('[data-testid="request-status"]')?.getAttribute('data-status') === want, {}, s);
  const detail = async () =>
    (await stack.t.http.get(`/api/questionnaire-requests/${requestId}`).set(auth(manager)).expect(200)).body as QuestionnaireRequestDetail;

  beforeAll(async () => {
    stack = await startStack();
    manager = await login(stack.t, 'manager@demo.bulwark.test');
    contactToken = await login(stack.t, 'contact@openai.demo.bulwark.test');
    const vendors = await stack.t.http.get('/api/vendors?search=OpenAI').set(auth(manager)).expect(200);
    vendorId = vendors.body.items[0].id;
    await uploadEvidence(stack.t.http, contactToken, vendorId, 'Failover drill report 2026');
    const t = await stack.t.http.post('/api/questionnaire-templates').set(auth(manager)).send(doc).expect(201);
    await stack.t.http.post(`/api/questionnaire-templates/${t.body.id}/versions/1/publish`).set(auth(manager)).send({}).expect(200);
  }, 120_000);
  afterAll(async () => stack?.close());

  it('the manager sends the questionnaire from the vendor page', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'manager@demo.bulwark.test', 'nav-vendors');
    await page.goto(`${stack.baseUrl}/vendors/${vendorId}/questionnaires`);
    await page.waitForSelector(tid('vendor-questionnaires-empty'));
    await page.locator(tid('vendor-send-questionnaire')).click();
    await page.waitForSelector(tid('send-template'), { visible: true });
    await page.locator(tid('send-template')).click();
    const option = await page.waitForFunction(() =>
      [...document.querySelectorAll('[role="option"]')].find((o) => o.textContent?.includes('Model supplier DR check')),
    );
    await (option as import('puppeteer-core').ElementHandle<Element>).click();
    await page.waitForSelector(tid('send-version'));
    await fill(page, tid('send-message'), 'Please answer before our annual supplier review.');
    await shot(page, 'questionnaires-01-manager-send', { viewport: true });
    await page.locator(tid('send-submit')).click();
    await page.waitForSelector(tid('review-title'));
    requestId = page.url().split('/').at(-1)!;
    await status(page, 'sent');
    await shot(page, 'questionnaires-02-manager-request-sent');
    await page.browserContext().close();
  });

  it('the vendor answers part, closes the page mid-answer, comes back, meets a colleague’s change, finishes and submits', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'contact@openai.demo.bulwark.test', 'vendor-home-questionnaires');
    await page.waitForSelector(`${tid('vendor-home-questionnaires')} ${tid('request-row')}`);
    await shot(page, 'questionnaires-03-vendor-home');
    await page.locator(`${tid('request-row-link')}[href="/vendor-home/questionnaire-requests/${requestId}"]`).click();
    await page.waitForSelector(tid('request-title'));
    expect(await textOf(page, tid('request-message'))).toContain('annual supplier review');
    // The model question shows only once the vendor says it provides models.
    expect(await page.$(`[data-question-key="rollback"]`)).toBeNull();
    await page.locator(tid('option-provider-yes')).click();
    await page.waitForSelector(`[data-question-key="rollback"]`);
    await page.locator(tid('option-rollback-no')).click();
    await answerState(page, 'rollback', 'saved');
    await fill(page, tid('answer-notes'), 'We restore the model registry every quarter');
    await allSaved(page);
    expect(await textOf(page, tid('request-progress'))).toContain('2 of 3 required');
    await shot(page, 'questionnaires-04-vendor-answered-part');
    // Typing on, then the page is closed before the autosave's pause is over.
    await typeAtEnd(page, tid('answer-notes'), ' and the feature store every month.');
    const context = page.browserContext();
    await page.close();

    // Back (same browser): everything is there, nothing was lost.
    const again = await context.newPage();
    await again.setViewport({ width: 1400, height: 900 });
    again.setDefaultTimeout(15_000);
    await again.goto(`${stack.baseUrl}/vendor-home/questionnaire-requests/${requestId}`);
    await again.waitForSelector(tid('request-title'));
    await again.waitForFunction(() =>
      (document.querySelector('[data-testid="answer-notes"]') as HTMLTextAreaElement | null)?.value.endsWith(
        'the feature store every month.',
      ),
    );
    await allSaved(again);
    expect(await again.$eval(`${tid('option-rollback-no')}`, (el) => (el as HTMLInputElement).checked)).toBe(true);
    await shot(again, 'questionnaires-05-vendor-back-nothing-lost');
    const stored = (await detail()).answers.find((a) => a.questionKey === 'notes')!;
    expect(stored.value).toBe('We restore the model registry every quarter and the feature store every month.');

    // A colleague changes the notes meanwhile (through the API, as the same vendor): this page's next edit conflicts.
    await stack.t.http
      .put(`/api/questionnaire-requests/${requestId}/answers/notes`)
      .set(auth(contactToken))
      .send({ value: 'Restores are tested by our SRE team.', version: stored.version })
      .expect(200);
    await typeAtEnd(again, tid('answer-notes'), ' Results go to the CISO.');
    await again.waitForSelector(tid('conflict-notes'));
    expect(await textOf(again, tid('conflict-theirs-notes'))).toContain('SRE team');
    await shot(again, 'questionnaires-06-vendor-conflict');
    await again.locator(tid('conflict-overwrite-notes')).click();
    await answerState(again, 'notes', 'saved');
    expect((await detail()).answers.find((a) => a.questionKey === 'notes')!.value).toContain('Results go to the CISO.');

    // The DR report comes from the vendor's evidence library.
    await pickOption(again, tid('answer-report'), 'Failover', 'Failover drill report 2026');
    await answerState(again, 'report', 'saved');

    // Submitting too early names what is missing.
    await again.locator(tid('request-submit')).click();
    await again.waitForSelector(tid('submit-missing'));
    await again.waitForSelector(tid('missing-rto'));
    await shot(again, 'questionnaires-07-vendor-missing');
    // By keyboard: the missing question's link, then the radio group's arrow keys.
    await again.locator(tid('missing-rto')).click();
    await again.focus(tid('option-rto-lt4h'));
    await again.keyboard.press('Space');
    await again.keyboard.press('ArrowDown');
    await again.waitForFunction(() => (document.querySelector('[data-testid="option-rto-lt24h"]') as HTMLInputElement | null)?.checked);
    await again.keyboard.press('Tab');
    await answerState(again, 'rto', 'saved');
    expect(await textOf(again, tid('request-progress'))).toContain('3 of 3 required');
    expect((await detail()).answers.find((a) => a.questionKey === 'report')!.value).toHaveLength(1);
    await again.locator(tid('request-submit')).click();
    await status(again, 'submitted');
    await again.waitForSelector(tid('request-readonly'));
    await shot(again, 'questionnaires-08-vendor-submitted');
    await context.close();
  });

  it('the manager flags one answer and sends it back; the vendor fixes it; the manager accepts with the score', async () => {
    const mgr = await newSession(stack);
    await signIn(stack, mgr, 'manager@demo.bulwark.test', 'nav-vendors');
    await mgr.locator(tid('nav-questionnaire-requests')).click();
    await mgr.waitForSelector(`${tid('request-row')}[data-request-id="${requestId}"]`);
    await shot(mgr, 'questionnaires-09-manager-list');
    await mgr.locator(`${tid('request-row-link')}[href="/questionnaire-requests/${requestId}"]`).click();
    await mgr.waitForSelector(tid('review-outcome'));
    await mgr.locator(tid('accept-provider')).click();
    await mgr.waitForFunction(() => document.querySelector('[data-question-key="provider"]')?.getAttribute('data-decision') === 'accepted');
    await mgr.locator(tid('flag-rollback')).click();
    await fill(
      mgr,
      tid('flag-comment-rollback'),
      'A day is too long for our inference outage budget: what would make a faster rollback possible?',
    );
    await mgr.locator(tid('flag-save-rollback')).click();
    await mgr.waitForFunction(() => document.querySelector('[data-question-key="rollback"]')?.getAttribute('data-decision') === 'flagged');
    await mgr.waitForFunction(() => !document.querySelector('[data-testid="flag-comment-rollback"]'));
    await shot(mgr, 'questionnaires-10-manager-flagged');
    await mgr.locator(tid('review-request-changes')).click();
    await status(mgr, 'changes_requested');

    // The vendor sees the reviewer's question next to the answer; only that answer can change.
    const vendor = await newSession(stack);
    await signIn(stack, vendor, 'contact@openai.demo.bulwark.test', 'vendor-home-questionnaires');
    await vendor.goto(`${stack.baseUrl}/vendor-home/questionnaire-requests/${requestId}`);
    await vendor.waitForSelector(tid('request-changes-requested'));
    expect(await textOf(vendor, tid('review-question-rollback'))).toContain('A day is too long');
    expect(await vendor.$(tid('option-rto-lt24h'))).toBeNull();
    await shot(vendor, 'questionnaires-11-vendor-changes-requested');
    await vendor.locator(tid('option-rollback-yes')).click();
    await answerState(vendor, 'rollback', 'saved');
    await vendor.locator(tid('request-submit')).click();
    await status(vendor, 'submitted');

    await mgr.reload();
    await mgr.waitForSelector(tid('review-accept'));
    await mgr.locator(tid('accept-rollback')).click();
    await mgr.waitForFunction(() => document.querySelector('[data-question-key="rollback"]')?.getAttribute('data-decision') === 'accepted');
    // provider 1 of 1, rollback 1 of 1, rto 1 of 2, the report 1 of 1: 80 %.
    expect(await textOf(mgr, tid('review-accept'))).toContain('80');
    expect(await textOf(mgr, tid('review-evidence-report'))).toContain('Failover drill report 2026');
    await shot(mgr, 'questionnaires-12-manager-before-accept');
    await mgr.locator(tid('review-accept')).click();
    await status(mgr, 'accepted');
    await mgr.waitForSelector(tid('review-score-table'));
    await shot(mgr, 'questionnaires-13-manager-accepted');
    await mgr.goto(`${stack.baseUrl}/vendors/${vendorId}/questionnaires`);
    await mgr.waitForSelector(tid('score-row'));
    expect(await textOf(mgr, tid('score-percent'))).toBe('80 %');
    await shot(mgr, 'questionnaires-14-vendor-page-score-history');
  });

  it('a vendor without a portal contact: the manager invites a person with the questionnaire', async () => {
    const vendors = await stack.t.http.get('/api/vendors?search=Pinecone').set(auth(manager)).expect(200);
    const pinecone = vendors.body.items[0].id as string;
    const page = await newSession(stack);
    await signIn(stack, page, 'manager@demo.bulwark.test', 'nav-vendors');
    await page.goto(`${stack.baseUrl}/vendors/${pinecone}/questionnaires`);
    await page.locator(tid('vendor-send-questionnaire')).click();
    await page.waitForSelector(tid('send-template'), { visible: true });
    await page.locator(tid('send-template')).click();
    const option = await page.waitForFunction(() =>
      [...document.querySelectorAll('[role="option"]')].find((o) => o.textContent?.includes('Model supplier DR check')),
    );
    await (option as import('puppeteer-core').ElementHandle<Element>).click();
    await page.waitForSelector(tid('send-version'));
    await page.locator(tid('send-submit')).click();
    // Nobody to send it to: the form offers to invite someone with it.
    await page.waitForSelector(tid('send-invite'));
    await fill(page, tid('send-invite-name'), 'Dana Lead');
    await fill(page, tid('send-invite-email'), 'dana.lead@pinecone.example');
    await shot(page, 'questionnaires-15-manager-invite-and-send', { viewport: true });
    await page.locator(tid('send-submit')).click();
    await page.waitForSelector(tid('review-title'));
    await status(page, 'sent');
    const [invitation] = (await stack.t.app
      .get(DataSource)
      .query(`SELECT vendor_id FROM invitations WHERE email = 'dana.lead@pinecone.example'`)) as { vendor_id: string }[];
    expect(invitation!.vendor_id).toBe(pinecone);
  });
});
