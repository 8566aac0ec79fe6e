import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { waitForMail } from '../support/outbox';

let t: TestApp;
let manager: string;
let auditor: string;
let bloombergId: string;
let openaiId: string;

const PASSWORD = 'a-long-vendor-passphrase';

interface Mail {
  from: string;
  to: string;
  subject: string;
  text: string;
  idempotencyKey: string;
}

/** The mail of an invitation's n-th sending, written to the outbox by the in-process job (asynchronously). */
async function mailFor(invitationId: string, sendCount = 1, timeoutMs = 5000): Promise<Mail> {
  const dir = join(t.dataDir, 'outbox');
  const key = `invitation-${invitationId}-${sendCount}`;
  return (await waitForMail(dir, (m) => m.file.endsWith(`-${key}.json`), timeoutMs)) as unknown as Mail;
}
const tokenOf = (mail: Mail) => {
  const m = /\/invite\/([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!m) throw new Error(`no invitation link in: ${mail.text}`);
  return m[1]!;
};
const invite = (body: Record<string, unknown>, token = manager) => t.http.post('/api/invitations').set(auth(token)).send(body);
const peek = (token: string) => t.http.get(`/api/invitations/by-token/${token}`);
const accept = (token: string, password = PASSWORD, name?: string) =>
  t.http.post('/api/invitations/accept').send({ token, password, ...(name ? { name } : {}) });

async function invited(email: string, vendorId = bloombergId) {
  const res = await invite({ vendorId, email, name: 'Invited Person' });
  expect(res.status).toBe(201);
  const mail = await mailFor(res.body.id);
  return { invitation: res.body as { id: string; status: string; email: string }, token: tokenOf(mail), mail };
}

beforeAll(async () => {
  t = await bootApp({ PUBLIC_URL: 'https://bulwark.example.com' });
  await seedOrgs(t, true);
  manager = await login(t, 'manager@demo.bulwark.test');
  auditor = await login(t, 'auditor@demo.bulwark.test');
  const vendors = (await t.http.get('/api/vendors').query({ pageSize: 200 }).set(auth(manager))).body.items as {
    id: string;
    name: string;
  }[];
  bloombergId = vendors.find((v) => v.name === 'Bloomberg')!.id;
  openaiId = vendors.find((v) => v.name === 'OpenAI')!.id;
});
afterAll(async () => t?.close());

describe('invitations', () => {
  it('mails a single-use link that signs the contact in, bound to the vendor', async () => {
    const res = await invite({ vendorId: bloombergId, email: 'Jane.Doe@Bloomberg.example', name: 'Jane Doe' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      vendorId: bloombergId,
      email: 'jane.doe@bloomberg.example',
      name: 'Jane Doe',
      status: 'pending',
      acceptedAt: null,
    });
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(71 * 3600_000);
    expect(JSON.stringify(res.body)).not.toMatch(/token/i);

    const mail = await mailFor(res.body.id);
    expect(mail.to).toBe('jane.doe@bloomberg.example');
    expect(mail.subject).toBe('You are invited to Bulwark for Bloomberg');
    expect(mail.text).toMatch(/https:\/\/bulwark\.example\.com\/invite\/[A-Za-z0-9_-]{40,}/);
    const token = tokenOf(mail);

    // Only the hash of the token is stored.
    const rows = (await t.app.get(DataSource).query(`SELECT token_hash FROM invitations WHERE id = $1`, [res.body.id])) as {
      token_hash: string;
    }[];
    expect(rows[0]!.token_hash).not.toBe(token);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);

    const shown = await peek(token);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      email: 'jane.doe@bloomberg.example',
      name: 'Jane Doe',
      vendorName: 'Bloomberg',
      organizationName: 'Demo Org',
    });

    const short = await accept(token, 'too-short');
    expect(short.status).toBe(422);
    expect(short.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['password']);
    // A refused accept does not use up the token.
    expect((await peek(token)).status).toBe(200);

    const ok = await accept(token, PASSWORD, 'Jane D.');
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({
      email: 'jane.doe@bloomberg.example',
      name: 'Jane D.',
      role: 'vendor_contact',
      vendorId: bloombergId,
      vendorName: 'Bloomberg',
      organizationName: 'Demo Org',
    });
    expect(String(ok.headers['set-cookie'])).toMatch(/bulwark_session=.*HttpOnly/i);
    const me = await t.http.get('/api/auth/me').set(auth(ok.body.token));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'vendor_contact', vendorId: bloombergId, vendorName: 'Bloomberg' });

    // The new account is a vendor contact: its own vendor only.
    expect((await t.http.get(`/api/vendors/${bloombergId}`).set(auth(ok.body.token))).status).toBe(200);
    expect((await t.http.get(`/api/vendors/${openaiId}`).set(auth(ok.body.token))).status).toBe(403);
    expect((await t.http.get('/api/vendors').set(auth(ok.body.token))).status).toBe(403);
    expect((await login(t, 'jane.doe@bloomberg.example', PASSWORD)).length).toBeGreaterThan(20);

    const again = await accept(token);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('invitation.invalid');
    expect((await peek(token)).status).toBe(404);

    const list = await t.http.get('/api/invitations').query({ vendorId: bloombergId }).set(auth(manager));
    expect(list.body.items.find((i: { id: string }) => i.id === res.body.id)).toMatchObject({ status: 'accepted' });
    const log = await t.http.get('/api/audit-log').query({ entityId: res.body.id }).set(auth(auditor));
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['invitation.accepted', 'invitation.created']);
    expect(JSON.stringify(log.body)).not.toContain(token);
    // The vendor now shows the contact's portal access once the contact is on file.
    const contact = await t.http
      .post(`/api/vendors/${bloombergId}/contacts`)
      .set(auth(manager))
      .send({ name: 'Jane Doe', email: 'jane.doe@bloomberg.example' });
    expect(contact.body.hasPortalAccess).toBe(true);
  });

  it('lets only one of two simultaneous accepts through', async () => {
    const { token } = await invited('race@bloomberg.example');
    const results = await Promise.all([accept(token), accept(token)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 404]);
    const users = (await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM users WHERE email = 'race@bloomberg.example'`)) as {
      n: number;
    }[];
    expect(users[0]!.n).toBe(1);
  });

  it('stops a revoked link from working', async () => {
    const { invitation, token } = await invited('revoked@bloomberg.example');
    const revoked = await t.http.post(`/api/invitations/${invitation.id}/revoke`).set(auth(manager));
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    const shown = await peek(token);
    expect(shown.status).toBe(404);
    expect(shown.body.error.code).toBe('invitation.invalid');
    expect((await accept(token)).status).toBe(404);
    const resend = await t.http.post(`/api/invitations/${invitation.id}/resend`).set(auth(manager));
    expect(resend.status).toBe(409);
    expect(resend.body.error.code).toBe('invitation.revoked');
    // Revoked, the address can be invited afresh.
    expect((await invite({ vendorId: bloombergId, email: 'revoked@bloomberg.example', name: 'Second try' })).status).toBe(201);
  });

  it('re-sending issues a new token and voids the old one', async () => {
    const { invitation, token: first } = await invited('resend@bloomberg.example');
    const res = await t.http.post(`/api/invitations/${invitation.id}/resend`).set(auth(manager));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('pending');
    const second = tokenOf(await mailFor(invitation.id, 2));
    expect(second).not.toBe(first);
    expect((await peek(first)).status).toBe(404);
    expect((await accept(first)).status).toBe(404);
    expect((await peek(second)).status).toBe(200);
    const ok = await accept(second);
    expect(ok.status).toBe(200);
    expect(ok.body.user.email).toBe('resend@bloomberg.example');
    const afterAccept = await t.http.post(`/api/invitations/${invitation.id}/resend`).set(auth(manager));
    expect(afterAccept.status).toBe(409);
    expect(afterAccept.body.error.code).toBe('invitation.accepted');
    expect((await t.http.post(`/api/invitations/${invitation.id}/revoke`).set(auth(manager))).status).toBe(409);
  });

  it('refuses an expired link, and a re-send revives it', async () => {
    const { invitation, token } = await invited('expired@bloomberg.example');
    await t.app.get(DataSource).query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [invitation.id]);
    expect((await peek(token)).status).toBe(404);
    const res = await accept(token);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('invitation.invalid');
    const list = await t.http.get('/api/invitations').set(auth(manager));
    expect(list.body.items.find((i: { id: string }) => i.id === invitation.id).status).toBe('expired');
    // Expired, the address can be invited again (no pending invitation blocks it).
    const resent = await t.http.post(`/api/invitations/${invitation.id}/resend`).set(auth(manager));
    expect(resent.body.status).toBe('pending');
    expect((await peek(tokenOf(await mailFor(invitation.id, 2)))).status).toBe(200);
  });

  it('refuses an address that already has an account, or a pending invitation', async () => {
    const existing = await invite({ vendorId: openaiId, email: 'contact@openai.demo.bulwark.test', name: 'Again' });
    expect(existing.status).toBe(409);
    expect(existing.body.error.code).toBe('invitation.email_unavailable');
    const internal = await invite({ vendorId: openaiId, email: 'AUDITOR@demo.bulwark.test', name: 'Auditor' });
    expect(internal.status).toBe(409);
    // Accounts are global: an address used in another organization is taken too.
    const elsewhere = await invite({ vendorId: openaiId, email: 'manager@other.bulwark.test', name: 'Other' });
    expect(elsewhere.status).toBe(409);
    // … with the same answer as an address of this organization, so it reveals nothing about the other one.
    expect(elsewhere.body.error).toEqual(existing.body.error);
    expect(JSON.stringify(elsewhere.body)).not.toMatch(/manager@other|other\.bulwark|Other Org/);
    await invited('pending@openai.example', openaiId);
    const pending = await invite({ vendorId: openaiId, email: 'pending@openai.example', name: 'Twice' });
    expect(pending.status).toBe(409);
    expect(pending.body.error.code).toBe('invitation.pending');
  });

  it('creates one live link when the same address is invited by several requests at once', async () => {
    const email = 'many-at-once@bloomberg.example';
    const answers = await Promise.all(Array.from({ length: 8 }, () => invite({ vendorId: bloombergId, email, name: 'Race' })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(answers.filter((r) => r.status === 409).every((r) => r.body.error.code === 'invitation.pending')).toBe(true);
    const rows = await t.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM invitations WHERE email = $1 AND accepted_at IS NULL AND revoked_at IS NULL`, [email]);
    expect(rows[0].n).toBe(1);
  });

  it('lets an address whose link expired be invited afresh; the old link stays expired', async () => {
    const { invitation, token } = await invited('lapsed@bloomberg.example');
    await t.app.get(DataSource).query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [invitation.id]);
    const again = await invited('lapsed@bloomberg.example');
    expect(again.invitation.id).not.toBe(invitation.id);
    const items = (await t.http.get('/api/invitations').query({ pageSize: 200 }).set(auth(manager))).body.items as {
      id: string;
      status: string;
    }[];
    expect(items.find((i) => i.id === invitation.id)!.status).toBe('expired');
    expect(items.find((i) => i.id === again.invitation.id)!.status).toBe('pending');
    expect((await peek(token)).status).toBe(404);
    expect((await peek(again.token)).status).toBe(200);
  });

  it('validates input, vendor and role', async () => {
    const bad = await invite({ vendorId: 'nope', email: 'x', name: '' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['email', 'name', 'vendorId']);
    const otherManager = await login(t, 'manager@other.bulwark.test');
    const foreign = await invite({ vendorId: bloombergId, email: 'x@foreign.example', name: 'X' }, otherManager);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('vendor.not_found');
    const procurement = await login(t, 'procurement@demo.bulwark.test');
    expect((await invite({ vendorId: bloombergId, email: 'p@bloomberg.example', name: 'P' }, procurement)).status).toBe(403);
    const garbage = await peek('not a token');
    expect(garbage.status).toBe(404);
    expect((await peek('A'.repeat(43))).status).toBe(404);
    const shortToken = await t.http.post('/api/invitations/accept').send({ token: 'short', password: PASSWORD });
    expect(shortToken.status).toBe(422);
    // Another organization's manager cannot see or revoke our invitations.
    const ours = (await t.http.get('/api/invitations').set(auth(manager))).body.items as { id: string }[];
    expect(ours.length).toBeGreaterThan(0);
    expect((await t.http.get('/api/invitations').set(auth(otherManager))).body).toMatchObject({ items: [], total: 0 });
    expect((await t.http.post(`/api/invitations/${ours[0]!.id}/revoke`).set(auth(otherManager))).status).toBe(404);
  });
});
