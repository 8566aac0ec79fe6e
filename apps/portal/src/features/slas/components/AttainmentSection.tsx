import { Badge, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { Fragment, lazy, Suspense, useState } from 'react';

import type { AttainmentEntry, SlaView } from '@bulwark/api-schema';

import { TableHead } from '../../../shared/components/DataTable';
import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { BreachBadge } from '../../../shared/components/statusBadges';
import { formatDate, formatDayMonth, formatMinutes } from '../../../shared/lib/format';
import { useUrlState } from '../../../shared/lib/useUrlState';
import { addMonths, currentMonth, formatAvailability, formatMoney, formatTarget, MONTH_RE } from '../../agreements/lib/agreements';
import { useAttainment } from '../api/slas';
import { WindowIncidents } from './WindowIncidents';

const AttainmentChart = lazy(() => import('./attainmentChart').then((m) => ({ default: m.AttainmentChart })));

/** At most this many months per request (the API's limit is 240 windows). */
const MAX_MONTHS = 240;

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
}

/** A `YYYY-MM` input (native month picker where supported) that reports only complete, valid months. */
function MonthInput({
  label,
  value,
  onCommit,
  error,
  testId,
}: {
  label: string;
  value: string;
  onCommit: (v: string) => void;
  error?: string;
  testId: string;
}) {
  const [text, setText] = useState(value);
  const [prev, setPrev] = useState(value);
  if (prev !== value) {
    setPrev(value);
    setText(value);
  }
  const invalid = text !== '' && !MONTH_RE.test(text);
  return (
    <TextInput
      label={label}
      type="month"
      placeholder="YYYY-MM"
      value={text}
      onChange={(e) => {
        const v = e.currentTarget.value;
        setText(v);
        if (MONTH_RE.test(v)) onCommit(v);
      }}
      error={invalid ? 'Enter a month as YYYY-MM' : error}
      w={180}
      data-testid={testId}
    />
  );
}

/** Default range: the last 12 months, this one included. */
export function defaultRange(): { from: string; to: string } {
  const to = currentMonth();
  return { from: addMonths(to, -11), to };
}

/**
 * Attainment of an SLA over a month range (URL state `from` / `to`): chart of availability per
 * window against the target, the per-window table and the breaches-and-credits summary.
 */
