import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RequestContext, systemActor } from '@bulwark/platform';
import { RecomputeService } from '@bulwark/slas';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

/**
 * The credit base of a breach (the fees of the services its SLA covers), what a dispute decision needs on the breach
 * (the vendor's figure, the incidents with their weights) and the text search of the breaches list. On the demo data:
 * the AWS Enterprise Agreement covers S3, EC2 and Bedrock; its SLA covers S3 and EC2 and breached three months ago.
 */
let t: TestApp;
let ds: DataSource;
let org: string;
let procurement: string;
let manager: string;
let awsContact: string;
let openaiContact: string;
let aws: { vendorId: string; contractId: string; slaId: string; s3: string; ec2: string; bedrock: string };

const recompute = (vendorId: string) => RequestContext.runAs(systemActor(org), () => t.app.get(RecomputeService).recompute(vendorId));
/** The AWS breach window: three months ago (the demo's scripted us-east-1 outage). */
const awsWindow = () => DateTime.utc().startOf('month').minus({ months: 3 }).toFormat('yyyy-MM');

async function awsBreach() {
  const page = await t.http.get(`/api/breaches?slaId=${aws.slaId}`).set(auth(manager));
  expect(page.status).toBe(200);
  return page.body.items.find((b: { window: string }) => b.window === awsWindow());
}

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  procurement = await login(t, 'procurement@demo.bulwark.test');
  manager = await login(t, 'manager@demo.bulwark.test');
  const [row] = await ds.query(
    `SELECT v.organization_id, v.id AS vendor_id, c.id AS contract_id, s.id AS sla_id,
            (SELECT id FROM services WHERE vendor_id = v.id AND name = 'Amazon S3') AS s3,
            (SELECT id FROM services WHERE vendor_id = v.id AND name = 'Amazon EC2') AS ec2,
            (SELECT id FROM services WHERE vendor_id = v.id AND name = 'Amazon Bedrock') AS bedrock
       FROM vendors v JOIN contracts c ON c.vendor_id = v.id JOIN slas s ON s.contract_id = c.id
      WHERE v.name = 'Amazon Web Services' AND v.organization_id = (SELECT id FROM organizations WHERE slug = 'demo-org')`,
  );
  org = row.organization_id;
  aws = { vendorId: row.vendor_id, contractId: row.contract_id, slaId: row.sla_id, s3: row.s3, ec2: row.ec2, bedrock: row.bedrock };
  const emailOf = async (vendor: string) =>
    (
      await ds.query(`SELECT u.email FROM users u JOIN vendors v ON v.id = u.vendor_id WHERE v.name = $1 AND v.organization_id = $2`, [
        vendor,
        org,
      ])
    )[0].email as string;
  awsContact = await login(t, await emailOf('Amazon Web Services'));
  openaiContact = await login(t, await emailOf('OpenAI'));
});
afterAll(async () => t?.close());

