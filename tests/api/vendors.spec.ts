import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEMO_VENDORS } from '@bulwark/api';
import { VENDOR_INTERNAL_FIELDS } from '@bulwark/api-schema';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

let t: TestApp;
let manager: string;
let auditor: string;

const TIER_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/** An intake scoring 110 points: the top of the scale. */
const CRITICAL_INTAKE = {
  servedCriticality: 'critical',
  dataSensitivity: 'restricted',
  aiModelProvider: true,
  substitutability: 'none',
  financialHealth: 'distressed',
} as const;
/** 5 points: low. */
const LOW_INTAKE = {
  servedCriticality: 'low',
  dataSensitivity: 'public',
  aiModelProvider: false,
  substitutability: 'easy',
  financialHealth: 'healthy',
} as const;

const list = (query: Record<string, string | number>) => t.http.get('/api/vendors').query(query).set(auth(manager));
const vendorCount = async () => (await list({ pageSize: 1 })).body.total as number;
const auditTotal = async () => {
  const res = await t.http.get('/api/audit-log').query({ pageSize: 1 }).set(auth(auditor));
  expect(res.status).toBe(200);
  return res.body.total as number;
};
const create = (body: Record<string, unknown>) => t.http.post('/api/vendors').set(auth(manager)).send(body);
const fieldPaths = (res: { body: { error: { fields?: { path: string }[] } } }) => (res.body.error.fields ?? []).map((f) => f.path);

async function newVendor(name: string, extra: Record<string, unknown> = {}) {
  const res = await create({ name, intake: LOW_INTAKE, ...extra });
  expect(res.status).toBe(201);
  return res.body as { id: string; version: number; tier: string; computedTier: string; lifecycle: string };
}

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, true);
  manager = await login(t, 'manager@demo.bulwark.test');
  auditor = await login(t, 'auditor@demo.bulwark.test');
});
afterAll(async () => t?.close());

