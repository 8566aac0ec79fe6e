import { Anchor, Group, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import type { DependencyView } from '@bulwark/api-schema';

import { CriticalityBadge, SpofBadge } from '../../../shared/components/badges';
import { formatMinutes, humanize } from '../../../shared/lib/format';

/** Dependencies of systems on services, seen from a system (`show="service"`) or from a vendor (`show="system"`). */
export function DependencyTable({
  dependencies,
  show,
  actions,
}: {
  dependencies: DependencyView[];
  show: 'system' | 'service';
  actions?: (d: DependencyView) => ReactNode;
}) {
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table verticalSpacing="sm" data-testid="dependency-table">
        <Table.Thead>
          <Table.Tr>
            {show === 'system' ? <Table.Th>Internal system</Table.Th> : <Table.Th>Service (vendor)</Table.Th>}
            {show === 'system' && <Table.Th>Service</Table.Th>}
            <Table.Th>Criticality</Table.Th>
            <Table.Th>Alternative</Table.Th>
            <Table.Th>Contingency plan</Table.Th>
            <Table.Th>Risk</Table.Th>
            {actions && <Table.Th aria-label="Actions" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {dependencies.map((d) => (
            <Table.Tr key={d.id} data-testid="dependency-row" data-spof={d.singlePointOfFailure ? 'true' : 'false'}>
              {show === 'system' ? (
                <Table.Td>
                  <Anchor component={Link} to={`/systems/${d.systemId}`} fw={600}>
                    {d.systemName}
                  </Anchor>
                </Table.Td>
              ) : (
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {d.serviceName}
                  </Text>
                  <Anchor component={Link} to={`/vendors/${d.vendorId}`} size="xs">
                    {d.vendorName}
                  </Anchor>
                </Table.Td>
              )}
              {show === 'system' && <Table.Td>{d.serviceName}</Table.Td>}
              <Table.Td>
                <CriticalityBadge value={d.criticality} />
              </Table.Td>
              <Table.Td>
                {d.alternativeServiceName ?? (
                  <Text size="sm" c="dimmed">
                    none
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {d.contingencyPlan ? (
                  <Stack gap={0}>
                    <Text size="sm">
                      {d.contingencyPlan.steps.length} step{d.contingencyPlan.steps.length === 1 ? '' : 's'}
                      {d.contingencyPlan.expectedSwitchMinutes != null
                        ? ` · switch in ${formatMinutes(d.contingencyPlan.expectedSwitchMinutes)}`
                        : ''}
                    </Text>
                    <Text size="xs" c="dimmed">
                      Data portability: {humanize(d.contingencyPlan.dataPortability)}
                    </Text>
                  </Stack>
                ) : (
                  <Text size="sm" c="dimmed">
                    none
                  </Text>
                )}
                {d.notes && (
                  <Text size="xs" c="dimmed" mt={2} lineClamp={2} title={d.notes}>
                    {d.notes}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {d.singlePointOfFailure ? (
                  <SpofBadge />
                ) : (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              {actions && (
                <Table.Td>
                  <Group justify="flex-end">{actions(d)}</Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
