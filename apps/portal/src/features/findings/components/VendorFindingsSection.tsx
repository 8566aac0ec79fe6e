import { Anchor, Group, Paper, Title } from '@mantine/core';
import { Link } from 'react-router';

import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { useFindings } from '../api/findings';
import { FindingTable } from './FindingTable';

/** Vendor home: the findings of the contact's vendor still being worked (the API scopes them), soonest due first. */
export function VendorFindingsSection() {
  const findings = useFindings({ pageSize: 10 });
  const items = (findings.data?.items ?? []).filter((f) => f.status !== 'closed');
  return (
    <div data-testid="vendor-home-findings">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          Findings{findings.data ? ` (${findings.data.total})` : ''}
        </Title>
        <Anchor component={Link} to="/vendor-home/findings" size="sm" data-testid="vendor-home-findings-all">
          All findings
        </Anchor>
      </Group>
      {findings.isError && !findings.data ? (
        <ErrorAlert error={findings.error} title="Could not load the findings" onRetry={() => void findings.refetch()} />
      ) : !findings.data ? (
        <TableSkeleton rows={2} />
      ) : items.length === 0 ? (
        <EmptyState title="No open findings" testId="vendor-home-findings-empty">
          Nothing to remediate right now.
        </EmptyState>
      ) : (
        <Paper withBorder radius="md">
          <FindingTable findings={items} basePath="/vendor-home/findings" showVendor={false} />
        </Paper>
      )}
    </div>
  );
}
