import { Anchor, Group, List, Paper, Table, Text } from '@mantine/core';
import { Link } from 'react-router';

import type { CommitmentRow } from '@bulwark/api-schema';

import { TableHead } from '../../../shared/components/DataTable';
import { EmptyState } from '../../../shared/components/feedback';
import { ListStates } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { CommitmentStatusBadge } from '../../../shared/components/statusBadges';
import { formatMinutes, humanize } from '../../../shared/lib/format';
import { useCommitmentChain } from '../api/commitmentChain';

function Minutes({ value, testId, untested = false, over }: { value: number | null; testId: string; untested?: boolean; over?: boolean }) {
  if (value === null) {
    return (
      <Text
        size="sm"
        c="dimmed"
        fs={untested ? 'italic' : undefined}
        style={{ whiteSpace: 'nowrap' }}
        data-testid={testId}
        data-null="true"
      >
        {untested ? 'untested' : 'none'}
      </Text>
    );
  }
  return (
    <Text size="sm" c={over ? 'red' : undefined} fw={over ? 700 : undefined} style={{ whiteSpace: 'nowrap' }} data-testid={testId}>
      {formatMinutes(value)}
    </Text>
  );
}

/** `/commitment-chain`: per dependency, what the system needs (RTO/RPO) vs what the vendor signed and what DR tests measured. */
export function CommitmentChainPage() {
  const chain = useCommitmentChain();
  const rows = chain.data ?? [];
  const gaps = rows.filter((r) => r.status === 'contract_gap').length;
  const testGaps = rows.filter((r) => r.status === 'test_gap').length;
  const untested = rows.filter((r) => r.status === 'untested').length;
  return (
    <>
      <PageHeader
        title="Commitment chain"
        testId="commitment-title"
        description="For each dependency: the recovery your system requires, what the vendor's SLA commits to, and what joint DR tests measured."
      />
      <ListStates
        query={chain}
        rows={6}
        isEmpty={() => rows.length === 0}
        empty={
          <EmptyState title="No dependencies recorded" testId="commitment-empty">
            Record which vendor services your systems depend on to compare their recovery needs with the SLAs.
          </EmptyState>
        }
      >
        {() => (
          <Paper withBorder radius="md">
            <Group p="sm" gap="xs">
              <Text size="sm" data-testid="commitment-summary">
                {rows.length} dependenc{rows.length === 1 ? 'y' : 'ies'} ·{' '}
                <Text span c={gaps ? 'red' : 'teal'} fw={600}>
                  {gaps} contract gap{gaps === 1 ? '' : 's'}
                </Text>
                {testGaps > 0 && (
                  <>
                    {' · '}
                    <Text span c="orange" fw={600}>
                      {testGaps} test gap{testGaps === 1 ? '' : 's'}
                    </Text>
                  </>
                )}
                {' · '}
                <Text span c={untested ? 'dimmed' : 'teal'} fw={600} data-testid="commitment-untested">
                  {untested} untested
                </Text>
                {untested > 0 && (
                  <Text span c="dimmed">
                    {' '}
                    (the contract covers the requirement, but no joint DR test has measured it)
                  </Text>
                )}
              </Text>
            </Group>
            <Table.ScrollContainer minWidth={1100}>
              <Table verticalSpacing="sm" data-testid="commitment-table">
                <TableHead
                  columns={[
                    'System',
                    'Service',
                    'Vendor',
                    'Required RTO / RPO',
                    'Contractual RTO / RPO',
                    'Last measured RTO / RPO',
                    'Status',
                    'Gaps',
                  ]}
                />
                <Table.Tbody>
                  {rows.map((r) => (
                    <CommitmentTableRow key={r.dependencyId} row={r} />
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

function CommitmentTableRow({ row: r }: { row: CommitmentRow }) {
  const gap = r.status === 'contract_gap';
  const rtoOver = r.contractualRtoMinutes !== null && r.contractualRtoMinutes > r.requiredRtoMinutes;
  const rpoOver = r.contractualRpoMinutes !== null && r.contractualRpoMinutes > r.requiredRpoMinutes;
  return (
    <Table.Tr
      data-testid="commitment-row"
      data-status={r.status}
      data-dependency-id={r.dependencyId}
      bg={gap ? 'var(--mantine-color-red-0)' : undefined}
    >
      <Table.Td>
        <Anchor component={Link} to={`/systems/${r.systemId}`} fw={600} size="sm">
          {r.systemName}
        </Anchor>
        <Text size="xs" c="dimmed">
          {humanize(r.criticality)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{r.serviceName}</Text>
        {r.slaId && r.slaName ? (
          <Anchor component={Link} to={`/slas/${r.slaId}`} size="xs" data-testid="commitment-sla-link">
            {r.slaName}
          </Anchor>
        ) : (
          <Text size="xs" c="dimmed">
            no SLA
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/vendors/${r.vendorId}`} size="sm">
          {r.vendorName}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Minutes value={r.requiredRtoMinutes} testId="commitment-required-rto" />
          <Text size="sm" c="dimmed">
            /
          </Text>
          <Minutes value={r.requiredRpoMinutes} testId="commitment-required-rpo" />
        </Group>
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Minutes value={r.contractualRtoMinutes} testId="commitment-contractual-rto" over={rtoOver} />
          <Text size="sm" c="dimmed">
            /
          </Text>
          <Minutes value={r.contractualRpoMinutes} testId="commitment-contractual-rpo" over={rpoOver} />
        </Group>
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Minutes value={r.measuredRtoMinutes} testId="commitment-measured-rto" untested />
          <Text size="sm" c="dimmed">
            /
          </Text>
          <Minutes value={r.measuredRpoMinutes} testId="commitment-measured-rpo" untested />
        </Group>
      </Table.Td>
      <Table.Td>
        <CommitmentStatusBadge status={r.status} />
      </Table.Td>
      <Table.Td data-testid="commitment-gaps">
        {r.gaps.length === 0 && r.notices.length === 0 ? (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ) : (
          <List size="sm" spacing={2}>
            {r.gaps.map((g) => (
              <List.Item key={g}>{g}</List.Item>
            ))}
            {r.notices.map((n) => (
              <List.Item key={n} data-testid="commitment-notice">
                <Text span size="sm" c="dimmed">
                  Coming: {n}
                </Text>
              </List.Item>
            ))}
          </List>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
