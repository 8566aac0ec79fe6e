import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

/**
 * A vendor's `description` (and its services' descriptions) are the organization's internal notes; the
 * vendor's contacts see only the `sharedSummary` written for them (issue 9, item 7).
 */
let t: TestApp;
let manager: string;
let auditor: string;
let contact: string;
let openai: { id: string };

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, false);
  manager = await login(t, 'manager@demo.bulwark.test');
  auditor = await login(t, 'auditor@demo.bulwark.test');
  contact = await login(t, 'contact@openai.demo.bulwark.test');
  openai = (await t.http.get('/api/vendors?search=OpenAI').set(auth(manager))).body.items[0];
});
afterAll(async () => t?.close());

/** Every string of the organization's notes on the vendor and its services, as the manager reads them. */
async function internalNotes(): Promise<string[]> {
  const full = await t.http.get(`/api/vendors/${openai.id}`).set(auth(manager));
  expect(full.status).toBe(200);
  const notes = [full.body.description, ...full.body.services.map((s: { description: string | null }) => s.description)].filter(
    (x): x is string => !!x,
  );
  expect(notes.length, 'the demo vendor has internal notes to keep').toBeGreaterThan(1);
  return notes;
}

describe("a vendor's internal notes", () => {
  it("never reach the vendor's contacts: not in the vendor home (profile), nor in its services", async () => {
    const notes = await internalNotes();
    const get = async (url: string) => ({ url, res: await t.http.get(url).set(auth(contact)) });
    const answers = [await get(`/api/vendors/${openai.id}`), await get(`/api/services?vendorId=${openai.id}`), await get('/api/services')];
    const service = answers[1]!.res.body.items[0] as { id: string };
    answers.push(await get(`/api/services/${service.id}`));
    for (const { url, res } of answers) {
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body);
      for (const note of notes) expect(text, `${url} shows the internal note "${note}"`).not.toContain(note);
      expect(text, `${url} has a description field`).not.toContain('"description"');
    }
    expect(answers[0]!.res.body).toMatchObject({
      view: 'profile',
      sharedSummary: 'API platform agreement for chat completions and embeddings.',
    });
    // Internal users still read the notes.
    const internal = await t.http.get(`/api/services/${service.id}`).set(auth(auditor));
    expect(internal.body).toHaveProperty('description');
  });

  it('a manager writes what the vendor sees apart from the notes; both are kept, audited, and only the summary is shown', async () => {
    const before = (await t.http.get(`/api/vendors/${openai.id}`).set(auth(manager))).body;
    const res = await t.http.patch(`/api/vendors/${openai.id}`).set(auth(manager)).send({
      description: 'Internal: renewal at risk, exploring Anthropic',
      sharedSummary: 'Enterprise API agreement',
      version: before.version,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      view: 'full',
      description: 'Internal: renewal at risk, exploring Anthropic',
      sharedSummary: 'Enterprise API agreement',
    });
    const log = await t.http.get('/api/audit-log').query({ entityId: openai.id, pageSize: 5 }).set(auth(auditor));
    expect(log.status).toBe(200);
    expect(JSON.stringify(log.body.items[0])).toContain('Enterprise API agreement');

    const seen = await t.http.get(`/api/vendors/${openai.id}`).set(auth(contact));
    expect(seen.body.sharedSummary).toBe('Enterprise API agreement');
    expect(JSON.stringify(seen.body)).not.toContain('renewal at risk');

    // Too long: a 422 naming the field; nothing changes.
    const tooLong = await t.http
      .patch(`/api/vendors/${openai.id}`)
      .set(auth(manager))
      .send({ sharedSummary: 'x'.repeat(2001) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['sharedSummary']);
    expect((await t.http.get(`/api/vendors/${openai.id}`).set(auth(contact))).body.sharedSummary).toBe('Enterprise API agreement');
  });
});
