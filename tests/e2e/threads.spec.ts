import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Page as ApiPage, BreachView } from '@bulwark/api-schema';

import { auth, login } from '../support/app';
import { fill, newSession, pickOption, reportUnavailable, shot, signIn, startStack, textOf, tid, type Stack } from './support/browser';

const unavailable = reportUnavailable();

/**
 * A breach's thread with both audiences: the manager writes an internal note and a reply visible to the vendor
 * (mentioning the vendor's contact); the vendor's contact sees only the reply.
 */
describe.skipIf(unavailable)('threads: internal notes and vendor-visible comments on a breach', () => {
  let stack: Stack;
  let breach: BreachView;
  let contactName: string;
  const INTERNAL = 'Internal: their status page showed maintenance, likely to waive.';
  const SHARED = 'Could you send us the maintenance notice for that day?';

  beforeAll(async () => {
    stack = await startStack();
    const token = await login(stack.t, 'manager@demo.bulwark.test');
    const open = (await stack.t.http.get('/api/breaches?status=open').set(auth(token)).expect(200)).body as ApiPage<BreachView>;
    breach = open.items.find((b) => b.vendorName === 'OpenAI')!;
    const me = await login(stack.t, 'contact@openai.demo.bulwark.test');
    contactName = (await stack.t.http.get('/api/auth/me').set(auth(me)).expect(200)).body.name;
  }, 120_000);
  afterAll(async () => stack?.close());

  it('the manager posts an internal note and a vendor-visible reply; the vendor contact sees only the reply', async () => {
    expect(breach, 'the demo data has an open OpenAI breach').toBeDefined();
    const manager = await newSession(stack);
    await signIn(stack, manager, 'manager@demo.bulwark.test', 'vendor-row');
    await manager.goto(`${stack.baseUrl}/breaches/${breach.id}`);
    await manager.waitForSelector(tid('thread-form'));
    expect(await textOf(manager, tid('thread-empty'))).toBe('No comments yet.');

    // Internal users start on "Internal note".
    expect(await manager.$eval(`${tid('thread-audience')} input:checked`, (el) => (el as HTMLInputElement).value)).toBe('internal');
    await fill(manager, tid('thread-body'), INTERNAL);
    await manager.locator(tid('thread-submit')).click();
    await manager.waitForSelector(`${tid('thread-comment')}[data-audience="internal"]`);

    // Switch to "Visible to the vendor" with the keyboard, mention the vendor's contact through the autocomplete.
    await manager.focus(`${tid('thread-audience')} input:checked`);
    await manager.keyboard.press('ArrowLeft');
    await manager.waitForFunction(
      (sel) => (document.querySelector(sel) as HTMLInputElement | null)?.value === 'vendor',
      {},
      `${tid('thread-audience')} input:checked`,
    );
    expect(await textOf(manager, `${tid('thread-submit')}`)).toBe('Send to the vendor');
    await fill(manager, tid('thread-body'), SHARED);
    await manager.click(tid('thread-mentions'));
    await manager.type(tid('thread-mentions'), contactName.slice(0, 4));
    await manager.waitForSelector('.mantine-MultiSelect-option');
    await manager.keyboard.press('ArrowDown');
    await manager.keyboard.press('Enter');
    await manager.waitForSelector('.mantine-MultiSelect-pill');
    await manager.locator(tid('thread-submit')).click();
    await manager.waitForSelector(`${tid('thread-comment')}[data-audience="vendor"]`);
    const managerSees = await manager.$$eval(tid('thread-comment'), (els) => els.map((e) => e.getAttribute('data-audience')));
    expect(managerSees).toEqual(['internal', 'vendor']);
    expect(await textOf(manager, `${tid('thread-comment')}[data-audience="vendor"] ${tid('thread-comment-mentions')}`)).toBe(
      `Mentioned: @${contactName}`,
    );
    await shot(manager, '90-thread-breach-manager');

    const vendor = await newSession(stack);
    await signIn(stack, vendor, 'contact@openai.demo.bulwark.test', 'vendor-home-title');
    await vendor.goto(`${stack.baseUrl}/vendor-home/breaches/${breach.id}`);
    await vendor.waitForSelector(tid('thread-comment'));
    const bodies = await vendor.$$eval(tid('thread-comment-body'), (els) => els.map((e) => e.textContent));
    expect(bodies).toEqual([SHARED]);
    expect(await vendor.$eval('body', (el) => el.textContent ?? '')).not.toContain('likely to waive');
    expect(await vendor.$(tid('thread-audience'))).toBeNull();
    expect(await textOf(vendor, tid('thread-submit'))).toBe('Dispute the breach');
    await shot(vendor, '91-thread-breach-vendor');

    // The vendor answers with an item of its evidence library attached; both sides see it named, with its download.
    await fill(vendor, tid('thread-body'), 'The maintenance was announced 14 days ahead; our certificate covers the change process.');
    await pickOption(vendor, tid('thread-evidence'), '27001', 'OpenAI ISO/IEC 27001 certificate');
    await vendor.locator(tid('thread-submit')).click();
    const attached = `${tid('thread-comment')}[data-side="vendor"] ${tid('thread-comment-evidence')} ${tid('evidence-ref-download')}`;
    expect(await textOf(vendor, attached)).toBe('OpenAI ISO/IEC 27001 certificate');
    await shot(vendor, '91b-thread-breach-vendor-evidence');
    await manager.reload();
    expect(await textOf(manager, attached)).toBe('OpenAI ISO/IEC 27001 certificate');

    // The same component on a negotiation: empty, with its composer.
    const token = await login(stack.t, 'procurement@demo.bulwark.test');
    const [sla] = await stack.t.app
      .get(DataSource)
      .query(`SELECT id, contract_id FROM slas WHERE vendor_id = $1 LIMIT 1`, [breach.vendorId]);
    const negotiation = await stack.t.http
      .post('/api/negotiations')
      .set(auth(token))
      .send({
        contractId: sla.contract_id,
        slaId: sla.id,
        effectiveFrom: `${new Date().getUTCFullYear() + 2}-01-01`,
        terms: { availabilityTarget: 99.95 },
      })
      .expect(201);
    await manager.goto(`${stack.baseUrl}/negotiations/${negotiation.body.id}`);
    await manager.waitForSelector(`${tid('thread')}[data-target-type="negotiation"] ${tid('thread-empty')}`);
    expect(await textOf(manager, tid('thread-empty'))).toBe('No comments yet.');
    await shot(manager, '92-thread-negotiation-empty');
    await manager.browserContext().close();
    await vendor.browserContext().close();
  }, 120_000);
});
