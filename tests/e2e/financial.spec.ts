import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { newSession, reportUnavailable, shot, signIn, startStack, tid, type Stack } from './support/browser';

const unavailable = reportUnavailable();

/** The demo's recorded financial history, as the financial panel shows it on first start (nothing polled). */
describe.skipIf(unavailable)('financial panel of the demo', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.close());

  const vendorId = async (name: string) =>
    (
      (await stack.t.app
        .get(DataSource)
        .query(`SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name = $1`, [
          name,
        ])) as { id: string }[]
    )[0]!.id;

  const rows = (page: Awaited<ReturnType<typeof newSession>>) =>
    page.$$eval(tid('financial-row'), (els) =>
      els.map((e) => ({
        model: e.querySelector('[data-testid="financial-model"]')?.textContent ?? '',
        value: e.querySelector('[data-testid="financial-value"]')?.textContent ?? '',
        band: e.querySelector('[data-testid="financial-band"]')?.getAttribute('data-band') ?? null,
        level: e.getAttribute('data-level'),
      })),
    );

  it('shows the current Altman Z″-score with its history, and an LEI status, on first start', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'manager@demo.bulwark.test', 'nav-vendors');
    await page.goto(`${stack.baseUrl}/vendors/${await vendorId('Amazon Web Services')}/signals`);
    await page.waitForSelector(tid('financial-table'));
    // One row per model: the current score (the latest fiscal year), not an older one.
    const aws = await rows(page);
    expect(aws).toEqual([{ model: 'Altman Z″', value: expect.stringMatching(/^\d+\.\d{2}$/), band: 'safe', level: 'operational' }]);
    // The score history of the recorded fiscal years, drawn once its (lazy) chart has loaded.
    await page.waitForSelector(`${tid('financial-history')} .recharts-line-curve`);
    await shot(page, 'financial-demo-aws');

    await page.goto(`${stack.baseUrl}/vendors/${await vendorId('Bloomberg')}/signals`);
    await page.waitForSelector(tid('financial-table'));
    expect(await rows(page)).toEqual([{ model: 'LEI status', value: expect.any(String), band: 'ISSUED', level: 'operational' }]);
    await shot(page, 'financial-demo-bloomberg');
  });
});
