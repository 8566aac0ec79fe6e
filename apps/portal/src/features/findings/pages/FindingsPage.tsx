import { Anchor, Breadcrumbs, Button, Checkbox, Modal, Paper, Stack, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useParams } from 'react-router';

import { can, FINDING_SEVERITIES, FINDING_STATUSES } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { EmptyState } from '../../../shared/components/feedback';
import { countOf, EnumFilter, FilterBar, ListFooter, ListStates, pageCount, pageParam } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { useDebouncedInput, useUrlState } from '../../../shared/lib/useUrlState';
import { VendorFilterSelect } from '../../inventory/components/VendorFilterSelect';
import { useFindings } from '../api/findings';
import { FindingDetail } from '../components/FindingDetail';
import { FindingTable } from '../components/FindingTable';
import { RaiseFindingForm } from '../components/RaiseFindingForm';

const PAGE_SIZE = 25;

/** `/findings` (internal) and `/vendor-home/findings` (the contact's own vendor, scoped by the API). */
function FindingList({ variant }: { variant: 'internal' | 'vendor' }) {
  const internal = variant === 'internal';
  const user = useCurrentUser();
  const [raiseOpened, raise] = useDisclosure(false);
  const [state, setState] = useUrlState({ search: '', vendorId: '', status: '', severity: '', overdue: '', page: '1' });
  const [searchText, setSearchText, resetSearch] = useDebouncedInput(state.search, (search) => setState({ search }));
  const page = pageParam(state.page);
  const findings = useFindings({
    search: state.search || undefined,
    vendorId: (internal && state.vendorId) || undefined,
    status: state.status || undefined,
    severity: state.severity || undefined,
    overdue: state.overdue || undefined,
    page,
    pageSize: PAGE_SIZE,
  });
  const filtered = !!(state.search || state.vendorId || state.status || state.severity || state.overdue);
  const basePath = internal ? '/findings' : '/vendor-home/findings';
  return (
    <>
      {!internal && (
        <Breadcrumbs mb="sm">
          <Anchor component={Link} to="/vendor-home">
            {user.vendorName ?? 'Home'}
          </Anchor>
          <span>Findings</span>
        </Breadcrumbs>
      )}
      <PageHeader
        title="Findings"
        testId="findings-title"
        description={
          internal
            ? 'Problems found at vendors, from every source, and their remediation: plans, verification, accepted risks.'
            : 'What the organization found and expects you to remediate: propose a plan, do the work, attach the evidence and mark it ready.'
        }
        actions={
          internal && can(user.role, 'finding.write') ? (
            <Button onClick={raise.open} data-testid="finding-raise">
              Raise a finding
            </Button>
          ) : undefined
        }
      />
      <FilterBar>
        <TextInput
          label="Search"
          placeholder={internal ? 'Title, details, source key or vendor' : 'Title, details or source key'}
          value={searchText}
          onChange={(e) => setSearchText(e.currentTarget.value)}
          w={280}
          type="search"
          data-testid="finding-search"
        />
        {internal && (
          <VendorFilterSelect value={state.vendorId} onChange={(vendorId) => setState({ vendorId })} testId="finding-filter-vendor" />
        )}
        <EnumFilter
          label="Status"
          allLabel="Any status"
          values={FINDING_STATUSES}
          value={state.status}
          onChange={(status) => setState({ status })}
          testId="finding-filter-status"
        />
        <EnumFilter
          label="Severity"
          allLabel="Any severity"
          values={FINDING_SEVERITIES}
          value={state.severity}
          onChange={(severity) => setState({ severity })}
          testId="finding-filter-severity"
        />
        <Checkbox
          label="Overdue only"
          checked={state.overdue === 'true'}
          onChange={(e) => setState({ overdue: e.currentTarget.checked ? 'true' : '' })}
          data-testid="finding-filter-overdue"
          mb={8}
        />
        {filtered && (
          <Button
            variant="subtle"
            onClick={() => {
              resetSearch('');
              setState({ search: '', vendorId: '', status: '', severity: '', overdue: '' });
            }}
            data-testid="finding-filter-clear"
          >
            Clear filters
          </Button>
        )}
      </FilterBar>
      <ListStates
        query={findings}
        rows={6}
        isEmpty={(d) => d.items.length === 0}
        empty={
          <EmptyState title={filtered ? 'No findings match these filters' : 'No findings'} testId="finding-empty">
            {filtered
              ? 'Try a different search term or other filters, or clear them.'
              : internal
                ? 'Findings raised from audits, questionnaires, tests, signals or by hand appear here.'
                : 'Nothing is waiting on you: the organization has raised no findings about your services.'}
          </EmptyState>
        }
      >
        {(data) => (
          <Stack gap="sm">
            <Paper withBorder radius="md">
              <FindingTable findings={data.items} basePath={basePath} showVendor={internal} dimmed={findings.isPlaceholderData} />
            </Paper>
            <ListFooter
              summary={countOf(data.total, 'finding')}
              summaryTestId="finding-total"
              page={page}
              totalPages={pageCount(data)}
              onPage={(p) => setState({ page: String(p) })}
              paginationTestId="finding-pagination"
            />
          </Stack>
        )}
      </ListStates>
      <Modal opened={raiseOpened} onClose={raise.close} title="Raise a finding" size="lg" centered>
        <RaiseFindingForm onCancel={raise.close} />
      </Modal>
    </>
  );
}

export function FindingsPage() {
  return <FindingList variant="internal" />;
}

export function VendorFindingsPage() {
  return <FindingList variant="vendor" />;
}

export function FindingPage() {
  const { id = '' } = useParams();
  return <FindingDetail key={id} id={id} variant="internal" />;
}

export function VendorFindingPage() {
  const { id = '' } = useParams();
  return <FindingDetail key={id} id={id} variant="vendor" />;
}
