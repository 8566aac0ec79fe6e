import { Paper, Text, Title } from '@mantine/core';

import { ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { useAudits } from '../api/audits';
import { AuditTable } from './AuditTable';

/** The audit history of a vendor or a contract (on their pages), latest window first. */
export function AuditHistory({
  vendorId,
  contractId,
  basePath = '/audits',
}: {
  vendorId?: string;
  contractId?: string;
  basePath?: string;
}) {
  const audits = useAudits({ vendorId, contractId, pageSize: 50 });
  return (
    <Paper withBorder p="lg" radius="md" data-testid="audit-history-section">
      <Title order={3} size="h4" mb="sm">
        Audits
      </Title>
      {audits.isPending ? (
        <TableSkeleton rows={2} />
      ) : audits.isError ? (
        <ErrorAlert error={audits.error} />
      ) : audits.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No audits requested yet.
        </Text>
      ) : (
        <AuditTable audits={audits.data.items} basePath={basePath} showVendor={false} />
      )}
    </Paper>
  );
}
