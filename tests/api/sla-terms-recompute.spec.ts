import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SLA_TERM_KEYS } from '@bulwark/api-schema';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { until } from '../support/wait';

/**
 * New SLA terms are measured at once, whichever path created them: a version or an SLA produced by a
 * signed-off negotiation recomputes the attainment after its commit, as one created through
 * `POST /api/slas` does. Nothing here calls the recompute itself.
 */
let t: TestApp;
let ds: DataSource;
let procurement: string;
let vendor: string;
let bloomberg: { org: string; vendorId: string; serviceId: string };
let contractId: string;

/** The first of the month `back` months before this one (UTC). */
const month = (back: number) => DateTime.utc().startOf('month').minus({ months: back });
const acceptAll = () => Object.fromEntries(SLA_TERM_KEYS.map((k) => [k, { decision: 'accept' }]));

/** Proposes, accepts and signs off on both sides; returns the negotiation as it ends. */
async function agree(body: Record<string, unknown>): Promise<{ id: string; slaId: string; resultingVersion: number }> {
  const n = await t.http
    .post('/api/negotiations')
    .set(auth(procurement))
    .send({ contractId, ...body });
  expect(n.status).toBe(201);
  expect(
    (await t.http.post(`/api/negotiations/${n.body.id}/responses`).set(auth(vendor)).send({ round: 1, answers: acceptAll() })).status,
  ).toBe(200);
  expect((await t.http.post(`/api/negotiations/${n.body.id}/sign-off`).set(auth(vendor))).status).toBe(200);
  const done = await t.http.post(`/api/negotiations/${n.body.id}/sign-off`).set(auth(procurement));
  expect(done.body).toMatchObject({ status: 'signed_off' });
  return done.body;
}

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  procurement = await login(t, 'procurement@demo.bulwark.test');
  vendor = await login(t, 'contact@bloomberg.demo.bulwark.test');
  const [row] = await ds.query(
    `SELECT v.organization_id, v.id AS vendor_id, s.id AS service_id FROM vendors v JOIN services s ON s.vendor_id = v.id WHERE v.name = 'Bloomberg' AND s.name = 'Bloomberg Data License'`,
  );
  bloomberg = { org: row.organization_id, vendorId: row.vendor_id, serviceId: row.service_id };
  // A six-hour outage two months ago: below 99.9 % in that month whatever its length.
  const [{ id: sourceId }] = await ds.query(
    `INSERT INTO signal_sources (organization_id, vendor_id, service_id, plugin, name, schedule_seconds, enabled) VALUES ($1, $2, $3, 'statuspage', 'status', 300, false) RETURNING id`,
    [bloomberg.org, bloomberg.vendorId, bloomberg.serviceId],
  );
  await ds.query(
    `INSERT INTO signals (organization_id, vendor_id, service_id, source_id, dedupe_key, external_id, signal_type, level, title, started_at, resolved_at, provider_updated_at, content_hash)
     VALUES ($1, $2, $3, $4, $5, 'outage', 'service_incident', 'major_outage', 'Outage', $6, $7, $7, 'h')`,
    [
      bloomberg.org,
      bloomberg.vendorId,
      bloomberg.serviceId,
      sourceId,
      `${sourceId}:outage`,
      month(2).plus({ days: 9 }).toJSDate(),
      month(2).plus({ days: 9, hours: 6 }).toJSDate(),
    ],
  );
  const c = await t.http
    .post('/api/contracts')
    .set(auth(procurement))
    .send({
      vendorId: bloomberg.vendorId,
      title: 'Bloomberg Data License Agreement',
      status: 'active',
      effectiveDate: month(6).toISODate(),
      serviceIds: [bloomberg.serviceId],
    });
  contractId = c.body.id;
});
afterAll(async () => t?.close());

describe('new SLA terms are measured after their commit, whatever created them', () => {
  let slaId: string;

  it('an SLA created by a signed-off negotiation with a past effective date has its breach and its portfolio figures at once', async () => {
    const n = await agree({
      name: 'Data License availability',
      scope: { serviceIds: [bloomberg.serviceId] },
      effectiveFrom: month(4).toISODate(),
      terms: { availabilityTarget: 99.9 },
    });
    slaId = n.slaId;
    const label = month(2).toFormat('yyyy-MM');
    const breach = await until(`the breach of ${label}`, async () => {
      const list = await t.http.get(`/api/breaches?slaId=${slaId}`).set(auth(procurement));
      return list.body.items?.find((b: { window: string }) => b.window === label);
    });
    expect(breach).toMatchObject({ status: 'open', target: 99.9 });
    const portfolio = (await t.http.get('/api/sla-portfolio').set(auth(procurement))).body.find(
      (p: { slaId: string }) => p.slaId === slaId,
    );
    expect(portfolio).toMatchObject({ target: 99.9, breaches12m: 1 });
  });

  it('a version created by a signed-off renegotiation with a past effective date re-judges its windows at once', async () => {
    const n = await agree({ slaId, effectiveFrom: month(1).toISODate(), terms: { availabilityTarget: 99.5 } });
    expect(n.resultingVersion).toBe(2);
    const label = month(1).toFormat('yyyy-MM');
    const rolled = await until(`the ${label} window judged under version 2`, async () => {
      const [row]: { version: number; target: string }[] = await ds.query(
        `SELECT version, target FROM sla_attainment WHERE sla_id = $1 AND window_label = $2`,
        [slaId, label],
      );
      return row?.version === 2 ? row : undefined;
    });
    expect(Number(rolled.target)).toBe(99.5);
  });
});
