import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

let t: TestApp;
let manager: string;

interface Spof {
  dependencyId: string;
  systemName: string;
  serviceName: string;
  vendorName: string;
  criticality: string;
  reason: string;
}
interface MapNode {
  id: string;
  type: 'system' | 'service' | 'vendor' | 'fourth_party';
  label: string;
  entityId: string;
  singlePointOfFailure: boolean;
}
interface MapEdge {
  id: string;
  source: string;
  target: string;
  type: string;
  singlePointOfFailure: boolean;
}
interface Entry {
  key: string;
  label: string;
  systems: number;
  criticalSystems: number;
  criticalShare: number;
  systemNames: string[];
}

const spofs = async (token = manager) => {
  const res = await t.http.get('/api/analysis/single-points-of-failure').set(auth(token));
  expect(res.status).toBe(200);
  return res.body as Spof[];
};
const pair = (s: Spof) => `${s.systemName} → ${s.serviceName}`;
const dependencyOf = async (system: string, service: string) => {
  const sys = (await t.http.get('/api/systems').query({ search: system }).set(auth(manager))).body.items[0];
  const deps = (await t.http.get('/api/dependencies').query({ systemId: sys.id }).set(auth(manager))).body.items;
  return deps.find((d: { serviceName: string }) => d.serviceName === service) as { id: string; serviceId: string };
};
const serviceId = async (name: string) =>
  ((await t.http.get('/api/services').query({ search: name }).set(auth(manager))).body.items as { id: string; name: string }[]).find(
    (s) => s.name === name,
  )!.id;

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, true);
  manager = await login(t, 'manager@demo.bulwark.test');
});
afterAll(async () => t?.close());

describe('single points of failure', () => {
  it('lists the critical dependencies of the demo data that have no alternative', async () => {
    const list = await spofs();
    expect(list.map(pair)).toEqual([
      'Credit Risk Scoring → Bloomberg Data License',
      'Credit Risk Scoring → Snowflake Data Cloud',
      'Customer Support Assistant → Pinecone Serverless',
      'Sanctions Screening → World-Check One',
    ]);
    expect(list.find((s) => s.serviceName === 'Bloomberg Data License')).toMatchObject({
      vendorName: 'Bloomberg',
      criticality: 'critical',
      reason: 'critical dependency with no alternative service',
    });
    // Critical with an independent alternative (OpenAI API → Claude API) is not a SPOF.
    expect(list.map(pair)).not.toContain('Customer Support Assistant → OpenAI API');
  });

  it('is readable by the auditor and procurement, not by a vendor contact', async () => {
    const auditor = await login(t, 'auditor@demo.bulwark.test');
    expect((await spofs(auditor)).length).toBe(4);
    const contact = await login(t, 'contact@bloomberg.demo.bulwark.test');
    expect((await t.http.get('/api/analysis/single-points-of-failure').set(auth(contact))).status).toBe(403);
    expect((await t.http.get('/api/analysis/dependency-map').set(auth(contact))).status).toBe(403);
    expect((await t.http.get('/api/analysis/concentration').set(auth(contact))).status).toBe(403);
  });

  it('still flags an alternative that runs on the same fourth party, and clears it for an independent one', async () => {
    const dep = await dependencyOf('Customer Support Assistant', 'Pinecone Serverless');
    // Snowflake Data Cloud, like Pinecone Serverless, runs on Amazon S3: no real alternative.
    const shared = await t.http
      .patch(`/api/dependencies/${dep.id}`)
      .set(auth(manager))
      .send({ alternativeServiceId: await serviceId('Snowflake Data Cloud') });
    expect(shared.status).toBe(200);
    let list = await spofs();
    const still = list.find((s) => s.dependencyId === dep.id);
    expect(still?.reason).toBe('the alternative runs on the same Amazon S3 (Amazon Web Services)');

    const independent = await t.http
      .patch(`/api/dependencies/${dep.id}`)
      .set(auth(manager))
      .send({ alternativeServiceId: await serviceId('Cloud Storage') });
    expect(independent.status).toBe(200);
    list = await spofs();
    expect(list.map(pair)).not.toContain('Customer Support Assistant → Pinecone Serverless');
    expect(list).toHaveLength(3);
  });

  it('drops a SPOF once an alternative is added, and brings it back when removed', async () => {
    const dep = await dependencyOf('Credit Risk Scoring', 'Bloomberg Data License');
    // An alternative that runs in the same Equinix data centre fails with it: still a SPOF, and the reason says why.
    const shared = await t.http
      .patch(`/api/dependencies/${dep.id}`)
      .set(auth(manager))
      .send({ alternativeServiceId: await serviceId('World-Check One') });
    expect(shared.status).toBe(200);
    expect(shared.body.singlePointOfFailure).toBe(true);
    const still = (await spofs()).find((s: { dependencyId: string }) => s.dependencyId === dep.id);
    expect(still?.reason).toBe('the alternative runs on the same Equinix NY5 colocation (Equinix)');
    const res = await t.http
      .patch(`/api/dependencies/${dep.id}`)
      .set(auth(manager))
      .send({ alternativeServiceId: await serviceId('Snowflake Data Cloud') });
    expect(res.status).toBe(200);
    expect(res.body.singlePointOfFailure).toBe(false);
    expect((await spofs()).map(pair)).not.toContain('Credit Risk Scoring → Bloomberg Data License');
    const sys = (await t.http.get('/api/systems').query({ search: 'Credit Risk Scoring' }).set(auth(manager))).body.items[0];
    expect(sys.singlePointsOfFailure).toBe(1);
    await t.http.patch(`/api/dependencies/${dep.id}`).set(auth(manager)).send({ alternativeServiceId: null });
    expect((await spofs()).map(pair)).toContain('Credit Risk Scoring → Bloomberg Data License');
    // A critical dependency downgraded to high is no longer a SPOF.
    await t.http.patch(`/api/dependencies/${dep.id}`).set(auth(manager)).send({ criticality: 'high' });
    expect((await spofs()).map(pair)).not.toContain('Credit Risk Scoring → Bloomberg Data License');
    await t.http.patch(`/api/dependencies/${dep.id}`).set(auth(manager)).send({ criticality: 'critical' });
  });
});

