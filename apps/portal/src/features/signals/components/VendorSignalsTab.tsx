import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { lazy, Suspense, useCallback, useMemo, useRef, useState, type ReactNode } from 'react';

import { can, type SignalDetailView, type SignalView, type VendorDetail, type VendorSignalSummary } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { TableHead } from '../../../shared/components/DataTable';
import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { formatDateTime, humanize } from '../../../shared/lib/format';
import {
  LIVE_REFRESH_MS,
  openIssues,
  useMoreOpenSignals,
  usePlugins,
  useSignals,
  useSignalSources,
  useVendorSignals,
} from '../api/signals';
import { dailyIncidentCounts, daysAgoIso, formatDuration, incidentSpans, timeAgo } from '../lib/signals';
import { FinancialPanel } from './FinancialPanel';
import { LevelBadge, StatusBadges } from './LevelBadge';
import { SignalDrawer, SignalTitleButton } from './SignalDrawer';
import { SourceForm } from './SourceForm';
import { SourceHealthNotice, SourcesTable } from './SourcesSection';

const IncidentChart = lazy(() => import('./charts').then((m) => ({ default: m.IncidentChart })));

const TIMELINE_DAYS = 90;
const TIMELINE_PAGE_SIZE = 200;
const RECENT_INCIDENTS = 10;
/** After "Poll now", refresh every 2 s for this long (or until the source has polled). */
const POLL_WATCH_MS = 30_000;

