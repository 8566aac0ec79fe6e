import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, login, PASSWORD } from '../support/app';
import { waitForMail } from '../support/outbox';
import { fill, newSession, reportUnavailable, shot, signIn, startStack, textOf, tid, type Stack } from './support/browser';

const unavailable = reportUnavailable();
const userRow = (email: string) => `${tid('user-row')}[data-email="${email}"]`;

const ADMIN = 'admin@demo.bulwark.test';
const QUINN = 'quinn.auditor@demo.bulwark.test';
const QUINN_PASSWORD = 'quinn-reads-every-ledger';

const pathname = (page: Page) => new URL(page.url()).pathname;

/** A full-page shot of an open dialog: the fixed overlay only spans the viewport, so grow it to the page first. */
async function shotDialog(page: Page, name: string): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewport({ width: 1400, height: Math.max(900, height) });
  await shot(page, name);
  await page.setViewport({ width: 1400, height: 900 });
}

/**
 * An admin invites a member of staff from the Users page; the invitee accepts in their own browser
 * and lands on the internal home with their role; the admin deactivates them, which ends their session.
 */
describe.skipIf(unavailable)('user administration in a real browser', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  }, 120_000);
  afterAll(async () => stack?.close());

  it('an admin invites Quinn as an auditor, Quinn signs up, and deactivating Quinn signs them out', async () => {
    const admin = await newSession(stack);
    await signIn(stack, admin, ADMIN, 'vendor-row');
    await admin.locator(tid('nav-users')).click();
    await admin.waitForSelector(tid('user-row'));
    expect(pathname(admin)).toBe('/admin/users');

    // The demo users, with their roles; a vendor contact links to their vendor.
    const rows = await admin.$$eval(tid('user-row'), (els) =>
      els.map((e) => ({ email: e.getAttribute('data-email'), role: e.getAttribute('data-role') })),
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { email: ADMIN, role: 'admin' },
        { email: 'manager@demo.bulwark.test', role: 'vendor_manager' },
        { email: 'procurement@demo.bulwark.test', role: 'procurement' },
        { email: 'auditor@demo.bulwark.test', role: 'auditor' },
        { email: 'contact@openai.demo.bulwark.test', role: 'vendor_contact' },
      ]),
    );
    expect(rows.every((r) => r.email?.endsWith('demo.bulwark.test'))).toBe(true);
    expect(await textOf(admin, `${userRow('contact@openai.demo.bulwark.test')} ${tid('user-vendor-link')}`)).toBe('OpenAI');
    expect(await textOf(admin, `${userRow(ADMIN)} ${tid('user-last-login')}`)).toBe('just now');

    // The admin's own row: no deactivate button, and the role picker is locked with an explanation.
    expect(await admin.$(`${userRow(ADMIN)} ${tid('user-deactivate')}`)).toBeNull();
    expect(await admin.$eval(`${userRow(ADMIN)} ${tid('user-role-select')}`, (el) => (el as HTMLSelectElement).disabled)).toBe(true);
    expect(await textOf(admin, `${userRow(ADMIN)} ${tid('user-role-locked')}`)).toContain('cannot change your own role');
    expect(await admin.$(`${userRow('manager@demo.bulwark.test')} ${tid('user-deactivate')}`)).not.toBeNull();
    expect(await admin.$(`${userRow('contact@openai.demo.bulwark.test')} ${tid('user-role-select')}`)).toBeNull();
    await shot(admin, '28-users');

    // Invite Quinn as an auditor.
    await admin.locator(tid('staff-invite-button')).click();
    await admin.waitForSelector(tid('staff-invite-form'));
    await fill(admin, tid('staff-invite-name'), 'Quinn Auditor');
    await fill(admin, tid('staff-invite-email'), QUINN);
    await admin.select(tid('staff-invite-role'), 'auditor');
    await shotDialog(admin, '29-users-invite-staff');
    await admin.locator(tid('staff-invite-submit')).click();
    await admin.waitForSelector(`${tid('staff-invitation-row')}[data-email="${QUINN}"][data-status="pending"]`);
    await admin.waitForFunction((sel) => !document.querySelector(sel), {}, tid('staff-invite-form'));
    expect(await textOf(admin, `${tid('staff-invitation-row')}[data-email="${QUINN}"] ${tid('user-role')}`)).toBe('Auditor');
    await shot(admin, '30-users-pending-invitation');

    // Quinn opens the e-mailed link in a browser of their own.
    const mail = await waitForMail(join(stack.t.dataDir, 'outbox'), (m) => m.to.includes(QUINN) && m.text.includes('/invite/'), 15_000);
    const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect(token, 'invitation link in the mail').toBeTruthy();
    const quinn = await newSession(stack);
    await quinn.goto(`${stack.baseUrl}/invite/${token}`);
    const summary = await textOf(quinn, tid('invite-summary'));
    expect(summary).toContain('You are invited to Demo Org as Auditor');
    expect(summary).not.toContain('contact for');
    await fill(quinn, tid('invite-password'), QUINN_PASSWORD);
    await fill(quinn, tid('invite-password-confirm'), QUINN_PASSWORD);
    await shot(quinn, '31-staff-invitation');
    await quinn.locator(tid('invite-submit')).click();
    await quinn.waitForSelector(tid('vendor-row'));
    expect(pathname(quinn)).toBe('/vendors');
    expect(await quinn.$eval(tid('header-role'), (el) => el.getAttribute('data-role'))).toBe('auditor');
    expect(await textOf(quinn, tid('header-user'))).toBe('Quinn Auditor');
    expect(await quinn.$(tid('nav-audit-log'))).not.toBeNull();
    expect(await quinn.$(tid('nav-users'))).toBeNull();
    expect(await quinn.$(tid('new-vendor-button'))).toBeNull();
    await shot(quinn, '32-staff-invitee-home');

    // Back as admin: the invitation is used up, Quinn is a user. Show deactivated users so the row stays after deactivation.
    await admin.reload();
    await admin.waitForSelector(`${userRow(QUINN)}[data-active="true"]`);
    expect(await admin.$(`${tid('staff-invitation-row')}[data-email="${QUINN}"]`)).toBeNull();
    // Correct Quinn's display name.
    await admin.locator(`${userRow(QUINN)} ${tid('user-rename')}`).click();
    await fill(admin, tid('user-rename-name'), 'Quinn Q. Auditor');
    await admin.locator(tid('user-rename-submit')).click();
    await admin.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent === 'Quinn Q. Auditor',
      {},
      `${userRow(QUINN)} ${tid('user-name')}`,
    );
    await admin.waitForFunction(() => !document.querySelector('.mantine-Modal-content'));
    await admin.$eval(tid('users-filter-inactive'), (el) => (el as HTMLInputElement).click());
    await admin.waitForFunction(() => new URL(location.href).searchParams.get('inactive') === 'true');
    await admin.waitForSelector(`${userRow(QUINN)} ${tid('user-deactivate')}`, { visible: true });
    await admin.locator(`${userRow(QUINN)} ${tid('user-deactivate')}`).click();
    await admin.waitForSelector(tid('user-deactivate-confirm'), { visible: true });
    const dialog = await textOf(admin, '.mantine-Modal-content');
    expect(dialog).toContain('Deactivate Quinn Q. Auditor?');
    expect(dialog).toContain('signed out of every session immediately');
    await admin.locator(tid('user-deactivate-confirm')).click();
    await admin.waitForSelector(`${userRow(QUINN)}[data-active="false"]`);
    expect(await textOf(admin, `${userRow(QUINN)} ${tid('user-status')}`)).toMatch(/^Deactivatedsince /);
    expect(await admin.$(`${userRow(QUINN)} ${tid('user-reactivate')}`)).not.toBeNull();
    await admin.waitForFunction(() => !document.querySelector('.mantine-Modal-content'));
    await shot(admin, '33-users-deactivated');

    // Quinn's session ended with the deactivation.
    await quinn.reload();
    await quinn.waitForSelector(tid('login-form'));
    expect(pathname(quinn)).toBe('/login');

    await quinn.browserContext().close();
    await admin.browserContext().close();
  });

  it('a vendor manager sees the users but may only deactivate vendor contacts; other roles have no Users page', async () => {
    const manager = await newSession(stack);
    await signIn(stack, manager, 'manager@demo.bulwark.test', 'vendor-row');
    await manager.locator(tid('nav-users')).click();
    await manager.waitForSelector(tid('user-row'));
    expect(await manager.$(tid('staff-invite-button'))).toBeNull();
    expect(await manager.$(tid('staff-invitations'))).toBeNull();
    expect(await manager.$(`${userRow('procurement@demo.bulwark.test')} ${tid('user-deactivate')}`)).toBeNull();
    expect(await manager.$(tid('user-role-select'))).toBeNull();
    expect(await manager.$(`${userRow('contact@openai.demo.bulwark.test')} ${tid('user-deactivate')}`)).not.toBeNull();
    expect(await manager.$(`${userRow('procurement@demo.bulwark.test')} ${tid('user-rename')}`)).toBeNull();
    expect(await manager.$(`${userRow('contact@openai.demo.bulwark.test')} ${tid('user-rename')}`)).not.toBeNull();
    await shot(manager, '34-users-vendor-manager');

    // Filters: the role select narrows the list (and lives in the URL).
    await manager.select(tid('users-filter-role'), 'vendor_contact');
    await manager.waitForFunction(
      (sel) => [...document.querySelectorAll(sel)].every((r) => r.getAttribute('data-role') === 'vendor_contact'),
      {},
      tid('user-row'),
    );
    expect(new URL(manager.url()).searchParams.get('role')).toBe('vendor_contact');
    await fill(manager, tid('users-search'), 'no such person anywhere');
    await manager.waitForSelector(tid('users-empty'));
    await manager.browserContext().close();

    const procurement = await newSession(stack);
    await signIn(stack, procurement, 'procurement@demo.bulwark.test', 'vendor-row');
    expect(await procurement.$(tid('nav-users'))).toBeNull();
    await procurement.goto(`${stack.baseUrl}/admin/users`);
    await procurement.waitForSelector(tid('not-found'));
    await procurement.browserContext().close();
  });

  it("a vendor's Contacts tab lists who from the vendor can sign in, and a manager can end and restore that access", async () => {
    const manager = await newSession(stack);
    await signIn(stack, manager, 'manager@demo.bulwark.test', 'vendor-row');
    const token = await login(stack.t, 'manager@demo.bulwark.test');
    const vendors = (await stack.t.http.get('/api/vendors?search=OpenAI').set(auth(token))).body.items as { id: string; name: string }[];
    await manager.goto(`${stack.baseUrl}/vendors/${vendors.find((v) => v.name === 'OpenAI')!.id}`);
    await manager.locator(tid('tab-contacts')).click();
    const row = `${tid('portal-user-row')}`;
    await manager.waitForSelector(row);
    expect(await textOf(manager, tid('portal-user-table'))).toContain('contact@openai.demo.bulwark.test');
    expect(await textOf(manager, `${row} ${tid('portal-user-status')}`)).toBe('Active');
    // Not "nobody has been invited" when someone has access.
    const invitationsEmpty = await manager.$(tid('invitations-empty'));
    if (invitationsEmpty) expect(await textOf(manager, tid('invitations-empty'))).not.toContain('has been invited yet');
    await shot(manager, '35-vendor-contacts-portal-users');
    await manager.locator(`${row} ${tid('portal-user-deactivate')}`).click();
    await manager.locator(tid('portal-user-deactivate-confirm')).click();
    await manager.waitForSelector(`${row}[data-active="false"]`);
    // The contact can no longer sign in; reactivating restores it.
    expect(
      (await stack.t.http.post('/api/auth/login').send({ email: 'contact@openai.demo.bulwark.test', password: PASSWORD })).status,
    ).toBe(401);
    await manager.locator(`${row} ${tid('portal-user-reactivate')}`).click();
    await manager.waitForSelector(`${row}[data-active="true"]`);
    expect(
      (await stack.t.http.post('/api/auth/login').send({ email: 'contact@openai.demo.bulwark.test', password: PASSWORD })).status,
    ).toBe(200);
    await manager.browserContext().close();
  });
});
