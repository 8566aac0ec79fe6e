import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SLA_TERM_KEYS, type InboxItem, type InboxList } from '@bulwark/api-schema';
import { Inbox, InProcessQueue, QUEUE, type InboxSource } from '@bulwark/platform';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

let t: TestApp;
let ds: DataSource;
let procurement: string;
let manager: string;
let auditor: string;
let openai: string;
let bloomberg: string;
let otherOrgManager: string;
let openaiVendorId: string;
let contractId: string;
let slaId: string;

const acceptAll = (counter: Record<string, unknown> = {}) =>
  Object.fromEntries(
    SLA_TERM_KEYS.map((k) => [
      k,
      k in counter ? { decision: 'counter', value: counter[k], comment: `Counter on ${k}` } : { decision: 'accept' },
    ]),
  );
const today = () => DateTime.utc().startOf('day');

async function inbox(token: string, waitingOn?: 'vendor' | 'us'): Promise<InboxList> {
  const res = await t.http.get(`/api/inbox${waitingOn ? `?waitingOn=${waitingOn}` : ''}`).set(auth(token));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as InboxList;
}
const find = (list: InboxList, id: string): InboxItem | undefined => list.items.find((i) => i.id === id);

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, true);
  ds = t.app.get(DataSource);
  [procurement, manager, auditor, openai, bloomberg, otherOrgManager] = await Promise.all(
    [
      'procurement@demo.bulwark.test',
      'manager@demo.bulwark.test',
      'auditor@demo.bulwark.test',
      'contact@openai.demo.bulwark.test',
      'contact@bloomberg.demo.bulwark.test',
      'manager@other.bulwark.test',
    ].map((e) => login(t, e)),
  );
  const [row] = await ds.query(
    `SELECT v.id AS vendor_id, s.id AS service_id FROM vendors v JOIN services s ON s.vendor_id = v.id
      JOIN organizations o ON o.id = v.organization_id
      WHERE o.slug = 'demo-org' AND v.name = 'OpenAI' AND s.name = 'OpenAI API'`,
  );
  openaiVendorId = row.vendor_id;
  const c = await t.http
    .post('/api/contracts')
    .set(auth(procurement))
    .send({
      vendorId: openaiVendorId,
      title: 'Inbox test agreement',
      status: 'active',
      effectiveDate: '2025-01-01',
      serviceIds: [row.service_id],
    });
  expect(c.status).toBe(201);
  contractId = c.body.id;
  const sla = await t.http
    .post('/api/slas')
    .set(auth(procurement))
    .send({
      contractId,
      name: 'Inbox availability',
      effectiveFrom: '2025-01-01',
      terms: { availabilityTarget: 99.9 },
      scope: { serviceIds: [row.service_id] },
    });
  expect(sla.status).toBe(201);
  slaId = sla.body.id;
});
afterAll(async () => t?.close());

describe('inbox: negotiations', () => {
  let id: string;
  const effectiveFrom = () => today().plus({ years: 1 }).startOf('year').toISODate()!;

  it('a proposed round waits on the vendor: in its contacts’ inbox, not in another vendor’s, mirrored for staff', async () => {
    const res = await t.http
      .post('/api/negotiations')
      .set(auth(procurement))
      .send({ contractId, slaId, effectiveFrom: effectiveFrom(), terms: { availabilityTarget: 99.95 } });
    expect(res.status).toBe(201);
    id = res.body.id;

    const mine = await inbox(openai);
    expect(mine.waitingOn).toBe('vendor');
    expect(find(mine, id)).toMatchObject({
      kind: 'negotiation',
      state: 'proposed',
      waitingOn: 'vendor',
      vendorId: openaiVendorId,
      vendorName: 'OpenAI',
      dueDate: effectiveFrom(),
      link: `/vendor-home/negotiations/${id}`,
    });
    for (const item of mine.items) expect(item.vendorId).toBe(openaiVendorId);

    const theirs = await inbox(bloomberg);
    expect(find(theirs, id)).toBeUndefined();
    for (const item of theirs.items) expect(item.vendorId).not.toBe(openaiVendorId);
    // Another organization's staff never see it either.
    expect(find(await inbox(otherOrgManager, 'vendor'), id)).toBeUndefined();

    expect(find(await inbox(manager, 'vendor'), id)).toMatchObject({ state: 'proposed', link: `/negotiations/${id}` });
    expect(find(await inbox(manager, 'us'), id)).toBeUndefined();
  });

  it('the vendor counters: it moves to "waiting on us"', async () => {
    const res = await t.http
      .post(`/api/negotiations/${id}/responses`)
      .set(auth(openai))
      .send({ round: 1, answers: acceptAll({ availabilityTarget: 99.9 }) });
    expect(res.status).toBe(200);
    expect(find(await inbox(openai), id)).toBeUndefined();
    expect(find(await inbox(manager, 'vendor'), id)).toBeUndefined();
    expect(find(await inbox(procurement, 'us'), id)).toMatchObject({ state: 'countered', waitingOn: 'us' });
    // Staff default to their own side.
    expect(find(await inbox(procurement), id)).toMatchObject({ state: 'countered' });
  });

  it('agreed terms wait on whoever has not signed; signed off by both, it is gone', async () => {
    expect(
      (
        await t.http
          .post(`/api/negotiations/${id}/rounds`)
          .set(auth(procurement))
          .send({ terms: { availabilityTarget: 99.9 } })
      ).status,
    ).toBe(200);
    expect(find(await inbox(openai), id)).toMatchObject({ state: 'proposed', title: expect.stringContaining('round 2') });
    expect(find(await inbox(procurement, 'us'), id)).toBeUndefined();
    expect((await t.http.post(`/api/negotiations/${id}/responses`).set(auth(openai)).send({ round: 2, answers: acceptAll() })).status).toBe(
      200,
    );
    expect(find(await inbox(openai), id)).toMatchObject({ state: 'agreed', waitingOn: 'vendor' });
    expect((await t.http.post(`/api/negotiations/${id}/sign-off`).set(auth(openai))).status).toBe(200);
    expect(find(await inbox(openai), id)).toBeUndefined();
    expect(find(await inbox(procurement, 'us'), id)).toMatchObject({ state: 'agreed', waitingOn: 'us' });
    expect((await t.http.post(`/api/negotiations/${id}/sign-off`).set(auth(procurement))).status).toBe(200);
    for (const [token, side] of [
      [openai, 'vendor'],
      [procurement, 'us'],
      [procurement, 'vendor'],
    ] as const)
      expect(find(await inbox(token, side), id)).toBeUndefined();
  });
});