describe('dependency map', () => {
  it('joins systems, services, vendors and fourth parties with edges between existing nodes', async () => {
    // Equinix has no contract of its own: it is reached only through Bloomberg's and LSEG's services.
    const res = await t.http.get('/api/analysis/dependency-map').set(auth(manager));
    expect(res.status).toBe(200);
    const nodes = res.body.nodes as MapNode[];
    const edges = res.body.edges as MapEdge[];
    expect(new Set(nodes.map((n) => n.type))).toEqual(new Set(['system', 'service', 'vendor', 'fourth_party']));
    expect(nodes.filter((n) => n.type === 'system')).toHaveLength(8);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);

    const byLabel = (label: string, type: MapNode['type']) => nodes.find((n) => n.label === label && n.type === type);
    expect(byLabel('Equinix', 'fourth_party')).toBeDefined();
    expect(byLabel('Equinix', 'vendor')).toBeUndefined();
    // Azure is reached as a subcontractor of OpenAI API but is also used directly (Azure OpenAI): a vendor.
    expect(byLabel('Microsoft Azure', 'vendor')).toBeDefined();
    expect(byLabel('Microsoft Azure', 'fourth_party')).toBeUndefined();
    expect(byLabel('Amazon Web Services', 'vendor')).toBeDefined();

    const ids = new Set(nodes.map((n) => n.id));
    for (const e of edges) {
      expect(ids.has(e.source), `${e.id} source`).toBe(true);
      expect(ids.has(e.target), `${e.id} target`).toBe(true);
    }
    const node = (label: string, type: MapNode['type']) => byLabel(label, type)!.id;
    expect(edges).toContainEqual(
      expect.objectContaining({
        type: 'runs_on',
        source: node('OpenAI API', 'service'),
        target: node('Azure Kubernetes Service', 'service'),
      }),
    );
    expect(edges).toContainEqual(
      expect.objectContaining({
        type: 'runs_on',
        source: node('Bloomberg Data License', 'service'),
        target: node('Equinix NY5 colocation', 'service'),
      }),
    );
    expect(edges).toContainEqual(
      expect.objectContaining({
        type: 'provided_by',
        source: node('Equinix NY5 colocation', 'service'),
        target: node('Equinix', 'fourth_party'),
      }),
    );
    expect(edges).toContainEqual(
      expect.objectContaining({
        type: 'alternative',
        source: node('Customer Support Assistant', 'system'),
        target: node('Claude API', 'service'),
      }),
    );
    expect(edges.filter((e) => e.type === 'depends_on')).toHaveLength(19);

    // SPOFs are flagged on the edge and on the nodes involved.
    const spofEdge = edges.find(
      (e) =>
        e.type === 'depends_on' && e.source === node('Sanctions Screening', 'system') && e.target === node('World-Check One', 'service'),
    );
    expect(spofEdge?.singlePointOfFailure).toBe(true);
    expect(byLabel('World-Check One', 'service')!.singlePointOfFailure).toBe(true);
    expect(byLabel('Sanctions Screening', 'system')!.singlePointOfFailure).toBe(true);
    expect(byLabel('Internal Knowledge Search', 'system')!.singlePointOfFailure).toBe(false);
  });
});

