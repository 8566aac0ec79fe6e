import type { DependencyMap, MapEdge, MapNode, MapNodeType } from '@bulwark/api-schema';

export const COLUMNS: MapNodeType[] = ['system', 'service', 'vendor', 'fourth_party'];
export const COLUMN_TITLES: Record<MapNodeType, string> = {
  system: 'Internal systems',
  service: 'Services',
  vendor: 'Vendors',
  fourth_party: 'Fourth parties',
};
export const COLUMN_X = 320;
export const ROW_Y = 86;
export const HEADER_Y = -70;

export interface PlacedNode {
  node: MapNode;
  x: number;
  y: number;
}

export interface OrientedEdge {
  edge: MapEdge;
  source: string;
  target: string;
}

/**
 * Four columns, left to right. Within a column, nodes are ordered by the average position of
 * their neighbours in the columns to the left (barycentre heuristic), which keeps most edges
 * short and uncrossed without a layout library.
 */
export function layoutMap(map: DependencyMap): { placed: PlacedNode[]; edges: OrientedEdge[]; columnHeights: Record<MapNodeType, number> } {
  const col = new Map<string, number>();
  for (const n of map.nodes) col.set(n.id, Math.max(0, COLUMNS.indexOf(n.type)));

  const neighbours = new Map<string, string[]>();
  for (const e of map.edges) {
    if (!col.has(e.source) || !col.has(e.target)) continue;
    neighbours.set(e.source, [...(neighbours.get(e.source) ?? []), e.target]);
    neighbours.set(e.target, [...(neighbours.get(e.target) ?? []), e.source]);
  }

  const position = new Map<string, number>();
  const placed: PlacedNode[] = [];
  const columnHeights = {} as Record<MapNodeType, number>;
  const byColumn = COLUMNS.map((t) => map.nodes.filter((n) => n.type === t));
  const tallest = Math.max(1, ...byColumn.map((c) => c.length));

  byColumn.forEach((nodes, ci) => {
    const score = (n: MapNode): number => {
      const ps = (neighbours.get(n.id) ?? []).filter((m) => (col.get(m) ?? 0) < ci && position.has(m)).map((m) => position.get(m)!);
      return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : Number.POSITIVE_INFINITY;
    };
    const ordered =
      ci === 0
        ? [...nodes].sort((a, b) => Number(b.singlePointOfFailure) - Number(a.singlePointOfFailure) || a.label.localeCompare(b.label))
        : [...nodes]
            .map((n) => ({ n, s: score(n) }))
            .sort((a, b) => a.s - b.s || a.n.label.localeCompare(b.n.label))
            .map((x) => x.n);
    const offset = ((tallest - ordered.length) * ROW_Y) / 2;
    ordered.forEach((n, i) => {
      position.set(n.id, i * ROW_Y + offset);
      placed.push({ node: n, x: ci * COLUMN_X, y: i * ROW_Y + offset });
    });
    columnHeights[COLUMNS[ci]!] = ordered.length;
  });

  const edges: OrientedEdge[] = map.edges
    .filter((e) => col.has(e.source) && col.has(e.target))
    .map((e) =>
      col.get(e.source)! > col.get(e.target)!
        ? { edge: e, source: e.target, target: e.source }
        : { edge: e, source: e.source, target: e.target },
    );

  return { placed, edges, columnHeights };
}

/** Where clicking a node should lead: systems and vendors have pages; a service opens its vendor. */
export function nodeLink(node: MapNode, map: DependencyMap): string | null {
  switch (node.type) {
    case 'system':
      return `/systems/${node.entityId}`;
    case 'vendor':
    case 'fourth_party':
      return `/vendors/${node.entityId}`;
    case 'service': {
      const byId = new Map(map.nodes.map((n) => [n.id, n]));
      const vendorEdge =
        map.edges.find((e) => e.type === 'provided_by' && (e.source === node.id || e.target === node.id)) ??
        map.edges.find(
          (e) =>
            (e.source === node.id && byId.get(e.target)?.type === 'vendor') ||
            (e.target === node.id && byId.get(e.source)?.type === 'vendor'),
        );
      if (!vendorEdge) return null;
      const other = byId.get(vendorEdge.source === node.id ? vendorEdge.target : vendorEdge.source);
      return other && (other.type === 'vendor' || other.type === 'fourth_party') ? `/vendors/${other.entityId}` : null;
    }
    default:
      return null;
  }
}
