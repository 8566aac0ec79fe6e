import '@xyflow/react/dist/style.css';

import { Anchor, Badge, Box, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Background, Controls, MarkerType, MiniMap, ReactFlow, type Edge, type NodeTypes } from '@xyflow/react';
import { useMemo, type KeyboardEvent } from 'react';
import { Link, useNavigate } from 'react-router';

import type { DependencyMap, MapEdge } from '@bulwark/api-schema';

import { CriticalityBadge } from '../../../shared/components/badges';
import { TableHead } from '../../../shared/components/DataTable';
import { EmptyState, ErrorAlert, PageLoader, TableSkeleton } from '../../../shared/components/feedback';
import { PageHeader } from '../../../shared/components/PageHeader';
import { useDependencyMap, useSinglePointsOfFailure } from '../api/analysis';
import { BulwarkNodeView, ColumnHeaderView, type BulwarkFlowNode, type ColumnHeaderNode } from '../components/map/MapNodeView';
import { COLUMN_TITLES, COLUMN_X, COLUMNS, HEADER_Y, layoutMap, nodeLink } from '../lib/mapLayout';

const nodeTypes: NodeTypes = { bulwark: BulwarkNodeView, columnHeader: ColumnHeaderView };

/** Plain hex: the minimap paints with SVG attributes, which do not resolve CSS variables. */
const TYPE_COLORS: Record<string, string> = {
  system: '#228be6',
  service: '#7950f2',
  vendor: '#12b886',
  fourth_party: '#868e96',
};

function edgeStyle(e: MapEdge): Pick<Edge, 'style' | 'animated' | 'markerEnd' | 'label'> {
  const red = 'var(--mantine-color-red-6)';
  if (e.singlePointOfFailure) {
    return { style: { stroke: red, strokeWidth: 2.5 }, animated: true, markerEnd: { type: MarkerType.ArrowClosed, color: '#e03131' } };
  }
  switch (e.type) {
    case 'alternative':
      return {
        style: { stroke: 'var(--mantine-color-green-6)', strokeDasharray: '6 4' },
        label: 'alternative',
        markerEnd: { type: MarkerType.ArrowClosed, color: '#2f9e44' },
      };
    case 'runs_on':
      return {
        style: { stroke: 'var(--mantine-color-gray-6)', strokeDasharray: '3 3' },
        markerEnd: { type: MarkerType.ArrowClosed, color: '#868e96' },
      };
    default:
      return {
        style: { stroke: 'var(--mantine-color-gray-5)', strokeWidth: e.criticality === 'critical' ? 2 : 1.25 },
        markerEnd: { type: MarkerType.ArrowClosed, color: '#adb5bd' },
      };
  }
}

/** About the size a node is drawn at, to size the canvas to the map's own proportions. */
const NODE_W = 240;
const NODE_H = 64;

function toFlow(map: DependencyMap): { nodes: (BulwarkFlowNode | ColumnHeaderNode)[]; edges: Edge[]; width: number; height: number } {
  const { placed, edges, columnHeights } = layoutMap(map);
  const width = Math.max(...placed.map((p) => p.x), 0) + NODE_W;
  const height = Math.max(...placed.map((p) => p.y), 0) + NODE_H - HEADER_Y;
  const headers: ColumnHeaderNode[] = COLUMNS.map((t, i) => ({
    id: `header-${t}`,
    type: 'columnHeader',
    position: { x: i * COLUMN_X, y: HEADER_Y },
    data: { title: COLUMN_TITLES[t], count: columnHeights[t] ?? 0 },
    draggable: false,
    selectable: false,
    focusable: false,
    connectable: false,
  }));
  const nodes: BulwarkFlowNode[] = placed.map(({ node, x, y }) => ({
    id: node.id,
    type: 'bulwark',
    position: { x, y },
    data: { node },
    // The nodes are not controlled (no onNodesChange), so React Flow never writes their measured size back:
    // without a size hint the minimap has nothing to draw.
    initialWidth: NODE_W,
    initialHeight: NODE_H,
    connectable: false,
    ariaLabel: `${COLUMN_TITLES[node.type]}: ${node.label}${node.singlePointOfFailure ? ' (single point of failure)' : ''}. Press Enter to open.`,
  }));
  return {
    width,
    height,
    nodes: [...headers, ...nodes],
    edges: edges.map(({ edge, source, target }) => ({
      id: edge.id,
      source,
      target,
      ...edgeStyle(edge),
      zIndex: edge.singlePointOfFailure ? 10 : 0,
      data: { type: edge.type },
    })),
  };
}

