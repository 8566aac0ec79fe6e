import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFixtureServer, type FixtureServer } from '@bulwark/plugin-sdk/testing';

import { buildWorker, startWorker, type WorkerProcess } from '../support/processes';
import { missingService, reachable, ROOT, TEST_REDIS_URL } from '../support/services';
import { drawerSettled, fill, newSession, reportUnavailable, shot, startStack, tid, type Stack } from './support/browser';

const browserMissing = reportUnavailable();

/** A real recording moved in time so its newest timestamp is an hour ago (the timeline shows 90 days). */
function recent(file: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const stamp = /"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))"/g;
  const newest = Math.max(...[...text.matchAll(stamp)].map((m) => Date.parse(m[1]!)));
  const shift = Date.now() - 3600_000 - newest;
  return text.replace(stamp, (_, t: string) => `"${new Date(Date.parse(t) + shift).toISOString()}"`);
}

/**
 * The whole signal path in production mode: a source created in the portal is polled by the real
 * worker process through BullMQ on Redis, and its signals appear on the vendor's timeline.
 */
describe.skipIf(browserMissing)('signals in the portal, polled by the worker on Redis', () => {
  let stack: Stack;
  let feed: FixtureServer;
  let worker: WorkerProcess | null = null;
  let redisUp = false;

  beforeAll(async () => {
    redisUp = await reachable(TEST_REDIS_URL, 6379);
    if (!redisUp) return missingService(`Redis not reachable at ${TEST_REDIS_URL}: the portal-to-worker signals test skipped`);
    buildWorker();
    feed = await startFixtureServer({
      '/api/v2/summary.json': { body: recent('plugins/statuspage/fixtures/github-2022-11-25-summary-active-major-incident.json') },
      '/api/v2/incidents.json': { status: 404, body: 'not found' },
    });
    const shared = {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `e2e-${process.pid}-${Date.now()}`,
      SECRETS_KEY: randomBytes(32).toString('base64'),
      AUDIT_KEY: randomBytes(32).toString('base64'),
      FEED_ALLOWED_HOSTS: '127.0.0.1:*',
      JWT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-0123456789',
    };
    stack = await startStack(shared);
    // The worker keeps raw evidence in the same storage the API serves it from (a shared volume for the local driver).
    worker = startWorker({
      ...shared,
      NODE_ENV: 'test',
      DATABASE_URL: stack.t.db.url,
      LOG_LEVEL: 'log',
      DEMO_SEED: 'false',
      STORAGE_DIR: stack.t.config.storage.dir,
    });
    await worker.ready;
  }, 180_000);

  afterAll(async () => {
    await worker?.kill();
    await stack?.close();
    await feed?.close();
  });

  it('creates a Statuspage source, tests it, polls it, and shows the incidents', async (ctx) => {
    if (!redisUp) return ctx.skip('Redis not reachable');
    const [openai] = await stack.t.app
      .get(DataSource)
      .query(`SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name = 'OpenAI'`);
    const page = await newSession(stack);
    await page.goto(`${stack.baseUrl}/login`);
    await fill(page, tid('login-email'), 'manager@demo.bulwark.test');
    await fill(page, tid('login-password'), 'bulwark-demo');
    await page.locator(tid('login-submit')).click();
    await page.waitForSelector(tid('vendor-row'));

    await page.goto(`${stack.baseUrl}/vendors/${openai.id}/signals`);
    await page.waitForSelector(tid('source-form'));
    // The demo organization comes with signal history; testing a source must add nothing to it.
    const stored = async () => (await stack.t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM signals`))[0].n as number;
    const before = await stored();
    await page.select(tid('source-plugin'), 'statuspage');
    await fill(page, tid('source-config-baseUrl'), feed.url);
    await page.locator(tid('source-test')).click();
    await page.waitForSelector(`${tid('source-test-result')}[data-ok="true"]`);
    expect((await page.$$(tid('source-test-signal'))).length).toBeGreaterThan(5);
    // The plugin's self-test answers next to the poll preview.
    await page.waitForSelector(`${tid('source-test-result-selftest')}[data-ok="true"]`);
    expect(await page.$eval(tid('source-test-result-selftest'), (el) => el.textContent ?? '')).toMatch(/GitHub: .*components/);
    await shot(page, '11-source-test');
    expect(await stored()).toBe(before);

    await page.locator(tid('source-submit')).click();
    // The demo organization lists OpenAI's (disabled) demo source first: wait for and poll the one just created.
    await page.waitForSelector(`${tid('source-row')}[data-enabled="true"]`);
    await page.locator(`${tid('source-row')}[data-enabled="true"] ${tid('source-poll')}`).click();
    // The worker process polls through Redis; the tab refetches until the source shows the poll.
    await page.waitForSelector(`${tid('source-row')}[data-status="ok"]`, { timeout: 30_000 });
    // The demo history lists resolved incidents already: wait for the open one of this poll.
    await page.waitForSelector(`${tid('incident-row')}[data-open="true"]`, { timeout: 15_000 });
    expect(await page.$eval(tid('signals-rollup'), (el) => el.getAttribute('data-level'))).toBe('partial_outage');
    await page.waitForSelector(tid('signals-timeline'));
    await shot(page, '12-vendor-signals');

    await page.locator(tid('nav-signals')).click();
    await page.waitForSelector(tid('degraded-row'));
    expect(await page.$$eval(tid('degraded-row'), (rows) => rows.map((r) => r.textContent ?? '').join(' '))).toContain('OpenAI');
    await shot(page, '13-live-status');
    // Back on the vendor: the polled incident's detail, history and raw evidence.
    await page.goto(`${stack.baseUrl}/vendors/${openai.id}/signals`);
    await page.waitForSelector(`${tid('incident-row')}[data-open="true"]`);
    // Let the "source added" / "poll queued" toasts go, so they do not cover the drawer.
    await page.waitForFunction(() => document.querySelectorAll('.mantine-Notification-root').length === 0, { timeout: 15_000 });
    // The polled incident's detail, from the keyboard: focus its title, Enter opens the drawer.
    const [polled] = await stack.t.app
      .get(DataSource)
      .query(`SELECT id FROM signals WHERE external_id = 'incident:ljwdk6qml8z8' AND source_id IS NOT NULL`);
    await page.focus(`${tid('incident-row')}[data-signal-id="${polled.id}"] ${tid('incident-open')}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('signal-detail'));
    expect(await page.$eval(tid('signal-detail-title'), (el) => el.textContent)).toBe('Incident with Packages and Pages');
    // An incident keeps its start time.
    expect(await page.$(tid('signal-detail-started'))).not.toBeNull();
    expect(await page.$(tid('signal-detail-since'))).toBeNull();
    await page.waitForSelector(tid('signal-history-item'));
    expect(
      await page.$$eval(tid('signal-history-item'), (els) =>
        els.map((e) => `${e.getAttribute('data-level')}/${e.getAttribute('data-lifecycle')}`),
      ),
    ).toEqual(['partial_outage/open']);
    await page.waitForSelector(tid('signal-evidence-download'));
    expect(await page.$eval(tid('signal-evidence-url'), (el) => el.textContent)).toBe(`${feed.url}/api/v2/summary.json`);
    expect(await page.$eval(tid('signal-evidence-pointer'), (el) => el.textContent)).toBe('/incidents/0');
    expect(await page.$eval(tid('signal-evidence-sha'), (el) => el.textContent)).toMatch(/^[0-9a-f]{64}$/);
    // The download link serves the body with the session cookie, checked against its hash.
    const href = await page.$eval(tid('signal-evidence-download'), (a) => (a as HTMLAnchorElement).href);
    const download = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return { status: r.status, disposition: r.headers.get('content-disposition'), text: await r.text() };
    }, href);
    expect(download.status).toBe(200);
    expect(download.disposition).toMatch(/^attachment;/);
    expect(download.text).toContain('ljwdk6qml8z8');
    await drawerSettled(page);
    await shot(page, '14-signal-detail', { viewport: true });
    // Escape closes it and gives focus back to the title that opened it.
    await page.keyboard.press('Escape');
    await page.waitForSelector(tid('signal-drawer'), { hidden: true });
    await page.waitForFunction((id) => document.activeElement?.closest(`[data-signal-id="${id}"]`) !== null, {}, polled.id);
    // With the drawer gone, the navigation answers the mouse again; the live view opens the same detail.
    // The overlay fades out over 200 ms after the drawer closes; a click before that lands on it.
    await page.waitForSelector('.mantine-Drawer-overlay', { hidden: true });
    // A component has no start: its drawer says since when it is in its current state (from its history).
    const [packages] = await stack.t.app.get(DataSource).query(
      `SELECT s.id, (SELECT min(c.provider_updated_at) FROM signal_changes c WHERE c.signal_id = s.id AND c.level = s.level) AS since
         FROM signals s WHERE s.external_id = 'component:st3j38cctv9l' AND s.source_id IS NOT NULL`,
    );
    await page.locator(`${tid('signal-row')}[data-signal-id="${packages.id}"] ${tid('signal-open')}`).click();
    await page.waitForSelector(`${tid('signal-detail')}[data-signal-id="${packages.id}"] ${tid('signal-detail-since')} time`);
    expect(await page.$eval(tid('signal-detail-level'), (el) => el.getAttribute('data-level'))).toBe('partial_outage');
    expect(await page.$eval(`${tid('signal-detail-since')} time`, (el) => el.getAttribute('datetime'))).toBe(
      new Date(packages.since).toISOString(),
    );
    expect(await page.$eval(tid('signal-detail'), (el) => el.textContent ?? '')).toContain('In this state since');
    expect(await page.$(tid('signal-detail-started'))).toBeNull();
    await drawerSettled(page);
    await shot(page, '14b-component-detail', { viewport: true });
    await page.keyboard.press('Escape');
    await page.waitForSelector(tid('signal-drawer'), { hidden: true });
    await page.waitForSelector('.mantine-Drawer-overlay', { hidden: true });
    await page.locator(tid('nav-signals')).click();
    await page.waitForSelector(`${tid('degraded-row')}[data-vendor-id="${openai.id}"]`);
    const worst = `${tid('degraded-row')}[data-vendor-id="${openai.id}"] ${tid('degraded-signal-open')}`;
    const worstTitle = await page.$eval(worst, (el) => el.textContent);
    expect(worstTitle).toBeTruthy();
    await page.locator(worst).click();
    await page.waitForSelector(tid('signal-detail'));
    expect(await page.$eval(tid('signal-detail-title'), (el) => el.textContent)).toBe(worstTitle);
    await drawerSettled(page);
    await shot(page, '13b-live-status-detail', { viewport: true });
    await page.keyboard.press('Escape');
    await page.waitForSelector(tid('signal-drawer'), { hidden: true });

    expect(worker?.output()).toContain('Consuming');
    await page.browserContext().close();
  }, 120_000);
});
