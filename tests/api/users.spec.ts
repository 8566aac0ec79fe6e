import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { waitForMail } from '../support/outbox';

let t: TestApp;
let admin: string;
let manager: string;
let ds: DataSource;

const PASSWORD = 'a-long-staff-passphrase';

interface UserView {
  id: string;
  email: string;
  name: string;
  role: string;
  vendorId: string | null;
  vendorName: string | null;
  active: boolean;
  lastLoginAt: string | null;
  deactivatedAt: string | null;
}

async function userByEmail(email: string, token = admin): Promise<UserView> {
  const res = await t.http.get('/api/users').query({ q: email, includeInactive: 'true' }).set(auth(token));
  expect(res.status).toBe(200);
  const found = (res.body.items as UserView[]).find((u) => u.email === email);
  if (!found) throw new Error(`no user ${email}`);
  return found;
}

const patch = (id: string, body: Record<string, unknown>, token = admin) => t.http.patch(`/api/users/${id}`).set(auth(token)).send(body);
const auditActions = async (id: string) =>
  ((await ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [id])) as { action: string }[]).map((r) => r.action);

beforeAll(async () => {
  t = await bootApp({ PUBLIC_URL: 'https://bulwark.example.com' });
  await seedOrgs(t, true);
  ds = t.app.get(DataSource);
  admin = await login(t, 'admin@demo.bulwark.test');
  manager = await login(t, 'manager@demo.bulwark.test');
});
afterAll(async () => t?.close());

