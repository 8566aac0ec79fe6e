import { Badge, Group, Stack, Table, Text, Title } from '@mantine/core';

import type { SlaTerms, SlaVersionView } from '@bulwark/api-schema';

import { KeyValue, KeyValueGrid } from '../../../shared/components/KeyValue';
import { formatMinutes, humanize } from '../../../shared/lib/format';
import { formatTarget } from '../../agreements/lib/agreements';

const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;

/** The current SLA terms and scope, read-only. `serviceName` resolves scope service ids. */
export function SlaTermsView({ version, serviceName }: { version: SlaVersionView; serviceName: (id: string) => string }) {
  const t: SlaTerms = version.terms;
  const scope = version.scope;
  return (
    <Stack gap="md" data-testid="sla-terms">
      <KeyValueGrid cols={4}>
        <KeyValue label="Availability target" testId="sla-target">
          {formatTarget(t.availabilityTarget)}
        </KeyValue>
        <KeyValue label="Measured per" testId="sla-window">
          {humanize(t.window)}
        </KeyValue>
        <KeyValue label="Time zone">{t.timeZone}</KeyValue>
        <KeyValue label="Maintenance notice">{`${t.maintenanceNoticeHours} h`}</KeyValue>
        <KeyValue label="Partial outage counts as">{`${Math.round(t.weights.partialOutage * 100)} % down`}</KeyValue>
        <KeyValue label="Degradation counts as">{`${Math.round(t.weights.degraded * 100)} % down`}</KeyValue>
        <KeyValue label="RTO">{t.rtoMinutes === null ? null : formatMinutes(t.rtoMinutes)}</KeyValue>
        <KeyValue label="RPO">{t.rpoMinutes === null ? null : formatMinutes(t.rpoMinutes)}</KeyValue>
        <KeyValue label="Data-loss limit">{t.dataLossLimitMinutes === null ? null : formatMinutes(t.dataLossLimitMinutes)}</KeyValue>
        <KeyValue label="Support response">
          <Group gap={6}>
            {SEVERITIES.map((s) => (
              <Badge key={s} variant="default" size="sm" tt="none">
                {s.toUpperCase()}: {formatMinutes(t.supportResponseMinutes[s])}
              </Badge>
            ))}
          </Group>
        </KeyValue>
        <KeyValue label="Model SLOs">
          {t.modelSlo && (t.modelSlo.maxErrorRatePercent !== null || t.modelSlo.p95LatencyMs !== null)
            ? [
                t.modelSlo.maxErrorRatePercent !== null ? `error rate ≤ ${t.modelSlo.maxErrorRatePercent} %` : null,
                t.modelSlo.p95LatencyMs !== null ? `p95 latency ≤ ${t.modelSlo.p95LatencyMs} ms` : null,
              ]
                .filter(Boolean)
                .join(', ')
            : null}
        </KeyValue>
        <KeyValue label="Credit cap">{formatTarget(t.creditCapPercent)}</KeyValue>
      </KeyValueGrid>
      <div>
        <Title order={4} size="h5" mb="xs">
          Service credits
        </Title>
        {t.credits.length === 0 ? (
          <Text size="sm" c="dimmed">
            No service credits agreed.
          </Text>
        ) : (
          <Table withTableBorder maw={420} data-testid="sla-credit-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Availability below</Table.Th>
                <Table.Th>Credit</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...t.credits]
                .sort((a, b) => b.belowPercent - a.belowPercent)
                .map((c) => (
                  <Table.Tr key={`${c.belowPercent}-${c.creditPercent}`}>
                    <Table.Td>{formatTarget(c.belowPercent)}</Table.Td>
                    <Table.Td>{formatTarget(c.creditPercent)} of the fees</Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        )}
      </div>
      <div>
        <Title order={4} size="h5" mb="xs">
          Scope
        </Title>
        <KeyValueGrid cols={3}>
          <KeyValue label="Services" testId="sla-scope-services">
            {scope.serviceIds.map(serviceName).join(', ')}
          </KeyValue>
          <KeyValue label="Components">{scope.components.length ? scope.components.join(', ') : 'All'}</KeyValue>
          <KeyValue label="Regions">{scope.regions.length ? scope.regions.join(', ') : 'All'}</KeyValue>
        </KeyValueGrid>
      </div>
    </Stack>
  );
}