export function MapPage() {
  const map = useDependencyMap();
  const spofs = useSinglePointsOfFailure();
  const navigate = useNavigate();
  const flow = useMemo(() => (map.data ? toFlow(map.data) : null), [map.data]);

  const open = (nodeId: string) => {
    const n = map.data?.nodes.find((x) => x.id === nodeId);
    if (!n || !map.data) return;
    const to = nodeLink(n, map.data);
    if (to) void navigate(to);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Enter') return;
    const id = (e.target as HTMLElement).closest('.react-flow__node')?.getAttribute('data-id');
    if (id) open(id);
  };

  return (
    <>
      <PageHeader
        title="Dependency map"
        testId="map-title"
        description="Internal systems → services → vendors → fourth parties. Red marks single points of failure. Click a node to open it."
      />
      {map.isPending ? (
        <PageLoader label="Building the map…" />
      ) : map.isError ? (
        <ErrorAlert error={map.error} onRetry={() => void map.refetch()} />
      ) : map.data.nodes.length === 0 ? (
        <EmptyState title="Nothing to map yet" testId="map-empty">
          The map appears once internal systems have dependencies on vendor services. Add a system and its dependencies under Internal
          systems.
        </EmptyState>
      ) : (
        <Stack gap="sm">
          <Legend />
          <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
            {/* The canvas takes the map's proportions (between 640 and 2400 px high), so the first view shows every node. */}
            <Box
              style={{ aspectRatio: `${flow!.width} / ${flow!.height}`, minHeight: 640, maxHeight: 2400 }}
              data-testid="map-canvas"
              onKeyDown={onKeyDown}
            >
              <ReactFlow
                nodes={flow!.nodes}
                edges={flow!.edges}
                nodeTypes={nodeTypes}
                onNodeClick={(_e, node) => {
                  if (node.type === 'bulwark') open(node.id);
                }}
                nodesConnectable={false}
                fitView
                // The whole map at first; zoom in to read a corner (the minimap shows where you are).
                fitViewOptions={{ padding: 0.04, minZoom: 0.1 }}
                minZoom={0.1}
                maxZoom={2}
                ariaLabelConfig={{ 'node.a11yDescription.default': 'Press Enter to open this item.' }}
              >
                <Background gap={24} />
                <Controls showInteractive={false} />
                <MiniMap
                  pannable
                  zoomable
                  nodeColor={(n) => {
                    const d = (n as BulwarkFlowNode).data as { node?: { type: string; singlePointOfFailure: boolean } };
                    if (!d?.node) return 'transparent';
                    return d.node.singlePointOfFailure ? '#e03131' : (TYPE_COLORS[d.node.type] ?? '#adb5bd');
                  }}
                />
              </ReactFlow>
            </Box>
          </Paper>
        </Stack>
      )}

      <Title order={3} size="h4" mt="xl" mb="sm">
        Single points of failure
      </Title>
      {spofs.isPending ? (
        <TableSkeleton rows={3} />
      ) : spofs.isError ? (
        <ErrorAlert error={spofs.error} onRetry={() => void spofs.refetch()} />
      ) : spofs.data.length === 0 ? (
        <EmptyState title="No single points of failure" testId="spof-empty">
          Every critical dependency has an alternative service that does not run on the same supplier. Keep it that way when you add
          dependencies.
        </EmptyState>
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" data-testid="spof-list">
              <TableHead columns={['Internal system', 'Service', 'Vendor', 'Criticality', 'Why']} />
              <Table.Tbody>
                {spofs.data.map((s) => (
                  <Table.Tr key={s.dependencyId} data-testid="spof-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/systems/${s.systemId}`} fw={600}>
                        {s.systemName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{s.serviceName}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/vendors/${s.vendorId}`}>
                        {s.vendorName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <CriticalityBadge value={s.criticality} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{s.reason}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </>
  );
}

function Legend() {
  const swatch = (color: string, dashed = false, spof = false) => (
    <span
      aria-hidden
      style={{
        display: 'inline-block',
        width: 14,
        height: 14,
        borderRadius: 3,
        background: spof ? 'var(--mantine-color-red-0)' : 'white',
        border: `${dashed ? '2px dashed' : '2px solid'} ${color}`,
      }}
    />
  );
  return (
    <Group gap="lg" data-testid="map-legend" wrap="wrap">
      {COLUMNS.map((t) => (
        <Group key={t} gap={6}>
          {swatch(TYPE_COLORS[t]!)}
          <Text size="sm">{COLUMN_TITLES[t]}</Text>
        </Group>
      ))}
      <Group gap={6}>
        {swatch('var(--mantine-color-red-6)', false, true)}
        <Badge color="red" size="sm">
          SPOF
        </Badge>
        <Text size="sm">single point of failure</Text>
      </Group>
      <Group gap={6}>
        {swatch('var(--mantine-color-green-6)', true)}
        <Text size="sm">alternative service</Text>
      </Group>
      <Group gap={6}>
        {swatch('var(--mantine-color-gray-6)', true)}
        <Text size="sm">runs on (fourth party)</Text>
      </Group>
    </Group>
  );
}
