import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  DEMO_CONTRACTS,
  DEMO_DEPENDENCIES,
  DEMO_SEED_FINISHED,
  DEMO_SEED_STARTED,
  DEMO_SYSTEMS,
  DEMO_USERS,
  DEMO_VENDORS,
  demoSeedState,
  seedDemoIfMissing,
} from '@bulwark/api';
import { PluginRegistry } from '@bulwark/signals';

import { auth, bootApp, login, type TestApp } from '../support/app';

let t: TestApp;
let ds: DataSource;
beforeAll(async () => {
  t = await bootApp();
  ds = t.app.get(DataSource);
});
afterAll(async () => t?.close());

const count = async (table: string) =>
  (
    (await ds.query(
      `SELECT count(*)::int AS n FROM ${table} t JOIN organizations o ON o.id = t.organization_id WHERE o.slug = 'demo-org'`,
    )) as { n: number }[]
  )[0]!.n;
const counts = async () => ({
  orgs: ((await ds.query(`SELECT count(*)::int AS n FROM organizations WHERE slug = 'demo-org'`)) as { n: number }[])[0]!.n,
  users: await count('users'),
  vendors: await count('vendors'),
  systems: await count('internal_systems'),
  dependencies: await count('dependencies'),
  contracts: await count('contracts'),
});
const complete = {
  orgs: 1,
  users: DEMO_USERS.length + 3,
  vendors: DEMO_VENDORS.length,
  systems: DEMO_SYSTEMS.length,
  dependencies: DEMO_DEPENDENCIES.length,
  contracts: DEMO_CONTRACTS.length,
};

describe('demo seed', () => {
  it('a failure in the middle leaves no Demo Org, and the next start seeds it fully', async () => {
    // A real database error halfway: after users, vendors, systems and dependencies, creating contracts fails.
    await ds.query(
      `CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'contracts are refused by the test'; END $$`,
    );
    await ds.query(`CREATE TRIGGER test_refuse BEFORE INSERT ON contracts FOR EACH ROW EXECUTE FUNCTION test_refuse()`);
    try {
      await expect(seedDemoIfMissing(t.app)).rejects.toThrow(/contracts are refused by the test/);
    } finally {
      await ds.query(`DROP TRIGGER test_refuse ON contracts`);
      await ds.query(`DROP FUNCTION test_refuse()`);
    }
    expect(await counts()).toEqual({ orgs: 0, users: 0, vendors: 0, systems: 0, dependencies: 0, contracts: 0 });
    expect(await ds.query(`SELECT 1 FROM users WHERE email LIKE '%@demo.bulwark.test'`)).toEqual([]);

    expect(await seedDemoIfMissing(t.app)).toBe(true);
    expect(await counts()).toEqual(complete);
    expect(await demoSeedState(ds, 'demo-org')).toMatchObject({ state: 'complete' });
    expect(await seedDemoIfMissing(t.app)).toBe(false);
    expect(await counts()).toEqual(complete);
    expect(await login(t, 'manager@demo.bulwark.test')).toMatch(/^ey/);
  });

  it('a seed killed mid-way (started, never finished) is removed and seeded afresh at the next start', async () => {
    // What a crash leaves: the organization and part of its rows, with the start marker but no finish marker. The audit
    // log is append-only, so the state is made the way a crash makes it: the seed stops halfway (contracts are refused)
    // and its clean-up cannot remove the organization either.
    await ds.query(`DELETE FROM organizations WHERE slug = 'demo-org'`);
    await ds.query(
      `CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`,
    );
    await ds.query(`CREATE TRIGGER test_refuse_contracts BEFORE INSERT ON contracts FOR EACH ROW EXECUTE FUNCTION test_refuse()`);
    await ds.query(`CREATE TRIGGER test_refuse_removal BEFORE DELETE ON organizations FOR EACH ROW EXECUTE FUNCTION test_refuse()`);
    try {
      await expect(seedDemoIfMissing(t.app)).rejects.toThrow(/refused by the test/);
    } finally {
      await ds.query(`DROP TRIGGER test_refuse_contracts ON contracts`);
      await ds.query(`DROP TRIGGER test_refuse_removal ON organizations`);
      await ds.query(`DROP FUNCTION test_refuse()`);
    }
    const [{ id: orgId }] = (await ds.query(`SELECT id FROM organizations WHERE slug = 'demo-org'`)) as { id: string }[];
    expect(await demoSeedState(ds, 'demo-org')).toEqual({ state: 'partial', organizationId: orgId });
    expect((await counts()).vendors).toBe(DEMO_VENDORS.length);
    expect((await counts()).contracts).toBe(0);

    expect(await seedDemoIfMissing(t.app)).toBe(true);
    expect(await counts()).toEqual(complete);
    const [{ id: newId }] = (await ds.query(`SELECT id FROM organizations WHERE slug = 'demo-org'`)) as { id: string }[];
    expect(newId).not.toBe(orgId);
    expect(await ds.query(`SELECT 1 FROM audit_log WHERE organization_id = $1`, [orgId])).toEqual([]);
    const markers = (await ds.query(`SELECT action FROM audit_log WHERE organization_id = $1 AND action IN ($2, $3) ORDER BY seq`, [
      newId,
      DEMO_SEED_STARTED,
      DEMO_SEED_FINISHED,
    ])) as { action: string }[];
    expect(markers.map((m) => m.action)).toEqual([DEMO_SEED_STARTED, DEMO_SEED_FINISHED]);
    // The audit chain of the fresh organization is whole.
    const admin = await login(t, 'admin@demo.bulwark.test');
    const verify = await t.http.get('/api/audit-log/verify').set('Authorization', `Bearer ${admin}`);
    expect(verify.body).toMatchObject({ status: 'ok', ok: true });
  });

  it('an organization without seed markers (created otherwise, or by an older seed) is left alone', async () => {
    await ds.query(`DELETE FROM organizations WHERE slug = 'demo-org'`);
    const [{ id }] = (await ds.query(`INSERT INTO organizations (name, slug) VALUES ('Demo Org', 'demo-org') RETURNING id`)) as {
      id: string;
    }[];
    expect(await demoSeedState(ds, 'demo-org')).toEqual({ state: 'complete', organizationId: id });
    expect(await seedDemoIfMissing(t.app)).toBe(false);
    expect(await ds.query(`SELECT id FROM organizations WHERE slug = 'demo-org'`)).toEqual([{ id }]);
    expect((await counts()).vendors).toBe(0);
  });
});

