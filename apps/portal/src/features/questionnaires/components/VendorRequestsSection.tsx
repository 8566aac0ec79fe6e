import { Paper, Title } from '@mantine/core';

import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { useRequests } from '../api/requests';
import { RequestTable } from './RequestTable';

/** Vendor home: the questionnaires of the contact's vendor (the API scopes them), open ones first by due date. */
export function VendorRequestsSection() {
  const requests = useRequests({ pageSize: 20 });
  const items = (requests.data?.items ?? []).filter((r) => r.status !== 'cancelled');
  return (
    <div data-testid="vendor-home-questionnaires">
      <Title order={3} size="h4" mb="sm">
        Questionnaires{requests.data ? ` (${items.length})` : ''}
      </Title>
      {requests.isError && !requests.data ? (
        <ErrorAlert error={requests.error} title="Could not load the questionnaires" onRetry={() => void requests.refetch()} />
      ) : !requests.data ? (
        <TableSkeleton rows={2} />
      ) : items.length === 0 ? (
        <EmptyState title="No questionnaires" testId="vendor-home-questionnaires-empty">
          Nothing to answer right now.
        </EmptyState>
      ) : (
        <Paper withBorder radius="md">
          <RequestTable requests={items} basePath="/vendor-home/questionnaire-requests" showVendor={false} showScore={false} />
        </Paper>
      )}
    </div>
  );
}