describe('the credit base of a breach', () => {
  it('is the fees of the services the SLA covers for the window, not the whole contract, and says how', async () => {
    const b = await awsBreach();
    expect(b, 'the demo AWS breach').toBeDefined();
    const contract = (await t.http.get(`/api/contracts/${aws.contractId}`).set(auth(procurement))).body;
    const fee = (id: string) => contract.services.find((s: { id: string }) => s.id === id).annualFee as number;
    // The S3 and EC2 fees for one month; Bedrock (on the same contract) is not in the SLA's scope.
    const base = Math.round(((fee(aws.s3) + fee(aws.ec2)) / 12) * 100) / 100;
    expect(base).toBeLessThan(contract.annualValue / 12);
    expect(b.creditBasis).toMatchObject({ base, share: 1 });
    expect(b.creditBasis.services.map((s: { name: string }) => s.name).sort()).toEqual(['Amazon EC2', 'Amazon S3']);
    expect(b.creditPercent).toBeGreaterThan(0);
    expect(b.creditAmount).toBeCloseTo((base * b.creditPercent) / 100, 2);
    // The attainment of the window says the same.
    const [w] = (await t.http.get(`/api/slas/${aws.slaId}/attainment?from=${awsWindow()}&to=${awsWindow()}`).set(auth(manager))).body;
    expect(w).toMatchObject({ creditAmount: b.creditAmount, creditBasis: { base } });
  });

  it('two SLAs under one contract each credit the fees of their own services; without a fee the base is unknown, not the contract', async () => {
    const sla = await t.http
      .post('/api/slas')
      .set(auth(procurement))
      .send({
        contractId: aws.contractId,
        name: 'Bedrock availability',
        effectiveFrom: DateTime.utc().startOf('month').minus({ months: 6 }).toISODate(),
        terms: { availabilityTarget: 99.99, credits: [{ belowPercent: 99.99, creditPercent: 10 }] },
        scope: { serviceIds: [aws.bedrock] },
      });
    expect(sla.status).toBe(201);
    // Bedrock's fee is not recorded (yet): no amount, and no fallback to the contract value.
    await ds.query(`UPDATE contract_services SET annual_fee = NULL WHERE contract_id = $1 AND service_id = $2`, [
      aws.contractId,
      aws.bedrock,
    ]);
    const [source] = await ds.query(`SELECT id FROM signal_sources WHERE vendor_id = $1 LIMIT 1`, [aws.vendorId]);
    const start = DateTime.utc().startOf('month').minus({ months: 2 }).set({ day: 4 });
    await ds.query(
      `INSERT INTO signals (organization_id, vendor_id, service_id, source_id, dedupe_key, external_id, signal_type, level, title, started_at, resolved_at, provider_updated_at, content_hash)
       VALUES ($1, $2, $3, $4, $7, 'bedrock-credit', 'service_incident', 'major_outage', 'Bedrock throttling', $5, $6, $6, 'h')`,
      [org, aws.vendorId, aws.bedrock, source.id, start.toJSDate(), start.plus({ hours: 3 }).toJSDate(), `${source.id}:bedrock-credit`],
    );
    await recompute(aws.vendorId);
    const window = start.toFormat('yyyy-MM');
    const list = async () =>
      (await t.http.get(`/api/breaches?slaId=${sla.body.id}`).set(auth(manager))).body.items.find(
        (b: { window: string }) => b.window === window,
      );
    const unknown = await list();
    expect(unknown).toMatchObject({ creditPercent: 10, creditAmount: null, creditBasis: { base: null } });
    expect(unknown.creditBasis.services).toEqual([{ serviceId: aws.bedrock, name: 'Amazon Bedrock', annualFee: null, periodFee: null }]);
    // Decided meanwhile: recording the fee still fills the amount in at the next recompute, on Bedrock's fee alone.
    const upheld = await t.http
      .post(`/api/breaches/${unknown.id}/resolve`)
      .set(auth(procurement))
      .send({ decision: 'upheld', note: 'Credit due; amount once the fee is recorded.' });
    expect(upheld.status).toBe(200);
    await recompute(aws.vendorId);
    expect(await list()).toMatchObject({ status: 'upheld', creditAmount: null });
    const patched = await t.http
      .patch(`/api/contracts/${aws.contractId}`)
      .set(auth(procurement))
      .send({ serviceFees: [{ serviceId: aws.bedrock, annualFee: 240000 }] });
    expect(patched.status).toBe(200);
    await recompute(aws.vendorId);
    expect(await list()).toMatchObject({ status: 'upheld', creditAmount: 2000, creditBasis: { base: 20000 } });
    // The S3/EC2 breach did not change.
    expect((await awsBreach()).creditBasis.services).toHaveLength(2);
  });

  it('a fee for a service the contract does not cover is a 422 naming the field', async () => {
    const [other] = await ds.query(`SELECT id FROM services WHERE vendor_id = $1 AND id <> ALL($2::uuid[]) LIMIT 1`, [
      aws.vendorId,
      [aws.s3, aws.ec2, aws.bedrock],
    ]);
    const res = await t.http
      .patch(`/api/contracts/${aws.contractId}`)
      .set(auth(procurement))
      .send({ serviceFees: [{ serviceId: other?.id ?? '00000000-0000-4000-8000-000000000000', annualFee: 1000 }] });
    expect(res.status).toBe(422);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['serviceFees.0.serviceId']);
  });

  it('a breach stored before the fees (computed on the whole contract) is recomputed on the fees, even once decided', async () => {
    const b = await awsBreach();
    // As the migration leaves it: the whole-contract amount cleared, no basis; and decided meanwhile.
    await ds.query(`UPDATE sla_breaches SET credit_amount = NULL, credit_basis = NULL, status = 'upheld' WHERE id = $1`, [b.id]);
    expect((await t.http.get(`/api/breaches/${b.id}`).set(auth(manager))).body).toMatchObject({ creditAmount: null, creditBasis: null });
    await recompute(aws.vendorId);
    const after = (await t.http.get(`/api/breaches/${b.id}`).set(auth(manager))).body;
    expect(after).toMatchObject({ status: 'upheld', creditAmount: b.creditAmount, creditBasis: b.creditBasis });
  });
});

