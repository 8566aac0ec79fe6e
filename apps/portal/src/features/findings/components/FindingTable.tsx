import { Anchor, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router';

import type { FindingView } from '@bulwark/api-schema';

import { TableHead, useRowLink } from '../../../shared/components/DataTable';
import { formatDate, humanize } from '../../../shared/lib/format';
import { FindingStatusBadge, OverdueBadge, SeverityBadge } from './findingBadges';

/** Findings, soonest due first. `basePath` is `/findings` or `/vendor-home/findings`. */
export function FindingTable({
  findings,
  basePath,
  showVendor = true,
  dimmed = false,
}: {
  findings: FindingView[];
  basePath: string;
  showVendor?: boolean;
  dimmed?: boolean;
}) {
  const rowLink = useRowLink();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover verticalSpacing="sm" data-testid="finding-table" style={{ opacity: dimmed ? 0.6 : 1 }}>
        <TableHead columns={['Finding', showVendor && 'Vendor', 'Severity', 'Status', 'Due', 'Source']} />
        <Table.Tbody>
          {findings.map((f) => (
            <Table.Tr
              key={f.id}
              data-testid="finding-row"
              data-finding-id={f.id}
              data-status={f.status}
              {...rowLink(`${basePath}/${f.id}`)}
            >
              <Table.Td>
                <Anchor component={Link} to={`${basePath}/${f.id}`} fw={600} data-testid="finding-row-link">
                  {f.title}
                </Anchor>
              </Table.Td>
              {showVendor && <Table.Td>{f.vendorName}</Table.Td>}
              <Table.Td>
                <SeverityBadge severity={f.severity} />
              </Table.Td>
              <Table.Td>
                <FindingStatusBadge status={f.status} />
              </Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" data-testid="finding-due">
                    {formatDate(f.dueDate)}
                  </Text>
                  {f.overdue && <OverdueBadge />}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {humanize(f.source)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
