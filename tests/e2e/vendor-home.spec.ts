import type { Page } from 'puppeteer-core';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { fill, newSession, reportUnavailable, shot, signIn, startStack, textOf, tid, type Stack } from './support/browser';

const unavailable = reportUnavailable();

const INTERNAL_NOTE = 'Market and reference data feeding the credit risk model.';
const SHARED = 'Market data licence: real-time and reference data.';

/** The visible label and help text of a form field, read through its `for` and `aria-describedby` links. */
async function labelOf(page: Page, testId: string): Promise<{ label: string; help: string }> {
  await page.waitForSelector(tid(testId), { visible: true });
  return page.$eval(tid(testId), (el) => {
    const label = document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '';
    const help = (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => (id ? (document.getElementById(id)?.textContent ?? '') : ''))
      .join(' ');
    return { label, help };
  });
}

/**
 * Issue 9, item 7: a vendor's internal notes stay internal. The vendor's contact reads only the summary
 * written for them; the manager's form keeps the two apart and says which one the vendor sees.
 */
describe.skipIf(unavailable)('what the vendor sees of its own profile', () => {
  let stack: Stack;
  let bloomberg: string;
  beforeAll(async () => {
    stack = await startStack();
    const rows = (await stack.t.app
      .get(DataSource)
      .query(
        `SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name = 'Bloomberg'`,
      )) as { id: string }[];
    bloomberg = rows[0]!.id;
  }, 120_000);
  afterAll(async () => stack?.close());

  it("the vendor home shows the summary written for the vendor, never the organization's internal notes", async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'contact@bloomberg.demo.bulwark.test', 'vendor-home-profile');
    await page.waitForSelector(tid('vendor-home-service'));
    const content = await page.$eval('main', (el) => el.textContent ?? '');
    expect(content).toContain('Bloomberg Data License');
    expect(content, 'the internal description on the vendor home').not.toContain(INTERNAL_NOTE);
    expect(await textOf(page, tid('vendor-home-summary'))).toBe(SHARED);
    await shot(page, 'vendor-home-shared-summary');
    await page.browserContext().close();
  });

  it('the manager edits both fields, clearly labelled, and the vendor then sees only the new summary', async () => {
    const manager = await newSession(stack);
    await signIn(stack, manager, 'manager@demo.bulwark.test', 'vendor-row');
    await manager.goto(`${stack.baseUrl}/vendors/${bloomberg}`);
    expect(await textOf(manager, tid('vendor-internal-notes'))).toBe(INTERNAL_NOTE);
    expect(await textOf(manager, tid('vendor-shared-summary-view'))).toBe(SHARED);
    await shot(manager, 'vendor-overview-notes-and-summary');

    await manager.locator(tid('vendor-edit-button')).click();
    const notes = await labelOf(manager, 'vendor-description');
    const shared = await labelOf(manager, 'vendor-shared-summary');
    expect(notes.label).toBe('Internal notes');
    expect(notes.help).toMatch(/never shown to the vendor/i);
    expect(shared.label).toBe('Shown to the vendor');
    expect(shared.help).toMatch(/vendor's contacts see this/i);
    expect(await manager.$eval(tid('vendor-description'), (el) => (el as HTMLTextAreaElement).value)).toBe(INTERNAL_NOTE);

    const updated = 'Market data licence: real-time, reference and pricing data.';
    await fill(manager, tid('vendor-shared-summary'), updated);
    await fill(manager, tid('vendor-description'), 'Renewal under review: compare with LSEG pricing.');
    await shot(manager, 'vendor-form-notes-and-summary', { viewport: true });
    await manager.locator(tid('vendor-submit')).click();
    await manager.waitForFunction(
      (sel, text) => document.querySelector(sel)?.textContent === text,
      {},
      tid('vendor-shared-summary-view'),
      updated,
    );
    expect(await textOf(manager, tid('vendor-internal-notes'))).toBe('Renewal under review: compare with LSEG pricing.');
    await manager.browserContext().close();

    const contact = await newSession(stack);
    await signIn(stack, contact, 'contact@bloomberg.demo.bulwark.test', 'vendor-home-profile');
    expect(await textOf(contact, tid('vendor-home-summary'))).toBe(updated);
    expect(await contact.$eval('main', (el) => el.textContent ?? '')).not.toContain('Renewal under review');
    await contact.browserContext().close();
  });
});
