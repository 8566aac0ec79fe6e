import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

/** A finding's discussion is a thread: the vendor's side sees and writes vendor-visible comments only; other vendors see nothing. */
let t: TestApp;
let manager: string;
let openai: string;
let bloomberg: string;
let findingId: string;

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, false);
  manager = await login(t, 'manager@demo.bulwark.test');
  openai = await login(t, 'contact@openai.demo.bulwark.test');
  bloomberg = await login(t, 'contact@bloomberg.demo.bulwark.test');
  const [{ id: vendorId }] = await t.app.get(DataSource).query(`SELECT id FROM vendors WHERE name = 'OpenAI'`);
  const raised = await t.http
    .post('/api/findings')
    .set(auth(manager))
    .send({ vendorId, title: 'Thread finding', details: 'Backups never restored', severity: 'medium' });
  expect(raised.status).toBe(201);
  findingId = raised.body.id;
});
afterAll(async () => t?.close());

describe('the thread of a finding', () => {
  it('keeps internal notes from the vendor, links each side to its own page, and hides it from other vendors', async () => {
    const url = `/api/threads/finding/${findingId}`;
    expect((await t.http.post(url).set(auth(manager)).send({ body: 'Check their DR runbook first', audience: 'internal' })).status).toBe(
      201,
    );
    expect((await t.http.post(url).set(auth(openai)).send({ body: 'Our drill is booked for next week', audience: 'vendor' })).status).toBe(
      201,
    );
    const theirs = await t.http.get(url).set(auth(openai));
    expect(theirs.body).toMatchObject({ total: 1, audiences: ['vendor'], link: `/vendor-home/findings/${findingId}` });
    expect(theirs.body.comments.map((c: { body: string }) => c.body)).toEqual(['Our drill is booked for next week']);
    const ours = await t.http.get(url).set(auth(manager));
    expect(ours.body).toMatchObject({ total: 2, link: `/findings/${findingId}` });
    const refused = await t.http.post(url).set(auth(openai)).send({ body: 'Sneaky', audience: 'internal' });
    expect(refused.status).toBe(403);
    expect((await t.http.get(url).set(auth(bloomberg))).status).toBe(404);
  });
});
