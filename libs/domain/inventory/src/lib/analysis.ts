import type {
  ConcentrationEntry,
  ConcentrationReport,
  Criticality,
  DependencyMap,
  MapEdge,
  MapNode,
  ServiceKind,
  SinglePointOfFailure,
  Tier,
} from '@bulwark/api-schema';

export interface Graph {
  systems: { id: string; name: string; criticality: Criticality }[];
  vendors: { id: string; name: string; tier: Tier }[];
  services: { id: string; name: string; vendorId: string; kind: ServiceKind; regions: string[] }[];
  dependencies: { id: string; systemId: string; serviceId: string; criticality: Criticality; alternativeServiceId: string | null }[];
  links: { serviceId: string; subServiceId: string }[];
}

const MAX_CHAIN_DEPTH = 5;

/** Everything a service runs on, transitively (bounded depth, cycle-safe). */
function chain(serviceId: string, runsOn: Map<string, string[]>): string[] {
  const seen = new Set<string>();
  let frontier = [serviceId];
  for (let depth = 0; depth < MAX_CHAIN_DEPTH && frontier.length; depth++) {
    const next: string[] = [];
    for (const s of frontier) {
      for (const sub of runsOn.get(s) ?? []) {
        if (seen.has(sub) || sub === serviceId) continue;
        seen.add(sub);
        next.push(sub);
      }
    }
    frontier = next;
  }
  return [...seen];
}

export type RunsOn = Map<string, string[]>;

export function runsOnIndex(links: Graph['links']): RunsOn {
  const runsOn: RunsOn = new Map();
  for (const l of links) runsOn.set(l.serviceId, [...(runsOn.get(l.serviceId) ?? []), l.subServiceId]);
  return runsOn;
}

type DepLike = Pick<Graph['dependencies'][number], 'serviceId' | 'criticality' | 'alternativeServiceId'>;

/** The service a dependency and its alternative both run on (so the alternative fails with it), if any. */
export function sharedFourthParty(d: DepLike, runsOn: RunsOn): string | null {
  if (!d.alternativeServiceId) return null;
  const alt = new Set([d.alternativeServiceId, ...chain(d.alternativeServiceId, runsOn)]);
  return chain(d.serviceId, runsOn).find((x) => alt.has(x)) ?? null;
}

/** A single point of failure: a critical dependency with no alternative, or whose alternative shares a fourth party with it. */
export function isSinglePointOfFailure(d: DepLike, runsOn: RunsOn): boolean {
  return d.criticality === 'critical' && (!d.alternativeServiceId || sharedFourthParty(d, runsOn) !== null);
}

function index(g: Graph) {
  const runsOn = runsOnIndex(g.links);
  return {
    runsOn,
    system: new Map(g.systems.map((s) => [s.id, s])),
    service: new Map(g.services.map((s) => [s.id, s])),
    vendor: new Map(g.vendors.map((v) => [v.id, v])),
  };
}

/**
 * Single points of failure: a critical dependency with no alternative, or whose alternative
 * fails with it because both run on the same fourth-party service.
 */
export function singlePointsOfFailure(g: Graph): SinglePointOfFailure[] {
  const ix = index(g);
  const out: SinglePointOfFailure[] = [];
  for (const d of g.dependencies) {
    if (d.criticality !== 'critical') continue;
    const svc = ix.service.get(d.serviceId);
    const sys = ix.system.get(d.systemId);
    if (!svc || !sys) continue;
    const vendor = ix.vendor.get(svc.vendorId);
    let reason: string | null = null;
    if (!d.alternativeServiceId) reason = 'critical dependency with no alternative service';
    else {
      const shared = sharedFourthParty(d, ix.runsOn);
      if (shared) {
        const s = ix.service.get(shared);
        reason = `the alternative runs on the same ${s ? `${s.name} (${ix.vendor.get(s.vendorId)?.name ?? 'unknown vendor'})` : 'fourth party'}`;
      }
    }
    if (reason) {
      out.push({
        dependencyId: d.id,
        systemId: sys.id,
        systemName: sys.name,
        serviceId: svc.id,
        serviceName: svc.name,
        vendorId: svc.vendorId,
        vendorName: vendor?.name ?? '',
        criticality: d.criticality,
        reason,
      });
    }
  }
  return out.sort((a, b) => a.systemName.localeCompare(b.systemName) || a.serviceName.localeCompare(b.serviceName));
}

