import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Page as ApiPage, ContractView, NegotiationView, ServiceView, SlaView } from '@bulwark/api-schema';

import { auth, login } from '../support/app';
import { fill, newSession, reportUnavailable, shot, signIn, startStack, textOf, tid, type Stack } from './support/browser';

const unavailable = reportUnavailable();
const status = (s: string) => `${tid('negotiation-status')}[data-status="${s}"]`;

/**
 * A brand-new SLA negotiated from a contract page (the renegotiation of an existing SLA is in
 * negotiation.spec.ts), and a negotiation that procurement cancels.
 */
describe.skipIf(unavailable)('a new SLA negotiated from the contract page', () => {
  let stack: Stack;
  let token: string;
  let contract: ContractView;
  beforeAll(async () => {
    stack = await startStack();
    token = await login(stack.t, 'procurement@demo.bulwark.test');
    const services = (await stack.t.http.get('/api/services').query({ search: 'OpenAI', pageSize: 200 }).set(auth(token)).expect(200))
      .body as ApiPage<ServiceView>;
    const service = services.items.find((s) => s.vendorName === 'OpenAI');
    expect(service, 'the demo data has an OpenAI service').toBeDefined();
    contract = (
      await stack.t.http
        .post('/api/contracts')
        .set(auth(token))
        .send({
          vendorId: service!.vendorId,
          title: 'Batch inference order form',
          status: 'active',
          effectiveDate: '2026-11-01',
          serviceIds: [service!.id],
        })
        .expect(201)
    ).body as ContractView;
  }, 120_000);
  afterAll(async () => stack?.close());

  it('procurement proposes, the vendor accepts every term, both sign off, and the SLA exists under the contract', async () => {
    const buyer = await newSession(stack);
    const vendor = await newSession(stack);
    await Promise.all([
      signIn(stack, buyer, 'procurement@demo.bulwark.test', 'vendor-row'),
      signIn(stack, vendor, 'contact@openai.demo.bulwark.test', 'vendor-home-title'),
    ]);

    await buyer.goto(`${stack.baseUrl}/contracts/${contract.id}`);
    await buyer.waitForSelector(tid('contract-title'));
    await buyer.locator(tid('negotiation-new-button')).click();
    await buyer.waitForSelector(tid('negotiation-form'));
    await fill(buyer, tid('sla-name'), 'Batch API availability');
    await fill(buyer, tid('sla-availability-target'), '99.5');
    await fill(buyer, tid('sla-rto'), '240');
    await shot(buyer, '40-new-sla-propose');
    await buyer.locator(tid('negotiation-submit')).click();
    await buyer.waitForSelector(status('proposed'));
    const negotiationId = /\/negotiations\/([0-9a-f-]{36})/.exec(buyer.url())?.[1];
    expect(negotiationId).toBeTruthy();

    await vendor.reload();
    await vendor.waitForSelector(`${tid('vendor-home-negotiations')} ${tid('negotiation-row')}[data-status="proposed"]`);
    await vendor.goto(`${stack.baseUrl}/vendor-home/negotiations/${negotiationId}`);
    await vendor.waitForSelector(tid('negotiation-respond-form'));
    await vendor.locator(tid('negotiation-respond-submit')).click();
    await vendor.waitForSelector(status('agreed'));
    await vendor.locator(tid('negotiation-sign-off')).click();
    await vendor.waitForSelector(`${tid('negotiation-signature')}[data-side="vendor"][data-signed="true"]`);

    await buyer.reload();
    await buyer.waitForSelector(status('agreed'));
    await buyer.locator(tid('negotiation-sign-off')).click();
    await buyer.waitForSelector(status('signed_off'));
    await buyer.locator(tid('negotiation-result-link')).click();
    await buyer.waitForSelector(`${tid('sla-version-row')}[data-version="1"]`);
    expect(await buyer.$eval(tid('sla-title'), (el) => el.textContent)).toBe('Batch API availability');
    await buyer.waitForSelector(`${tid('sla-attainment-chart')} .recharts-wrapper, ${tid('attainment-empty')}`);
    await shot(buyer, '41-new-sla-created');

    const done = (await stack.t.http.get(`/api/negotiations/${negotiationId}`).set(auth(token)).expect(200)).body as NegotiationView;
    expect(done).toMatchObject({ status: 'signed_off', resultingVersion: 1 });
    const sla = (await stack.t.http.get(`/api/slas/${done.slaId}`).set(auth(token)).expect(200)).body as SlaView;
    expect(sla).toMatchObject({ name: 'Batch API availability', contractId: contract.id });
    expect(sla.current.terms).toMatchObject({ availabilityTarget: 99.5, rtoMinutes: 240 });
    // Unless it took effect on the 1st, this month is measured from the effective day, and says so.
    const month = new Date().toISOString().slice(0, 7);
    const windows = (
      await stack.t.http.get(`/api/slas/${sla.id}/attainment`).query({ from: month, to: month }).set(auth(token)).expect(200)
    ).body as { partial: boolean }[];
    if (windows[0]?.partial) expect(await textOf(buyer, tid('attainment-partial'))).toMatch(/^from /);
    else expect(await buyer.$(tid('attainment-partial'))).toBeNull();

    // The contract page lists the new SLA.
    await buyer.goto(`${stack.baseUrl}/contracts/${contract.id}`);
    await buyer.waitForSelector(`${tid('contract-sla-row')}`);
    expect(await buyer.$$eval(tid('contract-sla-link'), (els) => els.map((e) => e.textContent))).toContain('Batch API availability');
    await buyer.browserContext().close();
    await vendor.browserContext().close();
  }, 180_000);

  it('procurement cancels a negotiation; the vendor can no longer answer it', async () => {
    const buyer = await newSession(stack);
    await signIn(stack, buyer, 'procurement@demo.bulwark.test', 'vendor-row');
    await buyer.goto(`${stack.baseUrl}/contracts/${contract.id}`);
    await buyer.locator(tid('negotiation-new-button')).click();
    await buyer.waitForSelector(tid('negotiation-form'));
    await fill(buyer, tid('sla-name'), 'Fine-tuning availability');
    await fill(buyer, tid('sla-availability-target'), '99');
    await buyer.locator(tid('negotiation-submit')).click();
    await buyer.waitForSelector(status('proposed'));
    const negotiationId = /\/negotiations\/([0-9a-f-]{36})/.exec(buyer.url())![1]!;
    await buyer.locator(tid('negotiation-cancel')).click();
    // The confirmation is a modal that animates in.
    await buyer.waitForSelector(tid('negotiation-cancel-confirm'), { visible: true });
    await buyer.locator(tid('negotiation-cancel-confirm')).click();
    await buyer.waitForSelector(status('cancelled'));
    expect(await buyer.$(tid('negotiation-cancel'))).toBeNull();
    await shot(buyer, '42-negotiation-cancelled');

    const vendorToken = await login(stack.t, 'contact@openai.demo.bulwark.test');
    const answer = await stack.t.http
      .post(`/api/negotiations/${negotiationId}/responses`)
      .set(auth(vendorToken))
      .send({ round: 1, answers: {} });
    expect(answer.status).toBe(409);
    await buyer.browserContext().close();
  }, 120_000);
});
