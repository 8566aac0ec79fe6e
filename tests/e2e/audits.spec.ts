import { DateTime } from 'luxon';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AuditDetail } from '@bulwark/api-schema';

import { auth, login } from '../support/app';
import { uploadEvidence } from '../support/evidence';
import {
  fill,
  newSession,
  pickOption,
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

const inDays = (n: number) => DateTime.utc().plus({ days: n }).toISODate()!;

/** Sets the `n`th `<input type="date">` of a test id (the item rows share theirs) as a user's pick does. */
async function setNthDate(page: Page, testId: string, n: number, value: string): Promise<void> {
  await page.$$eval(
    tid(testId),
    (els, i, v) => {
      const el = els[i as number] as HTMLInputElement;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(el, v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    n,
    value,
  );
}

async function typeNth(page: Page, testId: string, n: number, value: string): Promise<void> {
  const els = await page.$$(tid(testId));
  await els[n]!.focus();
  await els[n]!.type(value);
}

const status = (page: Page, s: string) =>
  page.waitForFunction((want) => document.querySelector('[data-testid="audit-status"]')?.getAttribute('data-status') === want, {}, s);
const itemStatus = (page: Page, ref: string, s: string) =>
  page.waitForFunction(
    (r, want) => document.querySelector(`[data-testid="audit-item"][data-reference="${r}"]`)?.getAttribute('data-status') === want,
    {},
    ref,
    s,
  );
const item = (ref: string, id: string) => `[data-testid="audit-item"][data-reference="${ref}"] ${tid(id)}`;

/**
 * A right-to-audit request worked end to end in the portal: the manager drafts it against OpenAI's clause (the
 * entitlement panel refuses a start inside the notice, then shows the earliest start and the 12-month count) and
 * issues it; the vendor's contact proposes another window; the manager accepts it and confirms the schedule; the
 * vendor delivers two items with evidence; the manager returns one with a question on its thread and accepts the
 * other; the vendor answers and delivers again; the manager accepts it.
 */
describe.skipIf(unavailable)('audits: request, counter-proposed window, items delivered, returned and accepted', () => {
  let stack: Stack;
  let openai: string;
  let auditUrl = '';
  let serviceName = '';
  let systemName = '';
  let ownerName = '';

  beforeAll(async () => {
    stack = await startStack();
    const manager = await login(stack.t, 'manager@demo.bulwark.test');
    const vendors = await stack.t.http.get('/api/vendors?search=OpenAI').set(auth(manager)).expect(200);
    openai = vendors.body.items[0].id;
    // What the request form offers: the vendor's services, the organization's internal systems, the vendor's contacts.
    serviceName = (await stack.t.http.get(`/api/services?vendorId=${openai}&pageSize=1`).set(auth(manager)).expect(200)).body.items[0].name;
    systemName = (await stack.t.http.get('/api/systems?pageSize=1&sort=name').set(auth(manager)).expect(200)).body.items[0].name;
    const contacts = await stack.t.http.get(`/api/users?role=vendor_contact&vendorId=${openai}`).set(auth(manager)).expect(200);
    ownerName = contacts.body.items.find((u: { email: string }) => u.email === 'contact@openai.demo.bulwark.test').name;
    const contact = await login(stack.t, 'contact@openai.demo.bulwark.test');
    await uploadEvidence(stack.t.http, contact, openai, 'Sub-processor register', 'policy');
    await uploadEvidence(stack.t.http, contact, openai, 'Retention configuration export', 'other');
  }, 120_000);
  afterAll(async () => stack?.close());

  it('the admin sets the organization’s time zone and pastes its holidays on the Organization page', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'admin@demo.bulwark.test', 'vendor-row');
    await page.locator(tid('nav-organization')).click();
    await page.waitForSelector(tid('organization-title'));
    await page.waitForSelector(tid('organization-holidays-empty'));
    expect(await page.$eval(tid('organization-timezone'), (el) => (el as HTMLInputElement).value)).toBe('UTC');
    // A searchable select holding a value: select its text and type over it, as a user would.
    await page.locator(tid('organization-timezone')).click();
    await page.$eval(tid('organization-timezone'), (el) => (el as HTMLInputElement).select());
    await page.keyboard.type('Zurich');
    const zurich = await page.waitForFunction(() =>
      [...document.querySelectorAll('[role="option"]')].find(
        (o) =>
          o.textContent === 'Europe/Zurich' &&
          o.getBoundingClientRect().height > 0 &&
          getComputedStyle(o.closest('.mantine-Combobox-dropdown') ?? o).opacity === '1',
      ),
    );
    await (zurich as import('puppeteer-core').ElementHandle<Element>).click();
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="organization-timezone"]') as HTMLInputElement).value === 'Europe/Zurich',
    );
    await page.locator(tid('organization-save')).click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="organization-save"]') as HTMLButtonElement)?.disabled);
    // A year of holidays pasted at once (next year's, so they never fall in this test's notice periods).
    const year = DateTime.utc().year + 1;
    await fill(page, tid('organization-holiday-csv'), `date,name\n${year}-01-01,New Year's Day\n${year}-08-01,Swiss National Day`);
    await page.locator(tid('organization-holiday-csv-add')).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="organization-holiday"]').length === 2);
    expect(await textOf(page, tid('organization-holidays-table'))).toContain('Swiss National Day');
    await shot(page, 'audits-00-organization-settings');
    const admin = await login(stack.t, 'admin@demo.bulwark.test');
    const org = await stack.t.http.get('/api/organization').set(auth(admin)).expect(200);
    expect(org.body).toMatchObject({ timeZone: 'Europe/Zurich', holidayCount: 2 });
  });

  it('the manager drafts the request with the entitlement in view and issues it', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'manager@demo.bulwark.test', 'vendor-row');
    await page.locator(tid('nav-audits')).click();
    await page.waitForSelector(tid('audits-title'));
    await page.locator(tid('audit-new')).click();
    await page.waitForSelector(tid('audit-new-form'));
    await page.waitForFunction(() => (document.querySelector('[data-testid="audit-new-vendor"]') as HTMLSelectElement)?.options.length > 1);
    await page.select(tid('audit-new-vendor'), openai);
    // The window's zone starts as the organization's, set above.
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="audit-new-tz"]') as HTMLInputElement | null)?.value === 'Europe/Zurich',
    );
    await fill(page, tid('audit-new-title'), 'API platform audit');
    // Inside the 30 days' notice: the panel says which rule breaks, before anything is sent.
    await setDate(page, 'audit-new-start', inDays(10));
    await page.waitForSelector(`${tid('audit-entitlement')}[data-allowed="false"]`);
    await page.waitForSelector(`${tid('audit-entitlement-reasons')} [data-rule="notice_period"]`);
    await page.waitForSelector(tid('audit-new-override'));
    await shot(page, 'audits-01-entitlement-refused');
    await setDate(page, 'audit-new-start', inDays(40));
    await setDate(page, 'audit-new-end', inDays(42));
    await page.waitForSelector(`${tid('audit-entitlement')}[data-allowed="true"]`);
    expect(await textOf(page, tid('audit-entitlement-clause'))).toContain('OpenAI Enterprise Services Agreement');
    expect(await textOf(page, tid('audit-entitlement-count'))).toContain('0 of 1 allowed');
    expect(await textOf(page, tid('audit-entitlement-text'))).toContain('30 calendar days');
    // The notice is counted in the organization's zone, set above.
    expect(await textOf(page, tid('audit-entitlement'))).toContain('Europe/Zurich');
    await pickOption(page, tid('audit-new-services'), serviceName.slice(0, 4), serviceName);
    await fill(page, tid('audit-new-topics'), 'Sub-processors, Data retention');
    await pickOption(page, tid('audit-new-systems'), systemName.slice(0, 4), systemName);
    await typeNth(page, 'audit-new-item-details', 0, 'Sub-processor register');
    await setNthDate(page, 'audit-new-item-due', 0, inDays(20));
    await pickOption(page, tid('audit-new-item-owner'), ownerName.slice(0, 4), ownerName);
    await page.locator(tid('audit-new-item-add')).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-new-item"]').length === 2);
    await typeNth(page, 'audit-new-item-details', 1, 'Data retention configuration');
    await setNthDate(page, 'audit-new-item-due', 1, inDays(25));
    await shot(page, 'audits-02-new-request');
    await page.locator(tid('audit-new-submit')).click();
    await page.waitForSelector(tid('audit-step-issued'));
    await status(page, 'draft');
    auditUrl = new URL(page.url()).pathname;
    // The scope and the owner are on the audit page; the internal systems for the organization only.
    expect(await textOf(page, tid('audit-detail-services'))).toContain(serviceName);
    await page.waitForFunction(
      (name) => document.querySelector('[data-testid="audit-detail-systems"]')?.textContent?.includes(name),
      {},
      systemName,
    );
    expect(await textOf(page, `[data-testid="audit-item"][data-reference="PBC-1"] ${tid('audit-item-owner')}`)).toContain(ownerName);
    await page.locator(tid('audit-step-issued-submit')).click();
    await status(page, 'issued');
    await shot(page, 'audits-03-issued');
  });

  it('the vendor proposes another window; the manager accepts it and confirms the schedule', async () => {
    const vendor = await newSession(stack);
    await signIn(stack, vendor, 'contact@openai.demo.bulwark.test', 'vendor-home-inbox');
    await vendor.goto(`${stack.baseUrl}/vendor-home${auditUrl}`);
    await vendor.waitForSelector(tid('audit-counter-open'));
    await status(vendor, 'issued');
    // The vendor sees the services in scope and the item's owner, never the internal systems.
    await vendor.waitForFunction(
      (name) => document.querySelector('[data-testid="audit-detail-services"]')?.textContent?.includes(name),
      {},
      serviceName,
    );
    expect(await vendor.$(tid('audit-detail-systems'))).toBeNull();
    expect(await vendor.content()).not.toContain(systemName);
    expect(await textOf(vendor, `[data-testid="audit-item"][data-reference="PBC-1"] ${tid('audit-item-owner')}`)).toContain(ownerName);
    await vendor.locator(tid('audit-counter-open')).click();
    await setDate(vendor, 'audit-counter-start', inDays(50));
    await setDate(vendor, 'audit-counter-end', inDays(52));
    await fill(vendor, tid('audit-counter-note'), 'Our compliance lead is away that week.');
    await shot(vendor, 'audits-04-vendor-counter');
    await vendor.locator(tid('audit-counter-submit')).click();
    await status(vendor, 'acknowledged');
    await vendor.waitForSelector(tid('audit-counter'));

    const manager = await newSession(stack);
    await signIn(stack, manager, 'manager@demo.bulwark.test', 'vendor-row');
    await manager.goto(`${stack.baseUrl}${auditUrl}`);
    await manager.waitForSelector(tid('audit-counter-accept'));
    await shot(manager, 'audits-05-manager-counter');
    await manager.locator(tid('audit-counter-accept')).click();
    await manager.waitForFunction(() => !document.querySelector('[data-testid="audit-counter"]'));
    expect(await textOf(manager, tid('audit-detail-window'))).toContain(DateTime.fromISO(inDays(50)).toFormat('yyyy'));
    await manager.waitForSelector(tid('audit-step-scheduled-submit'));
    await manager.locator(tid('audit-step-scheduled-submit')).click();
    await status(manager, 'scheduled');
    const stored = (
      await stack.t.http
        .get(`/api${auditUrl}`)
        .set(auth(await login(stack.t, 'manager@demo.bulwark.test')))
        .expect(200)
    ).body as AuditDetail;
    expect(stored).toMatchObject({ windowStart: inDays(50), windowEnd: inDays(52), status: 'scheduled' });
  });

  it('the vendor delivers two items; one is returned with a question, answered and accepted', async () => {
    const vendor = await newSession(stack);
    await signIn(stack, vendor, 'contact@openai.demo.bulwark.test', 'vendor-home-inbox');
    await vendor.goto(`${stack.baseUrl}/vendor-home${auditUrl}`);
    for (const [ref, search, title] of [
      ['PBC-1', 'register', 'Sub-processor register'],
      ['PBC-2', 'Retention', 'Retention configuration export'],
    ] as const) {
      await vendor.waitForSelector(item(ref, 'audit-item-toggle'));
      await vendor.locator(item(ref, 'audit-item-toggle')).click();
      await vendor.waitForSelector(tid(`audit-item-${ref}-answer`), { visible: true });
      await pickOption(vendor, tid(`audit-item-${ref}-answer-evidence`), search, title);
      await vendor.locator(tid(`audit-item-${ref}-answer-submit`)).click();
      await itemStatus(vendor, ref, 'delivered');
    }
    await shot(vendor, 'audits-06-vendor-delivered');

    const manager = await newSession(stack);
    await signIn(stack, manager, 'manager@demo.bulwark.test', 'vendor-row');
    await manager.goto(`${stack.baseUrl}${auditUrl}`);
    await manager.locator(item('PBC-1', 'audit-item-toggle')).click();
    await manager.waitForSelector(tid('audit-item-PBC-1-decision-comment'), { visible: true });
    await fill(manager, tid('audit-item-PBC-1-decision-comment'), 'Does the register include the EU hosting provider?');
    await manager.locator(tid('audit-item-PBC-1-decision-return')).click();
    await itemStatus(manager, 'PBC-1', 'returned');
    await manager.locator(item('PBC-2', 'audit-item-toggle')).click();
    await manager.waitForSelector(tid('audit-item-PBC-2-decision-accept'), { visible: true });
    await manager.locator(tid('audit-item-PBC-2-decision-accept')).click();
    await itemStatus(manager, 'PBC-2', 'accepted');
    await shot(manager, 'audits-07-manager-returned-accepted');

    await vendor.reload();
    await itemStatus(vendor, 'PBC-1', 'returned');
    await vendor.locator(item('PBC-1', 'audit-item-toggle')).click();
    // The question is on the item's thread.
    await vendor.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="thread"][data-target-type="audit_item"]')].some((t) =>
        t.textContent?.includes('Does the register include the EU hosting provider?'),
      ),
    );
    await fill(vendor, tid('audit-item-PBC-1-answer-note'), 'Yes: row 12, Frankfurt region.');
    await shot(vendor, 'audits-08-vendor-question');
    await vendor.locator(tid('audit-item-PBC-1-answer-submit')).click();
    await itemStatus(vendor, 'PBC-1', 'delivered');

    await manager.reload();
    await itemStatus(manager, 'PBC-1', 'delivered');
    await manager.locator(item('PBC-1', 'audit-item-toggle')).click();
    await manager.waitForSelector(tid('audit-item-PBC-1-decision-accept'), { visible: true });
    await manager.locator(tid('audit-item-PBC-1-decision-accept')).click();
    await itemStatus(manager, 'PBC-1', 'accepted');
    await manager.waitForFunction(() => document.querySelector('[data-testid="audit-detail-progress"]')?.textContent?.includes('2 of 2'));
    await shot(manager, 'audits-09-manager-all-accepted');
    const events = await manager.$$eval(tid('audit-event'), (els) => els.map((e) => e.getAttribute('data-kind')));
    expect(events).toEqual([
      'created',
      'transition',
      'transition',
      'window_accepted',
      'transition',
      'item_responded',
      'item_responded',
      'item_returned',
      'item_accepted',
      'item_responded',
      'item_accepted',
    ]);
  });

  it('during fieldwork the manager requests one more item and raises a finding from the audit', async () => {
    const token = await login(stack.t, 'manager@demo.bulwark.test');
    await stack.t.http
      .post(`/api${auditUrl}/transitions`)
      .set(auth(token))
      .send({ to: 'fieldwork', fieldwork: { start: inDays(50), end: inDays(52), attendees: ['Internal audit'] } })
      .expect(200);
    const page = await newSession(stack);
    await signIn(stack, page, 'manager@demo.bulwark.test', 'vendor-row');
    await page.goto(`${stack.baseUrl}${auditUrl}`);
    await status(page, 'fieldwork');
    // One more item, requested during fieldwork.
    await page.locator(tid('audit-item-add-open')).click();
    await fill(page, tid('audit-item-add-details'), 'Evidence of the register’s last review');
    await setDate(page, 'audit-item-add-due', inDays(5));
    await page.locator(tid('audit-item-add-submit')).click();
    await itemStatus(page, 'PBC-3', 'requested');
    await page.locator(tid('audit-finding-open')).click();
    await fill(page, tid('audit-finding-title'), 'Sub-processor register is maintained by hand');
    await page.select(tid('audit-finding-severity'), 'low');
    await page.locator(tid('audit-finding-submit')).click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="audit-findings"]')?.textContent?.includes('Sub-processor register is maintained by hand'),
    );
    await shot(page, 'audits-10-finding-raised');
    const stored = (await stack.t.http.get(`/api${auditUrl}`).set(auth(token)).expect(200)).body as AuditDetail;
    expect(stored.findings).toMatchObject([{ title: 'Sub-processor register is maintained by hand', severity: 'low', status: 'open' }]);
  });
});
