import { Paper, Title } from '@mantine/core';

import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { useBreaches } from '../api/breaches';
import { BreachTable } from './BreachTable';

/** Vendor home: the breaches of the contact's vendor (the API scopes them), newest first; open ones can be disputed. */
export function VendorBreachesSection() {
  const breaches = useBreaches({ pageSize: 50 });
  const items = breaches.data?.items ?? [];
  return (
    <div data-testid="vendor-home-breaches">
      <Title order={3} size="h4" mb="sm">
        Breaches and credits{breaches.data ? ` (${breaches.data.total})` : ''}
      </Title>
      {breaches.isError && !breaches.data ? (
        <ErrorAlert error={breaches.error} title="Could not load the breaches" onRetry={() => void breaches.refetch()} />
      ) : !breaches.data ? (
        <TableSkeleton rows={2} />
      ) : items.length === 0 ? (
        <EmptyState title="No breaches" testId="vendor-home-breaches-empty">
          Every window measured so far met its target.
        </EmptyState>
      ) : (
        <Paper withBorder radius="md">
          <BreachTable breaches={items} basePath="/vendor-home/breaches" showVendor={false} />
        </Paper>
      )}
    </div>
  );
}
