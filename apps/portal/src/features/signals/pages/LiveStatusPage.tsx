import { Anchor, Badge, Button, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';

import { TIERS, type DegradedEntry, type SignalView, type Tier, type VendorStatus } from '@bulwark/api-schema';

import { CriticalityBadge, TierBadge } from '../../../shared/components/badges';
import { EmptyState, ErrorAlert } from '../../../shared/components/feedback';
import { ListStates } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { MonitoringBadge } from '../../../shared/components/statusBadges';
import { formatDateTime, humanize } from '../../../shared/lib/format';
import { LIVE_REFRESH_MS, useDegraded, useVendorStatuses } from '../api/signals';
import { LevelBadge, StatusBadges } from '../components/LevelBadge';
import { SignalDrawer, SignalTitleButton } from '../components/SignalDrawer';
import { timeAgo } from '../lib/signals';
import { monitoringCounts } from '../lib/status';

const isTier = (t: string): t is Tier => (TIERS as readonly string[]).includes(t);

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Live status: how many vendors are watched at all, the vendors degraded now (an open signal at
 * degraded or worse, or unknown) and the critical dependencies nobody monitors; refreshed every minute.
 */
export function LiveStatusPage() {
  const degraded = useDegraded();
  const statuses = useVendorStatuses();
  const [selected, setSelected] = useState<SignalView | null>(null);
  const counts = statuses.data ? monitoringCounts(statuses.data) : null;

  return (
    <>
      <PageHeader
        title="Live status"
        testId="signals-title"
        description={`Which vendors are watched, those with an open incident at degraded or worse or whose state is unknown (with the internal systems relying on them), and the critical dependencies nobody monitors. Refreshes every ${LIVE_REFRESH_MS / 1000} s.`}
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
      <Coverage statuses={statuses.data} loading={statuses.isPending} />
      <Title order={3} mt="lg" mb="sm">
        Degraded now
      </Title>
      <ListStates
        query={degraded}
        rows={5}
        isEmpty={(d) => d.length === 0}
        empty={
          counts && counts.monitored === 0 ? (
            <EmptyState title="Nothing is watched, so nothing can be reported degraded" testId="degraded-empty">
              No enabled source reads any vendor&apos;s status, so nothing here can say a vendor is operational. Add or enable a source on a
              vendor&apos;s Signals tab to start watching it.
            </EmptyState>
          ) : (
            <EmptyState title="No monitored vendor is degraded" testId="degraded-empty">
              {counts
                ? `None of the ${plural(counts.monitored, 'monitored vendor')} has an open incident at degraded or worse on the services in use.` +
                  (counts.monitored < statuses.data!.length
                    ? ` ${plural(statuses.data!.length - counts.monitored, 'vendor is', 'vendors are')} not watched by a working source: their status is not known.`
                    : '')
                : 'No vendor has an open incident at degraded or worse on the services in use.'}
            </EmptyState>
          )
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
      <UnwatchedCritical statuses={statuses} />
      <SignalDrawer signalId={selected?.id ?? null} initial={selected} onClose={() => setSelected(null)} />
    </>
  );
}

/** How many vendors a working source watches, and how many are not monitored, stale, failing or awaiting a first read. */
function Coverage({ statuses, loading }: { statuses: VendorStatus[] | undefined; loading: boolean }) {
  if (!statuses) return loading ? <Skeleton h={48} radius="md" /> : null;
  const c = monitoringCounts(statuses);
  const others = (['not_monitored', 'stale', 'failing', 'pending'] as const).filter((k) => c[k] > 0);
  return (
    <Paper withBorder radius="md" p="md" data-testid="live-status-coverage" data-monitored={c.monitored} data-total={statuses.length}>
      <Group gap="md" wrap="wrap">
        <Text fw={600} data-testid="live-status-watched">
          {c.monitored === 0
            ? `No vendor is monitored (${plural(statuses.length, 'vendor')})`
            : `${c.monitored} of ${plural(statuses.length, 'vendor')} monitored`}
        </Text>
        {others.map((k) => (
          <Group key={k} gap={6} data-testid={`live-status-count-${k}`}>
            <MonitoringBadge state={k} size="sm" testId="live-status-count-badge" />
            <Text size="sm">{c[k]}</Text>
          </Group>
        ))}
      </Group>
    </Paper>
  );
}

/** Vendors with a critical or high dependency (or one of a critical or high system) that no working source watches. */
function UnwatchedCritical({ statuses }: { statuses: ReturnType<typeof useVendorStatuses> }) {
  return (
    <>
      <Title order={3} mt="xl" mb={4}>
        Critical dependencies nobody monitors
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Services that a critical or high dependency, or a critical or high system, relies on, with no source reading their status, or only
        stale or failing ones.
      </Text>
      <ListStates
        query={{ ...statuses, data: statuses.data?.filter((v) => v.unwatchedCritical.length > 0) }}
        rows={3}
        isEmpty={(d) => d.length === 0}
        empty={
          <EmptyState title="Every critical dependency is watched" testId="unwatched-empty">
            Each service that a critical or high dependency relies on has a source that reads its status.
          </EmptyState>
        }
      >
        {(data) => (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={860}>
              <Table verticalSpacing="sm" data-testid="unwatched-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Vendor</Table.Th>
                    <Table.Th>Tier</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Dependencies not watched</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.map((v) => (
                    <Table.Tr key={v.vendorId} data-testid="unwatched-row" data-vendor-id={v.vendorId} data-monitoring={v.monitoring}>
                      <Table.Td>
                        <Anchor component={Link} to={`/vendors/${v.vendorId}/signals`} fw={600} data-testid="unwatched-vendor-link">
                          {v.vendorName}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        {isTier(v.tier) ? <TierBadge tier={v.tier} size="sm" /> : <Badge variant="default">{v.tier || '—'}</Badge>}
                      </Table.Td>
                      <Table.Td>
                        <StatusBadges level={v.level} monitoring={v.monitoring} testId="unwatched-status" />
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={4}>
                          {v.unwatchedCritical.map((d) => (
                            <Group key={d.dependencyId} gap={6} wrap="nowrap" data-testid="unwatched-dependency">
                              <CriticalityBadge value={d.criticality} />
                              <Text size="sm">
                                {d.systemName} → {d.serviceName}
                              </Text>
                              {d.monitoring !== v.monitoring && <MonitoringBadge state={d.monitoring} size="xs" />}
                            </Group>
                          ))}
                        </Stack>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
      </ListStates>
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
