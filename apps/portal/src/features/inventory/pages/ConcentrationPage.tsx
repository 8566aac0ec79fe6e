import { Group, Paper, Progress, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';

import type { ConcentrationEntry } from '@bulwark/api-schema';

import { EmptyState, ErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { PageHeader } from '../../../shared/components/PageHeader';
import { formatPercent } from '../../../shared/lib/format';
import { useConcentration } from '../api/analysis';

function shareColor(share: number): string {
  if (share >= 0.5) return 'red';
  if (share >= 0.25) return 'orange';
  if (share > 0) return 'yellow';
  return 'gray';
}

function Section({
  title,
  description,
  entries,
  testId,
  what,
  column,
}: {
  title: string;
  description: string;
  entries: ConcentrationEntry[];
  testId: string;
  what: string;
  column: string;
}) {
  const sorted = [...entries].sort((a, b) => b.criticalShare - a.criticalShare || b.systems - a.systems || a.label.localeCompare(b.label));
  const top = sorted[0];
  return (
    <Paper withBorder p="lg" radius="md" data-testid={testId}>
      <Title order={3} size="h4">
        {title}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {description}
      </Text>
      {sorted.length === 0 ? (
        <Text size="sm" c="dimmed">
          No {what} recorded yet.
        </Text>
      ) : (
        <>
          {top && top.criticalShare > 0 && (
            <Text size="sm" mb="sm" data-testid="concentration-headline">
              <b>{formatPercent(top.criticalShare)}</b> of critical systems rely on <b>{top.label}</b>.
            </Text>
          )}
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{column}</Table.Th>
                  <Table.Th ta="right">Systems</Table.Th>
                  <Table.Th ta="right">Critical systems</Table.Th>
                  <Table.Th w="40%">Share of critical systems</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sorted.map((e) => (
                  <Table.Tr key={e.key} data-testid="concentration-row">
                    <Table.Td>
                      <Tooltip label={e.systemNames.join(', ') || 'No systems'} multiline w={320} disabled={e.systemNames.length === 0}>
                        <Text size="sm" fw={600} component="span">
                          {e.label}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td ta="right">{e.systems}</Table.Td>
                    <Table.Td ta="right">{e.criticalSystems}</Table.Td>
                    <Table.Td>
                      <Stack gap={2}>
                        <Group gap="xs" wrap="nowrap">
                          <Progress
                            value={Math.round(e.criticalShare * 100)}
                            color={shareColor(e.criticalShare)}
                            style={{ flex: 1 }}
                            aria-label={`${e.label}: ${formatPercent(e.criticalShare)} of critical systems`}
                          />
                          <Text size="sm" fw={600} w={44} ta="right" data-testid="concentration-share">
                            {formatPercent(e.criticalShare)}
                          </Text>
                        </Group>
                        <Text size="xs" c="dimmed">
                          {formatPercent(e.criticalShare)} of critical systems rely on {e.label}
                        </Text>
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Paper>
  );
}

export function ConcentrationPage() {
  const report = useConcentration();
  return (
    <>
      <PageHeader
        title="Concentration"
        testId="concentration-title"
        description="How many of your critical systems depend on the same vendor, fourth party or region: the risk of one failure taking many systems down."
      />
      {report.isPending ? (
        <PageLoader />
      ) : report.isError ? (
        <ErrorAlert error={report.error} onRetry={() => void report.refetch()} />
      ) : report.data.totalSystems === 0 ? (
        <EmptyState title="No systems to analyse yet" testId="concentration-empty">
          Concentration is computed from internal systems and their dependencies. Add systems and dependencies first.
        </EmptyState>
      ) : (
        <Stack gap="lg">
          <SimpleGrid cols={{ base: 1, sm: 2 }} maw={520}>
            <Paper withBorder p="md" radius="md">
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                Internal systems
              </Text>
              <Text fz={28} fw={700} data-testid="concentration-total-systems">
                {report.data.totalSystems}
              </Text>
            </Paper>
            <Paper withBorder p="md" radius="md">
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                Critical systems
              </Text>
              <Text fz={28} fw={700} data-testid="concentration-total-critical">
                {report.data.totalCriticalSystems}
              </Text>
            </Paper>
          </SimpleGrid>
          <Section
            title="By vendor"
            description="Vendors your critical systems depend on directly."
            entries={report.data.byVendor}
            testId="concentration-vendor"
            what="vendors"
            column="Vendor"
          />
          <Section
            title="By fourth party"
            description="Subcontractors your vendors run on: hidden concentration you do not contract with."
            entries={report.data.byFourthParty}
            testId="concentration-fourth-party"
            what="fourth parties"
            column="Fourth party"
          />
          <Section
            title="By region"
            description="Hosting regions of the services your critical systems use."
            entries={report.data.byRegion}
            testId="concentration-region"
            what="regions"
            column="Region"
          />
        </Stack>
      )}
    </>
  );
}
