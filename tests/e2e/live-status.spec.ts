import type { Page } from 'puppeteer-core';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { newSession, reportUnavailable, shot, signIn, startStack, textOf, tid, type Stack } from './support/browser';

const browserMissing = reportUnavailable();

/**
 * What the portal says must be true: a vendor nothing watches is "Not monitored" wherever its status
 * appears (the vendor list, its service cards, its Signals tab, its contact's home, Live status), never
 * a green "Operational". Asserted on Bloomberg, which no enabled source watches in the demo (its only
 * source, the GLEIF entity status, is disabled like every demo source), so it holds whatever else the
 * demo's sources are.
 */
describe.skipIf(browserMissing)('status when nothing is watched', () => {
  let stack: Stack;
  let bloomberg: string;

  beforeAll(async () => {
    stack = await startStack();
    const ds = stack.t.app.get(DataSource);
    [{ id: bloomberg }] = await ds.query(
      `SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name = 'Bloomberg'`,
    );
    expect(await ds.query(`SELECT id FROM signal_sources WHERE vendor_id = $1 AND enabled`, [bloomberg])).toEqual([]);
  }, 120_000);

  afterAll(async () => stack?.close());

  /** Each element's monitoring state and text. */
  const statuses = (page: Page, selector: string) =>
    page.$$eval(selector, (els) => els.map((e) => ({ monitoring: e.getAttribute('data-monitoring'), text: e.textContent ?? '' })));

  it('shows "Not monitored", not "Operational", on the vendor list, the service cards, the Signals tab and Live status', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'manager@demo.bulwark.test', 'vendor-row');

    // The vendor list: a Status column, Bloomberg not monitored; nothing unwatched reads Operational.
    const row = `${tid('vendor-row')}[data-vendor-id="${bloomberg}"]`;
    await page.waitForSelector(`${row} ${tid('vendor-status')}`);
    expect(await page.$eval(`${row} ${tid('vendor-status')}`, (e) => e.getAttribute('data-monitoring'))).toBe('not_monitored');
    expect(await textOf(page, `${row} ${tid('vendor-status')}`)).toBe('Not monitored');
    const listed = await statuses(page, tid('vendor-status'));
    expect(listed.length).toBeGreaterThan(10);
    for (const s of listed.filter((x) => x.monitoring !== 'monitored')) expect(s.text).not.toContain('Operational');
    await shot(page, 'live-status-1-vendor-list');

    // Its service cards.
    await page.goto(`${stack.baseUrl}/vendors/${bloomberg}/services`);
    await page.waitForSelector(tid('service-card-status'));
    const cards = await statuses(page, tid('service-card-status'));
    expect(cards.length).toBeGreaterThan(0);
    for (const c of cards) expect(c).toEqual({ monitoring: 'not_monitored', text: 'Not monitored' });
    await shot(page, 'live-status-2-service-cards');

    // Its Signals tab: the rollup and every service.
    await page.goto(`${stack.baseUrl}/vendors/${bloomberg}/signals`);
    await page.waitForSelector(tid('signals-rollup'));
    expect(await statuses(page, tid('signals-rollup'))).toEqual([{ monitoring: 'not_monitored', text: 'Not monitored' }]);
    for (const c of await statuses(page, tid('signals-service-level')))
      expect(c).toEqual({ monitoring: 'not_monitored', text: 'Not monitored' });
    expect(await textOf(page, tid('signals-not-monitored'))).toMatch(/^No (enabled )?source watches /);
    await shot(page, 'live-status-3-signals-tab');

    // Live status: one name in the sidebar and the heading, the count of watched vendors as the API
    // says it, and Bloomberg's critical dependency listed as nobody's.
    await page.locator(tid('nav-signals')).click();
    await page.waitForSelector(tid('live-status-coverage'));
    expect(await textOf(page, tid('signals-title'))).toBe('Live status');
    expect(await textOf(page, tid('nav-signals'))).toContain('Live status');
    const manager = (await stack.t.http.post('/api/auth/login').send({ email: 'manager@demo.bulwark.test', password: 'bulwark-demo' })).body
      .token as string;
    const api = (await stack.t.http.get('/api/signals/status').set({ Authorization: `Bearer ${manager}` })).body as {
      monitoring: string;
    }[];
    const monitored = api.filter((s) => s.monitoring === 'monitored').length;
    expect(await page.$eval(tid('live-status-coverage'), (e) => [e.getAttribute('data-monitored'), e.getAttribute('data-total')])).toEqual([
      String(monitored),
      String(api.length),
    ]);
    const unwatched = `${tid('unwatched-row')}[data-vendor-id="${bloomberg}"]`;
    await page.waitForSelector(unwatched);
    expect(await textOf(page, `${unwatched} ${tid('unwatched-status')}`)).toBe('Not monitored');
    expect(await textOf(page, `${unwatched} ${tid('unwatched-dependency')}`)).toContain('Credit Risk Scoring → Bloomberg Data License');
    expect(await page.$eval('main', (e) => e.textContent ?? '')).not.toContain('Everything we watch is operational');
    await shot(page, 'live-status-4-live-status');
  });

  it('shows "Not monitored" on the vendor contact\'s home', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'contact@bloomberg.demo.bulwark.test', 'vendor-home-status');
    await page.waitForSelector(`${tid('vendor-home-status')} ${tid('signals-rollup')}`);
    expect(await statuses(page, `${tid('vendor-home-status')} ${tid('signals-rollup')}`)).toEqual([
      { monitoring: 'not_monitored', text: 'Not monitored' },
    ]);
    // Its service cards on the same page.
    const services = await statuses(page, tid('vendor-home-service-status'));
    expect(services.length).toBeGreaterThan(0);
    for (const c of services) expect(c).toEqual({ monitoring: 'not_monitored', text: 'Not monitored' });
    const card = await textOf(page, tid('vendor-home-status'));
    expect(card).toContain('Not monitored');
    expect(card).not.toContain('Operational');
    await shot(page, 'live-status-5-vendor-home');
  });
});
