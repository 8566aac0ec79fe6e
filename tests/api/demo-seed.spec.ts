import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  DEMO_AUDITS,
  DEMO_CONTRACTS,
  DEMO_DEPENDENCIES,
  DEMO_EVIDENCE,
  DEMO_FINDINGS,
  DEMO_QUESTIONNAIRES,
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

// Each test seeds the whole demo once or twice through the services (about 8 s on a quiet machine, several times that
// under load): more time than the API project's default.
vi.setConfig({ testTimeout: 120_000 });

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
  evidence: await count('evidence_items'),
  findings: await count('findings'),
  audits: await count('audit_requests'),
  questionnaires: await count('questionnaire_requests'),
});

/** Findings the demo audits raise: the closed one's, and the escalated refusal's. */
const AUDIT_FINDINGS = DEMO_AUDITS.filter((a) => a.finding || a.refusal).length;
const complete = {
  orgs: 1,
  users: DEMO_USERS.length + 3,
  vendors: DEMO_VENDORS.length,
  systems: DEMO_SYSTEMS.length,
  dependencies: DEMO_DEPENDENCIES.length,
  contracts: DEMO_CONTRACTS.length,
  evidence: DEMO_EVIDENCE.length,
  findings: DEMO_FINDINGS.length + AUDIT_FINDINGS,
  audits: DEMO_AUDITS.length,
  questionnaires: DEMO_QUESTIONNAIRES.length,
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
    expect(await counts()).toEqual({
      orgs: 0,
      users: 0,
      vendors: 0,
      systems: 0,
      dependencies: 0,
      contracts: 0,
      evidence: 0,
      findings: 0,
      audits: 0,
      questionnaires: 0,
    });
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

describe('demo evidence and findings', () => {
  const DAY = 86_400_000;
  const dayFromNow = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

  it('the vault holds real PDFs dated from the seeding day, and findings sit in each state of the workflow', async () => {
    await ds.query(`DELETE FROM organizations WHERE slug = 'demo-org'`);
    expect(await seedDemoIfMissing(t.app)).toBe(true);
    const token = await login(t, 'manager@demo.bulwark.test');

    const evidence = (await t.http.get('/api/evidence?pageSize=100').set(auth(token))).body as {
      total: number;
      items: {
        id: string;
        title: string;
        vendorName: string;
        status: string;
        validUntil: string | null;
        current: { id: string; mediaType: string; sizeBytes: number };
        links: { targetType: string; targetLabel: string }[];
      }[];
    };
    expect(evidence.total).toBe(DEMO_EVIDENCE.length);
    // Each status as the data dates it: past valid-until expired, within 30 days expiring.
    const expected = (d: (typeof DEMO_EVIDENCE)[number]) =>
      d.validUntilInDays === null ? 'no_expiry' : d.validUntilInDays < 0 ? 'expired' : d.validUntilInDays <= 30 ? 'expiring' : 'valid';
    for (const d of DEMO_EVIDENCE) {
      const item = evidence.items.find((e) => e.title === d.title)!;
      expect(item, d.title).toMatchObject({
        vendorName: d.vendor,
        status: expected(d),
        validUntil: d.validUntilInDays === null ? null : dayFromNow(d.validUntilInDays),
        current: { mediaType: 'application/pdf' },
      });
    }
    const byTitle = (title: string) => evidence.items.find((e) => e.title === title)!;
    expect(byTitle('LSEG cyber insurance certificate').status).toBe('expired');
    expect(byTitle('OpenAI ISO/IEC 27001 certificate').status).toBe('expiring');
    // Linked to its contract, and to the demo finding it was attached to as the remediation's evidence (and, as
    // delivered for them, to the demo audit's items and given in answer to the demo questionnaires' evidence questions).
    const soc2Links = byTitle('AWS SOC 2 Type II report').links;
    expect(soc2Links.some((l) => l.targetType === 'questionnaire_answer')).toBe(true);
    expect(soc2Links.filter((l) => l.targetType !== 'audit_item' && l.targetType !== 'questionnaire_answer')).toEqual([
      expect.objectContaining({ targetType: 'contract', targetLabel: expect.stringMatching(/AWS|Amazon/) }),
      expect.objectContaining({ targetType: 'finding', targetLabel: 'No current SOC 2 Type II report on file' }),
    ]);
    // The stored file is a whole PDF that downloads verified.
    const soc2 = byTitle('AWS SOC 2 Type II report');
    const file = await t.http
      .get(`/api/evidence/${soc2.id}/revisions/${soc2.current.id}/download`)
      .set(auth(token))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(file.status).toBe(200);
    const pdf = (file.body as Buffer).toString('latin1');
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pdf).toContain('SOC 2 Type II');
    // A well-formed file: startxref points at the cross-reference table, whose entries point at their objects.
    const xrefAt = Number(/startxref\n(\d+)\n%%EOF/.exec(pdf)![1]);
    const table = pdf.slice(xrefAt).split('\n');
    expect(table[0]).toBe('xref');
    const size = Number(table[1]!.split(' ')[1]);
    for (let i = 1; i < size; i++) expect(pdf.startsWith(`${i} 0 obj`, Number(table[2 + i]!.slice(0, 10))), `object ${i}`).toBe(true);

    const all = (await t.http.get('/api/findings?pageSize=100').set(auth(token))).body as {
      total: number;
      items: { id: string; title: string; status: string; sourceId: string | null; vendorName: string; evidenceIds: string[] }[];
    };
    expect(all.total).toBe(DEMO_FINDINGS.length + AUDIT_FINDINGS);
    // The findings the demo audits raised (from their audit: `sourceId`) are the demo audits' subject (below).
    const list = { items: all.items.filter((f) => f.sourceId === null) };
    const tally = (xs: string[]) => xs.reduce<Record<string, number>>((acc, x) => ({ ...acc, [x]: (acc[x] ?? 0) + 1 }), {});
    expect(tally(list.items.map((f) => f.status))).toEqual(tally(DEMO_FINDINGS.map((f) => f.state)));
    expect(new Set(list.items.map((f) => f.vendorName)).size).toBeGreaterThanOrEqual(4);
    const ready = list.items.find((f) => f.status === 'ready_for_verification')!;
    expect(ready.evidenceIds.length).toBeGreaterThan(0);
    expect(ready.evidenceIds.every((id) => evidence.items.some((e) => e.id === id))).toBe(true);

    // Every step is real history: the closed one went through the whole workflow, each step by its side.
    const closed = (await t.http.get(`/api/findings/${list.items.find((f) => f.status === 'closed')!.id}`).set(auth(token))).body as {
      events: { toStatus: string | null; actorSide: string }[];
    };
    expect(closed.events.map((e) => [e.toStatus, e.actorSide])).toEqual([
      ['open', 'system'],
      ['plan_proposed', 'vendor'],
      ['plan_accepted', 'internal'],
      ['in_remediation', 'vendor'],
      ['ready_for_verification', 'vendor'],
      ['closed', 'internal'],
    ]);

    // Four eyes: approved by someone other than who asked, and holding into the future.
    const accepted = (await t.http.get(`/api/findings/${list.items.find((f) => f.status === 'risk_accepted')!.id}`).set(auth(token)))
      .body as {
      riskAcceptedUntil: string;
      riskAcceptances: { state: string; requestedById: string; approvedById: string; expiresAt: string }[];
    };
    expect(accepted.riskAcceptances).toHaveLength(1);
    const [acceptance] = accepted.riskAcceptances;
    expect(acceptance!.state).toBe('active');
    expect(acceptance!.approvedById).toBeTruthy();
    expect(acceptance!.approvedById).not.toBe(acceptance!.requestedById);
    expect(acceptance!.expiresAt > dayFromNow(0)).toBe(true);
    expect(accepted.riskAcceptedUntil).toBe(acceptance!.expiresAt);

    // The audit log records the uploads and each finding step.
    const actions = (await ds.query(
      `SELECT a.action, count(*)::int AS n FROM audit_log a JOIN organizations o ON o.id = a.organization_id
        WHERE o.slug = 'demo-org' AND (a.action LIKE 'evidence.%' OR a.action LIKE 'finding.%') GROUP BY a.action`,
    )) as { action: string; n: number }[];
    const n = (action: string) => actions.find((a) => a.action === action)?.n ?? 0;
    expect(n('evidence.uploaded')).toBe(DEMO_EVIDENCE.length);
    expect(n('evidence.linked')).toBe(DEMO_EVIDENCE.filter((e) => e.linkToContract).length);
    expect(n('finding.raised')).toBe(DEMO_FINDINGS.length + AUDIT_FINDINGS);
    expect(n('finding.risk_accepted')).toBe(1);
    expect(n('finding.closed')).toBe(DEMO_FINDINGS.filter((f) => f.state === 'closed').length);
  });
});

