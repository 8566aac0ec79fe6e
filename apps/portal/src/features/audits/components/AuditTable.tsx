import { Anchor, Badge, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router';

import type { AuditView } from '@bulwark/api-schema';

import { TableHead, useRowLink } from '../../../shared/components/DataTable';
import { formatDate, humanize } from '../../../shared/lib/format';
import { AuditStatusBadge } from './auditBadges';

/** Audits, latest window first. `basePath` is `/audits` or `/vendor-home/audits`. */
export function AuditTable({
  audits,
  basePath,
  showVendor = true,
  dimmed = false,
}: {
  audits: AuditView[];
  basePath: string;
  showVendor?: boolean;
  dimmed?: boolean;
}) {
  const rowLink = useRowLink();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover verticalSpacing="sm" data-testid="audit-table" style={{ opacity: dimmed ? 0.6 : 1 }}>
        <TableHead columns={['Audit', showVendor && 'Vendor', 'Status', 'Window', 'Items done', 'Mode']} />
        <Table.Tbody>
          {audits.map((a) => (
            <Table.Tr key={a.id} data-testid="audit-row" data-audit-id={a.id} data-status={a.status} {...rowLink(`${basePath}/${a.id}`)}>
              <Table.Td>
                <Anchor component={Link} to={`${basePath}/${a.id}`} fw={600} data-testid="audit-row-link">
                  {a.title}
                </Anchor>
                {a.outsideEntitlement && (
                  <Badge ml={6} size="xs" color="orange" variant="outline">
                    Outside entitlement
                  </Badge>
                )}
              </Table.Td>
              {showVendor && <Table.Td>{a.vendorName}</Table.Td>}
              <Table.Td>
                <AuditStatusBadge status={a.status} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" data-testid="audit-window">
                  {formatDate(a.windowStart)} – {formatDate(a.windowEnd)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" data-testid="audit-items-done">
                    {a.itemsAccepted}/{a.itemsTotal}
                  </Text>
                  {a.itemsOverdue > 0 && (
                    <Badge color="red" variant="outline" size="sm" data-testid="audit-items-overdue">
                      {a.itemsOverdue} overdue
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {humanize(a.mode)} · {humanize(a.auditorKind)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
