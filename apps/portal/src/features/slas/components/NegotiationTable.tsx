import { Anchor, Badge, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router';

import type { NegotiationView } from '@bulwark/api-schema';

import { TableHead, useRowLink } from '../../../shared/components/DataTable';
import { NegotiationStatusBadge } from '../../../shared/components/statusBadges';
import { formatDate, formatDateTime } from '../../../shared/lib/format';

/** When the negotiation last moved (a round proposed or answered). */
export function lastActivity(n: NegotiationView): string | null {
  const stamps = n.rounds
    .flatMap((r) => [r.proposedAt, r.respondedAt])
    .concat([n.procurementSignedAt, n.vendorSignedAt])
    .filter((s): s is string => !!s);
  return stamps.sort().at(-1) ?? null;
}

/** Negotiations, newest activity first. `basePath` is `/negotiations` or `/vendor-home/negotiations`. */
export function NegotiationTable({
  negotiations,
  basePath,
  showVendor = true,
}: {
  negotiations: NegotiationView[];
  basePath: string;
  showVendor?: boolean;
}) {
  const rowLink = useRowLink();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover verticalSpacing="sm" data-testid="negotiation-table">
        <TableHead columns={['SLA', showVendor && 'Vendor', 'Contract', 'Status', 'Round', 'Effective from', 'Last activity']} />
        <Table.Tbody>
          {negotiations.map((n) => (
            <Table.Tr
              key={n.id}
              data-testid="negotiation-row"
              data-negotiation-id={n.id}
              data-status={n.status}
              {...rowLink(`${basePath}/${n.id}`)}
            >
              <Table.Td>
                <Group gap={6}>
                  <Anchor component={Link} to={`${basePath}/${n.id}`} fw={600} data-testid="negotiation-row-link">
                    {n.slaName}
                  </Anchor>
                  {n.allowedActions.some((a) => a !== 'cancel') && (
                    <Badge size="xs" color="orange" variant="filled" data-testid="negotiation-your-move">
                      your move
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {n.slaId && (n.status !== 'signed_off' || (n.resultingVersion ?? 1) > 1) ? 'Renegotiation' : 'New SLA'}
                </Text>
              </Table.Td>
              {showVendor && <Table.Td>{n.vendorName}</Table.Td>}
              <Table.Td>
                <Text size="sm" lineClamp={2}>
                  {n.contractTitle}
                </Text>
              </Table.Td>
              <Table.Td>
                <NegotiationStatusBadge status={n.status} />
              </Table.Td>
              <Table.Td>{n.currentRound}</Table.Td>
              <Table.Td>{formatDate(n.effectiveFrom)}</Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(lastActivity(n))}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