describe('vendor list', () => {
  it('paginates with page, pageSize and total, sorted by name by default', async () => {
    const all = await list({ pageSize: 200 });
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(DEMO_VENDORS.length);
    const names = all.body.items.map((v: { name: string }) => v.name);
    expect(names).toHaveLength(DEMO_VENDORS.length);
    expect(names[0]).toBe('Amazon Web Services');
    expect(names.at(-1)).toBe('Twilio');
    // The demo org's own inventory only, never Other Org's copies.
    expect(new Set(names).size).toBe(DEMO_VENDORS.length);

    const p2 = await list({ page: 2, pageSize: 4 });
    expect(p2.body).toMatchObject({ page: 2, pageSize: 4, total: DEMO_VENDORS.length });
    expect(p2.body.items.map((v: { name: string }) => v.name)).toEqual(names.slice(4, 8));
    const last = await list({ page: 4, pageSize: 4 });
    expect(last.body.items).toHaveLength(DEMO_VENDORS.length - 12);
    expect(last.body.items.map((v: { name: string }) => v.name)).toEqual(names.slice(12));
    const beyond = await list({ page: 9, pageSize: 4 });
    expect(beyond.body.items).toEqual([]);
    expect(beyond.body.total).toBe(DEMO_VENDORS.length);
  });

  it('rejects a bad page size and an unknown query parameter with 422', async () => {
    const big = await list({ pageSize: 500 });
    expect(big.status).toBe(422);
    expect(fieldPaths(big)).toContain('query.pageSize');
    const unknown = await list({ colour: 'red' });
    expect(unknown.status).toBe(422);
    expect(fieldPaths(unknown)).toContain('query.colour');
    const badSort = await list({ sort: 'password' });
    expect(badSort.status).toBe(422);
    expect(fieldPaths(badSort)).toContain('query.sort');
  });

  it('searches by name, legal name and exact identifiers', async () => {
    const byName = await list({ search: 'cloud' });
    expect(byName.body.items.map((v: { name: string }) => v.name)).toEqual(['Google Cloud']);
    const byLegal = await list({ search: 'Microsoft Corp' });
    expect(byLegal.body.items.map((v: { name: string }) => v.name)).toEqual(['Microsoft Azure']);
    const byLei = await list({ search: '5493001KJTIIGC8Y1R12' });
    expect(byLei.body.items.map((v: { name: string }) => v.name)).toEqual(['Bloomberg']);
    const byCik = await list({ search: '1018724' });
    expect(byCik.body.items.map((v: { name: string }) => v.name)).toEqual(['Amazon Web Services']);
    const bySlug = await list({ search: 'amazon-web-services' });
    expect(bySlug.body.items.map((v: { name: string }) => v.name)).toEqual(['Amazon Web Services']);
    const byLowerLei = await list({ search: '5493001kjtiigc8y1r12' });
    expect(byLowerLei.body.items.map((v: { name: string }) => v.name)).toEqual(['Bloomberg']);
    // LIKE wildcards are taken literally.
    const wildcard = await list({ search: '%' });
    expect(wildcard.body.total).toBe(0);
  });

  it('filters by tier, lifecycle and service kind', async () => {
    const all = (await list({ pageSize: 200 })).body.items as { name: string; tier: string; lifecycle: string; serviceKinds: string[] }[];
    for (const tier of ['critical', 'high', 'medium', 'low']) {
      const res = await list({ tier, pageSize: 200 });
      expect(res.status).toBe(200);
      expect(res.body.items.every((v: { tier: string }) => v.tier === tier)).toBe(true);
      expect(res.body.total).toBe(all.filter((v) => v.tier === tier).length);
    }
    const critical = await list({ tier: 'critical', pageSize: 200 });
    expect(critical.body.items.map((v: { name: string }) => v.name)).toEqual(
      expect.arrayContaining(['Amazon Web Services', 'Snowflake', 'OpenAI']),
    );
    // The override raises Twilio's effective tier to high although it computes as medium.
    const high = await list({ tier: 'high', pageSize: 200 });
    const twilio = high.body.items.find((v: { name: string }) => v.name === 'Twilio');
    expect(twilio).toMatchObject({ tier: 'high', computedTier: 'medium', tierOverridden: true });

    const onboarding = await list({ lifecycle: 'onboarding' });
    expect(onboarding.body.items.map((v: { name: string }) => v.name)).toEqual(['Cohere']);
    const prospect = await list({ lifecycle: 'prospect' });
    expect(prospect.body.items.map((v: { name: string }) => v.name)).toEqual(['Northwind Labelling']);

    const data = await list({ kind: 'data_provider' });
    expect(data.body.items.map((v: { name: string }) => v.name)).toEqual(['Bloomberg', 'LSEG', 'Pinecone', 'Snowflake']);
    expect(data.body.items.every((v: { serviceKinds: string[] }) => v.serviceKinds.includes('data_provider'))).toBe(true);
    const combined = await list({ kind: 'data_provider', tier: 'critical' });
    expect(
      combined.body.items.every(
        (v: { tier: string; serviceKinds: string[] }) => v.tier === 'critical' && v.serviceKinds.includes('data_provider'),
      ),
    ).toBe(true);

    const me = (await t.http.get('/api/auth/me').set(auth(manager))).body;
    const owned = await list({ ownerId: me.id, pageSize: 200 });
    expect(owned.body.total).toBe(DEMO_VENDORS.length);
    expect(owned.body.items.every((v: { ownerName: string }) => v.ownerName === 'Morgan Manager')).toBe(true);
    expect((await list({ ownerId: '00000000-0000-4000-8000-000000000000' })).body.total).toBe(0);

    const invalid = await list({ tier: 'extreme' });
    expect(invalid.status).toBe(422);
    expect(fieldPaths(invalid)).toContain('query.tier');
  });

  it('sorts by name and by tier, ascending or descending', async () => {
    const asc = (await list({ sort: 'name', pageSize: 200 })).body.items.map((v: { name: string }) => v.name);
    const desc = (await list({ sort: '-name', pageSize: 200 })).body.items.map((v: { name: string }) => v.name);
    expect(desc).toEqual([...asc].reverse());

    const byTier = (await list({ sort: '-tier', pageSize: 200 })).body.items as { name: string; tier: string }[];
    expect(byTier).toHaveLength(DEMO_VENDORS.length);
    const ranks = byTier.map((v) => TIER_RANK[v.tier]!);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(byTier[0]!.tier).toBe('critical');
    expect(byTier.at(-1)!.name).toBe('Northwind Labelling');
    // Within a tier, names ascend.
    const criticalNames = byTier.filter((v) => v.tier === 'critical').map((v) => v.name);
    expect(criticalNames).toEqual([...criticalNames].sort((a, b) => a.localeCompare(b)));

    const upTier = (await list({ sort: 'tier', pageSize: 200 })).body.items as { tier: string }[];
    expect(upTier[0]!.tier).toBe('low');
    expect(upTier.at(-1)!.tier).toBe('critical');
  });
});

