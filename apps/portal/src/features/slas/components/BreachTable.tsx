import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';

import type { BreachView } from '@bulwark/api-schema';

import { TableHead, useRowLink } from '../../../shared/components/DataTable';
import { BreachStatusBadge } from '../../../shared/components/statusBadges';
import { formatAvailability, formatMoney, formatTarget } from '../../agreements/lib/agreements';

/** Breaches, newest first. `basePath` is `/breaches` or `/vendor-home/breaches`. */
export function BreachTable({
  breaches,
  basePath,
  showVendor = true,
  dimmed = false,
}: {
  breaches: BreachView[];
  basePath: string;
  showVendor?: boolean;
  dimmed?: boolean;
}) {
  const rowLink = useRowLink();
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table highlightOnHover verticalSpacing="sm" data-testid="breach-table" style={{ opacity: dimmed ? 0.6 : 1 }}>
        <TableHead columns={[showVendor && 'Vendor', 'SLA', 'Window', 'Availability / target', 'Credit', 'Status', 'Thread']} />
        <Table.Tbody>
          {breaches.map((b) => (
            <Table.Tr key={b.id} data-testid="breach-row" data-breach-id={b.id} data-status={b.status} {...rowLink(`${basePath}/${b.id}`)}>
              {showVendor && <Table.Td>{b.vendorName}</Table.Td>}
              <Table.Td>
                <Anchor component={Link} to={`${basePath}/${b.id}`} fw={600} data-testid="breach-row-link">
                  {b.slaName}
                </Anchor>
              </Table.Td>
              <Table.Td data-testid="breach-window">{b.window}</Table.Td>
              <Table.Td>
                <Text size="sm" c="red" component="span" data-testid="breach-availability">
                  {formatAvailability(b.availability)}
                </Text>
                <Text size="sm" c="dimmed" component="span">
                  {' '}
                  / {formatTarget(b.target)}
                </Text>
              </Table.Td>
              <Table.Td data-testid="breach-credit">
                {formatTarget(b.creditPercent)}
                <Text size="xs" c="dimmed">
                  {formatMoney(b.creditAmount, b.currency)}
                </Text>
              </Table.Td>
              <Table.Td>
                <BreachStatusBadge status={b.status} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {b.comments.length ? `${b.comments.length} comment${b.comments.length === 1 ? '' : 's'}` : '—'}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