describe('inbox: breaches', () => {
  let breachId: string;

  it('an open breach waits on the vendor; disputed, it waits on us; decided, it is gone', async () => {
    // The recomputes the earlier steps queued (a signed-off version) judge this SLA's windows and would withdraw
    // a breach they do not find: let them finish before recording one by hand.
    await t.app.get<InProcessQueue>(QUEUE).drain(20_000);
    const [b] = await ds.query(
      `INSERT INTO sla_breaches (organization_id, sla_id, vendor_id, window_label, availability, target, credit_percent, status)
       SELECT organization_id, id, vendor_id, '2026-01', 99.5, 99.9, 10, 'open' FROM slas WHERE id = $1 RETURNING id`,
      [slaId],
    );
    breachId = b.id;
    expect(find(await inbox(openai), breachId)).toMatchObject({
      kind: 'breach',
      state: 'open',
      waitingOn: 'vendor',
      dueDate: null,
      link: `/vendor-home/breaches/${breachId}`,
    });
    expect(find(await inbox(bloomberg), breachId)).toBeUndefined();

    const dispute = await t.http.post(`/api/breaches/${breachId}/comments`).set(auth(openai)).send({ body: 'Our figure is 99.95 %.' });
    expect(dispute.status).toBe(201);
    expect(find(await inbox(openai), breachId)).toBeUndefined();
    const ours = find(await inbox(manager, 'us'), breachId);
    expect(ours).toMatchObject({ state: 'disputed', waitingOn: 'us', link: `/breaches/${breachId}` });
    // The dispute moved it: newest first.
    expect(Date.parse(ours!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(dispute.body.comments.at(-1).createdAt));

    expect(
      (
        await t.http
          .post(`/api/breaches/${breachId}/resolve`)
          .set(auth(manager))
          .send({ decision: 'waived', note: 'Vendor figure verified' })
      ).status,
    ).toBe(200);
    expect(find(await inbox(manager, 'us'), breachId)).toBeUndefined();
    expect(find(await inbox(openai), breachId)).toBeUndefined();
  });
});

describe('inbox: renewal notices', () => {
  it('an active contract whose renewal notice is due within 30 days waits on us, never on the vendor', async () => {
    const create = async (title: string, noticeInDays: number) => {
      const res = await t.http
        .post('/api/contracts')
        .set(auth(procurement))
        .send({
          vendorId: openaiVendorId,
          title,
          status: 'active',
          effectiveDate: '2025-01-01',
          expiryDate: today()
            .plus({ days: noticeInDays + 60 })
            .toISODate(),
          renewalNoticeDays: 60,
        });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const soon = await create('Renewal soon', 10);
    const later = await create('Renewal later', 45);
    const passed = await create('Renewal passed', -1);

    for (const token of [manager, procurement, auditor]) {
      const list = await inbox(token, 'us');
      expect(find(list, soon)).toMatchObject({
        kind: 'renewal_notice',
        state: 'notice_due',
        waitingOn: 'us',
        dueDate: today().plus({ days: 10 }).toISODate(),
        vendorName: 'OpenAI',
        link: `/contracts/${soon}`,
      });
      expect(find(list, later)).toBeUndefined();
      expect(find(list, passed)).toBeUndefined();
      expect(find(await inbox(token, 'vendor'), soon)).toBeUndefined();
    }
    expect(find(await inbox(openai), soon)).toBeUndefined();
  });
});

describe('inbox: counts, bounds, refusals', () => {
  it('counts match the lists, for each side and role', async () => {
    for (const [token, side] of [
      [openai, undefined],
      [bloomberg, undefined],
      [manager, 'us'],
      [manager, 'vendor'],
      [auditor, 'us'],
      [auditor, 'vendor'],
      [procurement, undefined],
    ] as const) {
      const list = await inbox(token, side);
      const count = await t.http.get(`/api/inbox/count${side ? `?waitingOn=${side}` : ''}`).set(auth(token));
      expect(count.status).toBe(200);
      expect(count.body).toEqual({ waitingOn: list.waitingOn, count: list.total });
      expect(list.items.length).toBe(list.total); // all fit within the default limit here
    }
    expect((await inbox(manager, 'us')).total).toBeGreaterThan(0);
    expect((await inbox(manager, 'vendor')).total).toBeGreaterThan(0);
  });

  it('is newest first and bounded by limit, the total counting every item', async () => {
    const all = await inbox(manager, 'vendor');
    expect(all.total).toBeGreaterThan(1);
    const stamps = all.items.map((i) => i.updatedAt);
    expect(stamps).toEqual([...stamps].sort().reverse());
    const one = await t.http.get('/api/inbox?waitingOn=vendor&limit=1').set(auth(manager));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ total: all.total, limit: 1 });
    expect(one.body.items).toEqual([all.items[0]]);
  });

  it('auditors see the same mirror as the staff who act, and can act on none of it', async () => {
    for (const side of ['us', 'vendor'] as const)
      expect((await inbox(auditor, side)).items).toEqual((await inbox(procurement, side)).items);
    const open = (await inbox(auditor, 'vendor')).items.find((i) => i.kind === 'breach');
    expect(open).toBeDefined();
    const res = await t.http
      .post(`/api/breaches/${open!.id}/resolve`)
      .set(auth(auditor))
      .send({ decision: 'upheld', note: 'Not allowed to' });
    expect(res.status).toBe(403);
  });

  it('refuses what a caller may not ask, naming the field', async () => {
    const us = await t.http.get('/api/inbox?waitingOn=us').set(auth(openai));
    expect(us.status).toBe(422);
    expect(us.body.error.fields[0].path).toBe('query.waitingOn');
    const count = await t.http.get('/api/inbox/count?waitingOn=us').set(auth(openai));
    expect(count.status).toBe(422);
    const bad = await t.http.get('/api/inbox?waitingOn=them').set(auth(manager));
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields[0].path).toBe('query.waitingOn');
    const big = await t.http.get('/api/inbox?limit=1000').set(auth(manager));
    expect(big.status).toBe(422);
    expect(big.body.error.fields[0].path).toBe('query.limit');
    expect((await t.http.get('/api/inbox')).status).toBe(401);
  });
});

