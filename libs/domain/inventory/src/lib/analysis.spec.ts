import { describe, expect, it } from 'vitest';

import { concentration, dependencyMap, singlePointsOfFailure, type Graph } from './analysis.js';

// Two systems; "Assistant" uses an AI API (on Azure) with no alternative; "Search" uses S3 on AWS
// with the AI API's sister API as alternative, which runs on the same Azure compute.
const g: Graph = {
  systems: [
    { id: 'sys-a', name: 'Assistant', criticality: 'critical' },
    { id: 'sys-s', name: 'Search', criticality: 'critical' },
    { id: 'sys-r', name: 'Reports', criticality: 'low' },
  ],
  vendors: [
    { id: 'v-oai', name: 'OpenAI', tier: 'critical' },
    { id: 'v-az', name: 'Azure', tier: 'high' },
    { id: 'v-aws', name: 'AWS', tier: 'critical' },
    { id: 'v-ant', name: 'Anthropic', tier: 'high' },
  ],
  services: [
    { id: 'svc-gpt', name: 'GPT API', vendorId: 'v-oai', kind: 'ai_model_api', regions: [] },
    { id: 'svc-azc', name: 'Azure Compute', vendorId: 'v-az', kind: 'cloud_infrastructure', regions: ['eastus'] },
    { id: 'svc-s3', name: 'S3', vendorId: 'v-aws', kind: 'cloud_infrastructure', regions: ['us-east-1'] },
    { id: 'svc-claude', name: 'Claude API', vendorId: 'v-ant', kind: 'ai_model_api', regions: ['us-east-1'] },
    { id: 'svc-gpt2', name: 'GPT Batch', vendorId: 'v-oai', kind: 'ai_model_api', regions: [] },
  ],
  dependencies: [
    { id: 'd1', systemId: 'sys-a', serviceId: 'svc-gpt', criticality: 'critical', alternativeServiceId: null },
    { id: 'd2', systemId: 'sys-s', serviceId: 'svc-gpt', criticality: 'critical', alternativeServiceId: 'svc-gpt2' },
    { id: 'd3', systemId: 'sys-s', serviceId: 'svc-s3', criticality: 'high', alternativeServiceId: null },
    { id: 'd4', systemId: 'sys-r', serviceId: 'svc-claude', criticality: 'critical', alternativeServiceId: 'svc-gpt' },
  ],
  links: [
    { serviceId: 'svc-gpt', subServiceId: 'svc-azc' },
    { serviceId: 'svc-gpt2', subServiceId: 'svc-azc' },
  ],
};

describe('singlePointsOfFailure', () => {
  it('flags critical dependencies without an alternative, or whose alternative shares a fourth party', () => {
    const spofs = singlePointsOfFailure(g);
    expect(spofs.map((s) => [s.dependencyId, s.reason])).toEqual([
      ['d1', 'critical dependency with no alternative service'],
      ['d2', 'the alternative runs on the same Azure Compute (Azure)'],
    ]);
  });

  it('ignores non-critical dependencies and alternatives on independent stacks', () => {
    const ids = singlePointsOfFailure(g).map((s) => s.dependencyId);
    expect(ids).not.toContain('d3');
    expect(ids).not.toContain('d4');
  });
});

describe('dependencyMap', () => {
  const map = dependencyMap(g);
  it('has systems, services, direct vendors and fourth parties', () => {
    const byId = new Map(map.nodes.map((n) => [n.id, n]));
    expect(byId.get('vendor:v-az')?.type).toBe('fourth_party');
    expect(byId.get('vendor:v-oai')?.type).toBe('vendor');
    expect(byId.get('service:svc-azc')?.type).toBe('service');
    expect(map.nodes.filter((n) => n.type === 'system')).toHaveLength(3);
  });
  it('marks SPOF edges and nodes', () => {
    expect(map.edges.find((e) => e.id === 'dep:d1')?.singlePointOfFailure).toBe(true);
    expect(map.edges.find((e) => e.id === 'dep:d3')?.singlePointOfFailure).toBe(false);
    expect(map.nodes.find((n) => n.id === 'system:sys-a')?.singlePointOfFailure).toBe(true);
    expect(map.edges.some((e) => e.type === 'runs_on' && e.source === 'service:svc-gpt' && e.target === 'service:svc-azc')).toBe(true);
  });
  it('every edge joins two existing nodes', () => {
    const ids = new Set(map.nodes.map((n) => n.id));
    for (const e of map.edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
  });
  it('survives a subcontracting cycle', () => {
    const cyc = { ...g, links: [...g.links, { serviceId: 'svc-azc', subServiceId: 'svc-gpt' }] };
    expect(() => dependencyMap(cyc)).not.toThrow();
  });
});

describe('concentration', () => {
  const c = concentration(g);
  it('counts distinct systems per vendor and their share of critical systems', () => {
    const oai = c.byVendor.find((e) => e.key === 'v-oai')!;
    expect(oai.systems).toBe(2);
    expect(oai.criticalSystems).toBe(2);
    expect(oai.criticalShare).toBe(1);
    expect(c.totalCriticalSystems).toBe(2);
  });
  it('includes fourth parties reached through subcontracting', () => {
    const az = c.byFourthParty.find((e) => e.key === 'v-az')!;
    expect(az.systemNames).toEqual(['Assistant', 'Search']);
    expect(az.criticalShare).toBe(1);
  });
  it('counts regions of the services relied on, inheriting the fourth party region when the service names none', () => {
    expect(c.byRegion.find((e) => e.key === 'us-east-1')?.systemNames).toEqual(['Reports', 'Search']);
    expect(c.byRegion.find((e) => e.key === 'eastus')?.systemNames).toEqual(['Assistant', 'Search']);
  });
});