describe('demo signal sources', () => {
  it('are disabled, valid for their plugins, on real endpoints, and a Z-score and an LEI status show on first start', async () => {
    await ds.query(`DELETE FROM organizations WHERE slug = 'demo-org'`);
    expect(await seedDemoIfMissing(t.app)).toBe(true);
    const sources = (await ds.query(
      `SELECT s.plugin, s.config, s.enabled, s.last_poll_at, v.name AS vendor FROM signal_sources s
         JOIN vendors v ON v.id = s.vendor_id JOIN organizations o ON o.id = s.organization_id WHERE o.slug = 'demo-org'`,
    )) as { plugin: string; config: Record<string, unknown>; enabled: boolean; last_poll_at: Date | null; vendor: string }[];
    const registry = t.app.get(PluginRegistry);
    // Nothing reaches the network on a fresh machine: every demo source is disabled and was never polled.
    expect(sources.every((s) => !s.enabled && s.last_poll_at === null)).toBe(true);
    for (const s of sources) {
      const parsed = registry.get(s.plugin).plugin.configSchema.safeParse(s.config);
      expect(parsed.success, `${s.vendor} ${s.plugin}: ${parsed.error?.message}`).toBe(true);
    }
    const byVendor = (vendor: string) => [...new Set(sources.filter((s) => s.vendor === vendor).map((s) => s.plugin))].sort();
    expect(byVendor('Amazon Web Services')).toEqual(['aws-health', 'sec-edgar']);
    expect(byVendor('Microsoft Azure')).toEqual(['azure-status', 'sec-edgar']);
    expect(byVendor('Google Cloud')).toEqual(['gcp-status', 'sec-edgar']);
    expect(byVendor('OpenAI')).toEqual(['statuspage']);
    expect(byVendor('Salesforce')).toEqual(['sec-edgar']);
    expect(byVendor('Bloomberg')).toEqual(['entity-status']);
    const aws = sources.find((s) => s.plugin === 'aws-health')!.config;
    expect(aws).toMatchObject({ baseUrl: 'https://health.aws.amazon.com', services: [expect.stringMatching(/^[a-z0-9]+$/)] });
    expect(sources.find((s) => s.plugin === 'azure-status')!.config).toMatchObject({ baseUrl: 'https://rssfeed.azure.status.microsoft' });
    expect(sources.find((s) => s.vendor === 'OpenAI')!.config).toMatchObject({ baseUrl: 'https://status.openai.com' });
    expect(sources.find((s) => s.plugin === 'entity-status')!.config).toMatchObject({ lei: '5493001KJTIIGC8Y1R12' });
    expect(sources.find((s) => s.vendor === 'Amazon Web Services' && s.plugin === 'sec-edgar')!.config).toMatchObject({ cik: '1018724' });

    // The financial panel's data: the current Altman score (the latest fiscal year; earlier ones are history) and the LEI.
    const token = await login(t, 'manager@demo.bulwark.test');
    const vendorId = async (name: string) =>
      (
        (await ds.query(
          `SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name = $1`,
          [name],
        )) as { id: string }[]
      )[0]!.id;
    const summary = async (name: string) => (await t.http.get(`/api/vendors/${await vendorId(name)}/signals`).set(auth(token))).body;
    const amazon = await summary('Amazon Web Services');
    const scores = amazon.financial.filter((s: { signalType: string }) => s.signalType === 'financial_score');
    expect(scores.length).toBeGreaterThanOrEqual(2);
    expect(scores[0]).toMatchObject({ resolvedAt: null, level: 'operational', score: { model: 'altman-z-double-prime', band: 'safe' } });
    expect(scores.slice(1).every((s: { resolvedAt: string | null }) => s.resolvedAt !== null)).toBe(true);
    // Dated from the clock: the current score is of a fiscal year that ended within the last ~14 months.
    expect(Date.now() - Date.parse(scores[0].asOf)).toBeLessThan(430 * 86_400_000);
    const bloomberg = await summary('Bloomberg');
    expect(bloomberg.financial).toEqual([
      expect.objectContaining({
        signalType: 'entity_status',
        level: 'operational',
        score: expect.objectContaining({ model: 'lei-status', band: 'ISSUED' }),
      }),
    ]);
    // The tier intake agrees with what the panel shows.
    const [{ h }] = await ds.query(`SELECT intake->>'financialHealth' AS h FROM vendors WHERE id = $1`, [
      await vendorId('Amazon Web Services'),
    ]);
    expect(h).toBe('healthy');
  });
});