describe('what a dispute decision needs', () => {
  it('the breach shows the vendor’s own figure beside the computed one', async () => {
    const b = await awsBreach();
    expect(b.vendorReported).toBeNull();
    const filed = await t.http
      .post(`/api/slas/${aws.slaId}/vendor-reports`)
      .set(auth(awsContact))
      .send({ window: awsWindow(), availability: 99.97, note: 'Per the AWS Health Dashboard' });
    expect(filed.status).toBe(204);
    const res = await t.http.get(`/api/breaches/${b.id}`).set(auth(awsContact));
    expect(res.body).toMatchObject({
      availability: b.availability,
      vendorReported: 99.97,
      vendorReportNote: 'Per the AWS Health Dashboard',
    });
  });

  it('the incidents of a window, with their weights, add up to its downtime; each links to its signal', async () => {
    const b = await awsBreach();
    const res = await t.http.get(`/api/slas/${aws.slaId}/incidents?window=${awsWindow()}`).set(auth(manager));
    expect(res.status).toBe(200);
    const [w] = (await t.http.get(`/api/slas/${aws.slaId}/attainment?from=${awsWindow()}&to=${awsWindow()}`).set(auth(manager))).body;
    expect(res.body).toMatchObject({ window: awsWindow(), downtimeMinutes: w.downtimeMinutes, excludedMinutes: w.excludedMinutes });
    const incidents = res.body.incidents as {
      signalId: string;
      serviceName: string;
      level: string;
      minutes: number;
      weight: number;
      countedMinutes: number;
      region: string | null;
    }[];
    // The scripted EC2 partial outage in us-east-1: 190 minutes at the partial-outage weight of 0.5.
    const ec2 = incidents.find((i) => i.serviceName === 'Amazon EC2' && i.level === 'partial_outage' && i.minutes === 190);
    expect(ec2).toMatchObject({ region: 'us-east-1', weight: 0.5 });
    expect(ec2!.countedMinutes).toBeGreaterThan(0);
    expect(ec2!.countedMinutes).toBeLessThanOrEqual(95);
    const total = incidents.reduce((s, i) => s + i.countedMinutes, 0);
    expect(total).toBeCloseTo(w.downtimeMinutes, 1);
    expect(b.availability).toBe(w.availability);
    // The signal behind it is one the breach's readers can open.
    expect((await t.http.get(`/api/signals/${ec2!.signalId}`).set(auth(awsContact))).status).toBe(200);
  });

  it('the vendor contact reads its own vendor’s incidents only; a bad window is a 422 naming it, an unknown one a 404', async () => {
    expect((await t.http.get(`/api/slas/${aws.slaId}/incidents?window=${awsWindow()}`).set(auth(awsContact))).status).toBe(200);
    expect((await t.http.get(`/api/slas/${aws.slaId}/incidents?window=${awsWindow()}`).set(auth(openaiContact))).status).toBe(404);
    const bad = await t.http.get(`/api/slas/${aws.slaId}/incidents?window=2026-13`).set(auth(manager));
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['query.window']);
    // Before the SLA took effect, and a quarter of a monthly SLA: no such window.
    expect((await t.http.get(`/api/slas/${aws.slaId}/incidents?window=2001-01`).set(auth(manager))).status).toBe(404);
    expect((await t.http.get(`/api/slas/${aws.slaId}/incidents?window=2026-Q1`).set(auth(manager))).status).toBe(404);
  });
});

describe('text search of the breaches list', () => {
  const search = async (q: string, token = manager) => {
    const res = await t.http.get('/api/breaches').query({ search: q }).set(auth(token));
    expect(res.status).toBe(200);
    return res.body.items as { vendorName: string; slaName: string }[];
  };

  it('finds breaches by vendor, SLA, contract or covered service name, case-insensitively', async () => {
    const all = (await t.http.get('/api/breaches?pageSize=100').set(auth(manager))).body.items as { vendorName: string }[];
    expect(new Set(all.map((b) => b.vendorName)).size).toBeGreaterThan(1);
    const byVendor = await search('amazon web');
    expect(byVendor.length).toBeGreaterThan(0);
    expect(byVendor.every((b) => b.vendorName === 'Amazon Web Services')).toBe(true);
    // A covered service's name, and the contract's title, find the same vendor's breaches.
    expect((await search('ec2')).every((b) => b.vendorName === 'Amazon Web Services')).toBe(true);
    expect((await search('ec2')).length).toBe(byVendor.length);
    expect((await search('enterprise agreement with')).length).toBe(byVendor.length);
    expect((await search('bedrock avail')).map((b) => b.slaName)).toEqual(['Bedrock availability']);
    // Wildcards are taken literally.
    expect(await search('%')).toEqual([]);
    // A vendor contact searches within its own vendor's breaches only.
    expect(await search('amazon', openaiContact)).toEqual([]);
  });

  it('refuses an over-long search with a 422 naming it', async () => {
    const res = await t.http
      .get('/api/breaches')
      .query({ search: 'x'.repeat(201) })
      .set(auth(manager));
    expect(res.status).toBe(422);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['query.search']);
  });
});
