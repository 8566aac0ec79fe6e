import { Anchor, Breadcrumbs, Button, Paper, Stack } from '@mantine/core';
import { Link, useParams, useSearchParams } from 'react-router';

import { AUDIT_STATUSES, can } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { EmptyState } from '../../../shared/components/feedback';
import { countOf, EnumFilter, FilterBar, ListFooter, ListStates, pageCount, pageParam } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { useUrlState } from '../../../shared/lib/useUrlState';
import { VendorFilterSelect } from '../../inventory/components/VendorFilterSelect';
import { useAudits } from '../api/audits';
import { AuditDetail } from '../components/AuditDetail';
import { AuditTable } from '../components/AuditTable';
import { NewAuditForm } from '../components/NewAuditForm';

const PAGE_SIZE = 25;

/** `/audits` (internal) and `/vendor-home/audits` (the contact's own vendor's issued audits, scoped by the API). */
function AuditList({ variant }: { variant: 'internal' | 'vendor' }) {
  const internal = variant === 'internal';
  const user = useCurrentUser();
  const [state, setState] = useUrlState({ vendorId: '', status: '', page: '1' });
  const page = pageParam(state.page);
  const audits = useAudits({
    vendorId: (internal && state.vendorId) || undefined,
    status: state.status || undefined,
    page,
    pageSize: PAGE_SIZE,
  });
  const filtered = !!(state.vendorId || state.status);
  const basePath = internal ? '/audits' : '/vendor-home/audits';
  return (
    <>
      {!internal && (
        <Breadcrumbs mb="sm">
          <Anchor component={Link} to="/vendor-home">
            {user.vendorName ?? 'Home'}
          </Anchor>
          <span>Audits</span>
        </Breadcrumbs>
      )}
      <PageHeader
        title="Audits"
        testId="audits-title"
        description={
          internal
            ? 'Right-to-audit requests: what each contract allows, the requests sent, the items the vendors deliver, fieldwork, reports and findings.'
            : 'Audits the organization requests under your contracts: acknowledge them, propose another window, and deliver the requested items.'
        }
        actions={
          internal && can(user.role, 'audit_request.write') ? (
            <Button component={Link} to="/audits/new" data-testid="audit-new">
              Request an audit
            </Button>
          ) : undefined
        }
      />
      <FilterBar>
        {internal && (
          <VendorFilterSelect value={state.vendorId} onChange={(vendorId) => setState({ vendorId })} testId="audit-filter-vendor" />
        )}
        <EnumFilter
          label="Status"
          allLabel="Any status"
          values={AUDIT_STATUSES}
          value={state.status}
          onChange={(status) => setState({ status })}
          testId="audit-filter-status"
        />
      </FilterBar>
      <ListStates
        query={audits}
        rows={5}
        isEmpty={(d) => d.items.length === 0}
        empty={
          <EmptyState title={filtered ? 'No audits match these filters' : 'No audits'} testId="audit-empty">
            {internal ? 'Request an audit to exercise a contract’s right-to-audit clause.' : 'No audit has been requested from you.'}
          </EmptyState>
        }
      >
        {(data) => (
          <Stack gap="sm">
            <Paper withBorder radius="md">
              <AuditTable audits={data.items} basePath={basePath} showVendor={internal} dimmed={audits.isPlaceholderData} />
            </Paper>
            <ListFooter
              summary={countOf(data.total, 'audit')}
              summaryTestId="audit-total"
              page={page}
              totalPages={pageCount(data)}
              onPage={(p) => setState({ page: String(p) })}
              paginationTestId="audit-pagination"
            />
          </Stack>
        )}
      </ListStates>
    </>
  );
}

export function AuditsPage() {
  return <AuditList variant="internal" />;
}

export function VendorAuditsPage() {
  return <AuditList variant="vendor" />;
}

export function NewAuditPage() {
  const [params] = useSearchParams();
  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/audits">
          Audits
        </Anchor>
        <span>New request</span>
      </Breadcrumbs>
      <PageHeader
        title="Request an audit"
        testId="audit-new-heading"
        description="The entitlement is computed from the vendor’s contracts as you fill in the request; nothing is sent to the vendor until you issue it."
      />
      <NewAuditForm initialVendorId={params.get('vendorId') ?? ''} />
    </>
  );
}

export function AuditPage() {
  const { id = '' } = useParams();
  return <AuditDetail key={id} id={id} variant="internal" />;
}

export function VendorAuditPage() {
  const { id = '' } = useParams();
  return <AuditDetail key={id} id={id} variant="vendor" />;
}