describe('concentration', () => {
  it('reports shares in [0, 1] with Amazon Web Services as the dominant fourth party', async () => {
    const res = await t.http.get('/api/analysis/concentration').set(auth(manager));
    expect(res.status).toBe(200);
    const report = res.body as {
      totalSystems: number;
      totalCriticalSystems: number;
      byVendor: Entry[];
      byFourthParty: Entry[];
      byRegion: Entry[];
    };
    expect(report.totalSystems).toBe(8);
    expect(report.totalCriticalSystems).toBe(4);
    for (const e of [...report.byVendor, ...report.byFourthParty, ...report.byRegion]) {
      expect(e.criticalShare).toBeGreaterThanOrEqual(0);
      expect(e.criticalShare).toBeLessThanOrEqual(1);
      expect(e.criticalSystems).toBeLessThanOrEqual(e.systems);
      expect(e.systemNames).toHaveLength(e.systems);
      expect(e.criticalShare).toBeCloseTo(e.criticalSystems / report.totalCriticalSystems, 10);
    }
    const awsDirect = report.byVendor.find((e) => e.label === 'Amazon Web Services')!;
    expect(awsDirect.systemNames).toEqual(['Credit Risk Scoring', 'Fraud Detection Pipeline']);
    expect(awsDirect.criticalShare).toBe(0.5);

    const aws = report.byFourthParty.find((e) => e.label === 'Amazon Web Services')!;
    expect(aws).toBeDefined();
    expect(report.byFourthParty[0]!.label).toBe('Amazon Web Services');
    expect(aws.criticalSystems).toBe(4);
    expect(aws.criticalShare).toBe(1);
    expect(aws.systemNames).toEqual(
      expect.arrayContaining([
        'Credit Risk Scoring',
        'Customer Support Assistant',
        'Fraud Detection Pipeline',
        'Sanctions Screening',
        'Internal Knowledge Search',
      ]),
    );
    // Azure via OpenAI API for the assistant, directly for Document Intelligence.
    const azure = report.byFourthParty.find((e) => e.label === 'Microsoft Azure')!;
    expect(azure.systemNames).toEqual(['Customer Support Assistant', 'Document Intelligence']);
    expect(azure.criticalShare).toBe(0.25);

    const usEast = report.byRegion.find((e) => e.key === 'us-east-1')!;
    expect(usEast.criticalSystems).toBe(4);
    // Sorted by the number of critical systems, descending.
    const crit = report.byVendor.map((e) => e.criticalSystems);
    expect(crit).toEqual([...crit].sort((a, b) => b - a));
  });
});
