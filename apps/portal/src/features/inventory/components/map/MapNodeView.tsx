import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';

import type { MapNode } from '@bulwark/api-schema';

import { humanize } from '../../../../shared/lib/format';

export type BulwarkNodeData = { node: MapNode };
export type BulwarkFlowNode = Node<BulwarkNodeData, 'bulwark'>;

export type ColumnHeaderData = { title: string; count: number };
export type ColumnHeaderNode = Node<ColumnHeaderData, 'columnHeader'>;

const TYPE_LABEL: Record<MapNode['type'], string> = {
  system: 'Internal system',
  service: 'Service',
  vendor: 'Vendor',
  fourth_party: 'Fourth party',
};

export function BulwarkNodeView({ data }: NodeProps<BulwarkFlowNode>) {
  const n = data.node;
  const detail =
    n.type === 'service'
      ? humanize(n.kind)
      : n.type === 'system'
        ? n.criticality
          ? `${humanize(n.criticality)} criticality`
          : ''
        : n.tier
          ? `${humanize(n.tier)} tier`
          : '';
  return (
    <div
      className="bw-node"
      data-testid={`map-node-${n.type}`}
      data-type={n.type}
      data-spof={n.singlePointOfFailure ? 'true' : undefined}
      data-entity-id={n.entityId}
      title={n.label}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="bw-node-kind">
        {TYPE_LABEL[n.type]}
        {n.singlePointOfFailure ? ' · SPOF' : ''}
      </div>
      <div className="bw-node-label">{n.label}</div>
      {detail && <div className="bw-node-kind">{detail}</div>}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

export function ColumnHeaderView({ data }: NodeProps<ColumnHeaderNode>) {
  return (
    <div
      style={{
        fontWeight: 700,
        fontSize: 13,
        color: 'var(--mantine-color-dimmed)',
        minWidth: 170,
        textTransform: 'uppercase',
        letterSpacing: '0.05em',
      }}
      data-testid="map-column-header"
    >
      {data.title} ({data.count})
    </div>
  );
}
