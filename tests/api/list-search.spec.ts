import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

/** Text search on the contracts and negotiations lists: title, reference, SLA and vendor names; scoped like the list. */
let t: TestApp;
let procurement: string;
let openaiContact: string;

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t);
  procurement = await login(t, 'procurement@demo.bulwark.test');
  openaiContact = await login(t, 'contact@openai.demo.bulwark.test');
});
afterAll(async () => t?.close());

const titles = (body: { items: { title: string }[] }) => body.items.map((c) => c.title);

describe('contract search', () => {
  it('matches the title, the reference and the vendor name, case-insensitively, with wildcards taken literally', async () => {
    const byTitle = await t.http.get('/api/contracts').query({ search: 'capacity order' }).set(auth(procurement));
    expect(byTitle.status).toBe(200);
    expect(titles(byTitle.body)).toEqual(['Snowflake Master Subscription Agreement and Capacity Order Form']);

    const byVendor = await t.http.get('/api/contracts').query({ search: 'amazon web' }).set(auth(procurement));
    expect(titles(byVendor.body)).toEqual(['AWS Enterprise Agreement with Enterprise Support']);

    const [{ reference }] = (await t.http.get('/api/contracts').query({ search: 'Salesforce' }).set(auth(procurement))).body.items;
    expect(reference, 'the demo Salesforce contract has a reference').toBeTruthy();
    const byReference = await t.http.get('/api/contracts').query({ search: reference }).set(auth(procurement));
    expect(titles(byReference.body)).toEqual(['Salesforce Master Subscription Agreement — Service Cloud Unlimited']);

    for (const wildcard of ['%', '_']) {
      const res = await t.http.get('/api/contracts').query({ search: wildcard }).set(auth(procurement));
      expect(res.body.total).toBe(0);
    }
  });

  it('a vendor contact finds only its own vendor’s contracts; another organization’s never appear', async () => {
    const mine = await t.http.get('/api/contracts').query({ search: 'Agreement' }).set(auth(openaiContact));
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(new Set(mine.body.items.map((c: { vendorName: string }) => c.vendorName))).toEqual(new Set(['OpenAI']));
    const demoIds = new Set(
      (await t.http.get('/api/contracts').query({ pageSize: 100 }).set(auth(procurement))).body.items.map((c: { id: string }) => c.id),
    );
    const found = (await t.http.get('/api/contracts').query({ search: 'AWS', pageSize: 100 }).set(auth(procurement))).body.items;
    expect(found.every((c: { id: string }) => demoIds.has(c.id))).toBe(true);
  });

  it('refuses an over-long search with a 422 naming the field', async () => {
    const res = await t.http
      .get('/api/contracts')
      .query({ search: 'x'.repeat(201) })
      .set(auth(procurement));
    expect(res.status).toBe(422);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['query.search']);
  });
});

describe('negotiation search', () => {
  it('matches the SLA name, the contract title and the vendor name', async () => {
    const contracts = (await t.http.get('/api/contracts').query({ search: 'Snowflake' }).set(auth(procurement))).body.items;
    const started = await t.http
      .post('/api/negotiations')
      .set(auth(procurement))
      .send({
        contractId: contracts[0].id,
        name: 'Warehouse query latency',
        effectiveFrom: '2099-01-01',
        terms: { availabilityTarget: 99.9 },
        scope: { serviceIds: contracts[0].services.map((s: { id: string }) => s.id) },
      });
    expect(started.status).toBe(201);
    const names = async (search: string) =>
      (await t.http.get('/api/negotiations').query({ search }).set(auth(procurement))).body.map((n: { slaName: string }) => n.slaName);
    expect(await names('query latency')).toEqual(['Warehouse query latency']);
    expect(await names('capacity order form')).toContain('Warehouse query latency');
    expect(await names('snowflake')).toContain('Warehouse query latency');
    expect(await names('no such negotiation anywhere')).toEqual([]);
    // The OpenAI contact never sees Snowflake's negotiation, whatever it searches.
    const theirs = await t.http.get('/api/negotiations').query({ search: 'snowflake' }).set(auth(openaiContact));
    expect(theirs.status).toBe(200);
    expect(theirs.body).toEqual([]);
  });
});
