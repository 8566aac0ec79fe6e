import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Page as ApiPage, BreachView, ContractView, SlaView } from '@bulwark/api-schema';

import { auth, login } from '../support/app';
import { drawerSettled, fill, newSession, reportUnavailable, shot, signIn, startStack, textOf, tid, type Stack } from './support/browser';

const unavailable = reportUnavailable();

/**
 * The breach page as a dispute decision needs it (the credit's computation on the fees of the covered services, the
 * vendor's figure beside Bulwark's, the incidents with their weights), the drill-down from an attainment window to
 * its incidents, and the search box of the breaches list. On the demo's AWS S3/EC2 breach three months ago.
 */
describe.skipIf(unavailable)('breaches: credit base, incidents and search', () => {
  let stack: Stack;
  let breach: BreachView;
  const window = DateTime.utc().startOf('month').minus({ months: 3 }).toFormat('yyyy-MM');

  beforeAll(async () => {
    stack = await startStack();
    const token = await login(stack.t, 'manager@demo.bulwark.test');
    const page = (await stack.t.http.get('/api/breaches?search=amazon').set(auth(token)).expect(200)).body as ApiPage<BreachView>;
    breach = page.items.find((b) => b.window === window)!;
  }, 120_000);
  afterAll(async () => stack?.close());

  it('the breaches list searches vendor, SLA, contract and service names, with an empty state', async () => {
    expect(breach, 'the demo has an AWS breach three months ago').toBeDefined();
    const page = await newSession(stack);
    await signIn(stack, page, 'manager@demo.bulwark.test', 'vendor-row');
    await page.goto(`${stack.baseUrl}/breaches`);
    await page.waitForSelector(tid('breach-row'));
    await fill(page, tid('breach-search'), 'ec2');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('search') === 'ec2');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="breach-row"]')].length > 0 &&
        [...document.querySelectorAll('[data-testid="breach-row"]')].every((r) => r.textContent?.includes('Amazon Web Services')),
    );
    await shot(page, '60-breaches-search');
    await fill(page, tid('breach-search'), 'no such vendor anywhere');
    await page.waitForSelector(tid('breach-empty'));
    expect(await textOf(page, tid('breach-empty'))).toContain('No breaches match these filters');
    await page.locator(tid('breach-filter-clear')).click();
    await page.waitForFunction(() => !new URL(location.href).searchParams.get('search'));
    await page.waitForSelector(tid('breach-row'));
    expect(await page.$eval(tid('breach-search'), (el) => (el as HTMLInputElement).value)).toBe('');
  });

  it('the breach shows how its credit was computed, the vendor’s figure beside Bulwark’s, and its incidents with their weights', async () => {
    const [{ email }] = await stack.t.app
      .get(DataSource)
      .query(`SELECT u.email FROM users u JOIN vendors v ON v.id = u.vendor_id WHERE v.id = $1 LIMIT 1`, [breach.vendorId]);
    const page = await newSession(stack);
    await signIn(stack, page, 'procurement@demo.bulwark.test', 'vendor-row');
    await page.goto(`${stack.baseUrl}/breaches/${breach.id}`);
    const basis = await textOf(page, tid('breach-detail-credit-basis'));
    expect(basis).toMatch(/^\d+(\.\d+)? % of .+ = fees of Amazon (S3|EC2) \(.+\) \+ Amazon (S3|EC2) \(.+\) for \d{4}-\d{2}\.$/);
    expect(basis).not.toContain('Bedrock');
    expect(await textOf(page, tid('breach-detail-vendor-reported'))).toBe('Not filed');
    // The incidents: the EC2 partial outage counts at half weight; each opens its signal.
    await page.waitForSelector(tid('window-incident'));
    const rows = await page.$$eval(tid('window-incident'), (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows.some((r) => r.includes('Amazon EC2') && r.includes('Partial outage') && r.includes('× 0.5'))).toBe(true);
    // The vendor files its own figure: shown beside the computed one, with the difference.
    const token = await login(stack.t, email);
    const filed = await stack.t.http
      .post(`/api/slas/${breach.slaId}/vendor-reports`)
      .set(auth(token))
      .send({ window, availability: 99.99, note: 'AWS Health Dashboard' });
    expect(filed.status).toBe(204);
    await page.reload();
    await page.waitForSelector(tid('breach-detail-discrepancy'));
    expect(await textOf(page, tid('breach-detail-vendor-reported'))).toMatch(/^99\.9900 %\+\d+\.\d{4} points$/);
    expect(await textOf(page, tid('breach-detail-vendor-note'))).toContain('AWS Health Dashboard');
    await page.waitForSelector(tid('window-incident'));
    await shot(page, '61-breach-credit-incidents');
    await page.locator(`${tid('window-incident-open')}`).click();
    await page.waitForSelector(tid('signal-drawer'));
    await drawerSettled(page);
    await shot(page, '62-breach-incident-signal', { viewport: true });
  });

  it('procurement records the fee of each covered service on the contract, the base of its SLAs’ credits', async () => {
    const token = await login(stack.t, 'procurement@demo.bulwark.test');
    const sla = (await stack.t.http.get(`/api/slas/${breach.slaId}`).set(auth(token)).expect(200)).body as SlaView;
    const page = await newSession(stack);
    await signIn(stack, page, 'procurement@demo.bulwark.test', 'vendor-row');
    await page.goto(`${stack.baseUrl}/contracts/${sla.contractId}`);
    await page.locator(tid('contract-edit-button')).click();
    await page.waitForSelector(tid('contract-service-fees'));
    const fees = () =>
      page.$$eval(`${tid('contract-service-fees')} input`, (inputs) =>
        inputs.map((i) => [
          i.closest('.mantine-InputWrapper-root')?.querySelector('label')?.textContent ?? '',
          (i as HTMLInputElement).value,
        ]),
      );
    expect(await fees()).toEqual(
      expect.arrayContaining([
        [expect.stringMatching(/^Amazon S3$/), '420000'],
        [expect.stringMatching(/^Amazon EC2$/), '900000'],
        [expect.stringMatching(/^Amazon Bedrock$/), '530000'],
      ]),
    );
    expect(await textOf(page, `${tid('contract-service-fees')} legend`)).toBe('Fees of the covered services (USD per year)');
    await shot(page, '64-contract-service-fees', { viewport: true });
    const ec2 = (await page.$$(`${tid('contract-service-fees')} input`))[(await fees()).findIndex(([l]) => l!.startsWith('Amazon EC2'))]!;
    await ec2.click({ count: 3 });
    await page.keyboard.press('Backspace');
    await ec2.type('960000');
    await page.locator(tid('contract-submit')).click();
    await page.waitForSelector(tid('contract-service-fees'), { hidden: true });
    const contract = (await stack.t.http.get(`/api/contracts/${sla.contractId}`).set(auth(token)).expect(200)).body as ContractView;
    expect(contract.services.find((x) => x.name === 'Amazon EC2')?.annualFee).toBe(960000);
    expect(contract.services.find((x) => x.name === 'Amazon S3')?.annualFee).toBe(420000);
  });

  it('each attainment window of the SLA drills down to its incidents', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'manager@demo.bulwark.test', 'vendor-row');
    await page.goto(`${stack.baseUrl}/slas/${breach.slaId}`);
    const row = `${tid('attainment-row')}[data-window="${window}"]`;
    await page.waitForSelector(row);
    expect(await textOf(page, `${row} ${tid('attainment-credit-amount')}`)).toMatch(/\$/);
    const toggle = `${row} ${tid('attainment-incidents-toggle')}`;
    expect(await page.$eval(toggle, (b) => b.getAttribute('aria-expanded'))).toBe('false');
    // Keyboard-usable: focus the toggle and press Enter.
    await page.focus(toggle);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${tid('attainment-incidents-row')} ${tid('window-incident')}`);
    expect(await page.$eval(toggle, (b) => b.getAttribute('aria-expanded'))).toBe('true');
    expect(await textOf(page, `${tid('attainment-incidents-row')} ${tid('window-incidents-summary')}`)).toMatch(
      new RegExp(`^${window}: [\\d.,]+ min of weighted downtime`),
    );
    await page.$eval(tid('attainment-incidents-row'), (el) => el.scrollIntoView());
    await shot(page, '63-attainment-window-incidents');
  });
});
