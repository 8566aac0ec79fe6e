import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FindingDetail } from '@bulwark/api-schema';

import { auth, login } from '../support/app';
import { uploadEvidence } from '../support/evidence';
import { fill, newSession, pickOption, reportUnavailable, shot, signIn, startStack, textOf, tid, type Stack } from './support/browser';

const unavailable = reportUnavailable();

/**
 * A finding worked end to end in the portal: the vendor's contact finds it on the vendor home, proposes a plan,
 * starts remediation, chooses its certificate and drill report from its evidence library, and marks it ready; the vendor manager finds it in the list, is refused
 * closing without a verification note, and closes it.
 */
describe.skipIf(unavailable)('findings: the vendor remediates, the manager verifies and closes', () => {
  let stack: Stack;
  let finding: FindingDetail;
  let manager: string;
  /** The vendor's drill report, uploaded to the evidence vault by its contact. */
  let evidenceId: string;

  const status = (page: import('puppeteer-core').Page, s: string) =>
    page.waitForFunction((want) => document.querySelector('[data-testid="finding-status"]')?.getAttribute('data-status') === want, {}, s);

  beforeAll(async () => {
    stack = await startStack();
    manager = await login(stack.t, 'manager@demo.bulwark.test');
    const vendors = await stack.t.http.get('/api/vendors?search=OpenAI').set(auth(manager)).expect(200);
    const contact = await login(stack.t, 'contact@openai.demo.bulwark.test');
    evidenceId = await uploadEvidence(stack.t.http, contact, vendors.body.items[0].id, 'Restore drill report');
    await uploadEvidence(
      stack.t.http,
      contact,
      vendors.body.items[0].id,
      'ISO 22301 certificate 2026',
      'iso22301_certificate',
      DateTime.utc().plus({ days: 300 }).toISODate()!,
    );
    finding = (
      await stack.t.http
        .post('/api/findings')
        .set(auth(manager))
        .send({
          vendorId: vendors.body.items[0].id,
          title: 'Restore drills never run',
          details: 'The 2026 audit found no evidence that backups of the fine-tuning data were ever restored.',
          severity: 'high',
        })
        .expect(201)
    ).body;
  }, 120_000);
  afterAll(async () => stack?.close());

  it('the vendor contact proposes a plan, starts remediation, links its certificate and drill report from the library and marks the finding ready', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'contact@openai.demo.bulwark.test', 'vendor-home-findings');
    await page.waitForSelector(`${tid('vendor-home-findings')} ${tid('finding-row')}`);
    await shot(page, 'findings-01-vendor-home');
    await page.locator(tid('vendor-home-findings-all')).click();
    await page.waitForSelector(tid('findings-title'));
    await page.waitForSelector(tid('finding-row'));
    await shot(page, 'findings-02-vendor-list');
    // The demo has findings of OpenAI's too: open this one.
    await page.locator(`${tid('finding-row-link')}[href="/vendor-home/findings/${finding.id}"]`).click();
    await page.waitForSelector(tid('finding-step-plan_proposed'));
    expect(await textOf(page, tid('finding-title'))).toBe('Restore drills never run');
    await status(page, 'open');

    // An empty plan is refused on the form, naming each missing part.
    await page.locator(tid('finding-step-plan_proposed-submit')).click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="finding-step-plan_proposed"]')?.textContent?.includes('State the root cause'),
    );
    await fill(page, tid('finding-step-plan_proposed-root-cause'), 'Restores were never scheduled: no owner for the drill.');
    await fill(
      page,
      tid('finding-step-plan_proposed-corrective-action'),
      'Monthly restore drills of the fine-tuning store, reported to the customer.',
    );
    const target = DateTime.utc().plus({ days: 30 });
    // A native date input takes the date typed in the browser's locale order (en-US: month, day, year).
    await page.type(tid('finding-step-plan_proposed-target-date'), target.toFormat('MMddyyyy'));
    await shot(page, 'findings-03-vendor-plan-form');
    await page.locator(tid('finding-step-plan_proposed-submit')).click();
    await status(page, 'plan_proposed');
    await page.waitForSelector(tid('finding-waiting'));
    expect(await textOf(page, tid('finding-root-cause'))).toContain('no owner for the drill');

    // The manager accepts the plan (through the API: the internal review is the next test's subject).
    await stack.t.http.post(`/api/findings/${finding.id}/transitions`).set(auth(manager)).send({ to: 'plan_accepted' }).expect(200);
    await page.reload();
    await page.waitForSelector(tid('finding-step-in_remediation'));
    await page.locator(tid('finding-step-in_remediation-submit')).click();
    await status(page, 'in_remediation');
    await page.waitForSelector(tid('finding-step-ready_for_verification'));
    // The drill report is already in the library: found by a word of its title and chosen.
    const picker = tid('finding-step-ready_for_verification-evidence');
    await pickOption(page, picker, 'drill', 'Restore drill report');
    // The certificate the contact uploaded to the library (through the API here; the library's own upload is
    // evidence.spec's subject) is chosen with it.
    await pickOption(page, picker, '22301', 'ISO 22301 certificate 2026');
    await shot(page, 'findings-04-vendor-evidence-chosen');
    const chosen = await page.$$eval(`${tid('finding-step-ready_for_verification')} .mantine-Pill-label`, (els) =>
      els.map((e) => e.textContent),
    );
    expect(chosen).toEqual([expect.stringContaining('Restore drill report'), expect.stringContaining('ISO 22301 certificate 2026')]);
    await fill(
      page,
      tid('finding-step-ready_for_verification-note'),
      'Drill report of the first monthly restore and our certificate attached.',
    );
    await shot(page, 'findings-05-vendor-ready-form');
    await page.locator(tid('finding-step-ready_for_verification-submit')).click();
    await status(page, 'ready_for_verification');
    await page.waitForSelector(tid('finding-evidence'));
    // The evidence is named by its title in the vault, with a download of its current revision.
    await page.waitForSelector(`${tid('evidence-ref')}[data-evidence-id="${evidenceId}"] ${tid('evidence-ref-download')}`);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="finding-evidence"]')?.textContent?.includes('ISO 22301 certificate 2026'),
    );
    expect(await textOf(page, tid('finding-evidence'))).toContain('Restore drill report');
    await shot(page, 'findings-06-vendor-ready');
    // Both show in the vendor's library as linked to the finding (upload once, link many).
    const linked = await stack.t.http
      .get(`/api/evidence?targetType=finding&targetId=${finding.id}`)
      .set(auth(await login(stack.t, 'contact@openai.demo.bulwark.test')))
      .expect(200);
    expect(linked.body.items.map((e: { title: string }) => e.title).sort()).toEqual(['ISO 22301 certificate 2026', 'Restore drill report']);
    const events = await page.$$eval(tid('finding-event'), (els) => els.map((e) => e.getAttribute('data-kind')));
    expect(events).toEqual(['raised', 'transition', 'transition', 'transition', 'transition']);
  });

  it('the vendor manager finds it in the list, needs a verification note, and closes it', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'manager@demo.bulwark.test', 'vendor-row');
    await page.locator(tid('nav-findings')).click();
    await page.waitForSelector(tid('finding-row'));
    await page.select(tid('finding-filter-status'), 'ready_for_verification');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('status') === 'ready_for_verification');
    // Only findings ready for verification are listed (the demo has one of its own), this one among them.
    await page.waitForFunction(
      (href) => {
        const rows = [...document.querySelectorAll('[data-testid="finding-row"]')];
        return (
          rows.length > 0 &&
          rows.every((r) => r.getAttribute('data-status') === 'ready_for_verification') &&
          !!document.querySelector(`[data-testid="finding-row-link"][href="${href}"]`)
        );
      },
      {},
      `/findings/${finding.id}`,
    );
    await shot(page, 'findings-07-manager-list');
    await page.locator(`${tid('finding-row-link')}[href="/findings/${finding.id}"]`).click();
    await page.waitForSelector(tid('finding-step-closed'));
    await status(page, 'ready_for_verification');
    // The vendor's steps are not offered to the manager; the risk section is.
    expect(await page.$(tid('finding-step-plan_proposed'))).toBeNull();
    await page.waitForSelector(tid('finding-risk-form'));

    await page.locator(tid('finding-step-closed-submit')).click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="finding-step-closed"]')?.textContent?.includes('A verification note is required'),
    );
    await fill(page, tid('finding-step-closed-note'), 'Checked the drill report: restore of 1.2 TB completed in 3 h, within the RTO.');
    await shot(page, 'findings-08-manager-close-form');
    await page.locator(tid('finding-step-closed-submit')).click();
    await status(page, 'closed');
    await page.waitForFunction(() => !document.querySelector('[data-testid="finding-step-closed"]'));
    await shot(page, 'findings-09-manager-closed');
    const stored = (await stack.t.http.get(`/api/findings/${finding.id}`).set(auth(manager)).expect(200)).body as FindingDetail;
    expect(stored.status).toBe('closed');
    expect(stored.evidenceIds).toHaveLength(2);
    expect(stored.evidenceIds).toContain(evidenceId);
    expect(stored.events.at(-1)).toMatchObject({ toStatus: 'closed', actorSide: 'internal' });
  });
});
