import { Button, Modal, NativeSelect, Paper, Stack, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';

import { can, QUESTIONNAIRE_REQUEST_STATUSES } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { EmptyState } from '../../../shared/components/feedback';
import { countOf, EnumFilter, FilterBar, ListFooter, ListStates, pageCount, pageParam } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { useDebouncedInput, useUrlState } from '../../../shared/lib/useUrlState';
import { useRequests } from '../api/requests';
import { RequestTable } from '../components/RequestTable';
import { SendRequestForm } from '../components/SendRequestForm';

const PAGE_SIZE = 25;

/** `/questionnaire-requests`: every questionnaire sent to vendors, soonest due first. */
export function RequestsPage() {
  const user = useCurrentUser();
  const [sending, sender] = useDisclosure(false);
  const [state, setState] = useUrlState({ search: '', status: '', overdue: '', page: '1' });
  const [searchText, setSearchText, resetSearch] = useDebouncedInput(state.search, (search) => setState({ search }));
  const page = pageParam(state.page);
  const requests = useRequests({
    search: state.search || undefined,
    status: state.status || undefined,
    overdue: state.overdue || undefined,
    page,
    pageSize: PAGE_SIZE,
  });
  const filtered = !!(state.search || state.status || state.overdue);
  return (
    <>
      <PageHeader
        title="Questionnaire requests"
        testId="requests-title"
        description="DR questionnaires sent to vendors: where each stands, when it is due, and its score once accepted."
        actions={
          can(user.role, 'questionnaire_request.write') ? (
            <Button onClick={sender.open} data-testid="request-send-button">
              Send a questionnaire
            </Button>
          ) : undefined
        }
      />
      <FilterBar>
        <TextInput
          label="Search"
          placeholder="Template or vendor"
          value={searchText}
          onChange={(e) => setSearchText(e.currentTarget.value)}
          w={260}
          type="search"
          data-testid="request-search"
        />
        <EnumFilter
          label="Status"
          allLabel="All statuses"
          values={QUESTIONNAIRE_REQUEST_STATUSES}
          value={state.status}
          onChange={(status) => setState({ status })}
          testId="request-filter-status"
        />
        <NativeSelect
          label="Due"
          data={[
            { value: '', label: 'Any' },
            { value: 'true', label: 'Overdue' },
            { value: 'false', label: 'Not overdue' },
          ]}
          value={state.overdue}
          onChange={(e) => setState({ overdue: e.currentTarget.value })}
          data-testid="request-filter-overdue"
        />
        {filtered && (
          <Button
            variant="subtle"
            onClick={() => {
              resetSearch('');
              setState({ search: '', status: '', overdue: '' });
            }}
          >
            Clear filters
          </Button>
        )}
      </FilterBar>
      <ListStates
        query={requests}
        rows={4}
        isEmpty={(d) => d.items.length === 0}
        empty={
          <EmptyState title={filtered ? 'No requests match these filters' : 'No questionnaires sent yet'} testId="request-empty">
            {filtered ? 'Try a different search term, or clear the filters.' : 'Send a published template to a vendor to start.'}
          </EmptyState>
        }
      >
        {(data) => (
          <Stack gap="sm">
            <Paper withBorder radius="md">
              <RequestTable requests={data.items} basePath="/questionnaire-requests" />
            </Paper>
            <ListFooter
              summary={countOf(data.total, 'request')}
              summaryTestId="request-total"
              page={page}
              totalPages={pageCount(data)}
              onPage={(p) => setState({ page: String(p) })}
              paginationTestId="request-pagination"
            />
          </Stack>
        )}
      </ListStates>
      <Modal opened={sending} onClose={sender.close} title="Send a questionnaire" size="lg" centered>
        <SendRequestForm onDone={sender.close} />
      </Modal>
    </>
  );
}