describe('users', () => {
  it('lists the organization only, paginated, with the vendor of each contact and the last sign-in', async () => {
    const res = await t.http.get('/api/users').query({ pageSize: 3 }).set(auth(manager));
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(3);
    expect(res.body.total).toBeGreaterThan(3);
    const all = (await t.http.get('/api/users').query({ pageSize: 500 }).set(auth(manager))).body.items as UserView[];
    expect(all.every((u) => u.email.endsWith('demo.bulwark.test'))).toBe(true);
    const contact = all.find((u) => u.email === 'contact@openai.demo.bulwark.test')!;
    expect(contact).toMatchObject({ role: 'vendor_contact', vendorName: 'OpenAI', active: true });
    expect(all.find((u) => u.email === 'manager@demo.bulwark.test')!.lastLoginAt).not.toBeNull();
    expect(JSON.stringify(res.body)).not.toMatch(/password/i);
    const contacts = await t.http.get('/api/users').query({ role: 'vendor_contact' }).set(auth(manager));
    expect((contacts.body.items as UserView[]).every((u) => u.role === 'vendor_contact')).toBe(true);
    expect((await t.http.get('/api/users').query({ includeInactive: 'yes' }).set(auth(manager))).status).toBe(422);
  });

  it('an admin invites a member of staff with a role; the link creates that user', async () => {
    const res = await t.http
      .post('/api/users/invitations')
      .set(auth(admin))
      .send({ email: 'New.Auditor@Demo.example', name: 'New Auditor', role: 'auditor' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ vendorId: null, role: 'auditor', email: 'new.auditor@demo.example', status: 'pending' });
    const mail = await waitForMail(join(t.dataDir, 'outbox'), (m) => m.idempotencyKey === `invitation-${res.body.id}-1`);
    expect(mail.subject).toBe('You are invited to Bulwark as an auditor');
    const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const preview = await t.http.get(`/api/invitations/by-token/${token}`);
    expect(preview.body).toMatchObject({ role: 'auditor', vendorName: null, organizationName: 'Demo Org' });
    const accepted = await t.http.post('/api/invitations/accept').send({ token, password: PASSWORD });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({ role: 'auditor', vendorId: null, organizationName: 'Demo Org' });
    const log = await t.http.get('/api/audit-log').set(auth(accepted.body.token));
    expect(log.status).toBe(200);
    const internal = await t.http.get('/api/invitations').query({ kind: 'internal' }).set(auth(admin));
    expect((internal.body.items as { id: string; status: string }[]).find((i) => i.id === res.body.id)?.status).toBe('accepted');
    expect((internal.body.items as { vendorId: string | null }[]).every((i) => i.vendorId === null)).toBe(true);
  });

  it('staff invitations are refused for vendor contacts, duplicates and non-admins', async () => {
    const contact = await t.http
      .post('/api/users/invitations')
      .set(auth(admin))
      .send({ email: 'x@demo.example', name: 'X', role: 'vendor_contact' });
    expect(contact.status).toBe(422);
    expect(contact.body.error.fields[0].path).toBe('role');
    const existing = await t.http
      .post('/api/users/invitations')
      .set(auth(admin))
      .send({ email: 'manager@demo.bulwark.test', name: 'M', role: 'auditor' });
    expect(existing.status).toBe(409);
    expect(existing.body.error.code).toBe('invitation.email_unavailable');
    // An account in another organization gets the very same answer: nothing tells the admin it exists there.
    const elsewhere = await t.http
      .post('/api/users/invitations')
      .set(auth(admin))
      .send({ email: 'manager@other.bulwark.test', name: 'M', role: 'auditor' });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error).toEqual(existing.body.error);
    const extra = await t.http
      .post('/api/users/invitations')
      .set(auth(admin))
      .send({ email: 'y@demo.example', name: 'Y', role: 'admin', organizationId: '00000000-0000-4000-8000-000000000000' });
    expect(extra.status).toBe(422);
    expect(
      (await t.http.post('/api/users/invitations').set(auth(manager)).send({ email: 'z@demo.example', name: 'Z', role: 'admin' })).status,
    ).toBe(403);
  });

  it('only an admin re-sends or revokes a staff invitation', async () => {
    const res = await t.http
      .post('/api/users/invitations')
      .set(auth(admin))
      .send({ email: 'pending.buyer@demo.example', name: 'Pending Buyer', role: 'procurement' });
    expect(res.status).toBe(201);
    const byManager = await t.http.post(`/api/invitations/${res.body.id}/revoke`).set(auth(manager));
    expect(byManager.status).toBe(403);
    const resent = await t.http.post(`/api/invitations/${res.body.id}/resend`).set(auth(admin));
    expect(resent.status).toBe(200);
    const revoked = await t.http.post(`/api/invitations/${res.body.id}/revoke`).set(auth(admin));
    expect(revoked.body.status).toBe('revoked');
  });

  it('an admin changes a role; it applies to the next request and the user is told', async () => {
    const procurement = await login(t, 'procurement@demo.bulwark.test');
    const user = await userByEmail('procurement@demo.bulwark.test');
    const res = await patch(user.id, { role: 'vendor_manager' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'vendor_manager', active: true });
    expect((await t.http.get('/api/auth/me').set(auth(procurement))).body.role).toBe('vendor_manager');
    const notes = await t.http.get('/api/notifications').set(auth(procurement));
    expect(notes.body.items.map((n: { title: string }) => n.title)).toContain('Your Bulwark role changed');
    expect(await auditActions(user.id)).toContain('user.updated');
    const entry = (await ds.query(`SELECT diff FROM audit_log WHERE entity_id = $1 AND action = 'user.updated'`, [user.id])) as {
      diff: unknown;
    }[];
    expect(entry[0]!.diff).toEqual({ role: { from: 'procurement', to: 'vendor_manager' } });
    expect((await patch(user.id, { role: 'procurement' })).status).toBe(200);
  });

  it('deactivation signs the user out everywhere and blocks sign-in; reactivation restores it', async () => {
    const auditor = await login(t, 'auditor@demo.bulwark.test');
    const user = await userByEmail('auditor@demo.bulwark.test');
    const off = await patch(user.id, { active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect(off.body.deactivatedAt).not.toBeNull();
    expect((await t.http.get('/api/audit-log').set(auth(auditor))).status).toBe(401);
    const again = await t.http.post('/api/auth/login').send({ email: 'auditor@demo.bulwark.test', password: 'bulwark-demo' });
    expect(again.status).toBe(401);
    const open = (await ds.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL`, [user.id])) as {
      n: number;
    }[];
    expect(open[0]!.n).toBe(0);
    const listed = (await t.http.get('/api/users').query({ pageSize: 500 }).set(auth(admin))).body.items as UserView[];
    expect(listed.map((u) => u.id)).not.toContain(user.id);
    const on = await patch(user.id, { active: true });
    expect(on.body).toMatchObject({ active: true, deactivatedAt: null });
    expect((await t.http.post('/api/auth/login').send({ email: 'auditor@demo.bulwark.test', password: 'bulwark-demo' })).status).toBe(200);
    expect(await auditActions(user.id)).toEqual(expect.arrayContaining(['user.deactivated', 'user.reactivated']));
  });

  it('nobody locks themselves out, and the last admin stays an admin', async () => {
    const me = await userByEmail('admin@demo.bulwark.test');
    const self = await patch(me.id, { active: false });
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('user.self');
    expect((await patch(me.id, { role: 'auditor' })).body.error.code).toBe('user.self');
    expect((await patch(me.id, { name: 'Demo Admin Renamed' })).status).toBe(200);
    // Two admins demoting each other at the same moment: one wins; the other is no longer an admin when
    // its turn comes (whether it was authenticated before or after the winner committed) and changes nothing.
    const second = await userByEmail('manager@demo.bulwark.test');
    expect((await patch(second.id, { role: 'admin' })).status).toBe(200);
    const asSecond = await login(t, 'manager@demo.bulwark.test');
    const [a, b] = await Promise.all([patch(second.id, { role: 'vendor_manager' }), patch(me.id, { role: 'vendor_manager' }, asSecond)]);
    expect([a.status, b.status].sort()).toEqual([200, 403]);
    expect([a, b].find((r) => r.status === 403)!.body.error.code).toBe('auth.forbidden');
    const admins = (await ds.query(
      `SELECT u.email FROM users u JOIN organizations o ON o.id = u.organization_id WHERE o.slug = 'demo-org' AND u.role = 'admin' AND u.active`,
    )) as { email: string }[];
    expect(admins).toHaveLength(1);
    // Put the demo roles back whichever way the race went.
    if (admins[0]!.email === 'manager@demo.bulwark.test') {
      expect((await patch(me.id, { role: 'admin' }, asSecond)).status).toBe(200);
      admin = await login(t, 'admin@demo.bulwark.test');
      expect((await patch(second.id, { role: 'vendor_manager' })).status).toBe(200);
    }
    expect((await userByEmail('admin@demo.bulwark.test')).role).toBe('admin');
    expect((await userByEmail('manager@demo.bulwark.test')).role).toBe('vendor_manager');
  });

  it('vendor managers may deactivate a vendor contact but not touch staff or roles', async () => {
    const contact = await userByEmail('contact@openai.demo.bulwark.test');
    expect(contact.vendorName).toBe('OpenAI');
    const staff = await userByEmail('auditor@demo.bulwark.test');
    expect((await patch(staff.id, { active: false }, manager)).status).toBe(403);
    expect((await patch(contact.id, { role: 'auditor' }, manager)).status).toBe(403);
    const role = await patch(contact.id, { role: 'auditor' });
    expect(role.status).toBe(409);
    expect(role.body.error.code).toBe('user.vendor_contact_role');
    expect((await patch(contact.id, { active: false }, manager)).status).toBe(200);
    expect(
      (await t.http.post('/api/auth/login').send({ email: 'contact@openai.demo.bulwark.test', password: 'bulwark-demo' })).status,
    ).toBe(401);
    expect((await patch(contact.id, { active: true }, manager)).status).toBe(200);
  });

  it('bad input is a 4xx naming the field and changes nothing', async () => {
    const user = await userByEmail('procurement@demo.bulwark.test');
    const before = await ds.query(`SELECT role, name, active FROM users WHERE id = $1`, [user.id]);
    expect((await patch(user.id, {})).status).toBe(422);
    const bad = await patch(user.id, { role: 'owner' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields[0].path).toBe('role');
    expect((await patch(user.id, { vendorId: '00000000-0000-4000-8000-000000000000' })).status).toBe(422);
    expect((await patch(user.id, { active: 'no' })).status).toBe(422);
    expect((await patch('00000000-0000-4000-8000-000000000000', { name: 'Ghost' })).status).toBe(404);
    expect(await ds.query(`SELECT role, name, active FROM users WHERE id = $1`, [user.id])).toEqual(before);
  });
});