/** Systems → services → vendors → fourth parties, with SPOFs flagged on nodes and edges. */
export function dependencyMap(g: Graph): DependencyMap {
  const ix = index(g);
  const spofs = singlePointsOfFailure(g);
  const spofDeps = new Set(spofs.map((s) => s.dependencyId));
  const spofNodes = new Set(spofs.flatMap((s) => [`system:${s.systemId}`, `service:${s.serviceId}`, `vendor:${s.vendorId}`]));
  const nodes = new Map<string, MapNode>();
  const edges = new Map<string, MapEdge>();
  const directVendors = new Set<string>();
  const addService = (id: string, fourth: boolean) => {
    const s = ix.service.get(id);
    if (!s) return;
    const key = `service:${id}`;
    if (!nodes.has(key))
      nodes.set(key, { id: key, type: 'service', label: s.name, entityId: id, kind: s.kind, singlePointOfFailure: spofNodes.has(key) });
    const v = ix.vendor.get(s.vendorId);
    if (v) {
      const vkey = `vendor:${v.id}`;
      if (!fourth) directVendors.add(v.id);
      const existing = nodes.get(vkey);
      const type = directVendors.has(v.id) ? 'vendor' : 'fourth_party';
      if (!existing || existing.type !== type)
        nodes.set(vkey, { id: vkey, type, label: v.name, entityId: v.id, tier: v.tier, singlePointOfFailure: spofNodes.has(vkey) });
      edges.set(`${key}->${vkey}`, { id: `${key}->${vkey}`, source: key, target: vkey, type: 'provided_by', singlePointOfFailure: false });
    }
    for (const sub of chain(id, ix.runsOn)) {
      const subKey = `service:${sub}`;
      if (!nodes.has(subKey)) addService(sub, true);
    }
    for (const sub of ix.runsOn.get(id) ?? [])
      edges.set(`${key}=>${`service:${sub}`}`, {
        id: `${key}=>service:${sub}`,
        source: key,
        target: `service:${sub}`,
        type: 'runs_on',
        singlePointOfFailure: false,
      });
  };
  for (const s of g.systems) {
    nodes.set(`system:${s.id}`, {
      id: `system:${s.id}`,
      type: 'system',
      label: s.name,
      entityId: s.id,
      criticality: s.criticality,
      singlePointOfFailure: spofNodes.has(`system:${s.id}`),
    });
  }
  for (const d of g.dependencies) {
    addService(d.serviceId, false);
    const id = `dep:${d.id}`;
    edges.set(id, {
      id,
      source: `system:${d.systemId}`,
      target: `service:${d.serviceId}`,
      type: 'depends_on',
      criticality: d.criticality,
      singlePointOfFailure: spofDeps.has(d.id),
    });
    if (d.alternativeServiceId) {
      addService(d.alternativeServiceId, false);
      const aid = `alt:${d.id}`;
      edges.set(aid, {
        id: aid,
        source: `system:${d.systemId}`,
        target: `service:${d.alternativeServiceId}`,
        type: 'alternative',
        singlePointOfFailure: false,
      });
    }
  }
  // A vendor first met as a fourth party may later turn out to be used directly.
  for (const n of nodes.values()) if (n.type === 'fourth_party' && directVendors.has(n.entityId)) n.type = 'vendor';
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/**
 * Concentration: for each vendor, fourth party and region, the distinct systems relying on it and
 * its share of all critical systems. Alternatives are not counted as reliance.
 */
export function concentration(g: Graph): ConcentrationReport {
  const ix = index(g);
  const criticalSystems = new Set(g.systems.filter((s) => s.criticality === 'critical').map((s) => s.id));
  const direct = new Map<string, Set<string>>();
  const indirect = new Map<string, Set<string>>();
  const region = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, k: string, sys: string) => m.set(k, (m.get(k) ?? new Set()).add(sys));
  for (const d of g.dependencies) {
    const svc = ix.service.get(d.serviceId);
    if (!svc) continue;
    add(direct, svc.vendorId, d.systemId);
    for (const r of svc.regions) add(region, r, d.systemId);
    for (const sub of chain(svc.id, ix.runsOn)) {
      const s = ix.service.get(sub);
      if (!s || s.vendorId === svc.vendorId) continue;
      add(indirect, s.vendorId, d.systemId);
      // A region is concentrated when the fourth party's region is, too, unless the direct service already names regions.
      if (!svc.regions.length) for (const r of s.regions) add(region, r, d.systemId);
    }
  }
  const entry = (key: string, label: string, systems: Set<string>): ConcentrationEntry => {
    const crit = [...systems].filter((s) => criticalSystems.has(s)).length;
    return {
      key,
      label,
      systems: systems.size,
      criticalSystems: crit,
      criticalShare: criticalSystems.size ? crit / criticalSystems.size : 0,
      systemNames: [...systems].map((s) => ix.system.get(s)?.name ?? '').sort(),
    };
  };
  const sort = (a: ConcentrationEntry, b: ConcentrationEntry) =>
    b.criticalSystems - a.criticalSystems || b.systems - a.systems || a.label.localeCompare(b.label);
  const vendorName = (id: string) => ix.vendor.get(id)?.name ?? id;
  const byFourthParty = [...indirect.keys()].map((v) =>
    entry(v, vendorName(v), new Set([...(indirect.get(v) ?? []), ...(direct.get(v) ?? [])])),
  );
  return {
    totalSystems: g.systems.length,
    totalCriticalSystems: criticalSystems.size,
    byVendor: [...direct.entries()].map(([v, s]) => entry(v, vendorName(v), s)).sort(sort),
    byFourthParty: byFourthParty.sort(sort),
    byRegion: [...region.entries()].map(([r, s]) => entry(r, r, s)).sort(sort),
  };
}
