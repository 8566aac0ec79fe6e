import { Anchor, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

import type { SlaView } from '@bulwark/api-schema';

import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { BreachBadge } from '../../../shared/components/statusBadges';
import { addMonths, currentMonth, formatAvailability, formatTarget } from '../../agreements/lib/agreements';
import { useAttainment, useSlas } from '../api/slas';
import { VendorReportedCell } from './AttainmentSection';
import { VendorReportForm } from './VendorReportForm';

const RECENT_WINDOWS = 6;

/** Vendor home: the SLAs of the contact's vendor, recent attainment and the "file your figure" form. */
export function VendorSlasSection({ vendorId }: { vendorId: string }) {
  const slas = useSlas({ vendorId });
  return (
    <div data-testid="vendor-home-slas">
      <Title order={3} size="h4" mb="sm">
        Your SLAs{slas.data ? ` (${slas.data.length})` : ''}
      </Title>
      {slas.isError && !slas.data ? (
        <ErrorAlert error={slas.error} title="Could not load your SLAs" onRetry={() => void slas.refetch()} />
      ) : !slas.data ? (
        <TableSkeleton rows={3} />
      ) : slas.data.length === 0 ? (
        <EmptyState title="No SLAs recorded" testId="vendor-home-slas-empty">
          No service-level agreements with you are recorded yet.
        </EmptyState>
      ) : (
        <Stack gap="md">
          {slas.data.map((s) => (
            <VendorSlaCard key={s.id} sla={s} />
          ))}
        </Stack>
      )}
    </div>
  );
}

function VendorSlaCard({ sla: s }: { sla: SlaView }) {
  const to = currentMonth();
  const months = s.current.terms.window === 'quarter' ? RECENT_WINDOWS * 3 : RECENT_WINDOWS;
  const attainment = useAttainment(s.id, addMonths(to, -(months - 1)), to);
  const recent = (attainment.data ?? []).slice(-RECENT_WINDOWS).reverse();
  return (
    <Paper withBorder p="lg" radius="md" data-testid="vendor-home-sla" data-sla-id={s.id}>
      <Group justify="space-between" align="flex-start" mb="sm">
        <Stack gap={2}>
          <Anchor component={Link} to={`/vendor-home/slas/${s.id}`} fw={700} size="lg" data-testid="vendor-home-sla-link">
            {s.name}
          </Anchor>
          <Text size="sm" c="dimmed">
            {s.contractTitle} · target {formatTarget(s.current.terms.availabilityTarget)} per {s.current.terms.window}
          </Text>
        </Stack>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        {/* minWidth 0: a grid cell may shrink below its table's width; the table scrolls inside the card instead of overflowing it. */}
        <div style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} mb={4}>
            Last {RECENT_WINDOWS} windows
          </Text>
          {attainment.isError && !attainment.data ? (
            <ErrorAlert error={attainment.error} title="Could not load the attainment" onRetry={() => void attainment.refetch()} />
          ) : !attainment.data ? (
            <TableSkeleton rows={3} />
          ) : recent.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="vendor-home-sla-attainment-empty">
              No completed window yet.
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={420} type="native">
              <Table verticalSpacing={4} fz="sm" data-testid="vendor-home-sla-attainment">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Window</Table.Th>
                    <Table.Th>Availability</Table.Th>
                    <Table.Th>Your figure</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {recent.map((e) => (
                    <Table.Tr
                      key={e.window}
                      data-testid="vendor-home-attainment-row"
                      data-window={e.window}
                      data-breached={e.breached ? 'true' : 'false'}
                    >
                      <Table.Td>{e.window}</Table.Td>
                      <Table.Td c={e.breached ? 'red' : undefined}>{formatAvailability(e.availability)}</Table.Td>
                      <Table.Td>
                        <VendorReportedCell entry={e} />
                      </Table.Td>
                      <Table.Td>
                        <BreachBadge breached={e.breached} open={e.open} atRisk={e.atRisk} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </div>
        <div style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} mb={4}>
            File your figure
          </Text>
          <VendorReportForm sla={s} />
        </div>
      </SimpleGrid>
    </Paper>
  );
}
