import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, login } from '../support/app';
import { newSession, reportUnavailable, shot, signIn, startStack, textOf, tid, type Stack } from './support/browser';

const unavailable = reportUnavailable();

/**
 * Issue 10, item 5: the vendor home lists what waits on the vendor (with a count in its navigation), and
 * staff have an Inbox with "Waiting on us" and "Waiting on vendors".
 */
describe.skipIf(unavailable)('the inbox', () => {
  let stack: Stack;
  let negotiationId: string;
  let renewalId: string;
  const today = DateTime.utc().startOf('day');

  beforeAll(async () => {
    stack = await startStack();
    const { t } = stack;
    const procurement = await login(t, 'procurement@demo.bulwark.test');
    const ds = t.app.get(DataSource);
    const vendorOf = async (name: string) =>
      (
        (await ds.query(
          `SELECT v.id AS vendor_id, s.id AS service_id FROM vendors v JOIN organizations o ON o.id = v.organization_id
             JOIN services s ON s.vendor_id = v.id WHERE o.slug = 'demo-org' AND v.name = $1 ORDER BY s.name LIMIT 1`,
          [name],
        )) as { vendor_id: string; service_id: string }[]
      )[0]!;
    const openai = await vendorOf('OpenAI');
    const contract = await t.http
      .post('/api/contracts')
      .set(auth(procurement))
      .send({
        vendorId: openai.vendor_id,
        title: 'Inbox agreement',
        status: 'active',
        effectiveDate: '2025-01-01',
        serviceIds: [openai.service_id],
      });
    expect(contract.status).toBe(201);
    // Terms meant to take effect ten days ago: the round is overdue.
    const negotiation = await t.http
      .post('/api/negotiations')
      .set(auth(procurement))
      .send({
        contractId: contract.body.id,
        name: 'Inbox API availability',
        scope: { serviceIds: [openai.service_id] },
        effectiveFrom: today.minus({ days: 10 }).toISODate(),
        terms: { availabilityTarget: 99.95 },
      });
    expect(negotiation.status).toBe(201);
    negotiationId = negotiation.body.id;
    const snowflake = await vendorOf('Snowflake');
    const renewal = await t.http
      .post('/api/contracts')
      .set(auth(procurement))
      .send({
        vendorId: snowflake.vendor_id,
        title: 'Snowflake renewal due',
        status: 'active',
        effectiveDate: '2025-01-01',
        expiryDate: today.plus({ days: 65 }).toISODate(),
        renewalNoticeDays: 60,
      });
    expect(renewal.status).toBe(201);
    renewalId = renewal.body.id;
  }, 120_000);
  afterAll(async () => stack?.close());

  it('the vendor home shows the waiting negotiation at the top, overdue, with the count in the navigation', async () => {
    const token = await login(stack.t, 'contact@openai.demo.bulwark.test');
    const count = await stack.t.http.get('/api/inbox/count').set(auth(token));
    expect(count.body.count).toBeGreaterThan(0);

    const page = await newSession(stack);
    await signIn(stack, page, 'contact@openai.demo.bulwark.test', 'vendor-inbox-table');
    const row = `${tid('vendor-inbox-table')} [data-id="${negotiationId}"]`;
    const text = await textOf(page, row);
    expect(text).toContain('Answer round 1 of the SLA terms: Inbox API availability');
    expect(text).toContain('Negotiation');
    expect(text).toContain('Proposed');
    expect(await textOf(page, `${row} ${tid('inbox-overdue')}`)).toBe('Overdue 10 d');
    expect(await textOf(page, tid('vendor-nav-inbox-count'))).toBe(String(count.body.count));
    // The inbox comes first on the page, before the negotiations and SLAs sections.
    const first = await page.$eval('main', (main) =>
      main.querySelector('[data-testid^="vendor-home-"]:not([data-testid="vendor-home-title"])')?.getAttribute('data-testid'),
    );
    expect(first).toBe('vendor-home-inbox');
    await shot(page, 'inbox-vendor-home');

    // The title is a link to the negotiation, on the vendor's side of the portal.
    await page.locator(`${row} a`).click();
    await page.waitForFunction((id) => location.pathname === `/vendor-home/negotiations/${id}`, {}, negotiationId);
    await page.browserContext().close();
  });

  it('a vendor with nothing waiting sees the empty state and a zero count', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'contact@bloomberg.demo.bulwark.test', 'vendor-inbox-empty');
    expect(await textOf(page, tid('vendor-inbox-empty'))).toContain('Nothing is waiting on you');
    expect(await textOf(page, tid('vendor-nav-inbox-count'))).toBe('0');
    await shot(page, 'inbox-vendor-home-empty');
    await page.browserContext().close();
  });

  it('staff get an Inbox with "Waiting on us" and "Waiting on vendors" tabs and a count in the sidebar', async () => {
    const token = await login(stack.t, 'manager@demo.bulwark.test');
    const us = await stack.t.http.get('/api/inbox/count?waitingOn=us').set(auth(token));
    const page = await newSession(stack);
    await signIn(stack, page, 'manager@demo.bulwark.test', 'nav-inbox');
    expect(await textOf(page, tid('nav-inbox-count'))).toBe(String(us.body.count));
    await page.locator(tid('nav-inbox')).click();
    const renewal = `${tid('inbox-table-us')} [data-id="${renewalId}"]`;
    const text = await textOf(page, renewal);
    expect(text).toContain('Renewal notice due: Snowflake renewal due');
    expect(text).toContain('Snowflake');
    expect(text).toContain('in 5 d');
    expect(await textOf(page, tid('inbox-tab-count-us'))).toBe(String(us.body.count));
    await shot(page, 'inbox-internal-waiting-on-us');

    // The other tab, by keyboard: arrow to it and the list of what waits on vendors shows.
    await page.focus(tid('inbox-tab-us'));
    await page.keyboard.press('ArrowRight');
    const negotiation = `${tid('inbox-table-vendor')} [data-id="${negotiationId}"]`;
    expect(await textOf(page, negotiation)).toContain('OpenAI');
    expect(await page.$(`${tid('inbox-table-vendor')} [data-id="${renewalId}"]`)).toBeNull();
    expect(new URL(page.url()).searchParams.get('tab')).toBe('vendor');
    await shot(page, 'inbox-internal-waiting-on-vendors');
    await page.browserContext().close();
  });
});
