import { Anchor, Badge, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';

import type { WindowIncident } from '@bulwark/api-schema';

import { TableHead } from '../../../shared/components/DataTable';
import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { formatDateTime } from '../../../shared/lib/format';
import { LevelBadge } from '../../signals/components/LevelBadge';
import { SignalDrawer } from '../../signals/components/SignalDrawer';
import { useWindowIncidents } from '../api/slas';

/** Minutes with at most two decimals, e.g. "95 min" or "12.5 min". */
export function minutesText(m: number): string {
  return `${Number(m.toFixed(2)).toLocaleString()} min`;
}

/**
 * The incidents that make up a window's downtime: each outage interval in scope (service, region, level, start,
 * end), its minutes inside the window, the weight its level carries under the SLA's terms, and the downtime it
 * counted (overlaps count once, at the heaviest weight). Each opens its signal.
 */
export function WindowIncidents({ slaId, window }: { slaId: string; window: string }) {
  const q = useWindowIncidents(slaId, window);
  const [signalId, setSignalId] = useState<string | null>(null);
  if (q.isError && !q.data) return <ErrorAlert error={q.error} title="Could not load the incidents" onRetry={() => void q.refetch()} />;
  if (!q.data) return <TableSkeleton rows={3} />;
  const d = q.data;
  return (
    <Stack gap="xs" data-testid="window-incidents" data-window={d.window}>
      <Text size="sm" c="dimmed" data-testid="window-incidents-summary">
        {d.window}: {minutesText(d.downtimeMinutes)} of weighted downtime
        {d.excludedMinutes > 0 ? `, ${minutesText(d.excludedMinutes)} excluded (maintenance announced in time)` : ''}
        {d.open ? ' so far (the window is in progress)' : ''}.
      </Text>
      {d.incidents.length === 0 ? (
        <EmptyState title="No outage recorded in this window" testId="window-incidents-empty">
          No signal of the services in scope reported an outage, degradation or maintenance during it.
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={1000}>
          <Table verticalSpacing="xs" styles={{ td: { verticalAlign: 'top' } }} data-testid="window-incidents-table">
            <TableHead columns={['Signal', 'Service', 'Level', 'Start', 'End', 'Minutes', 'Weight', 'Counted']} />
            <Table.Tbody>
              {d.incidents.map((i) => (
                <IncidentRow key={`${i.signalId}-${i.start}`} incident={i} onOpen={setSignalId} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <SignalDrawer signalId={signalId} onClose={() => setSignalId(null)} />
    </Stack>
  );
}

function IncidentRow({ incident: i, onOpen }: { incident: WindowIncident; onOpen: (id: string) => void }) {
  return (
    <Table.Tr data-testid="window-incident" data-signal-id={i.signalId}>
      <Table.Td maw={320}>
        <Anchor component="button" type="button" size="sm" ta="left" onClick={() => onOpen(i.signalId)} data-testid="window-incident-open">
          {i.title ?? 'Untitled signal'}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{i.serviceName}</Text>
        {(i.component || i.region) && (
          <Text size="xs" c="dimmed">
            {[i.component, i.region].filter(Boolean).join(' · ')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <LevelBadge level={i.level} testId="window-incident-level" />
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(i.start)}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{i.end ? formatDateTime(i.end) : 'ongoing'}</Table.Td>
      <Table.Td data-testid="window-incident-minutes" style={{ whiteSpace: 'nowrap' }}>
        {minutesText(i.minutes)}
      </Table.Td>
      <Table.Td data-testid="window-incident-weight">
        {i.excluded ? (
          <Badge size="sm" variant="light" color="gray">
            excluded
          </Badge>
        ) : (
          `× ${i.weight}`
        )}
      </Table.Td>
      <Table.Td data-testid="window-incident-counted" style={{ whiteSpace: 'nowrap' }}>
        <Group gap={4} wrap="nowrap">
          <Text size="sm" fw={i.countedMinutes > 0 ? 600 : undefined}>
            {minutesText(i.countedMinutes)}
          </Text>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
