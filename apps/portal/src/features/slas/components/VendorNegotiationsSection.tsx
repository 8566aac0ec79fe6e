import { Paper, Title } from '@mantine/core';

import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { useNegotiations } from '../api/negotiations';
import { NegotiationTable } from './NegotiationTable';

/** Vendor home: the negotiations with the contact's vendor (the API scopes them to it). */
export function VendorNegotiationsSection() {
  const negotiations = useNegotiations();
  const items = negotiations.data ?? [];
  const waiting = items.filter((n) => n.allowedActions.length > 0).length;
  return (
    <div data-testid="vendor-home-negotiations">
      <Title order={3} size="h4" mb="sm">
        Negotiations{negotiations.data ? ` (${items.length}${waiting ? `, ${waiting} waiting for you` : ''})` : ''}
      </Title>
      {negotiations.isError && !negotiations.data ? (
        <ErrorAlert error={negotiations.error} title="Could not load your negotiations" onRetry={() => void negotiations.refetch()} />
      ) : !negotiations.data ? (
        <TableSkeleton rows={2} />
      ) : items.length === 0 ? (
        <EmptyState title="No negotiations" testId="vendor-home-negotiations-empty">
          When proposed SLA terms reach you, you answer them here.
        </EmptyState>
      ) : (
        <Paper withBorder radius="md">
          <NegotiationTable negotiations={items} basePath="/vendor-home/negotiations" showVendor={false} />
        </Paper>
      )}
    </div>
  );
}
