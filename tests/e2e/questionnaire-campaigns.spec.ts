import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CampaignDetail, CampaignPreview, QuestionnaireRequestDetail, TemplateSummary } from '@bulwark/api-schema';
import { QuestionnaireCampaignService } from '@bulwark/questionnaires';

import { auth, login } from '../support/app';
import {
  clickWhenReachable,
  newSession,
  pickOption,
  reportUnavailable,
  shot,
  signIn,
  startStack,
  textOf,
  tid,
  type Stack,
} from './support/browser';

const unavailable = reportUnavailable();

/**
 * A questionnaire campaign (issue 11, "done when"): the manager sends the built-in AI DR template to every critical
 * vendor as a yearly campaign, seeing the live preview of who is targeted and who is skipped and why, starts it,
 * lands on the campaign page with its cycle and requests, follows a request and back to its campaign; the vendor's
 * contact finds the request on its home page.
 */
describe.skipIf(unavailable)('questionnaire campaigns: a yearly campaign of the built-in template to every critical vendor', () => {
  let stack: Stack;
  let manager: string;
  let expected: CampaignPreview;
  let campaignId: string;

  beforeAll(async () => {
    stack = await startStack();
    manager = await login(stack.t, 'manager@demo.bulwark.test');
    // What the preview must show: asked of the API directly, to compare with the page.
    const templates = await stack.t.http.get('/api/questionnaire-templates?pageSize=100').set(auth(manager)).expect(200);
    const builtIn = (templates.body.items as TemplateSummary[]).find((x) => x.builtIn)!;
    const detail = await stack.t.http.get(`/api/questionnaire-templates/${builtIn.id}`).set(auth(manager)).expect(200);
    const version = (detail.body.versions as { id: string; status: string }[]).find((v) => v.status === 'published')!;
    expected = (
      await stack.t.http
        .post('/api/questionnaire-campaigns/preview')
        .set(auth(manager))
        .send({ templateVersionId: version.id, filter: { tiers: ['critical'] } })
        .expect(200)
    ).body as CampaignPreview;
    expect(expected.targeted).toBeGreaterThan(0);
  }, 120_000);
  afterAll(async () => stack?.close());

  it('the manager previews, sends, and opens the campaign page', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'manager@demo.bulwark.test', 'nav-questionnaire-campaigns');
    await page.locator(tid('nav-questionnaire-campaigns')).click();
    await page.waitForSelector(tid('campaign-empty'));
    await shot(page, 'campaigns-01-empty-list');
    await page.locator(tid('campaign-new-button')).click();
    await page.waitForSelector(tid('campaign-new-title'));
    await pickOption(page, tid('campaign-template'), 'AI supplier', 'AI supplier disaster recovery');
    await page.waitForSelector(tid('campaign-version'));
    // Every vendor first (nothing ticked), then only the critical ones.
    await page.waitForSelector(tid('campaign-preview-row'));
    await page.locator(tid('campaign-tier-critical')).click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="campaign-preview-row"]').length === n, {}, expected.matched);
    expect(await textOf(page, tid('campaign-preview-targeted'))).toBe(`${expected.targeted} targeted`);
    expect(await textOf(page, tid('campaign-preview-skipped'))).toBe(`${expected.skipped} skipped`);
    const rows = await page.$$eval(tid('campaign-preview-row'), (els) =>
      els.map((e) => [e.querySelector('td')?.textContent, e.getAttribute('data-skipped')]),
    );
    expect(rows).toEqual(expected.vendors.map((v) => [v.vendorName, v.skipReason ?? '']));
    await pickOption(page, tid('campaign-recurrence'), '', 'Yearly');
    await page.locator(tid('campaign-message')).click();
    await page.keyboard.type('Our yearly review of your disaster recovery.');
    await shot(page, 'campaigns-02-new-with-preview');
    expect(await textOf(page, tid('campaign-submit'))).toBe(`Send to ${expected.targeted} vendor${expected.targeted === 1 ? '' : 's'}`);
    await clickWhenReachable(page, tid('campaign-submit'));
    await page.waitForSelector(tid('campaign-title'));
    campaignId = page.url().split('/').at(-1)!;
    await page.waitForSelector(tid('campaign-request-row'));
    expect(await page.$$eval(tid('campaign-request-row'), (els) => els.length)).toBe(expected.targeted);
    expect(await textOf(page, tid('campaign-recurrence'))).toContain('Yearly');
    expect(await textOf(page, tid('campaign-filter'))).toContain('tier critical');
    expect(await page.$$eval(tid('campaign-cycle-row'), (els) => els.length)).toBe(1);
    await shot(page, 'campaigns-03-campaign-page');

    // A request of the campaign links back to it.
    await page.locator(`${tid('campaign-request-row')} a`).click();
    await page.waitForSelector(tid('review-campaign-link'));
    expect(await textOf(page, tid('review-campaign'))).toContain('cycle 1');
    await shot(page, 'campaigns-04-request-of-campaign');
    await page.locator(tid('review-campaign-link')).click();
    await page.waitForSelector(tid('campaign-title'));

    // And the list shows it with its counts and next cycle.
    await page.locator(tid('nav-questionnaire-campaigns')).click();
    await page.waitForSelector(tid('campaign-row'));
    expect(await textOf(page, tid('campaign-row-counts'))).toContain(`${expected.targeted} sent`);
    await shot(page, 'campaigns-05-list');
    await page.browserContext().close();

    const api = (await stack.t.http.get(`/api/questionnaire-campaigns/${campaignId}`).set(auth(manager)).expect(200))
      .body as CampaignDetail;
    expect(api).toMatchObject({ recurrence: 'yearly', status: 'active', message: 'Our yearly review of your disaster recovery.' });
    expect(api.requestList.map((r) => r.vendorId).sort()).toEqual(
      expected.vendors
        .filter((v) => !v.skipReason)
        .map((v) => v.vendorId)
        .sort(),
    );
  });
  it('the vendor contact finds the campaign’s request on its home page, without the campaign', async () => {
    const mine = (await stack.t.http.get(`/api/questionnaire-campaigns/${campaignId}`).set(auth(manager)).expect(200))
      .body as CampaignDetail;
    const openai = mine.requestList.find((r) => r.vendorName === 'OpenAI');
    expect(openai).toBeDefined();
    const page = await newSession(stack);
    await signIn(stack, page, 'contact@openai.demo.bulwark.test', 'vendor-home-questionnaires');
    await page.waitForSelector(`${tid('vendor-home-questionnaires')} [data-request-id="${openai!.id}"]`);
    await page.locator(`${tid('request-row-link')}[href="/vendor-home/questionnaire-requests/${openai!.id}"]`).click();
    await page.waitForSelector(tid('request-title'));
    expect(await textOf(page, tid('request-message'))).toContain('Our yearly review of your disaster recovery.');
    expect(await page.$(tid('request-prefilled'))).toBeNull();
    await shot(page, 'campaigns-06-vendor-request');
    await page.browserContext().close();
  });
  it('a year later, the next cycle reaches the vendor pre-filled with its accepted answers', async () => {
    const ds = stack.t.app.get(DataSource);
    const before = (await stack.t.http.get(`/api/questionnaire-campaigns/${campaignId}`).set(auth(manager)).expect(200))
      .body as CampaignDetail;
    const first = before.requestList.find((r) => r.vendorName === 'OpenAI')!;
    // The first cycle's answers, accepted (two yes/no questions that show, answered "yes"), as a review would leave them.
    const detail = (await stack.t.http.get(`/api/questionnaire-requests/${first.id}`).set(auth(manager)).expect(200))
      .body as QuestionnaireRequestDetail;
    const yesNo = detail.content.sections
      .flatMap((s) => s.questions)
      .filter((q) => q.type === 'yes_no' && detail.visibleKeys.includes(q.key))
      .slice(0, 2);
    expect(yesNo).toHaveLength(2);
    for (const q of yesNo)
      await ds.query(
        `INSERT INTO questionnaire_answers (organization_id, vendor_id, request_id, question_key, value, version, answered_at)
         SELECT organization_id, vendor_id, id, $2, '"yes"'::jsonb, 1, now() FROM questionnaire_requests WHERE id = $1`,
        [first.id, q.key],
      );
    await ds.query(`UPDATE questionnaire_requests SET status = 'accepted', accepted_at = now() WHERE id = $1`, [first.id]);
    // The hourly job, on the day after the next cycle's date.
    await stack.t.app
      .get(QuestionnaireCampaignService)
      .runDue(DateTime.fromISO(before.nextCycleOn!, { zone: 'utc' }).plus({ hours: 12 }).toJSDate());
    const after = (await stack.t.http.get(`/api/questionnaire-campaigns/${campaignId}`).set(auth(manager)).expect(200))
      .body as CampaignDetail;
    const next = after.requestList.find((r) => r.vendorName === 'OpenAI' && r.cycle === 2)!;
    expect(next.prefilled).toBe(true);

    const page = await newSession(stack);
    await signIn(stack, page, 'contact@openai.demo.bulwark.test', 'vendor-home-questionnaires');
    await page.goto(`${stack.baseUrl}/vendor-home/questionnaire-requests/${next.id}`);
    await page.waitForSelector(tid('request-prefilled'));
    expect(await textOf(page, tid('request-prefilled'))).toContain('2 answers are pre-filled from the accepted answers of');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'campaigns-07-vendor-prefilled', { viewport: true });
    await page.browserContext().close();
  });
});
