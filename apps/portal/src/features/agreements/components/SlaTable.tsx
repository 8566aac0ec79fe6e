import { Anchor, Paper, Table, Text } from '@mantine/core';
import { Link } from 'react-router';

import type { SlaView } from '@bulwark/api-schema';

import { TableHead, useRowLink } from '../../../shared/components/DataTable';
import { formatDate, humanize } from '../../../shared/lib/format';
import { formatTarget } from '../lib/agreements';

/**
 * SLAs with the terms in force today (and the next signed version's date), on a contract's page (`testIdPrefix` "contract", with the version) and
 * on the vendor's Contracts tab ("vendor", with the contract). Rows open `/slas/:id`.
 */
export function SlaTable({
  slas,
  testIdPrefix,
  showContract = false,
}: {
  slas: SlaView[];
  testIdPrefix: 'contract' | 'vendor';
  showContract?: boolean;
}) {
  const rowLink = useRowLink();
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={640}>
        <Table highlightOnHover verticalSpacing="sm" data-testid={`${testIdPrefix}-sla-table`}>
          <TableHead columns={['SLA', showContract && 'Contract', 'Target', 'Window', 'In force since', !showContract && 'Version']} />
          <Table.Tbody>
            {slas.map((s) => (
              <Table.Tr key={s.id} data-testid={`${testIdPrefix}-sla-row`} data-sla-id={s.id} {...rowLink(`/slas/${s.id}`)}>
                <Table.Td>
                  <Anchor component={Link} to={`/slas/${s.id}`} fw={600} data-testid={`${testIdPrefix}-sla-link`}>
                    {s.name}
                  </Anchor>
                </Table.Td>
                {showContract && (
                  <Table.Td>
                    <Anchor component={Link} to={`/contracts/${s.contractId}`} size="sm">
                      {s.contractTitle}
                    </Anchor>
                  </Table.Td>
                )}
                <Table.Td>{formatTarget(s.current.terms.availabilityTarget)}</Table.Td>
                <Table.Td>{humanize(s.current.terms.window)}</Table.Td>
                <Table.Td data-testid={`${testIdPrefix}-sla-in-force`}>
                  <Text size="sm">{s.current.status === 'upcoming' ? 'Not yet' : formatDate(s.current.effectiveFrom)}</Text>
                  {[...(s.current.status === 'upcoming' ? [s.current] : []), ...s.upcoming].slice(0, 1).map((v) => (
                    <Text key={v.version} size="xs" c="blue" data-testid={`${testIdPrefix}-sla-upcoming`}>
                      v{v.version} takes effect on {formatDate(v.effectiveFrom)}
                    </Text>
                  ))}
                </Table.Td>
                {!showContract && <Table.Td>v{s.current.version}</Table.Td>}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
