import { Anchor, Badge, Button, Group, Skeleton, Stack, Table, Text, TextInput } from '@mantine/core';
import { Link, useNavigate } from 'react-router';

import { can, LIFECYCLES, SERVICE_KINDS, TIERS, type VendorStatus } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { LifecycleBadge, TierBadge } from '../../../shared/components/badges';
import { EmptyState } from '../../../shared/components/feedback';
import { countOf, EnumFilter, FilterBar, ListFooter, ListStates, pageCount, pageParam } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { SortableTh, sortProps } from '../../../shared/components/SortableTh';
import { formatDateTime, humanize } from '../../../shared/lib/format';
import { useDebouncedInput, useUrlState } from '../../../shared/lib/useUrlState';
import { useVendorStatuses } from '../../signals/api/signals';
import { StatusBadges } from '../../signals/components/LevelBadge';
import { useVendors } from '../api/vendors';

const PAGE_SIZE = 25;

export function VendorsPage() {
  const { role } = useCurrentUser();
  const canWrite = can(role, 'inventory.write');
  const navigate = useNavigate();
  const [state, setState] = useUrlState({ search: '', tier: '', lifecycle: '', kind: '', sort: 'name', page: '1' });
  const sortBy = sortProps(state.sort, (sort) => setState({ sort }));
  const [searchText, setSearchText, resetSearch] = useDebouncedInput(state.search, (search) => setState({ search }));

  const page = pageParam(state.page);
  const vendors = useVendors({
    search: state.search || undefined,
    tier: state.tier || undefined,
    lifecycle: state.lifecycle || undefined,
    kind: state.kind || undefined,
    sort: state.sort,
    page,
    pageSize: PAGE_SIZE,
  });
  const statuses = useVendorStatuses(can(role, 'signal.read'));
  const statusOf = new Map((statuses.data ?? []).map((x) => [x.vendorId, x]));
  const data = vendors.data;
  const totalPages = pageCount(data);
  const filtered = !!(state.search || state.tier || state.lifecycle || state.kind);

  return (
    <>
      <PageHeader
        title="Vendors"
        testId="vendors-title"
        description="Third parties, their tier and lifecycle."
        actions={
          canWrite && (
            <Button component={Link} to="/vendors/new" data-testid="new-vendor-button">
              + New vendor
            </Button>
          )
        }
      />
      <FilterBar>
        <TextInput
          label="Search"
          placeholder="Name or legal name"
          value={searchText}
          onChange={(e) => setSearchText(e.currentTarget.value)}
          w={260}
          type="search"
          data-testid="vendor-search"
        />
        <EnumFilter
          label="Tier"
          allLabel="All tiers"
          values={TIERS}
          value={state.tier}
          onChange={(tier) => setState({ tier })}
          testId="vendor-filter-tier"
        />
        <EnumFilter
          label="Lifecycle"
          allLabel="All stages"
          values={LIFECYCLES}
          value={state.lifecycle}
          onChange={(lifecycle) => setState({ lifecycle })}
          testId="vendor-filter-lifecycle"
        />
        <EnumFilter
          label="Service kind"
          allLabel="All kinds"
          values={SERVICE_KINDS}
          value={state.kind}
          onChange={(kind) => setState({ kind })}
          testId="vendor-filter-kind"
        />
        {filtered && (
          <Button
            variant="subtle"
            onClick={() => {
              resetSearch('');
              setState({ search: '', tier: '', lifecycle: '', kind: '' });
            }}
            data-testid="vendor-filter-clear"
          >
            Clear filters
          </Button>
        )}
      </FilterBar>

      <ListStates
        query={vendors}
        rows={8}
        isEmpty={(d) => d.items.length === 0}
        empty={
          filtered ? (
            <EmptyState title="No vendors match these filters" testId="vendor-empty">
              Try a different search term or clear the filters.
            </EmptyState>
          ) : (
            <EmptyState
              title="No vendors yet"
              testId="vendor-empty"
              action={
                canWrite && (
                  <Group>
                    <Button component={Link} to="/vendors/new">
                      Add the first vendor
                    </Button>
                    <Button component={Link} to="/import" variant="light">
                      Import from CSV
                    </Button>
                  </Group>
                )
              }
            >
              Vendors are the third parties your organization relies on. Add them one by one or import a CSV file.
            </EmptyState>
          )
        }
      >
        {(data) => (
          <Stack gap="sm">
            <Table.ScrollContainer minWidth={760}>
              <Table
                highlightOnHover
                verticalSpacing="sm"
                data-testid="vendor-table"
                style={{ opacity: vendors.isPlaceholderData ? 0.6 : 1 }}
              >
                <Table.Thead>
                  <Table.Tr>
                    <SortableTh sortKey="name" {...sortBy}>
                      Name
                    </SortableTh>
                    <SortableTh sortKey="tier" {...sortBy}>
                      Tier
                    </SortableTh>
                    <SortableTh sortKey="lifecycle" {...sortBy}>
                      Lifecycle
                    </SortableTh>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Services</Table.Th>
                    <Table.Th>Owner</Table.Th>
                    <SortableTh sortKey="updatedAt" {...sortBy} testId="sort-updated">
                      Updated
                    </SortableTh>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((v) => (
                    <Table.Tr
                      key={v.id}
                      data-testid="vendor-row"
                      data-vendor-id={v.id}
                      style={{ cursor: 'pointer' }}
                      onClick={(e) => {
                        if ((e.target as HTMLElement).closest('a,button')) return;
                        void navigate(`/vendors/${v.id}`);
                      }}
                    >
                      <Table.Td>
                        <Anchor component={Link} to={`/vendors/${v.id}`} fw={600} data-testid="vendor-row-link">
                          {v.name}
                        </Anchor>
                        {v.legalName && v.legalName !== v.name && (
                          <Text size="xs" c="dimmed">
                            {v.legalName}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <TierBadge tier={v.tier} overridden={v.tierOverridden} size="sm" />
                      </Table.Td>
                      <Table.Td>
                        <LifecycleBadge value={v.lifecycle} />
                      </Table.Td>
                      <Table.Td data-testid="vendor-row-status">
                        <VendorStatusCell status={statusOf.get(v.id)} loading={statuses.isPending} />
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          <Text size="sm">{v.serviceCount}</Text>
                          {v.serviceKinds.map((k) => (
                            <Badge key={k} variant="default" size="xs">
                              {humanize(k)}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{v.ownerName ?? '—'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDateTime(v.updatedAt)}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <ListFooter
              summary={countOf(data.total, 'vendor')}
              summaryTestId="vendor-total"
              page={page}
              totalPages={totalPages}
              onPage={(p) => setState({ page: String(p) })}
              paginationTestId="vendor-pagination"
              paginationLabel="Vendor list pages"
            />
          </Stack>
        )}
      </ListStates>
    </>
  );
}

/** The vendor's live status (level and monitoring); a dash when it could not be loaded. */
function VendorStatusCell({ status, loading }: { status: VendorStatus | undefined; loading: boolean }) {
  if (status) return <StatusBadges level={status.level} monitoring={status.monitoring} size="sm" testId="vendor-status" />;
  if (loading) return <Skeleton h={18} w={90} radius="xl" />;
  return (
    <Text size="sm" c="dimmed">
      —
    </Text>
  );
}