describe('demo audits', () => {
  it('one in fieldwork with items half delivered, one closed with its finding in remediation, one refused and escalated', async () => {
    await ds.query(`DELETE FROM organizations WHERE slug = 'demo-org'`);
    expect(await seedDemoIfMissing(t.app)).toBe(true);
    const token = await login(t, 'manager@demo.bulwark.test');
    const list = (await t.http.get('/api/audits').set(auth(token))).body as {
      items: { id: string; status: string; vendorName: string; itemsAccepted: number; itemsTotal: number; outsideEntitlement: boolean }[];
    };
    expect(list.items.map((a) => a.status).sort()).toEqual(['closed', 'escalated', 'fieldwork']);
    const fieldwork = list.items.find((a) => a.status === 'fieldwork')!;
    expect(fieldwork).toMatchObject({ vendorName: 'Amazon Web Services', itemsAccepted: 2, itemsTotal: 4 });
    const detail = (await t.http.get(`/api/audits/${fieldwork.id}`).set(auth(token))).body as {
      windowStart: string;
      items: { status: string; overdue: boolean }[];
    };
    expect(detail.items.map((i) => i.status)).toEqual(['accepted', 'accepted', 'delivered', 'requested']);
    expect(detail.windowStart <= new Date().toISOString().slice(0, 10)).toBe(true);
    const closed = (await t.http.get(`/api/audits/${list.items.find((a) => a.status === 'closed')!.id}`).set(auth(token))).body as {
      findings: { status: string }[];
      reportEvidenceId: string | null;
    };
    expect(closed.findings).toMatchObject([{ status: 'plan_accepted' }]);
    expect(closed.reportEvidenceId).toBeTruthy();
    const escalated = list.items.find((a) => a.status === 'escalated')!;
    expect(escalated).toMatchObject({ vendorName: 'Amazon Web Services', outsideEntitlement: false });
    const refusal = (await t.http.get(`/api/audits/${escalated.id}`).set(auth(token))).body as { findings: { status: string }[] };
    expect(refusal.findings).toMatchObject([{ status: 'open' }]);
    // The closed audit lies more than 12 months back: this year's audit is within the allowance.
    const contact = await login(t, 'contact@amazon-web-services.demo.bulwark.test');
    const seen = (await t.http.get('/api/audits').set(auth(contact))).body as { items: { vendorName: string }[] };
    expect(seen.items.map((a) => a.vendorName)).toEqual(['Amazon Web Services', 'Amazon Web Services', 'Amazon Web Services']);
  });
});

