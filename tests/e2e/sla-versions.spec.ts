import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Page as ApiPage, ContractView, ServiceView, SlaView } from '@bulwark/api-schema';

import { auth, login } from '../support/app';
import { newSession, reportUnavailable, shot, signIn, startStack, textOf, tid, type Stack } from './support/browser';

const unavailable = reportUnavailable();

/** The portal's "in force": the version in force today is current; a signed later one is announced, not shown as current. */
describe.skipIf(unavailable)('SLA versions on the contract and SLA pages', () => {
  let stack: Stack;
  let contract: ContractView;
  let sla: SlaView;
  const today = DateTime.utc().startOf('day');
  const nextEffective = today.plus({ days: 40 });
  beforeAll(async () => {
    stack = await startStack();
    const token = await login(stack.t, 'procurement@demo.bulwark.test');
    const services = (await stack.t.http.get('/api/services').query({ search: 'OpenAI', pageSize: 200 }).set(auth(token)).expect(200))
      .body as ApiPage<ServiceView>;
    const service = services.items.find((s) => s.vendorName === 'OpenAI')!;
    contract = (
      await stack.t.http
        .post('/api/contracts')
        .set(auth(token))
        .send({
          vendorId: service.vendorId,
          title: 'Versioned order form',
          status: 'active',
          effectiveDate: today.minus({ years: 1 }).toISODate(),
          serviceIds: [service.id],
        })
        .expect(201)
    ).body as ContractView;
    sla = (
      await stack.t.http
        .post('/api/slas')
        .set(auth(token))
        .send({
          contractId: contract.id,
          name: 'Order form availability',
          effectiveFrom: today.minus({ months: 6 }).toISODate(),
          terms: { availabilityTarget: 99.5, rtoMinutes: 240 },
          scope: { serviceIds: [service.id] },
        })
        .expect(201)
    ).body as SlaView;
    await stack.t.http
      .post(`/api/slas/${sla.id}/versions`)
      .set(auth(token))
      .send({ effectiveFrom: nextEffective.toISODate(), terms: { availabilityTarget: 99.9, rtoMinutes: 60 } })
      .expect(201);
  }, 120_000);
  afterAll(async () => stack?.close());

  it('the contract page and the SLA page show v1 in force and v2 as taking effect later, for both sides', async () => {
    const buyer = await newSession(stack);
    const vendor = await newSession(stack);
    await Promise.all([
      signIn(stack, buyer, 'procurement@demo.bulwark.test', 'vendor-row'),
      signIn(stack, vendor, 'contact@openai.demo.bulwark.test', 'vendor-home-title'),
    ]);
    const upcomingDay = String(nextEffective.day);

    await buyer.goto(`${stack.baseUrl}/contracts/${contract.id}`);
    await buyer.waitForSelector(tid('contract-sla-row'));
    const row = `${tid('contract-sla-row')}[data-sla-id="${sla.id}"]`;
    expect(await buyer.$eval(`${row} td:last-child`, (td) => td.textContent)).toBe('v1');
    expect(await textOf(buyer, `${row} ${tid('contract-sla-upcoming')}`)).toContain('v2 takes effect on');
    await shot(buyer, '45-contract-sla-upcoming-version');

    for (const [page, url] of [
      [buyer, `${stack.baseUrl}/slas/${sla.id}`],
      [vendor, `${stack.baseUrl}/vendor-home/slas/${sla.id}`],
    ] as const) {
      await page.goto(url);
      await page.waitForSelector(tid('sla-upcoming'));
      expect(await textOf(page, tid('sla-current-version'))).toBe('v1');
      expect(await textOf(page, tid('sla-in-force'))).toMatch(/^in force since /);
      const upcoming = await textOf(page, tid('sla-upcoming'));
      expect(upcoming).toContain('v2 takes effect on');
      expect(upcoming).toContain(upcomingDay);
      expect(upcoming).toContain('99.5 % → 99.9 %');
      const statuses = await page.$$eval(tid('sla-version-row'), (rows) =>
        rows.map((r) => [r.getAttribute('data-version'), r.getAttribute('data-status')]),
      );
      expect(statuses).toEqual([
        ['2', 'upcoming'],
        ['1', 'in_force'],
      ]);
    }
    await shot(buyer, '46-sla-upcoming-version');
    await shot(vendor, '47-vendor-sla-upcoming-version');
  });

  it('the contracts list is searchable by title, reference or vendor, and the search stays in the address', async () => {
    const buyer = await newSession(stack);
    await signIn(stack, buyer, 'procurement@demo.bulwark.test', 'vendor-row');
    await buyer.goto(`${stack.baseUrl}/contracts`);
    await buyer.waitForSelector(tid('contract-row'));
    await buyer.type(tid('contract-search'), 'versioned order');
    await buyer.waitForFunction(
      (row) => {
        const titles = [...document.querySelectorAll(row)].map((r) => r.textContent ?? '');
        return titles.length === 1 && titles[0]!.includes('Versioned order form');
      },
      {},
      tid('contract-row-link'),
    );
    expect(buyer.url()).toContain('search=versioned');
    await shot(buyer, '48-contracts-search');
    await buyer.goto(`${stack.baseUrl}/negotiations?search=no-such-negotiation`);
    await buyer.waitForSelector(tid('negotiations-empty'));
    expect(await textOf(buyer, tid('negotiations-empty'))).toContain('No negotiations match these filters');
  });
});