describe('inbox: the platform keeps every source in bounds', () => {
  it('asks each source once per request, only for its sides and roles, and drops another vendor’s items whatever a source answers', async () => {
    const [bloombergId] = (await ds.query(
      `SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name = 'Bloomberg'`,
    )) as { id: string }[];
    const calls: string[] = [];
    const leaky: InboxSource = {
      kind: 'leaky',
      sides: ['vendor'],
      permission: 'inbox.read',
      async items(_m, who, q) {
        calls.push(`${who.role}:${q.waitingOn}:${q.limit}`);
        const item = (vendorId: string, id: string): InboxItem => ({
          kind: 'leaky',
          id,
          title: `Leaky ${id}`,
          vendorId,
          vendorName: 'x',
          state: 'open',
          dueDate: null,
          updatedAt: new Date().toISOString(),
          link: '/',
          waitingOn: 'vendor',
        });
        return {
          items: [
            item(openaiVendorId, '00000000-0000-4000-8000-000000000001'),
            item(bloombergId!.id, '00000000-0000-4000-8000-000000000002'),
          ],
          total: 2,
        };
      },
    };
    t.app.get(Inbox).register(leaky);
    const mine = await inbox(openai);
    expect(mine.items.filter((i) => i.kind === 'leaky').map((i) => i.vendorId)).toEqual([openaiVendorId]);
    expect(calls).toEqual(['vendor_contact:vendor:100']);
    // Staff see both; the source is never asked for a side it does not have.
    const staff = await inbox(manager, 'vendor');
    expect(staff.items.filter((i) => i.kind === 'leaky')).toHaveLength(2);
    await inbox(manager, 'us');
    expect(calls).toEqual(['vendor_contact:vendor:100', 'vendor_manager:vendor:100']);
    expect(() => t.app.get(Inbox).register(leaky)).toThrow(/registered twice/);
  });
});
