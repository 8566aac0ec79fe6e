import { BREACH_STATUSES } from '@bulwark/api-schema';
import { Button, Group, NativeSelect, Pagination, Paper, Stack, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { useBreaches } from '../api/breaches';
import { BreachDetail } from '../components/BreachDetail';
import { BreachTable } from '../components/BreachTable';
import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { VendorFilterSelect } from '../../inventory/components/VendorFilterSelect';
import { PageHeader } from '../../../shared/components/PageHeader';
import { enumOptions } from '../../../shared/lib/format';
import { useUrlState } from '../../../shared/lib/useUrlState';

const PAGE_SIZE = 25;

/** `/breaches`: breached SLA windows, their credits and disputes. Without a status filter the API leaves out withdrawn breaches. */
export function BreachesPage() {
  const [state, setState] = useUrlState({ vendorId: '', status: '', page: '1' });
  const page = Math.max(1, Number(state.page) || 1);
  const breaches = useBreaches({ vendorId: state.vendorId || undefined, status: state.status || undefined, page, pageSize: PAGE_SIZE });
  const data = breaches.data;
  const totalPages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const filtered = !!(state.vendorId || state.status);
  return (
    <>
      <PageHeader title="Breaches and credits" testId="breaches-title" description="SLA windows below target, the service credit each earns, and the vendor's disputes." />
      <Paper withBorder p="md" radius="md" mb="md">
        <Group align="flex-end" gap="md" wrap="wrap">
          <VendorFilterSelect value={state.vendorId} onChange={(vendorId) => setState({ vendorId })} testId="breach-filter-vendor" />
          <NativeSelect
            label="Status"
            data={[{ value: '', label: 'All but withdrawn' }, ...enumOptions(BREACH_STATUSES)]}
            value={state.status}
            onChange={(e) => setState({ status: e.currentTarget.value })}
            data-testid="breach-filter-status"
          />
          {filtered && (
            <Button variant="subtle" onClick={() => setState({ vendorId: '', status: '' })} data-testid="breach-filter-clear">
              Clear filters
            </Button>
          )}
        </Group>
      </Paper>
      {breaches.isError && !data ? (
        <ErrorAlert error={breaches.error} onRetry={() => void breaches.refetch()} />
      ) : !data ? (
        <TableSkeleton rows={6} />
      ) : data.items.length === 0 ? (
        <EmptyState title={filtered ? 'No breaches match these filters' : 'No breaches'} testId="breach-empty">
          {filtered ? 'Try other filters or clear them.' : 'Every SLA met its target in the windows measured so far.'}
        </EmptyState>
      ) : (
        <Stack gap="sm">
          <Paper withBorder radius="md">
            <BreachTable breaches={data.items} basePath="/breaches" dimmed={breaches.isPlaceholderData} />
          </Paper>
          <Group justify="space-between">
            <Text size="sm" c="dimmed" data-testid="breach-total">
              {data.total} breach{data.total === 1 ? '' : 'es'}
            </Text>
            {totalPages > 1 && <Pagination total={totalPages} value={page} onChange={(p) => setState({ page: String(p) })} data-testid="breach-pagination" />}
          </Group>
        </Stack>
      )}
    </>
  );
}

export function BreachPage() {
  const { id = '' } = useParams();
  return <BreachDetail key={id} id={id} variant="internal" />;
}

export function VendorBreachPage() {
  const { id = '' } = useParams();
  return <BreachDetail key={id} id={id} variant="vendor" />;
}
