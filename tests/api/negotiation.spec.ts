import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SLA_TERM_KEYS } from '@bulwark/api-schema';
import { InProcessQueue, QUEUE, RequestContext, systemActor } from '@bulwark/platform';
import { RecomputeService } from '@bulwark/slas';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { readOutbox, waitForMail } from '../support/outbox';

let t: TestApp;
let ds: DataSource;
let procurement: string;
let vendor: string;
let contractId: string;
let serviceId: string;

const acceptAll = (except: Record<string, unknown> = {}) =>
  Object.fromEntries(
    SLA_TERM_KEYS.map((k) => [
      k,
      k in except ? { decision: 'counter', value: except[k], comment: `Counter on ${k}` } : { decision: 'accept' },
    ]),
  );

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
  const c = await t.http
    .post('/api/contracts')
    .set(auth(procurement))
    .send({
      vendorId: row.vendor_id,
      title: 'OpenAI Enterprise Agreement',
      effectiveDate: '2026-01-01',
      serviceIds: [serviceId],
      annualValue: 120000,
    });
  contractId = c.body.id;
});
afterAll(async () => t?.close());

describe('SLA negotiation', () => {
  let id: string;
  /** 1 January `years` years from now: the SLA negotiated here takes effect next year, so it is never in force yet. */
  const newYear = (years: number) => DateTime.utc().plus({ years }).startOf('year');

  it('procurement proposes round 1; the vendor sees it and may answer', async () => {
    const res = await t.http
      .post('/api/negotiations')
      .set(auth(procurement))
      .send({
        contractId,
        name: 'API availability',
        scope: { serviceIds: [serviceId] },
        effectiveFrom: newYear(1).toISODate(),
        terms: { availabilityTarget: 99.95, rtoMinutes: 60, rpoMinutes: 15, credits: [{ belowPercent: 99.95, creditPercent: 10 }] },
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'proposed', currentRound: 1, slaId: null, allowedActions: ['cancel'] });
    id = res.body.id;
    const seen = await t.http.get(`/api/negotiations/${id}`).set(auth(vendor));
    expect(seen.body.allowedActions).toEqual(['respond']);
    // Other vendors' terms are the buyer's business only.
    expect(seen.body.context).toBeNull();
    expect(res.body.context.serviceKinds).toEqual(['ai_model_api']);
  });

  it('shows procurement the spread of each term over other SLAs of the same service kind', async () => {
    const [claude] = await ds.query(`SELECT s.id, s.vendor_id FROM services s WHERE s.name = 'Claude API'`);
    const c = await t.http
      .post('/api/contracts')
      .set(auth(procurement))
      .send({ vendorId: claude.vendor_id, title: 'Anthropic agreement', effectiveDate: '2026-01-01', serviceIds: [claude.id] });
    await t.http
      .post('/api/slas')
      .set(auth(procurement))
      .send({
        contractId: c.body.id,
        name: 'Claude availability',
        effectiveFrom: '2026-01-01',
        terms: { availabilityTarget: 99.5, rtoMinutes: 30 },
        scope: { serviceIds: [claude.id] },
      });
    const view = (await t.http.get(`/api/negotiations/${id}`).set(auth(procurement))).body;
    const spread = view.context.spread.availabilityTarget;
    expect(spread.n).toBeGreaterThanOrEqual(1);
    expect(spread.min).toBeLessThanOrEqual(99.5);
    expect(spread.max).toBeGreaterThanOrEqual(99.5);
    expect(view.context.spread.rtoMinutes.min).toBeLessThanOrEqual(30);
  });

  it('the spread leaves out this vendor’s own SLAs and terms not yet in force', async () => {
    // Another OpenAI SLA with terms nobody else has, and a later Claude version with a target nobody has today.
    const mine = await t.http
      .post('/api/slas')
      .set(auth(procurement))
      .send({
        contractId,
        name: 'OpenAI batch',
        effectiveFrom: '2026-01-01',
        terms: { availabilityTarget: 11, rtoMinutes: 1 },
        scope: { serviceIds: [serviceId] },
      });
    expect(mine.status).toBe(201);
    const [claude] = await ds.query(`SELECT id FROM slas WHERE name = 'Claude availability'`);
    const later = DateTime.utc().plus({ years: 1 }).startOf('year').toISODate();
    expect(
      (
        await t.http
          .post(`/api/slas/${claude.id}/versions`)
          .set(auth(procurement))
          .send({ effectiveFrom: later, terms: { availabilityTarget: 12, rtoMinutes: 2 } })
      ).status,
    ).toBe(201);
    const spread = (await t.http.get(`/api/negotiations/${id}`).set(auth(procurement))).body.context.spread;
    expect(spread.availabilityTarget.min).toBeGreaterThan(12);
    expect(spread.rtoMinutes.min).toBeGreaterThan(2);
    // The Claude SLA still counts, with the version in force today (99.5 %, RTO 30).
    expect(spread.rtoMinutes.min).toBeLessThanOrEqual(30);
    expect(spread.availabilityTarget.min).toBeLessThanOrEqual(99.5);
  });

  it('shows both sides what the vendor achieved under the version being replaced, over its whole period', async () => {
    // An SLA in force for 15 months (longer than the 12 months of the rollup), renegotiated now.
    const start = DateTime.utc().startOf('month').minus({ months: 15 });
    const sla = await t.http
      .post('/api/slas')
      .set(auth(procurement))
      .send({
        contractId,
        name: 'OpenAI long-running',
        effectiveFrom: start.toISODate(),
        terms: { availabilityTarget: 99.95 },
        scope: { serviceIds: [serviceId] },
      });
    expect(sla.status).toBe(201);
    const re = await t.http
      .post('/api/negotiations')
      .set(auth(procurement))
      .send({
        contractId,
        slaId: sla.body.id,
        effectiveFrom: DateTime.utc().plus({ months: 2 }).startOf('month').toISODate(),
        terms: { availabilityTarget: 99.9 },
      });
    expect(re.status).toBe(201);
    const windows = (
      await t.http
        .get(`/api/slas/${sla.body.id}/attainment?from=${start.toFormat('yyyy-MM')}&to=${DateTime.utc().toFormat('yyyy-MM')}`)
        .set(auth(procurement))
    ).body.filter((w: { open: boolean }) => !w.open);
    expect(windows).toHaveLength(15);
    const values = windows.map((w: { availability: number }) => w.availability);
    const expected = {
      version: 1,
      from: start.toISODate(),
      to: null,
      windows: 15,
      worstAvailability: Math.min(...values),
      breaches: windows.filter((w: { breached: boolean }) => w.breached).length,
    };
    expect(re.body.achieved).toMatchObject(expected);
    expect(re.body.achieved.averageAvailability).toBeCloseTo(values.reduce((a: number, b: number) => a + b, 0) / values.length, 4);
    // The demo data's OpenAI outages of the last months fall in this period.
    expect(re.body.achieved.breaches).toBeGreaterThan(0);
    // The vendor sees it too, but not the other vendors' terms.
    const seen = (await t.http.get(`/api/negotiations/${re.body.id}`).set(auth(vendor))).body;
    expect(seen.context).toBeNull();
    expect(seen.achieved).toMatchObject(expected);
    expect((await t.http.post(`/api/negotiations/${re.body.id}/cancel`).set(auth(procurement))).status).toBe(200);
  });

  it('illegal moves get 409 and change nothing', async () => {
    expect((await t.http.post(`/api/negotiations/${id}/sign-off`).set(auth(procurement))).status).toBe(409);
    expect(
      (
        await t.http
          .post(`/api/negotiations/${id}/rounds`)
          .set(auth(procurement))
          .send({ terms: { availabilityTarget: 99.9 } })
      ).status,
    ).toBe(409);
    expect((await t.http.post(`/api/negotiations/${id}/responses`).set(auth(vendor)).send({ round: 2, answers: acceptAll() })).status).toBe(
      409,
    );
    expect((await t.http.get(`/api/negotiations/${id}`).set(auth(procurement))).body).toMatchObject({
      status: 'proposed',
      currentRound: 1,
    });
  });

  it('the vendor must answer every term, and a counter needs a valid, different value', async () => {
    const partial = await t.http
      .post(`/api/negotiations/${id}/responses`)
      .set(auth(vendor))
      .send({ round: 1, answers: { availabilityTarget: { decision: 'accept' } } });
    expect(partial.status).toBe(422);
    expect(partial.body.error.fields.map((f: { path: string }) => f.path)).toContain('answers.rtoMinutes');
    const bad = await t.http
      .post(`/api/negotiations/${id}/responses`)
      .set(auth(vendor))
      .send({ round: 1, answers: acceptAll({ availabilityTarget: 140 }) });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields[0].path).toBe('answers.availabilityTarget.value');
  });

  it('the vendor counters; procurement proposes round 2 adopting part of it; the diff shows what changed', async () => {
    const counter = await t.http
      .post(`/api/negotiations/${id}/responses`)
      .set(auth(vendor))
      .send({ round: 1, answers: acceptAll({ availabilityTarget: 99.9, rtoMinutes: 120 }) });
    expect(counter.status).toBe(200);
    expect(counter.body).toMatchObject({ status: 'countered', allowedActions: [] });
    expect(counter.body.rounds[0].responses.rtoMinutes).toMatchObject({
      decision: 'counter',
      value: 120,
      comment: 'Counter on rtoMinutes',
    });
    const round2 = await t.http
      .post(`/api/negotiations/${id}/rounds`)
      .set(auth(procurement))
      .send({ terms: { availabilityTarget: 99.9, rtoMinutes: 90, rpoMinutes: 15, credits: [{ belowPercent: 99.9, creditPercent: 10 }] } });
    expect(round2.status).toBe(200);
    expect(round2.body).toMatchObject({ status: 'proposed', currentRound: 2 });
    expect(round2.body.rounds[1].diff.map((d: { term: string }) => d.term).sort()).toEqual(['availabilityTarget', 'credits', 'rtoMinutes']);
    expect(round2.body.rounds[1].diff.find((d: { term: string }) => d.term === 'rtoMinutes')).toEqual({
      term: 'rtoMinutes',
      from: 60,
      to: 90,
    });
  });

  it('all accepted → agreed; both sides sign off once; the agreed round becomes the SLA', async () => {
    const agreed = await t.http.post(`/api/negotiations/${id}/responses`).set(auth(vendor)).send({ round: 2, answers: acceptAll() });
    expect(agreed.body).toMatchObject({ status: 'agreed', allowedActions: ['sign_off'] });
    const vendorSigned = await t.http.post(`/api/negotiations/${id}/sign-off`).set(auth(vendor));
    expect(vendorSigned.body).toMatchObject({ status: 'agreed' });
    expect((await t.http.post(`/api/negotiations/${id}/sign-off`).set(auth(vendor))).status).toBe(409);
    const done = await t.http.post(`/api/negotiations/${id}/sign-off`).set(auth(procurement));
    expect(done.body).toMatchObject({ status: 'signed_off', resultingVersion: 1 });
    const sla = await t.http.get(`/api/slas/${done.body.slaId}`).set(auth(vendor));
    expect(sla.body.current).toMatchObject({
      version: 1,
      effectiveFrom: newYear(1).toISODate(),
      terms: { availabilityTarget: 99.9, rtoMinutes: 90 },
    });
    expect((await t.http.post(`/api/negotiations/${id}/cancel`).set(auth(procurement))).status).toBe(409);
  });

  it('renegotiating an existing SLA adds a version; every step is audited and both sides are e-mailed', async () => {
    const [{ id: slaId }] = await ds.query(`SELECT sla_id AS id FROM negotiations WHERE id = $1`, [id]);
    const early = await t.http
      .post('/api/negotiations')
      .set(auth(procurement))
      .send({ contractId, slaId, effectiveFrom: newYear(1).minus({ months: 7 }).toISODate(), terms: { availabilityTarget: 99.95 } });
    expect(early.status).toBe(422);
    const re = await t.http
      .post('/api/negotiations')
      .set(auth(procurement))
      .send({ contractId, slaId, effectiveFrom: newYear(2).toISODate(), terms: { availabilityTarget: 99.95, rtoMinutes: 60 } });
    expect(re.status).toBe(201);
    // The SLA replaced here takes effect next year: nothing achieved under it yet.
    expect(re.body.achieved).toMatchObject({ version: 1, from: newYear(1).toISODate(), to: null, windows: 0, averageAvailability: null });
    expect(
      (
        await t.http
          .post('/api/negotiations')
          .set(auth(procurement))
          .send({ contractId, slaId, effectiveFrom: newYear(2).plus({ months: 1 }).toISODate(), terms: { availabilityTarget: 99.99 } })
      ).status,
    ).toBe(409);
    await t.http.post(`/api/negotiations/${re.body.id}/responses`).set(auth(vendor)).send({ round: 1, answers: acceptAll() });
    await t.http.post(`/api/negotiations/${re.body.id}/sign-off`).set(auth(procurement));
    const done = await t.http.post(`/api/negotiations/${re.body.id}/sign-off`).set(auth(vendor));
    expect(done.body).toMatchObject({ status: 'signed_off', slaId, resultingVersion: 2 });
    const actions = (await ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [id])).map(
      (r: { action: string }) => r.action,
    );
    expect(actions).toEqual([
      'negotiation.proposed',
      'negotiation.countered',
      'negotiation.proposed',
      'negotiation.agreed',
      'negotiation.signed_off',
      'negotiation.signed_off',
    ]);
    const dir = join(t.dataDir, 'outbox');
    // Only the negotiation's own mails (the demo seed also mails about breaches); the mail jobs run after the response.
    const negotiationMail = (m: { subject: string }) =>
      /^(New SLA terms proposed|Vendor countered|Terms agreed|Round \d+ proposed|SLA in force|Signed off by the other side)/.test(
        m.subject,
      );
    await waitForMail(dir, (m) => negotiationMail(m) && m.to === 'contact@openai.demo.bulwark.test');
    await waitForMail(dir, (m) => negotiationMail(m) && m.to === 'procurement@demo.bulwark.test');
    const recipients = readOutbox(dir)
      .filter(negotiationMail)
      .map((m) => m.to);
    expect(recipients).toContain('contact@openai.demo.bulwark.test');
    expect(recipients).toContain('procurement@demo.bulwark.test');
  });

  it('procurement can cancel an open negotiation; nothing can happen to it afterwards', async () => {
    const [{ id: slaId }] = await ds.query(`SELECT sla_id AS id FROM negotiations WHERE id = $1`, [id]);
    const open = await t.http
      .post('/api/negotiations')
      .set(auth(procurement))
      .send({ contractId, slaId, effectiveFrom: newYear(3).toISODate(), terms: { availabilityTarget: 99.99 } });
    expect(open.status).toBe(201);
    expect((await t.http.post(`/api/negotiations/${open.body.id}/cancel`).set(auth(vendor))).status).toBe(403);
    const cancelled = await t.http.post(`/api/negotiations/${open.body.id}/cancel`).set(auth(procurement));
    expect(cancelled.body).toMatchObject({ status: 'cancelled', allowedActions: [] });
    expect(
      (await t.http.post(`/api/negotiations/${open.body.id}/responses`).set(auth(vendor)).send({ round: 1, answers: acceptAll() })).status,
    ).toBe(409);
    expect((await t.http.post(`/api/negotiations/${open.body.id}/cancel`).set(auth(procurement))).status).toBe(409);
  });

  it('an unknown time zone is refused at every step with a 422 naming the field, so it can never be agreed', async () => {
    const [{ id: slaId }] = await ds.query(`SELECT sla_id AS id FROM negotiations WHERE id = $1`, [id]);
    const bad = await t.http
      .post('/api/negotiations')
      .set(auth(procurement))
      .send({ contractId, slaId, effectiveFrom: newYear(4).toISODate(), terms: { availabilityTarget: 99.9, timeZone: 'Mars/Olympus' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['terms.timeZone']);
    const open = await t.http
      .post('/api/negotiations')
      .set(auth(procurement))
      .send({ contractId, slaId, effectiveFrom: newYear(4).toISODate(), terms: { availabilityTarget: 99.9, timeZone: 'Europe/London' } });
    expect(open.status).toBe(201);
    const counter = await t.http
      .post(`/api/negotiations/${open.body.id}/responses`)
      .set(auth(vendor))
      .send({ round: 1, answers: acceptAll({ timeZone: 'Europe/Londres' }) });
    expect(counter.status).toBe(422);
    expect(counter.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['answers.timeZone.value']);
    expect(
      (
        await t.http
          .post(`/api/negotiations/${open.body.id}/responses`)
          .set(auth(vendor))
          .send({ round: 1, answers: acceptAll({ timeZone: 'America/New_York' }) })
      ).status,
    ).toBe(200);
    const round2 = await t.http
      .post(`/api/negotiations/${open.body.id}/rounds`)
      .set(auth(procurement))
      .send({ terms: { availabilityTarget: 99.9, timeZone: 'Not/AZone' } });
    expect(round2.status).toBe(422);
    expect(round2.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['terms.timeZone']);
    expect((await t.http.get(`/api/negotiations/${open.body.id}`).set(auth(procurement))).body).toMatchObject({
      status: 'countered',
      currentRound: 1,
    });
    expect((await t.http.post(`/api/negotiations/${open.body.id}/cancel`).set(auth(procurement))).status).toBe(200);
  });

  it('both sides are told at each step: the other side in-app and by e-mail, the one who acted in-app; an admin acting as procurement too', async () => {
    const admin = await login(t, 'admin@demo.bulwark.test');
    const name = 'Admin-led availability';
    const created = await t.http
      .post('/api/negotiations')
      .set(auth(admin))
      .send({
        contractId,
        name,
        scope: { serviceIds: [serviceId] },
        effectiveFrom: newYear(4).toISODate(),
        terms: { availabilityTarget: 99.5 },
      });
    expect(created.status).toBe(201);
    const nid = created.body.id;
    expect(
      (
        await t.http
          .post(`/api/negotiations/${nid}/responses`)
          .set(auth(vendor))
          .send({ round: 1, answers: acceptAll({ availabilityTarget: 99 }) })
      ).status,
    ).toBe(200);
    expect(
      (
        await t.http
          .post(`/api/negotiations/${nid}/rounds`)
          .set(auth(procurement))
          .send({ terms: { availabilityTarget: 99.2 } })
      ).status,
    ).toBe(200);
    const dir = join(t.dataDir, 'outbox');
    const mail = (to: string, subject: string) => waitForMail(dir, (m) => m.to === to && m.subject === subject);
    // Proposed by the admin: the vendor and procurement (the acting side's other members) are e-mailed.
    await mail('contact@openai.demo.bulwark.test', `New SLA terms proposed: ${name}`);
    await mail('procurement@demo.bulwark.test', `New SLA terms proposed: ${name}`);
    // Countered by the vendor: the admin who started it is told like procurement.
    await mail('admin@demo.bulwark.test', `Vendor countered: ${name}`);
    await mail('procurement@demo.bulwark.test', `Vendor countered: ${name}`);
    // Round 2 by procurement: the vendor and the admin.
    await mail('contact@openai.demo.bulwark.test', `Round 2 proposed: ${name}`);
    await mail('admin@demo.bulwark.test', `Round 2 proposed: ${name}`);
    const inApp = async (email: string) =>
      (
        await ds.query(
          `SELECT n.title FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND n.link = $2 ORDER BY n.created_at, n.title`,
          [email, `/negotiations/${nid}`],
        )
      ).map((r: { title: string }) => r.title);
    expect(await inApp('admin@demo.bulwark.test')).toEqual([
      `Done: New SLA terms proposed: ${name}`,
      `Vendor countered: ${name}`,
      `Round 2 proposed: ${name}`,
    ]);
    expect(await inApp('contact@openai.demo.bulwark.test')).toEqual([
      `New SLA terms proposed: ${name}`,
      `Done: Vendor countered: ${name}`,
      `Round 2 proposed: ${name}`,
    ]);
    expect(await inApp('procurement@demo.bulwark.test')).toEqual([
      `New SLA terms proposed: ${name}`,
      `Vendor countered: ${name}`,
      `Done: Round 2 proposed: ${name}`,
    ]);
    // Confirmations are in-app only: once every queued mail job has run, none of them is a confirmation.
    await t.app.get<InProcessQueue>(QUEUE).drain(20_000);
    expect(readOutbox(dir).filter((m) => m.subject.startsWith('Done:'))).toEqual([]);
    expect((await t.http.post(`/api/negotiations/${nid}/cancel`).set(auth(procurement))).status).toBe(200);
  });

  it('an auditor cannot negotiate and another vendor cannot see it', async () => {
    const auditor = await login(t, 'auditor@demo.bulwark.test');
    expect(
      (
        await t.http
          .post('/api/negotiations')
          .set(auth(auditor))
          .send({ contractId, effectiveFrom: '2029-01-01', terms: { availabilityTarget: 99 } })
      ).status,
    ).toBe(403);
    const aws = await login(t, 'contact@amazon-web-services.demo.bulwark.test');
    expect((await t.http.get(`/api/negotiations/${id}`).set(auth(aws))).status).toBe(404);
    expect((await t.http.get('/api/negotiations').set(auth(aws))).body).toEqual([]);
  });
});

