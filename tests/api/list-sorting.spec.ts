import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

/** Sort and paging of the lists that had a fixed order or no paging: dependencies, the audit log, invitations. */
let t: TestApp;
let manager: string;
let auditor: string;

const RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };
const collate = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, false);
  manager = await login(t, 'manager@demo.bulwark.test');
  auditor = await login(t, 'auditor@demo.bulwark.test');
  const vendors = (await t.http.get('/api/vendors').query({ pageSize: 3 }).set(auth(manager))).body.items as { id: string }[];
  for (const [i, name] of ['Carol Zed', 'Alice Young', 'Bob Xu'].entries()) {
    const res = await t.http
      .post('/api/invitations')
      .set(auth(manager))
      .send({ vendorId: vendors[i]!.id, email: `${name.split(' ')[0]!.toLowerCase()}@invitees.example`, name });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => t?.close());

describe('GET /api/dependencies', () => {
  const get = (query: Record<string, string | number>) => t.http.get('/api/dependencies').query(query).set(auth(manager));

  it('sorts by system, service and vendor name and by criticality, ascending or descending, with paging', async () => {
    const all = await get({ pageSize: 100 });
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(all.body.items.length);
    expect(all.body.total).toBeGreaterThan(10);
    for (const [sort, field] of [
      ['systemName', 'systemName'],
      ['serviceName', 'serviceName'],
      ['vendorName', 'vendorName'],
    ] as const) {
      const asc = (await get({ sort, pageSize: 100 })).body.items.map((d: Record<string, string>) => d[field]);
      expect(asc, sort).toEqual([...asc].sort(collate));
      const desc = (await get({ sort: `-${sort}`, pageSize: 100 })).body.items.map((d: Record<string, string>) => d[field]);
      expect(desc, `-${sort}`).toEqual([...asc].sort(collate).reverse());
    }
    const crit = (await get({ sort: '-criticality', pageSize: 100 })).body.items.map((d: { criticality: string }) => RANK[d.criticality]!);
    expect(crit).toEqual([...crit].sort((a, b) => b - a));
    expect(crit[0]).toBe(4);
    const critAsc = (await get({ sort: 'criticality', pageSize: 100 })).body.items.map(
      (d: { criticality: string }) => RANK[d.criticality]!,
    );
    expect(critAsc[0]).toBe(1);

    // Pages of a sorted list are consecutive slices of it.
    const full = (await get({ sort: 'systemName', pageSize: 100 })).body.items.map((d: { id: string }) => d.id);
    const p1 = await get({ sort: 'systemName', pageSize: 5, page: 1 });
    const p2 = await get({ sort: 'systemName', pageSize: 5, page: 2 });
    expect(p1.body).toMatchObject({ page: 1, pageSize: 5, total: full.length });
    expect([...p1.body.items, ...p2.body.items].map((d: { id: string }) => d.id)).toEqual(full.slice(0, 10));
  });

  it('refuses a sort key that is not on the list with 422', async () => {
    const res = await get({ sort: 'notes' });
    expect(res.status).toBe(422);
    expect(res.body.error.fields[0].path).toMatch(/sort/);
  });
});

describe('GET /api/audit-log', () => {
  const get = (query: Record<string, string | number>) => t.http.get('/api/audit-log').query(query).set(auth(auditor));

  it('is newest first by default and sorts by action, entity type, time or sequence', async () => {
    const def = (await get({ pageSize: 50 })).body.items.map((e: { seq: number }) => e.seq);
    expect(def).toEqual([...def].sort((a, b) => b - a));
    const bySeq = (await get({ sort: 'seq', pageSize: 50 })).body.items.map((e: { seq: number }) => e.seq);
    expect(bySeq.slice(0, 3)).toEqual([1, 2, 3]);
    const byAt = (await get({ sort: 'at', pageSize: 50 })).body.items.map((e: { seq: number }) => e.seq);
    expect(byAt).toEqual(bySeq);
    for (const key of ['action', 'entityType'] as const) {
      const asc = (await get({ sort: key, pageSize: 200 })).body.items.map((e: Record<string, string>) => e[key]);
      expect(asc, key).toEqual([...asc].sort());
      const desc = (await get({ sort: `-${key}`, pageSize: 200 })).body.items.map((e: Record<string, string>) => e[key]);
      expect(desc, `-${key}`).toEqual([...desc].sort().reverse());
    }
    expect((await get({ sort: 'diff' })).status).toBe(422);
  });
});

describe('GET /api/invitations', () => {
  const get = (query: Record<string, string | number>) => t.http.get('/api/invitations').query(query).set(auth(manager));

  it('is a page with total, sorted newest first by default, by e-mail or name on request', async () => {
    const def = await get({});
    expect(def.status).toBe(200);
    expect(def.body).toMatchObject({ total: 3, page: 1, pageSize: 25 });
    expect(def.body.items.map((i: { name: string }) => i.name)).toEqual(['Bob Xu', 'Alice Young', 'Carol Zed']);
    expect((await get({ sort: 'email' })).body.items.map((i: { email: string }) => i.email)).toEqual([
      'alice@invitees.example',
      'bob@invitees.example',
      'carol@invitees.example',
    ]);
    expect((await get({ sort: '-name' })).body.items.map((i: { name: string }) => i.name)).toEqual(['Carol Zed', 'Bob Xu', 'Alice Young']);
    const p2 = await get({ sort: 'email', pageSize: 2, page: 2 });
    expect(p2.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(p2.body.items.map((i: { email: string }) => i.email)).toEqual(['carol@invitees.example']);
    expect((await get({ sort: 'tokenHash' })).status).toBe(422);
    expect((await get({ pageSize: 0 })).status).toBe(422);
  });
});
