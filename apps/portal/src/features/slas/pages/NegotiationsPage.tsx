import { Button, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useParams } from 'react-router';

import { can, NEGOTIATION_STATUSES } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { EmptyState } from '../../../shared/components/feedback';
import { EnumFilter, FilterBar, ListStates } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { VendorFilterSelect } from '../../inventory/components/VendorFilterSelect';
import { useNegotiations } from '../api/negotiations';
import { NegotiationDetail } from '../components/NegotiationDetail';
import { NegotiationTable } from '../components/NegotiationTable';
import { StartNegotiationModal } from '../components/StartNegotiation';

import '../../../shared/lib/format';

import { useDebouncedInput, useUrlState } from '../../../shared/lib/useUrlState';

/** `/negotiations`: every SLA negotiation, searchable and filterable by vendor (API) and status. */
export function NegotiationsPage() {
  const { role } = useCurrentUser();
  const canStartNegotiations = can(role, 'negotiation.write');
  const [opened, { open, close }] = useDisclosure(false);
  const [state, setState] = useUrlState({ search: '', vendorId: '', status: '' });
  const [searchText, setSearchText, resetSearch] = useDebouncedInput(state.search, (search) => setState({ search }));
  const negotiations = useNegotiations({ vendorId: state.vendorId || undefined, search: state.search || undefined });
  const items = (negotiations.data ?? []).filter((n) => !state.status || n.status === state.status);
  const filtered = !!(state.search || state.vendorId || state.status);

  return (
    <>
      <PageHeader
        title="Negotiations"
        testId="negotiations-title"
        description="SLA terms negotiated with your vendors, round by round, until both sides sign off."
        actions={
          canStartNegotiations && (
            <Button onClick={open} data-testid="negotiation-new-button">
              Start negotiation
            </Button>
          )
        }
      />
      <FilterBar>
        <TextInput
          label="Search"
          placeholder="SLA, contract or vendor"
          value={searchText}
          onChange={(e) => setSearchText(e.currentTarget.value)}
          w={260}
          type="search"
          data-testid="negotiation-search"
        />
        <VendorFilterSelect value={state.vendorId} onChange={(vendorId) => setState({ vendorId })} testId="negotiation-filter-vendor" />
        <EnumFilter
          label="Status"
          allLabel="All statuses"
          values={NEGOTIATION_STATUSES}
          value={state.status}
          onChange={(status) => setState({ status })}
          testId="negotiation-filter-status"
        />
        {filtered && (
          <Button
            variant="subtle"
            onClick={() => {
              resetSearch('');
              setState({ search: '', vendorId: '', status: '' });
            }}
            data-testid="negotiation-filter-clear"
          >
            Clear filters
          </Button>
        )}
      </FilterBar>
      <ListStates
        query={negotiations}
        rows={4}
        isEmpty={() => items.length === 0}
        empty={
          <EmptyState title={filtered ? 'No negotiations match these filters' : 'No negotiations yet'} testId="negotiations-empty">
            {filtered
              ? 'Try other filters or clear them.'
              : 'Start one here, from a contract (new SLA) or from an SLA page ("Renegotiate").'}
          </EmptyState>
        }
      >
        {() => (
          <Stack gap="sm">
            <Paper withBorder radius="md">
              <NegotiationTable negotiations={items} basePath="/negotiations" />
            </Paper>
            <Text size="sm" c="dimmed" data-testid="negotiation-total">
              {items.length} negotiation{items.length === 1 ? '' : 's'}
            </Text>
          </Stack>
        )}
      </ListStates>
      <StartNegotiationModal opened={opened} onClose={close} />
    </>
  );
}

/** `/negotiations/:id`. */
export function NegotiationPage() {
  const { id = '' } = useParams();
  return <NegotiationDetail key={id} id={id} variant="internal" />;
}

/** `/vendor-home/negotiations/:id`: the vendor's side of the same negotiation. */
export function VendorNegotiationPage() {
  const { id = '' } = useParams();
  return <NegotiationDetail key={id} id={id} variant="vendor" />;
}
