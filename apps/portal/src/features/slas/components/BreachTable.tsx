import type { BreachView } from '@bulwark/api-schema';
import { Anchor, Table, Text } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { formatAvailability, formatMoney, formatTarget } from '../../agreements/lib/agreements';
import { BreachStatusBadge } from '../../../shared/components/statusBadges';

/** Breaches, newest first. `basePath` is `/breaches` or `/vendor-home/breaches`. */
export function BreachTable({ breaches, basePath, showVendor = true, dimmed = false }: { breaches: BreachView[]; basePath: string; showVendor?: boolean; dimmed?: boolean }) {
  const navigate = useNavigate();
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table highlightOnHover verticalSpacing="sm" data-testid="breach-table" style={{ opacity: dimmed ? 0.6 : 1 }}>
        <Table.Thead>
          <Table.Tr>
            {showVendor && <Table.Th>Vendor</Table.Th>}
            <Table.Th>SLA</Table.Th>
            <Table.Th>Window</Table.Th>
            <Table.Th>Availability / target</Table.Th>
            <Table.Th>Credit</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Thread</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {breaches.map((b) => (
            <Table.Tr
              key={b.id}
              data-testid="breach-row"
              data-breach-id={b.id}
              data-status={b.status}
              className="clickable-row"
              onClick={(e) => {
                if ((e.target as HTMLElement).closest('a,button')) return;
                void navigate(`${basePath}/${b.id}`);
              }}
            >
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
