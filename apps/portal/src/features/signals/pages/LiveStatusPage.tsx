import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';

import { TIERS, type DegradedEntry, type SignalView, type Tier } from '@bulwark/api-schema';

import { TierBadge } from '../../../shared/components/badges';
import { EmptyState, ErrorAlert } from '../../../shared/components/feedback';
import { ListStates } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { formatDateTime, humanize } from '../../../shared/lib/format';
import { LIVE_REFRESH_MS, useDegraded } from '../api/signals';
import { LevelBadge } from '../components/LevelBadge';
import { SignalDrawer, SignalTitleButton } from '../components/SignalDrawer';
import { timeAgo } from '../lib/signals';

const isTier = (t: string): t is Tier => (TIERS as readonly string[]).includes(t);

/** "Degraded now": vendors with an open signal at degraded or worse (or unknown), refreshed every minute. */
export function LiveStatusPage() {
  const degraded = useDegraded();
  const [selected, setSelected] = useState<SignalView | null>(null);

  return (
    <>
      <PageHeader
        title="Degraded now"
        testId="signals-title"
        docTitle="Live status"
        description={`Vendors with an open incident at degraded or worse, or whose state is unknown, and the internal systems relying on them. Refreshes every ${LIVE_REFRESH_MS / 1000} s.`}
        actions={
          <Group gap="sm">
            {degraded.dataUpdatedAt > 0 && (
              <Text
                size="xs"
                c="dimmed"
                data-testid="degraded-updated"
                title={formatDateTime(new Date(degraded.dataUpdatedAt).toISOString())}
              >
                Updated {timeAgo(new Date(degraded.dataUpdatedAt).toISOString())}
              </Text>
            )}
            <Button
              variant="default"
              size="xs"
              onClick={() => void degraded.refetch()}
              loading={degraded.isFetching}
              data-testid="degraded-refresh"
            >
              Refresh
            </Button>
          </Group>
        }
      />
      <ListStates
        query={degraded}
        rows={5}
        isEmpty={(d) => d.length === 0}
        empty={
          <EmptyState title="Everything we watch is operational" testId="degraded-empty">
            No vendor has an open incident at degraded or worse on the services in use.
          </EmptyState>
        }
      >
        {(data) => (
          <Stack gap="sm">
            {degraded.isError && <ErrorAlert error={degraded.error} title="Could not refresh; showing the last known state" />}
            <Paper withBorder radius="md">
              <Table.ScrollContainer minWidth={980}>
                <Table verticalSpacing="sm" data-testid="degraded-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Vendor</Table.Th>
                      <Table.Th>Tier</Table.Th>
                      <Table.Th>Level</Table.Th>
                      <Table.Th>Worst signal</Table.Th>
                      <Table.Th ta="right">Open</Table.Th>
                      <Table.Th>Affected internal systems</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.map((e) => (
                      <DegradedRow key={e.vendorId} entry={e} onOpen={setSelected} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
            <Text size="sm" c="dimmed" data-testid="degraded-total">
              {data.length} vendor{data.length === 1 ? '' : 's'} affected
            </Text>
          </Stack>
        )}
      </ListStates>
      <SignalDrawer signalId={selected?.id ?? null} initial={selected} onClose={() => setSelected(null)} />
    </>
  );
}

function DegradedRow({ entry: e, onOpen }: { entry: DegradedEntry; onOpen: (s: SignalView) => void }) {
  const w = e.worst;
  return (
    <Table.Tr data-testid="degraded-row" data-vendor-id={e.vendorId} data-level={e.level}>
      <Table.Td>
        <Anchor component={Link} to={`/vendors/${e.vendorId}/signals`} fw={600} data-testid="degraded-vendor-link">
          {e.vendorName}
        </Anchor>
      </Table.Td>
      <Table.Td>{isTier(e.tier) ? <TierBadge tier={e.tier} size="sm" /> : <Badge variant="default">{e.tier || '—'}</Badge>}</Table.Td>
      <Table.Td>
        <LevelBadge level={e.level} variant="filled" testId="degraded-level" />
      </Table.Td>
      <Table.Td maw={420}>
        <div data-testid="degraded-worst">
          <SignalTitleButton signal={w} onOpen={onOpen} testId="degraded-signal-open" />
        </div>
        <Text size="xs" c="dimmed">
          {[w.component, w.region, w.lifecycle ? humanize(w.lifecycle) : null, w.startedAt ? `since ${formatDateTime(w.startedAt)}` : null]
            .filter(Boolean)
            .join(' · ')}
        </Text>
      </Table.Td>
      <Table.Td ta="right" data-testid="degraded-open-count">
        {e.openSignals}
      </Table.Td>
      <Table.Td>
        {e.affectedSystems.length === 0 ? (
          <Text size="sm" c="dimmed">
            none recorded
          </Text>
        ) : (
          <Group gap={4} data-testid="degraded-systems">
            {e.affectedSystems.map((name) => (
              <Badge key={name} variant="light" color="blue" size="sm" data-testid="degraded-system">
                {name}
              </Badge>
            ))}
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