describe('create vendor', () => {
  it('returns the computed tier and the reasons behind it', async () => {
    const res = await create({
      name: 'Acme Models',
      legalName: 'Acme Models Ltd',
      country: 'GB',
      website: 'https://acme.example',
      identifiers: { lei: '5493001KJTIIGC8Y1R99', companyNumber: 'ab123456' },
      intake: CRITICAL_INTAKE,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Acme Models',
      slug: 'acme-models',
      lifecycle: 'prospect',
      tier: 'critical',
      computedTier: 'critical',
      tierOverridden: false,
      tierScore: 110,
      version: 1,
      identifiers: { lei: '5493001KJTIIGC8Y1R99', companyNumber: 'AB123456', cik: null, duns: null },
      allowedLifecycleTransitions: ['onboarding', 'terminated'],
      services: [],
      contacts: [],
    });
    expect(res.body.tierReasons).toEqual([
      { factor: 'Criticality of what it serves', value: 'critical', points: 40 },
      { factor: 'Data sensitivity', value: 'restricted', points: 25 },
      { factor: 'AI model provider', value: 'yes', points: 10 },
      { factor: 'Substitutability', value: 'none', points: 20 },
      { factor: 'Financial signal', value: 'distressed', points: 15 },
    ]);
    const get = await t.http.get(`/api/vendors/${res.body.id}`).set(auth(manager));
    expect(get.status).toBe(200);
    expect(get.body.tier).toBe('critical');
  });

  it('applies the floor for a supplier of a critical system and explains it', async () => {
    const res = await create({
      name: 'Floor Co',
      intake: {
        servedCriticality: 'critical',
        dataSensitivity: 'public',
        aiModelProvider: false,
        substitutability: 'easy',
        financialHealth: 'healthy',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.tierScore).toBe(40);
    expect(res.body.tier).toBe('high');
    expect(res.body.tierReasons.at(-1)).toMatchObject({ factor: 'Floor', points: 0 });
    const low = await create({ name: 'Tiny Co', intake: LOW_INTAKE });
    expect(low.body).toMatchObject({ tier: 'low', tierScore: 5 });
  });

  it('rejects unknown fields with 422 naming each field, writing nothing', async () => {
    const before = await vendorCount();
    const auditBefore = await auditTotal();
    const one = await create({ name: 'Sneaky', intake: LOW_INTAKE, organizationId: '00000000-0000-4000-8000-000000000000' });
    expect(one.status).toBe(422);
    expect(one.body.error.code).toBe('body.invalid');
    expect(fieldPaths(one)).toEqual(['organizationId']);
    const two = await create({ name: 'Sneaky', intake: LOW_INTAKE, organizationId: '00000000-0000-4000-8000-000000000000', tier: 'low' });
    expect(two.status).toBe(422);
    expect(fieldPaths(two).sort()).toEqual(['organizationId', 'tier']);
    const nested = await create({ name: 'Sneaky', intake: { ...LOW_INTAKE, score: 1 } });
    expect(nested.status).toBe(422);
    expect(fieldPaths(nested)).toEqual(['intake.score']);
    expect(await vendorCount()).toBe(before);
    expect(await auditTotal()).toBe(auditBefore);
  });

  it('validates identifiers and country with field paths', async () => {
    const before = await vendorCount();
    const res = await create({
      name: 'Bad Ids',
      country: 'usa',
      identifiers: { lei: 'NOT-AN-LEI', cik: '12345678901', duns: '12' },
      intake: LOW_INTAKE,
    });
    expect(res.status).toBe(422);
    expect(fieldPaths(res)).toEqual(expect.arrayContaining(['country', 'identifiers.lei', 'identifiers.cik', 'identifiers.duns']));
    const lei = res.body.error.fields.find((f: { path: string }) => f.path === 'identifiers.lei');
    expect(lei.message).toMatch(/20 characters/);
    const missing = await create({ name: '' });
    expect(missing.status).toBe(422);
    expect(fieldPaths(missing)).toEqual(expect.arrayContaining(['name', 'intake']));
    const website = await create({ name: 'Ftp Co', website: 'ftp://files.example', intake: LOW_INTAKE });
    expect(website.status).toBe(422);
    expect(fieldPaths(website)).toEqual(['website']);
    expect(await vendorCount()).toBe(before);
  });

  it('refuses a duplicate name (any case) with 409 and writes nothing', async () => {
    const before = await vendorCount();
    const auditBefore = await auditTotal();
    const dup = await create({ name: 'openai', intake: LOW_INTAKE });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('vendor.duplicate_name');
    expect(await vendorCount()).toBe(before);
    expect(await auditTotal()).toBe(auditBefore);
  });

  it('is refused for read-only roles', async () => {
    const procurement = await login(t, 'procurement@demo.bulwark.test');
    const res = await t.http.post('/api/vendors').set(auth(procurement)).send({ name: 'Nope', intake: LOW_INTAKE });
    expect(res.status).toBe(403);
  });
});

describe('update vendor', () => {
  it('allows legal lifecycle moves and refuses illegal ones with 409', async () => {
    const v = await newVendor('Lifecycle Co');
    const auditBefore = await auditTotal();
    const illegal = await t.http.patch(`/api/vendors/${v.id}`).set(auth(manager)).send({ lifecycle: 'active' });
    expect(illegal.status).toBe(409);
    expect(illegal.body.error.code).toBe('vendor.illegal_transition');
    expect(await auditTotal()).toBe(auditBefore);

    const step = await t.http.patch(`/api/vendors/${v.id}`).set(auth(manager)).send({ lifecycle: 'onboarding' });
    expect(step.status).toBe(200);
    expect(step.body).toMatchObject({
      lifecycle: 'onboarding',
      version: 2,
      allowedLifecycleTransitions: ['active', 'exiting', 'terminated'],
    });
    const entries = await t.http.get('/api/audit-log').query({ entityId: v.id, action: 'vendor.lifecycle_changed' }).set(auth(auditor));
    expect(entries.body.total).toBe(1);
    expect(entries.body.items[0].diff).toEqual({ lifecycle: { from: 'prospect', to: 'onboarding' } });

    expect((await t.http.patch(`/api/vendors/${v.id}`).set(auth(manager)).send({ lifecycle: 'terminated' })).status).toBe(200);
    const back = await t.http.patch(`/api/vendors/${v.id}`).set(auth(manager)).send({ lifecycle: 'prospect' });
    expect(back.status).toBe(409);
    expect(back.body.error.code).toBe('vendor.illegal_transition');
    expect((await t.http.get(`/api/vendors/${v.id}`).set(auth(manager))).body.lifecycle).toBe('terminated');
  });

  it('detects a stale version with 409 and leaves the vendor unchanged', async () => {
    const v = await newVendor('Concurrent Co');
    const first = await t.http.patch(`/api/vendors/${v.id}`).set(auth(manager)).send({ description: 'first edit', version: 1 });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    const auditBefore = await auditTotal();
    const stale = await t.http
      .patch(`/api/vendors/${v.id}`)
      .set(auth(manager))
      .send({ description: 'second edit', name: 'Renamed Co', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('vendor.stale');
    const now = await t.http.get(`/api/vendors/${v.id}`).set(auth(manager));
    expect(now.body).toMatchObject({ name: 'Concurrent Co', description: 'first edit', version: 2 });
    expect(await auditTotal()).toBe(auditBefore);
    const fresh = await t.http.patch(`/api/vendors/${v.id}`).set(auth(manager)).send({ description: 'second edit', version: 2 });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ description: 'second edit', version: 3 });
  });

  it('refuses renaming onto another vendor, and re-tiers when the intake changes', async () => {
    const v = await newVendor('Rename Me');
    const dup = await t.http.patch(`/api/vendors/${v.id}`).set(auth(manager)).send({ name: 'Bloomberg' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('vendor.duplicate_name');
    const intake = await t.http.patch(`/api/vendors/${v.id}`).set(auth(manager)).send({ intake: CRITICAL_INTAKE });
    expect(intake.status).toBe(200);
    expect(intake.body).toMatchObject({ name: 'Rename Me', tier: 'critical', computedTier: 'critical', tierScore: 110 });
    const bad = await t.http
      .patch(`/api/vendors/${v.id}`)
      .set(auth(manager))
      .send({ identifiers: { lei: 'short' } });
    expect(bad.status).toBe(422);
    expect(fieldPaths(bad)).toEqual(['identifiers.lei']);
  });

  it('answers 404 for a vendor of another organization', async () => {
    const other = await login(t, 'manager@other.bulwark.test');
    const theirs = (await t.http.get('/api/vendors').query({ search: 'OpenAI' }).set(auth(other))).body.items[0];
    expect(theirs.name).toBe('OpenAI');
    const res = await t.http.get(`/api/vendors/${theirs.id}`).set(auth(manager));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('vendor.not_found');
    const patch = await t.http.patch(`/api/vendors/${theirs.id}`).set(auth(manager)).send({ description: 'x' });
    expect(patch.status).toBe(404);
  });
});

describe('tier override', () => {
  it('needs a reason, sets the effective tier, and clearing restores the computed tier', async () => {
    const v = await newVendor('Override Co');
    expect(v.tier).toBe('low');
    const auditBefore = await auditTotal();
    const short = await t.http.put(`/api/vendors/${v.id}/tier-override`).set(auth(manager)).send({ tier: 'critical', reason: 'because' });
    expect(short.status).toBe(422);
    expect(fieldPaths(short)).toEqual(['reason']);
    const noReason = await t.http.put(`/api/vendors/${v.id}/tier-override`).set(auth(manager)).send({ tier: 'critical' });
    expect(noReason.status).toBe(422);
    expect(await auditTotal()).toBe(auditBefore);
    expect((await t.http.get(`/api/vendors/${v.id}`).set(auth(manager))).body.tier).toBe('low');

    const set = await t.http
      .put(`/api/vendors/${v.id}/tier-override`)
      .set(auth(manager))
      .send({ tier: 'critical', reason: 'Sole supplier of the payments model' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ tier: 'critical', computedTier: 'low', tierOverridden: true });
    expect(set.body.tierOverride).toMatchObject({ tier: 'critical', reason: 'Sole supplier of the payments model', by: 'Morgan Manager' });
    const filtered = await list({ tier: 'critical', search: 'Override Co' });
    expect(filtered.body.total).toBe(1);

    // Intake changes keep the override in force.
    const reIntake = await t.http
      .patch(`/api/vendors/${v.id}`)
      .set(auth(manager))
      .send({ intake: { ...LOW_INTAKE, dataSensitivity: 'internal' } });
    expect(reIntake.body).toMatchObject({ tier: 'critical', computedTier: 'low' });

    const cleared = await t.http.delete(`/api/vendors/${v.id}/tier-override`).set(auth(manager));
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ tier: 'low', computedTier: 'low', tierOverridden: false, tierOverride: null });
    const actions = await t.http.get('/api/audit-log').query({ entityId: v.id }).set(auth(auditor));
    expect(actions.body.items.map((e: { action: string }) => e.action)).toEqual([
      'vendor.tier_override_cleared',
      'vendor.updated',
      'vendor.tier_overridden',
      'vendor.created',
    ]);
  });
});

describe('contacts', () => {
  it('adds, updates and deletes contacts, keeping a single primary', async () => {
    const v = await newVendor('Contact Co');
    const a = await t.http
      .post(`/api/vendors/${v.id}/contacts`)
      .set(auth(manager))
      .send({ name: 'Alice', email: 'Alice@Contact.example', isPrimary: true });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      vendorId: v.id,
      name: 'Alice',
      email: 'alice@contact.example',
      isPrimary: true,
      hasPortalAccess: false,
      title: null,
    });
    const b = await t.http
      .post(`/api/vendors/${v.id}/contacts`)
      .set(auth(manager))
      .send({ name: 'Bob', email: 'bob@contact.example', title: 'CTO', isPrimary: true });
    expect(b.status).toBe(201);
    const dup = await t.http
      .post(`/api/vendors/${v.id}/contacts`)
      .set(auth(manager))
      .send({ name: 'Alice again', email: 'alice@contact.example' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('contact.duplicate');
    const badEmail = await t.http.post(`/api/vendors/${v.id}/contacts`).set(auth(manager)).send({ name: 'X', email: 'nope' });
    expect(badEmail.status).toBe(422);
    expect(fieldPaths(badEmail)).toEqual(['email']);

    let detail = (await t.http.get(`/api/vendors/${v.id}`).set(auth(manager))).body;
    expect(detail.contacts.map((c: { name: string; isPrimary: boolean }) => [c.name, c.isPrimary])).toEqual([
      ['Bob', true],
      ['Alice', false],
    ]);

    const upd = await t.http
      .patch(`/api/vendors/${v.id}/contacts/${a.body.id}`)
      .set(auth(manager))
      .send({ phone: '+44 20 7946 0000', isPrimary: true });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ name: 'Alice', phone: '+44 20 7946 0000', isPrimary: true });
    detail = (await t.http.get(`/api/vendors/${v.id}`).set(auth(manager))).body;
    expect(detail.contacts.filter((c: { isPrimary: boolean }) => c.isPrimary).map((c: { name: string }) => c.name)).toEqual(['Alice']);

    // A contact of another vendor cannot be edited through this one.
    const openai = (await list({ search: 'OpenAI' })).body.items[0];
    const wrong = await t.http.patch(`/api/vendors/${openai.id}/contacts/${a.body.id}`).set(auth(manager)).send({ name: 'Hijack' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('contact.vendor_mismatch');

    const del = await t.http.delete(`/api/vendors/${v.id}/contacts/${b.body.id}`).set(auth(manager));
    expect(del.status).toBe(204);
    detail = (await t.http.get(`/api/vendors/${v.id}`).set(auth(manager))).body;
    expect(detail.contacts.map((c: { name: string }) => c.name)).toEqual(['Alice']);
    const again = await t.http.delete(`/api/vendors/${v.id}/contacts/${b.body.id}`).set(auth(manager));
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('contact.not_found');
    const log = await t.http.get('/api/audit-log').query({ entityType: 'vendor_contact', entityId: b.body.id }).set(auth(auditor));
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['contact.deleted', 'contact.created']);
  });

  it('shows portal access for a contact with an account', async () => {
    const openai = (await list({ search: 'OpenAI' })).body.items[0];
    const res = await t.http
      .post(`/api/vendors/${openai.id}/contacts`)
      .set(auth(manager))
      .send({ name: 'Portal User', email: 'contact@openai.demo.bulwark.test' });
    expect(res.status).toBe(201);
    expect(res.body.hasPortalAccess).toBe(true);
  });
});

describe("a vendor contact's view of their vendor", () => {
  it('is the profile, services and contacts without the internal assessment', async () => {
    const twilio = (await list({ search: 'Twilio' })).body.items[0] as { id: string };
    const bloomberg = (await list({ search: 'Bloomberg' })).body.items[0] as { id: string };
    // An override with a reason, so every internal field has a value the contact must not see.
    const reason = 'Internal: the only licensed source for the credit model';
    expect(
      (await t.http.put(`/api/vendors/${bloomberg.id}/tier-override`).set(auth(manager)).send({ tier: 'critical', reason })).status,
    ).toBe(200);
    const full = await t.http.get(`/api/vendors/${bloomberg.id}`).set(auth(manager));
    expect(full.body).toMatchObject({ view: 'full', tierOverride: { reason }, ownerName: 'Morgan Manager' });
    for (const f of VENDOR_INTERNAL_FIELDS) expect(full.body, f).toHaveProperty(f);

    const contact = await login(t, 'contact@bloomberg.demo.bulwark.test');
    const res = await t.http.get(`/api/vendors/${bloomberg.id}`).set(auth(contact));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      view: 'profile',
      id: bloomberg.id,
      name: 'Bloomberg',
      legalName: 'Bloomberg Finance L.P.',
      lifecycle: 'active',
      identifiers: { lei: '5493001KJTIIGC8Y1R12' },
    });
    expect(res.body.services.map((s: { name: string }) => s.name)).toEqual(['Bloomberg Data License']);
    expect(res.body.contacts.map((c: { name: string }) => c.name)).toContain('Marcus Lee');
    for (const f of VENDOR_INTERNAL_FIELDS) expect(res.body, f).not.toHaveProperty(f);
    const text = JSON.stringify(res.body);
    for (const secret of [reason, 'Morgan Manager', 'servedCriticality', 'Credit Risk Scoring']) expect(text).not.toContain(secret);
    // Another vendor stays out of reach.
    expect([403, 404]).toContain((await t.http.get(`/api/vendors/${twilio.id}`).set(auth(contact))).status);
  });
});