export function AttainmentSection({ sla, currency }: { sla: SlaView; currency: string | null }) {
  const defaults = defaultRange();
  const [state, setState] = useUrlState({ from: defaults.from, to: defaults.to });
  const validRange = MONTH_RE.test(state.from) && MONTH_RE.test(state.to);
  const rangeError = !validRange
    ? 'Enter months as YYYY-MM'
    : state.from > state.to
      ? 'Must not be before “From”'
      : monthsBetween(state.from, state.to) > MAX_MONTHS
        ? `At most ${MAX_MONTHS} months`
        : undefined;
  const attainment = useAttainment(sla.id, state.from, state.to, !rangeError);
  const entries = attainment.data ?? [];
  // Closed windows only: the open window is provisional (at risk at most), never a breach yet.
  const breached = entries.filter((e) => e.breached && !e.open);
  const creditTotal = entries.reduce((sum, e) => sum + (e.creditAmount ?? 0), 0);
  const hasCreditAmounts = entries.some((e) => e.creditAmount !== null);
  const isDefault = state.from === defaults.from && state.to === defaults.to;

  return (
    <Paper withBorder p="lg" radius="md" data-testid="sla-attainment">
      <Group justify="space-between" align="flex-end" mb="md" wrap="wrap" gap="sm">
        <Stack gap={2}>
          <Title order={3} size="h4">
            Attainment
          </Title>
          <Text size="sm" c="dimmed">
            Availability per {sla.current.terms.window === 'quarter' ? 'quarter' : 'month'}, computed from the health signals of the
            services in scope.
          </Text>
        </Stack>
        <Group align="flex-start" gap="sm">
          <MonthInput label="From" value={state.from} onCommit={(from) => setState({ from })} testId="attainment-from" />
          <MonthInput
            label="To"
            value={state.to}
            onCommit={(to) => setState({ to })}
            error={validRange ? rangeError : undefined}
            testId="attainment-to"
          />
          {!isDefault && (
            <Button
              variant="subtle"
              mt={25}
              onClick={() => setState({ from: defaults.from, to: defaults.to })}
              data-testid="attainment-range-reset"
            >
              Last 12 months
            </Button>
          )}
        </Group>
      </Group>

      {rangeError ? (
        <Text size="sm" c="red">
          Choose a valid range to see the attainment.
        </Text>
      ) : attainment.isError && !attainment.data ? (
        <ErrorAlert error={attainment.error} title="Could not compute the attainment" onRetry={() => void attainment.refetch()} />
      ) : !attainment.data ? (
        <Stack gap="md">
          <Skeleton h={260} />
          <TableSkeleton rows={4} />
        </Stack>
      ) : entries.length === 0 ? (
        <EmptyState title="No windows in this range" testId="attainment-empty">
          The SLA was not in force during the chosen months (it takes effect on{' '}
          {sla.versions[sla.versions.length - 1]?.effectiveFrom ?? sla.current.effectiveFrom}), or the range lies in the future.
        </EmptyState>
      ) : (
        <Stack gap="md" style={{ opacity: attainment.isPlaceholderData ? 0.6 : 1 }}>
          <SimpleGrid cols={{ base: 1, sm: 3 }} data-testid="attainment-summary">
            <Stat label="Windows" value={String(entries.length)} testId="attainment-window-count" />
            <Stat
              label="Breached windows"
              value={String(breached.length)}
              color={breached.length ? 'red' : undefined}
              testId="attainment-breach-count"
            />
            <Stat
              label="Total credits"
              value={hasCreditAmounts ? formatMoney(creditTotal, currency) : '—'}
              testId="attainment-credit-total"
              hint={hasCreditAmounts ? undefined : 'Record the fees of the covered services on the contract'}
            />
          </SimpleGrid>
          <div data-testid="sla-attainment-chart">
            <Suspense fallback={<Skeleton h={260} />}>
              <AttainmentChart entries={entries} />
            </Suspense>
          </div>
          <AttainmentTable
            slaId={sla.id}
            entries={entries}
            currency={currency}
            firstEffective={sla.versions[sla.versions.length - 1]?.effectiveFrom ?? sla.current.effectiveFrom}
          />
        </Stack>
      )}
    </Paper>
  );
}

