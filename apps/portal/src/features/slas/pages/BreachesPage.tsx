import { Button, Paper, Stack, TextInput } from '@mantine/core';
import { useParams } from 'react-router';

import { BREACH_STATUSES } from '@bulwark/api-schema';

import { EmptyState } from '../../../shared/components/feedback';
import { countOf, EnumFilter, FilterBar, ListFooter, ListStates, pageCount, pageParam } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { VendorFilterSelect } from '../../inventory/components/VendorFilterSelect';
import { useBreaches } from '../api/breaches';
import { BreachDetail } from '../components/BreachDetail';
import { BreachTable } from '../components/BreachTable';

import '../../../shared/lib/format';

import { useDebouncedInput, useUrlState } from '../../../shared/lib/useUrlState';

const PAGE_SIZE = 25;

/** `/breaches`: breached SLA windows, their credits and disputes. Without a status filter the API leaves out withdrawn breaches. */
export function BreachesPage() {
  const [state, setState] = useUrlState({ search: '', vendorId: '', status: '', page: '1' });
  const [searchText, setSearchText, resetSearch] = useDebouncedInput(state.search, (search) => setState({ search }));
  const page = pageParam(state.page);
  const breaches = useBreaches({
    search: state.search || undefined,
    vendorId: state.vendorId || undefined,
    status: state.status || undefined,
    page,
    pageSize: PAGE_SIZE,
  });
  const data = breaches.data;
  const totalPages = pageCount(data);
  const filtered = !!(state.search || state.vendorId || state.status);
  return (
    <>
      <PageHeader
        title="Breaches and credits"
        testId="breaches-title"
        description="SLA windows below target, the service credit each earns, and the vendor's disputes."
      />
      <FilterBar>
        <TextInput
          label="Search"
          placeholder="Vendor, SLA, contract or service"
          value={searchText}
          onChange={(e) => setSearchText(e.currentTarget.value)}
          w={280}
          type="search"
          data-testid="breach-search"
        />
        <VendorFilterSelect value={state.vendorId} onChange={(vendorId) => setState({ vendorId })} testId="breach-filter-vendor" />
        <EnumFilter
          label="Status"
          allLabel="All but withdrawn"
          values={BREACH_STATUSES}
          value={state.status}
          onChange={(status) => setState({ status })}
          testId="breach-filter-status"
        />
        {filtered && (
          <Button
            variant="subtle"
            onClick={() => {
              resetSearch('');
              setState({ search: '', vendorId: '', status: '' });
            }}
            data-testid="breach-filter-clear"
          >
            Clear filters
          </Button>
        )}
      </FilterBar>
      <ListStates
        query={breaches}
        rows={6}
        isEmpty={(d) => d.items.length === 0}
        empty={
          <EmptyState title={filtered ? 'No breaches match these filters' : 'No breaches'} testId="breach-empty">
            {filtered
              ? 'Try a different search term or other filters, or clear them.'
              : 'Every SLA met its target in the windows measured so far.'}
          </EmptyState>
        }
      >
        {(data) => (
          <Stack gap="sm">
            <Paper withBorder radius="md">
              <BreachTable breaches={data.items} basePath="/breaches" dimmed={breaches.isPlaceholderData} />
            </Paper>
            <ListFooter
              summary={countOf(data.total, 'breach', 'breaches')}
              summaryTestId="breach-total"
              page={page}
              totalPages={totalPages}
              onPage={(p) => setState({ page: String(p) })}
              paginationTestId="breach-pagination"
            />
          </Stack>
        )}
      </ListStates>
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
