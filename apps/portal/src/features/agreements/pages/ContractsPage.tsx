import { Button, Checkbox, Paper, Stack, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';

import { can, CONTRACT_STATUSES } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { EmptyState } from '../../../shared/components/feedback';
import { countOf, EnumFilter, FilterBar, ListFooter, ListStates, pageCount, pageParam } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { VendorFilterSelect } from '../../inventory/components/VendorFilterSelect';
import { useContracts, useCreateContract } from '../api/contracts';
import { ContractTable } from '../components/ContractTable';
import { NewContractModal } from '../components/NewContractModal';

import '../../../shared/lib/format';

import { useDebouncedInput, useUrlState } from '../../../shared/lib/useUrlState';

const PAGE_SIZE = 25;
const EXPIRING_DAYS = 90;

export function ContractsPage() {
  const { role } = useCurrentUser();
  const canWriteContracts = can(role, 'contract.write');
  const [opened, { open, close }] = useDisclosure(false);
  const create = useCreateContract();
  const [state, setState] = useUrlState({ search: '', vendorId: '', status: '', expiring: '', page: '1' });
  const [searchText, setSearchText, resetSearch] = useDebouncedInput(state.search, (search) => setState({ search }));
  const page = pageParam(state.page);
  const contracts = useContracts({
    search: state.search || undefined,
    vendorId: state.vendorId || undefined,
    status: state.status || undefined,
    expiringWithinDays: state.expiring ? EXPIRING_DAYS : undefined,
    page,
    pageSize: PAGE_SIZE,
  });
  const data = contracts.data;
  const totalPages = pageCount(data);
  const filtered = !!(state.search || state.vendorId || state.status || state.expiring);

  return (
    <>
      <PageHeader
        title="Contracts"
        testId="contracts-title"
        description="Agreements with your vendors, their clauses, renewal dates and SLAs."
        actions={
          canWriteContracts && (
            <Button
              onClick={() => {
                create.reset();
                open();
              }}
              data-testid="new-contract-button"
            >
              + New contract
            </Button>
          )
        }
      />
      <FilterBar>
        <TextInput
          label="Search"
          placeholder="Title, reference or vendor"
          value={searchText}
          onChange={(e) => setSearchText(e.currentTarget.value)}
          w={260}
          type="search"
          data-testid="contract-search"
        />
        <VendorFilterSelect value={state.vendorId} onChange={(vendorId) => setState({ vendorId })} testId="contract-filter-vendor" />
        <EnumFilter
          label="Status"
          allLabel="All statuses"
          values={CONTRACT_STATUSES}
          value={state.status}
          onChange={(status) => setState({ status })}
          testId="contract-filter-status"
        />
        <Checkbox
          label={`Expiring within ${EXPIRING_DAYS} days`}
          checked={!!state.expiring}
          onChange={(e) => setState({ expiring: e.currentTarget.checked ? String(EXPIRING_DAYS) : '' })}
          mb={8}
          data-testid="contract-filter-expiring"
        />
        {filtered && (
          <Button
            variant="subtle"
            onClick={() => {
              resetSearch('');
              setState({ search: '', vendorId: '', status: '', expiring: '' });
            }}
            data-testid="contract-filter-clear"
          >
            Clear filters
          </Button>
        )}
      </FilterBar>

      <ListStates
        query={contracts}
        rows={6}
        isEmpty={(d) => d.items.length === 0}
        empty={
          <EmptyState
            title={filtered ? 'No contracts match these filters' : 'No contracts yet'}
            testId="contract-empty"
            action={
              canWriteContracts && !filtered ? (
                <Button onClick={open} variant="light">
                  Record the first contract
                </Button>
              ) : undefined
            }
          >
            {filtered
              ? 'Try a different search term or clear the filters.'
              : 'Record your vendor contracts with their audit, security and exit clauses, then attach SLAs to track availability and service credits.'}
          </EmptyState>
        }
      >
        {(data) => (
          <Stack gap="sm">
            <Paper withBorder radius="md">
              <ContractTable contracts={data.items} dimmed={contracts.isPlaceholderData} />
            </Paper>
            <ListFooter
              summary={countOf(data.total, 'contract')}
              summaryTestId="contract-total"
              page={page}
              totalPages={totalPages}
              onPage={(p) => setState({ page: String(p) })}
              paginationTestId="contract-pagination"
            />
          </Stack>
        )}
      </ListStates>

      <NewContractModal
        opened={opened}
        onClose={close}
        title="New contract"
        defaultVendorId={state.vendorId || undefined}
        create={create}
      />
    </>
  );
}