function Stat({ label, value, color, testId, hint }: { label: string; value: string; color?: string; testId: string; hint?: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700} size="lg" c={color} data-testid={testId}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

export function VendorReportedCell({ entry }: { entry: AttainmentEntry }) {
  if (entry.vendorReported === null) {
    return (
      <Text size="sm" c="dimmed" component="span">
        —
      </Text>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      <span>{formatAvailability(entry.vendorReported)}</span>
      {entry.discrepancy && (
        <Tooltip
          label={`Differs from the computed ${formatAvailability(entry.availability)} by ${Math.abs(entry.vendorReported - entry.availability).toFixed(4)} points`}
        >
          <Badge color="orange" variant="light" size="sm" data-testid="attainment-discrepancy">
            Discrepancy
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}

/** One row per window: window, availability (4 decimals), target, downtime, excluded, vendor figure, breach, credit, version. */
export function AttainmentTable({
  slaId,
  entries,
  currency,
  firstEffective,
}: {
  slaId: string;
  entries: AttainmentEntry[];
  currency: string | null;
  firstEffective: string;
}) {
  // The window whose incidents are shown under its row (one at a time).
  const [shown, setShown] = useState<string | null>(null);
  return (
    <Table.ScrollContainer minWidth={1200}>
      <Table verticalSpacing="xs" highlightOnHover styles={{ td: { whiteSpace: 'nowrap' } }} data-testid="attainment-table">
        <TableHead
          columns={[
            'Window',
            'Availability',
            'Target',
            'Downtime',
            'Excluded',
            'Vendor-reported',
            'Breach',
            'Credit',
            'Credit amount',
            'Version',
            'Incidents',
          ]}
        />
        <Table.Tbody>
          {entries.map((e) => (
            <Fragment key={e.window}>
              <Table.Tr
                key={e.window}
                data-testid="attainment-row"
                data-window={e.window}
                data-breached={e.breached ? 'true' : 'false'}
                data-open={e.open ? 'true' : 'false'}
                data-at-risk={e.atRisk ? 'true' : 'false'}
              >
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" fw={600} data-testid="attainment-window">
                      {e.window}
                    </Text>
                    {e.open && (
                      <Badge size="xs" variant="outline" color="gray" style={{ flexShrink: 0, minWidth: 'max-content' }}>
                        in progress
                      </Badge>
                    )}
                    {e.partial && (
                      <Tooltip
                        label={`The SLA took effect on ${formatDate(firstEffective)}, inside this window: it is measured from that day, and the credit amount is prorated.`}
                      >
                        <Badge
                          size="xs"
                          variant="outline"
                          color="blue"
                          style={{ flexShrink: 0, minWidth: 'max-content' }}
                          data-testid="attainment-partial"
                        >
                          from {formatDayMonth(firstEffective)}
                        </Badge>
                      </Tooltip>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td
                  data-testid="attainment-availability"
                  c={e.breached ? 'red' : e.atRisk ? 'orange' : undefined}
                  fw={e.breached ? 600 : undefined}
                >
                  {formatAvailability(e.availability)}
                </Table.Td>
                <Table.Td data-testid="attainment-target">{formatTarget(e.target)}</Table.Td>
                <Table.Td data-testid="attainment-downtime">{formatMinutes(Math.round(e.downtimeMinutes))}</Table.Td>
                <Table.Td data-testid="attainment-excluded">{formatMinutes(Math.round(e.excludedMinutes))}</Table.Td>
                <Table.Td data-testid="attainment-vendor-reported">
                  <VendorReportedCell entry={e} />
                </Table.Td>
                <Table.Td>
                  <BreachBadge breached={e.breached} open={e.open} atRisk={e.atRisk} />
                </Table.Td>
                <Table.Td data-testid="attainment-credit-percent">{e.creditPercent > 0 ? formatTarget(e.creditPercent) : '—'}</Table.Td>
                <Table.Td data-testid="attainment-credit-amount">
                  {e.creditAmount !== null && e.creditAmount > 0 ? (
                    <Tooltip
                      label={`${formatTarget(e.creditPercent)} of ${formatMoney(e.creditBasis.base, currency)}: the fees of ${e.creditBasis.services.map((x) => x.name).join(' and ')} for ${e.window}`}
                    >
                      <span>{formatMoney(e.creditAmount, currency)}</span>
                    </Tooltip>
                  ) : e.creditPercent > 0 && e.creditAmount === null ? (
                    <Text size="sm" c="orange" component="span">
                      base unknown
                    </Text>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td data-testid="attainment-version">v{e.version}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    aria-expanded={shown === e.window}
                    aria-controls={`incidents-${e.window}`}
                    onClick={() => setShown(shown === e.window ? null : e.window)}
                    data-testid="attainment-incidents-toggle"
                  >
                    {shown === e.window ? 'Hide' : 'Show'}
                  </Button>
                </Table.Td>
              </Table.Tr>
              {shown === e.window && (
                <Table.Tr id={`incidents-${e.window}`} data-testid="attainment-incidents-row">
                  <Table.Td colSpan={11} style={{ whiteSpace: 'normal' }} bg="var(--mantine-color-gray-0)">
                    <WindowIncidents slaId={slaId} window={e.window} />
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
