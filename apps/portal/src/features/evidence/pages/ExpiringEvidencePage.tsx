import { Anchor, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

import type { EvidenceView } from '@bulwark/api-schema';

import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { PageHeader } from '../../../shared/components/PageHeader';
import { formatDate } from '../../../shared/lib/format';
import { useEvidenceList } from '../api/evidence';
import { ExpiryBadge, KIND_LABELS } from '../components/evidenceLabels';

function EvidenceTable({ items, testId }: { items: EvidenceView[]; testId: string }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="sm" data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Vendor</Table.Th>
            <Table.Th>Evidence</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Valid until</Table.Th>
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((e) => (
            <Table.Tr key={e.id} data-testid="expiring-evidence-row">
              <Table.Td>
                <Anchor component={Link} to={`/vendors/${e.vendorId}/evidence`}>
                  {e.vendorName}
                </Anchor>
              </Table.Td>
              <Table.Td fw={500}>{e.title}</Table.Td>
              <Table.Td>{KIND_LABELS[e.kind]}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(e.validUntil)}</Table.Td>
              <Table.Td>
                <ExpiryBadge evidence={e} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** For managers: evidence expiring in the next 60 days across vendors, soonest first, and what has already expired. */
export function ExpiringEvidencePage() {
  const expiring = useEvidenceList({ expiringWithinDays: 60, pageSize: 200 });
  const expired = useEvidenceList({ status: 'expired', pageSize: 200 });
  return (
    <>
      <PageHeader
        title="Evidence expiring in the next 60 days"
        testId="expiring-evidence-title"
        description="Certificates, reports and policies whose validity ends soon, soonest first. Vendors and owners are reminded 30, 7 and 1 days before, and on the day."
      />
      <Stack gap="lg">
        {expiring.isError && !expiring.data ? (
          <ErrorAlert error={expiring.error} onRetry={() => void expiring.refetch()} />
        ) : !expiring.data ? (
          <TableSkeleton rows={4} />
        ) : expiring.data.items.length === 0 ? (
          <EmptyState title="Nothing expires in the next 60 days" testId="expiring-evidence-empty" />
        ) : (
          <Paper withBorder radius="md" p="md">
            <EvidenceTable items={expiring.data.items} testId="expiring-evidence-table" />
          </Paper>
        )}
        <div>
          <Title order={3} size="h4" mb="xs">
            Already expired
          </Title>
          {expired.data && expired.data.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              No evidence has expired.
            </Text>
          ) : expired.data ? (
            <Paper withBorder radius="md" p="md">
              <EvidenceTable items={expired.data.items} testId="expired-evidence-table" />
            </Paper>
          ) : null}
        </div>
      </Stack>
    </>
  );
}