describe('what was achieved, served from the rollup', () => {
  /** Bloomberg: no demo contract, so every figure here comes from this test. */
  let bloomberg: { org: string; vendorId: string; serviceId: string };
  const slas: { id: string; negotiationId: string }[] = [];
  const month = (back: number) => DateTime.utc().startOf('month').minus({ months: back });
  const drain = () => t.app.get<InProcessQueue>(QUEUE).drain(20_000);
  const recompute = () => RequestContext.runAs(systemActor(bloomberg.org), () => t.app.get(RecomputeService).recompute(bloomberg.vendorId));
  /** Every SQL statement the app runs while `fn` does (TypeORM reports each to its logger). */
  /**
   * The queries one request runs: `fn` sends it with the request id given, and only queries issued in that
   * request's context count (a background job, the outbox relay or another request's after-commit work
   * running meanwhile does not).
   */
  async function queriesOf(fn: (requestId: string) => Promise<unknown>): Promise<string[]> {
    const logger = ds.logger;
    const original = logger.logQuery.bind(logger);
    const seen: string[] = [];
    const requestId = `count-${randomUUID()}`;
    logger.logQuery = (query, ...rest) => {
      if (RequestContext.requestId() === requestId) seen.push(query);
      return original(query, ...rest);
    };
    try {
      await fn(requestId);
    } finally {
      logger.logQuery = original;
    }
    return seen;
  }
  const list = async (requestId?: string) =>
    (
      await t.http
        .get(`/api/negotiations?vendorId=${bloomberg.vendorId}`)
        .set(auth(procurement))
        .set(requestId ? { 'X-Request-Id': requestId } : {})
    ).body as {
      id: string;
      achieved: unknown;
    }[];
  /** The engine's figure for the SLA's whole period, from the attainment endpoint (computed from the signals). */
  async function engine(slaId: string, effective: DateTime) {
    const windows = (
      await t.http
        .get(`/api/slas/${slaId}/attainment?from=${effective.toFormat('yyyy-MM')}&to=${DateTime.utc().toFormat('yyyy-MM')}`)
        .set(auth(procurement))
    ).body.filter((w: { open: boolean }) => !w.open);
    const values: number[] = windows.map((w: { availability: number }) => w.availability);
    return {
      version: 1,
      from: effective.toISODate(),
      to: null,
      windows: windows.length,
      averageAvailability: Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10_000) / 10_000,
      worstAvailability: Math.min(...values),
      breaches: windows.filter((w: { breached: boolean }) => w.breached).length,
    };
  }
  async function addSla(n: number): Promise<void> {
    const c = await t.http
      .post('/api/contracts')
      .set(auth(procurement))
      .send({
        vendorId: bloomberg.vendorId,
        title: `Bloomberg agreement ${n}`,
        status: 'active',
        effectiveDate: month(6).toISODate(),
        serviceIds: [bloomberg.serviceId],
      });
    const sla = await t.http
      .post('/api/slas')
      .set(auth(procurement))
      .send({
        contractId: c.body.id,
        name: `Bloomberg SLA ${n}`,
        effectiveFrom: month(6).toISODate(),
        terms: { availabilityTarget: 99.9 + n / 100 },
        scope: { serviceIds: [bloomberg.serviceId] },
      });
    expect(sla.status).toBe(201);
    const neg = await t.http
      .post('/api/negotiations')
      .set(auth(procurement))
      .send({ contractId: c.body.id, slaId: sla.body.id, effectiveFrom: month(-2).toISODate(), terms: { availabilityTarget: 99.99 } });
    expect(neg.status).toBe(201);
    slas.push({ id: sla.body.id, negotiationId: neg.body.id });
  }

  beforeAll(async () => {
    const [row] = await ds.query(
      `SELECT v.organization_id, v.id AS vendor_id, s.id AS service_id FROM vendors v JOIN services s ON s.vendor_id = v.id WHERE v.name = 'Bloomberg' AND s.name = 'Bloomberg Data License'`,
    );
    bloomberg = { org: row.organization_id, vendorId: row.vendor_id, serviceId: row.service_id };
    const [{ id: sourceId }] = await ds.query(
      `INSERT INTO signal_sources (organization_id, vendor_id, service_id, plugin, name, schedule_seconds, enabled) VALUES ($1, $2, $3, 'statuspage', 'status', 300, false) RETURNING id`,
      [bloomberg.org, bloomberg.vendorId, bloomberg.serviceId],
    );
    const outage = (id: string, back: number, hours: number) =>
      ds.query(
        `INSERT INTO signals (organization_id, vendor_id, service_id, source_id, dedupe_key, external_id, signal_type, level, title, started_at, resolved_at, provider_updated_at, content_hash)
         VALUES ($1, $2, $3, $4, $5, $6, 'service_incident', 'major_outage', $6, $7, $8, $8, 'h')`,
        [
          bloomberg.org,
          bloomberg.vendorId,
          bloomberg.serviceId,
          sourceId,
          `${sourceId}:${id}`,
          id,
          month(back).plus({ days: 9 }).toJSDate(),
          month(back).plus({ days: 9, hours }).toJSDate(),
        ],
      );
    await outage('three-months-ago', 3, 6);
    await outage('two-months-ago', 2, 1);
  });

  it('equals the engine’s figure for the same period, read from the rollup with a fixed number of queries per page', async () => {
    await addSla(1);
    await drain();
    await recompute();
    // The recompute queues breach mails; their jobs query the database too, so none may run while queries are counted.
    await drain();
    const expected = await engine(slas[0]!.id, month(6));
    expect(expected).toMatchObject({ windows: 6, breaches: 2 });
    expect((await list())[0]!.achieved).toEqual(expected);
    const one = await queriesOf(list);
    expect(one.length).toBeGreaterThan(0);
    await addSla(2);
    await addSla(3);
    await drain();
    await recompute();
    await drain();
    const page = await list();
    expect(page).toHaveLength(3);
    for (const s of slas) expect(page.find((n) => n.id === s.negotiationId)!.achieved).toEqual(await engine(s.id, month(6)));
    const three = await queriesOf(list);
    // Three rows cost what one did, and no row reads the signals.
    expect(three.length).toBe(one.length);
    expect(three.filter((q) => /\bsignal(s|_changes)\b/.test(q))).toEqual([]);
  });

  it('computes from the signals only the windows the rollup lacks', async () => {
    const { id, negotiationId } = slas[0]!;
    const expected = await engine(id, month(6));
    // A window the rollup does not hold (here: removed) is computed from the signals, with the same figure.
    await ds.query(`DELETE FROM sla_attainment WHERE sla_id = $1 AND window_label = $2`, [id, month(3).toFormat('yyyy-MM')]);
    const queries = await queriesOf(async (requestId) =>
      expect(
        (await t.http.get(`/api/negotiations/${negotiationId}`).set(auth(procurement)).set('X-Request-Id', requestId)).body.achieved,
      ).toEqual(expected),
    );
    expect(queries.filter((q) => /FROM signals s\s/.test(q)).length).toBeGreaterThan(0);
    await recompute();
    // With the rollup written, corrupting the signals does not change the figure: it is read from the rollup.
    await ds.query(`UPDATE signals SET level = 'operational' WHERE service_id = $1`, [bloomberg.serviceId]);
    expect((await t.http.get(`/api/negotiations/${negotiationId}`).set(auth(procurement))).body.achieved).toEqual(expected);
    expect((await list()).find((n) => n.id === negotiationId)!.achieved).toEqual(expected);
  });
});