function Section({
  title,
  testId,
  actions,
  children,
  description,
}: {
  title: string;
  testId: string;
  actions?: ReactNode;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="lg" radius="md" data-testid={testId}>
      <Group justify="space-between" align="flex-start" mb="sm" gap="xs">
        <Stack gap={2}>
          <Title order={3} size="h4">
            {title}
          </Title>
          {description && (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          )}
        </Stack>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}

/**
 * Live signals of a vendor: current status per service, open signals, the incident timeline,
 * financial scores and the signal sources (with the add-source form for admins and managers).
 */
export function SignalsTab({ vendor }: { vendor: VendorDetail }) {
  const { role } = useCurrentUser();
  const canManageSources = can(role, 'source.write');
  // After "Poll now": look every 2 s until the source reports a poll newer than the click, or for 30 s.
  const pollWatch = useRef<{ sourceId: string; since: number; until: number } | null>(null);
  const latestSources = useRef<VendorSignalSummary['sources'] | undefined>(undefined);
  const watch = useCallback(() => {
    const w = pollWatch.current;
    if (!w || Date.now() > w.until) return false;
    const src = latestSources.current?.find((s) => s.id === w.sourceId);
    const polledAt = src?.lastPollAt ? Date.parse(src.lastPollAt) : 0;
    return !(polledAt >= w.since && src?.status !== 'pending');
  }, []);
  const summary = useVendorSignals(vendor.id, { watch });
  const sources = useSignalSources(vendor.id, { watch });
  latestSources.current = sources.data ?? summary.data?.sources;
  const plugins = usePlugins();

  // The signal whose detail drawer is open (with the row's data to show at once).
  const [selected, setSelected] = useState<SignalView | null>(null);

  const onPolled = useCallback((sourceId: string) => {
    pollWatch.current = { sourceId, since: Date.now() - 5_000, until: Date.now() + POLL_WATCH_MS };
  }, []);

  return (
    <Stack gap="lg">
      {summary.isError && !summary.data ? (
        <ErrorAlert error={summary.error} title="Could not load the signals" onRetry={() => void summary.refetch()} />
      ) : !summary.data ? (
        <Stack gap="lg">
          <Skeleton h={120} radius="md" />
          <Skeleton h={160} radius="md" />
        </Stack>
      ) : (
        <>
          <StatusSection summary={summary.data} updatedAt={summary.dataUpdatedAt} />
          <OpenSignalsSection vendorId={vendor.id} summary={summary.data} onOpen={setSelected} />
        </>
      )}

      <TimelineSection vendorId={vendor.id} onOpen={setSelected} />
      <SignalDrawer signalId={selected?.id ?? null} initial={selected} onClose={() => setSelected(null)} />

      <Section
        title="Financial health"
        testId="signals-financial"
        description="Latest scores from financial sources, with the filed figures each one was computed from."
      >
        {summary.data ? (
          <FinancialPanel financial={summary.data.financial} />
        ) : summary.isError ? (
          <Text size="sm" c="dimmed">
            Not available.
          </Text>
        ) : (
          <TableSkeleton rows={2} />
        )}
      </Section>

      <Section
        title="Sources"
        testId="signal-sources"
        description="Where this vendor's signals come from: status pages, cloud health feeds, filings, pushed feeds."
        actions={
          sources.data && sources.data.length > 0 ? (
            <Text size="sm" c="dimmed" data-testid="source-count">
              {sources.data.length} source{sources.data.length === 1 ? '' : 's'}
            </Text>
          ) : undefined
        }
      >
        {sources.isError && !sources.data ? (
          <ErrorAlert error={sources.error} onRetry={() => void sources.refetch()} />
        ) : !sources.data ? (
          <TableSkeleton rows={2} />
        ) : sources.data.length === 0 ? (
          <EmptyState title="No signal sources" testId="sources-empty">
            {canManageSources ? 'Add a source below to start watching this vendor.' : 'Nothing is being watched for this vendor yet.'}
          </EmptyState>
        ) : (
          <SourcesTable vendor={vendor} sources={sources.data} plugins={plugins.data} canManage={canManageSources} onPolled={onPolled} />
        )}
      </Section>

      {canManageSources && (
        <Section
          title="Add a source"
          testId="source-add"
          description="Choose a plugin, fill in its settings and Test to see exactly what would be ingested before saving."
        >
          {plugins.isError ? (
            <ErrorAlert error={plugins.error} title="Could not load the plugins" onRetry={() => void plugins.refetch()} />
          ) : !plugins.data ? (
            <TableSkeleton rows={3} />
          ) : (
            <SourceForm vendor={vendor} plugins={plugins.data} />
          )}
        </Section>
      )}
    </Stack>
  );
}

function StatusSection({ summary, updatedAt }: { summary: VendorSignalSummary; updatedAt: number }) {
  const issues = openIssues(summary);
  return (
    <Section
      title="Current status"
      testId="signals-status"
      actions={
        <Text size="xs" c="dimmed" data-testid="signals-updated">
          Updated {timeAgo(new Date(updatedAt).toISOString())}
        </Text>
      }
    >
      <Stack gap="md">
        <Group gap="sm" align="center">
          <StatusBadges level={summary.level} monitoring={summary.monitoring} size="xl" filled testId="signals-rollup" />
          <Text size="sm" c="dimmed" data-testid="signals-open-count">
            {issues === 0
              ? 'No open incidents on the services in use.'
              : `${issues} open signal${issues === 1 ? '' : 's'} on the services in use.`}
          </Text>
        </Group>
        <SourceHealthNotice sources={summary.sources} />
        {summary.monitoring === 'not_monitored' && (
          <Text size="sm" c="dimmed" data-testid="signals-not-monitored">
            {summary.sources.length === 0
              ? 'No source watches this vendor: nothing is known about its status. Add a source below to start watching it.'
              : 'No enabled source watches the services in use: nothing is known about this vendor’s status now.'}
          </Text>
        )}
        {summary.services.length > 0 && (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" data-testid="signals-services">
            {summary.services.map((s) => (
              <Paper
                key={s.serviceId ?? 'vendor-wide'}
                withBorder
                p="sm"
                radius="md"
                data-testid="signals-service"
                data-service-id={s.serviceId ?? ''}
                data-level={s.level ?? ''}
                data-monitoring={s.monitoring}
              >
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text size="sm" fw={600} lineClamp={1} data-testid="signals-service-name">
                    {s.serviceName}
                  </Text>
                  <StatusBadges level={s.level} monitoring={s.monitoring} size="sm" testId="signals-service-level" />
                </Group>
                <Text size="xs" c="dimmed">
                  {s.openCount === 0 ? 'No open signal' : `${s.openCount} open signal${s.openCount === 1 ? '' : 's'}`}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
        )}
      </Stack>
    </Section>
  );
}

function OpenSignalsSection({
  vendorId,
  summary,
  onOpen,
}: {
  vendorId: string;
  summary: VendorSignalSummary;
  onOpen: (s: SignalView) => void;
}) {
  const [showOperational, setShowOperational] = useState(false);
  // Beyond the summary's first page, more pages load on demand (a large source may have thousands).
  const [expanded, setExpanded] = useState(false);
  const more = useMoreOpenSignals(vendorId, summary.nextCursor, expanded);
  const signals: SignalDetailView[] = [...summary.openSignals, ...(more.data?.pages.flatMap((p) => p.openSignals) ?? [])];
  const hasMore = expanded ? more.hasNextPage : !!summary.nextCursor;
  const operationalTotal = summary.openByLevel.find((l) => l.level === 'operational')?.count ?? 0;
  const issues = signals.filter((s) => s.level !== 'operational');
  const operational = signals.filter((s) => s.level === 'operational');
  const shown = showOperational ? [...issues, ...operational] : issues;
  // Operational rows come last (worst first): while hidden, more pages are worth loading only for issues.
  const issuesLeft = openIssues(summary) > issues.length;
  const loadMore = () => (expanded ? void more.fetchNextPage() : setExpanded(true));
  return (
    <Section
      title="Open signals"
      testId="signals-open"
      description="Incidents, maintenances and component states that are not resolved, worst first."
      actions={
        operationalTotal > 0 ? (
          <Button
            size="compact-sm"
            variant="subtle"
            onClick={() => setShowOperational((v) => !v)}
            aria-expanded={showOperational}
            data-testid="signals-show-operational"
          >
            {showOperational
              ? 'Hide operational components'
              : `Show ${operationalTotal} operational component${operationalTotal === 1 ? '' : 's'}`}
          </Button>
        ) : undefined
      }
    >
      {shown.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="signals-open-empty">
          No open incidents.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="xs" fz="sm" data-testid="signal-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Level</Table.Th>
                <Table.Th>Title</Table.Th>
                <Table.Th>Component</Table.Th>
                <Table.Th>Region</Table.Th>
                <Table.Th title="When the incident started, or when a component entered its current state">Since</Table.Th>
                <Table.Th>Link</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((s) => (
                <Table.Tr key={s.id} data-testid="signal-row" data-level={s.level} data-signal-id={s.id}>
                  <Table.Td>
                    <LevelBadge level={s.level} size="sm" />
                  </Table.Td>
                  <Table.Td maw={420}>
                    <SignalTitleButton signal={s} onOpen={onOpen} testId="signal-open" />
                    {s.detail && (
                      <Text size="xs" c="dimmed" lineClamp={2} title={s.detail}>
                        {s.detail}
                      </Text>
                    )}
                    <Group gap={4} mt={2}>
                      <Badge size="xs" variant="default">
                        {humanize(s.signalType)}
                      </Badge>
                      {s.lifecycle && (
                        <Badge size="xs" variant="outline" color="gray">
                          {humanize(s.lifecycle)}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td data-testid="signal-component">{s.component ?? '—'}</Table.Td>
                  <Table.Td data-testid="signal-region">{s.region ?? '—'}</Table.Td>
                  <Table.Td data-testid="signal-started">
                    {formatDateTime(s.startedAt ?? s.scheduledFor ?? s.stateSince ?? s.updatedAt)}
                  </Table.Td>
                  <Table.Td>
                    {s.url ? (
                      <Anchor href={s.url} target="_blank" rel="noopener noreferrer" size="sm" data-testid="signal-link">
                        Details ↗
                      </Anchor>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {hasMore && (showOperational || issuesLeft) && (
        <Group mt="sm" gap="sm">
          <Button size="compact-sm" variant="light" onClick={loadMore} loading={more.isFetching} data-testid="signals-open-more">
            Show more
          </Button>
          <Text size="xs" c="dimmed" data-testid="signals-open-shown">
            {signals.length} of {summary.openTotal} open signals loaded
          </Text>
        </Group>
      )}
      {more.isError && <ErrorAlert error={more.error} title="Could not load more signals" onRetry={() => void more.fetchNextPage()} />}
    </Section>
  );
}

function TimelineSection({ vendorId, onOpen }: { vendorId: string; onOpen: (s: SignalView) => void }) {
  const [from] = useState(() => daysAgoIso(TIMELINE_DAYS));
  const [showAll, setShowAll] = useState(false);
  const list = useSignals({ vendorId, kind: 'health', from, pageSize: TIMELINE_PAGE_SIZE }, { refetchInterval: LIVE_REFRESH_MS });
  const data = list.data;
  const { spans, chart } = useMemo(() => {
    const now = Date.now();
    const spans = incidentSpans(data?.items ?? [], now);
    return { spans, chart: dailyIncidentCounts(spans, from, now) };
  }, [data, from]);

  return (
    <Section
      title="Incident timeline"
      testId="signals-timeline"
      description={`Incidents active each day over the last ${TIMELINE_DAYS} days, by level.`}
    >
      {list.isError && !data ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : !data ? (
        <Skeleton h={220} />
      ) : spans.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="signals-timeline-empty">
          No incidents in the last {TIMELINE_DAYS} days.
        </Text>
      ) : (
        <Stack gap="md">
          <div data-testid="signals-timeline-chart">
            <Suspense fallback={<Skeleton h={220} />}>
              <IncidentChart days={chart.days} levels={chart.levels} />
            </Suspense>
          </div>
          {data.total > data.items.length && (
            <Text size="xs" c="dimmed">
              Showing the {data.items.length} most recent of {data.total} signals in this period.
            </Text>
          )}
          <Text size="sm" fw={600}>
            Recent incidents
          </Text>
          <Table.ScrollContainer minWidth={860}>
            <Table verticalSpacing={6} fz="sm" striped data-testid="incident-table">
              <TableHead columns={['Level', 'Title', 'Component', 'Region', 'Started', 'Resolved', 'Duration']} />
              <Table.Tbody>
                {(showAll ? spans : spans.slice(0, RECENT_INCIDENTS)).map(({ signal: s, start, end }) => (
                  <Table.Tr
                    key={s.id}
                    data-testid="incident-row"
                    data-level={s.level}
                    data-open={String(end === null)}
                    data-signal-id={s.id}
                  >
                    <Table.Td>
                      <LevelBadge level={s.level} size="xs" />
                    </Table.Td>
                    <Table.Td maw={380}>
                      <SignalTitleButton signal={s} onOpen={onOpen} testId="incident-open" />
                    </Table.Td>
                    <Table.Td>{s.component ?? '—'}</Table.Td>
                    <Table.Td>{s.region ?? '—'}</Table.Td>
                    <Table.Td>{formatDateTime(new Date(start).toISOString())}</Table.Td>
                    <Table.Td>
                      {end === null ? (
                        <Badge size="xs" color="red" variant="light">
                          open
                        </Badge>
                      ) : (
                        formatDateTime(new Date(end).toISOString())
                      )}
                    </Table.Td>
                    <Table.Td>{formatDuration(start, end)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {spans.length > RECENT_INCIDENTS && (
            <Group>
              <Button
                size="compact-sm"
                variant="subtle"
                onClick={() => setShowAll((v) => !v)}
                aria-expanded={showAll}
                data-testid="incident-show-all"
              >
                {showAll ? `Show the ${RECENT_INCIDENTS} most recent` : `Show all ${spans.length} incidents`}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Section>
  );
}
