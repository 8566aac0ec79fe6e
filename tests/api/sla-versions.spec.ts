import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SLA_TERM_KEYS } from '@bulwark/api-schema';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

/**
 * One notion of "in force" for every answer: a signed version that takes effect later is shown as
 * upcoming, never as current, while the version in force today stays current until then.
 */
let t: TestApp;
let ds: DataSource;
let procurement: string;
let vendor: string;
let contractId: string;
let serviceId: string;

const today = () => DateTime.utc().startOf('day');
const day = (d: DateTime) => d.toISODate()!;

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  procurement = await login(t, 'procurement@demo.bulwark.test');
  vendor = await login(t, 'contact@openai.demo.bulwark.test');
  const [row] = await ds.query(
    `SELECT v.id AS vendor_id, s.id AS service_id FROM vendors v JOIN services s ON s.vendor_id = v.id WHERE v.name = 'OpenAI' AND s.name = 'OpenAI API'`,
  );
  serviceId = row.service_id;
  const contract = await t.http
    .post('/api/contracts')
    .set(auth(procurement))
    .send({
      vendorId: row.vendor_id,
      title: 'Versions agreement',
      status: 'active',
      effectiveDate: day(today().minus({ years: 1 })),
      expiryDate: day(today().plus({ years: 2 })),
      serviceIds: [serviceId],
    });
  expect(contract.status).toBe(201);
  contractId = contract.body.id;
});
afterAll(async () => t?.close());

async function createSla(name: string, effectiveFrom: DateTime, availabilityTarget: number): Promise<string> {
  const res = await t.http
    .post('/api/slas')
    .set(auth(procurement))
    .send({ contractId, name, effectiveFrom: day(effectiveFrom), terms: { availabilityTarget }, scope: { serviceIds: [serviceId] } });
  expect(res.status).toBe(201);
  return res.body.id;
}

interface VersionView {
  version: number;
  effectiveFrom: string;
  status: string;
  terms: { availabilityTarget: number };
}

describe('SLA versions in force', () => {
  it('a signed version that takes effect later is upcoming; the one in force today stays current', async () => {
    const slaId = await createSla('Renegotiated availability', today().minus({ months: 6 }), 99.5);
    for (const [effective, target] of [
      [today().minus({ months: 1 }), 99.9],
      [today().plus({ days: 30 }), 99.95],
      [today().plus({ days: 120 }), 99.99],
    ] as const) {
      const added = await t.http
        .post(`/api/slas/${slaId}/versions`)
        .set(auth(procurement))
        .send({ effectiveFrom: day(effective), terms: { availabilityTarget: target } });
      expect(added.status).toBe(201);
      // The answer to the change already tells the truth: v2 stays in force.
      expect(added.body.current.version).toBe(2);
    }

    for (const token of [procurement, vendor]) {
      const one = (await t.http.get(`/api/slas/${slaId}`).set(auth(token))).body;
      expect(one.current).toMatchObject({ version: 2, status: 'in_force', terms: { availabilityTarget: 99.9 } });
      expect(one.upcoming.map((v: VersionView) => [v.version, v.effectiveFrom, v.status])).toEqual([
        [3, day(today().plus({ days: 30 })), 'upcoming'],
        [4, day(today().plus({ days: 120 })), 'upcoming'],
      ]);
      expect(one.versions.map((v: VersionView) => [v.version, v.status])).toEqual([
        [4, 'upcoming'],
        [3, 'upcoming'],
        [2, 'in_force'],
        [1, 'superseded'],
      ]);
      const listed = (await t.http.get(`/api/slas?contractId=${contractId}`).set(auth(token))).body.find(
        (s: { id: string }) => s.id === slaId,
      );
      expect(listed.current.version).toBe(2);
    }

    // The next version or negotiation starts after the newest version, not after the one in force.
    const early = await t.http
      .post(`/api/slas/${slaId}/versions`)
      .set(auth(procurement))
      .send({ effectiveFrom: day(today().plus({ days: 60 })), terms: { availabilityTarget: 99 } });
    expect(early.status).toBe(409);
  });

  it('before its first version takes effect, an SLA shows that version as upcoming', async () => {
    const slaId = await createSla('Starts later', today().plus({ days: 10 }), 99.9);
    const sla = (await t.http.get(`/api/slas/${slaId}`).set(auth(procurement))).body;
    expect(sla.current).toMatchObject({ version: 1, status: 'upcoming', effectiveFrom: day(today().plus({ days: 10 })) });
    expect(sla.upcoming).toEqual([]);
  });

  it('a signed-off renegotiation effective later records its own version number and leaves the current one in force', async () => {
    const slaId = await createSla('Negotiated later', today().minus({ months: 3 }), 99.5);
    const started = await t.http
      .post('/api/negotiations')
      .set(auth(procurement))
      .send({ contractId, slaId, effectiveFrom: day(today().plus({ days: 45 })), terms: { availabilityTarget: 99.9 } });
    expect(started.status).toBe(201);
    const id = started.body.id;
    const round = started.body.currentRound;
    const accepted = await t.http
      .post(`/api/negotiations/${id}/responses`)
      .set(auth(vendor))
      .send({ round, answers: Object.fromEntries(SLA_TERM_KEYS.map((k) => [k, { decision: 'accept' }])) });
    expect(accepted.body.status).toBe('agreed');
    expect((await t.http.post(`/api/negotiations/${id}/sign-off`).set(auth(vendor))).status).toBe(200);
    const done = await t.http.post(`/api/negotiations/${id}/sign-off`).set(auth(procurement));
    expect(done.body).toMatchObject({ status: 'signed_off', resultingVersion: 2 });
    const sla = (await t.http.get(`/api/slas/${slaId}`).set(auth(vendor))).body;
    expect(sla.current).toMatchObject({ version: 1, status: 'in_force', terms: { availabilityTarget: 99.5 } });
    expect(sla.upcoming.map((v: VersionView) => [v.version, v.terms.availabilityTarget])).toEqual([[2, 99.9]]);
  });
});