describe('demo questionnaires', () => {
  it('last year’s AWS questionnaire accepted with its score, this year’s half answered and waiting in the AWS inbox', async () => {
    await seedDemoIfMissing(t.app);
    const token = await login(t, 'manager@demo.bulwark.test');
    const list = (await t.http.get('/api/questionnaire-requests?pageSize=100').set(auth(token))).body as {
      items: { id: string; status: string; vendorId: string; vendorName: string; dueDate: string; overdue: boolean }[];
    };
    const today = new Date().toISOString().slice(0, 10);
    const aws = list.items.filter((r) => r.vendorName === 'Amazon Web Services');
    expect(aws.map((r) => r.status).sort()).toEqual(['accepted', 'in_progress']);
    expect(list.items.map((r) => r.vendorName)).toEqual(['Amazon Web Services', 'Amazon Web Services']);
    // The accepted one lies a year back; this year's is due ahead, not overdue.
    expect(aws.find((r) => r.status === 'accepted')!.dueDate < today).toBe(true);
    expect(aws.find((r) => r.status === 'in_progress')).toMatchObject({ overdue: false });

    const scores = (await t.http.get(`/api/vendors/${aws[0]!.vendorId}/questionnaire-scores`).set(auth(token))).body as {
      items: { percent: number; acceptedAt: string }[];
    };
    expect(scores.items).toHaveLength(1);
    expect(scores.items[0]!.percent).toBeGreaterThan(50);
    expect(scores.items[0]!.percent).toBeLessThan(100);
    expect(Date.now() - Date.parse(scores.items[0]!.acceptedAt)).toBeGreaterThan(300 * 86_400_000);

    // This year's: the scope, backup and recovery sections answered (model questions shown: AWS provides models), the rest open.
    const open = (await t.http.get(`/api/questionnaire-requests/${aws.find((r) => r.status === 'in_progress')!.id}`).set(auth(token)))
      .body as { progress: { answered: number; visible: number; required: number; requiredAnswered: number } };
    expect(open.progress.answered).toBeGreaterThan(5);
    expect(open.progress.requiredAnswered).toBeLessThan(open.progress.required);

    // The AWS contact sees this year's waiting; the Bloomberg contact still has nothing.
    const contact = await login(t, 'contact@amazon-web-services.demo.bulwark.test');
    const inbox = (await t.http.get('/api/inbox').set(auth(contact))).body as { items: { kind: string }[] };
    expect(inbox.items.map((i) => i.kind)).toContain('questionnaire_request');
    const bloomberg = await login(t, 'contact@bloomberg.demo.bulwark.test');
    expect((await t.http.get('/api/inbox/count').set(auth(bloomberg))).body.count).toBe(0);
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
