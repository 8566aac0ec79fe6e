import { Anchor, Badge, Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useNavigate } from 'react-router';

import { can, CRITICALITIES, RISK_CLASSES } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { CriticalityBadge } from '../../../shared/components/badges';
import { useRowLink } from '../../../shared/components/DataTable';
import { EmptyState } from '../../../shared/components/feedback';
import { countOf, EnumFilter, FilterBar, ListFooter, ListStates, pageCount, pageParam } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { SortableTh, sortProps } from '../../../shared/components/SortableTh';
import { formatMinutes, humanize } from '../../../shared/lib/format';
import { notifySuccess } from '../../../shared/lib/notify';
import { useDebouncedInput, useUrlState } from '../../../shared/lib/useUrlState';
import { useCreateSystem, useSystems } from '../api/systems';
import { SystemForm } from '../components/SystemForm';

const PAGE_SIZE = 25;

export function SystemsPage() {
  const { role } = useCurrentUser();
  const canWrite = can(role, 'inventory.write');
  const navigate = useNavigate();
  const rowLink = useRowLink();
  const [opened, { open, close }] = useDisclosure(false);
  const create = useCreateSystem();
  const [state, setState] = useUrlState({ search: '', riskClass: '', criticality: '', sort: 'name', page: '1' });
  const sortBy = sortProps(state.sort, (sort) => setState({ sort }));
  const [searchText, setSearchText, resetSearch] = useDebouncedInput(state.search, (search) => setState({ search }));
  const page = pageParam(state.page);
  const systems = useSystems({
    search: state.search || undefined,
    riskClass: state.riskClass || undefined,
    criticality: state.criticality || undefined,
    sort: state.sort,
    page,
    pageSize: PAGE_SIZE,
  });
  const data = systems.data;
  const totalPages = pageCount(data);
  const filtered = !!(state.search || state.riskClass || state.criticality);

  return (
    <>
      <PageHeader
        title="Internal systems"
        testId="systems-title"
        description="Your AI and business systems, their recovery objectives and what they depend on."
        actions={
          canWrite && (
            <Button onClick={open} data-testid="new-system-button">
              + New system
            </Button>
          )
        }
      />
      <FilterBar>
        <TextInput
          label="Search"
          placeholder="System name"
          type="search"
          value={searchText}
          onChange={(e) => setSearchText(e.currentTarget.value)}
          w={260}
          data-testid="system-search"
        />
        <EnumFilter
          label="Risk class"
          allLabel="All classes"
          values={RISK_CLASSES}
          value={state.riskClass}
          onChange={(riskClass) => setState({ riskClass })}
          testId="system-filter-risk-class"
        />
        <EnumFilter
          label="Criticality"
          allLabel="All"
          values={CRITICALITIES}
          value={state.criticality}
          onChange={(criticality) => setState({ criticality })}
          testId="system-filter-criticality"
        />
        {filtered && (
          <Button
            variant="subtle"
            onClick={() => {
              resetSearch('');
              setState({ search: '', riskClass: '', criticality: '' });
            }}
          >
            Clear filters
          </Button>
        )}
      </FilterBar>

      <ListStates
        query={systems}
        rows={6}
        isEmpty={(d) => d.items.length === 0}
        empty={
          <EmptyState
            title={filtered ? 'No systems match these filters' : 'No internal systems yet'}
            testId="systems-empty"
            action={
              canWrite && !filtered ? (
                <Button onClick={open} variant="light">
                  Add the first system
                </Button>
              ) : undefined
            }
          >
            {filtered
              ? 'Try a different search term or clear the filters.'
              : 'Internal systems are what your organization runs (e.g. a credit-scoring model). Record them with their RTO/RPO, then link the vendor services they depend on.'}
          </EmptyState>
        }
      >
        {(data) => (
          <Stack gap="sm">
            <Table.ScrollContainer minWidth={820}>
              <Table
                highlightOnHover
                verticalSpacing="sm"
                data-testid="system-table"
                style={{ opacity: systems.isPlaceholderData ? 0.6 : 1 }}
              >
                <Table.Thead>
                  <Table.Tr>
                    <SortableTh sortKey="name" {...sortBy} testId="system-sort-name">
                      Name
                    </SortableTh>
                    <SortableTh sortKey="riskClass" {...sortBy} testId="system-sort-risk-class">
                      Risk class
                    </SortableTh>
                    <SortableTh sortKey="criticality" {...sortBy} testId="system-sort-criticality">
                      Criticality
                    </SortableTh>
                    <SortableTh sortKey="requiredRtoMinutes" {...sortBy} testId="system-sort-rto">
                      RTO
                    </SortableTh>
                    <Table.Th>RPO</Table.Th>
                    <Table.Th>Dependencies</Table.Th>
                    <Table.Th>SPOFs</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((s) => (
                    <Table.Tr key={s.id} data-testid="system-row" data-system-id={s.id} {...rowLink(`/systems/${s.id}`)}>
                      <Table.Td>
                        <Group gap={6}>
                          <Anchor component={Link} to={`/systems/${s.id}`} fw={600}>
                            {s.name}
                          </Anchor>
                          {s.isAiSystem && (
                            <Badge size="xs" variant="light" color="violet">
                              AI
                            </Badge>
                          )}
                        </Group>
                        {s.ownerName && (
                          <Text size="xs" c="dimmed">
                            {s.ownerName}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{humanize(s.riskClass)}</Table.Td>
                      <Table.Td>
                        <CriticalityBadge value={s.criticality} />
                      </Table.Td>
                      <Table.Td data-testid="system-rto-value">{formatMinutes(s.requiredRtoMinutes)}</Table.Td>
                      <Table.Td data-testid="system-rpo-value">{formatMinutes(s.requiredRpoMinutes)}</Table.Td>
                      <Table.Td>{s.dependencyCount}</Table.Td>
                      <Table.Td>
                        {s.singlePointsOfFailure > 0 ? (
                          <Badge color="red" variant="filled" size="sm" data-testid="system-spof-count">
                            {s.singlePointsOfFailure}
                          </Badge>
                        ) : (
                          <Text size="sm" c="dimmed">
                            0
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <ListFooter
              summary={countOf(data.total, 'system')}
              page={page}
              totalPages={totalPages}
              onPage={(p) => setState({ page: String(p) })}
              paginationTestId="system-pagination"
            />
          </Stack>
        )}
      </ListStates>

      <Modal opened={opened} onClose={close} title="New internal system" size="lg">
        <SystemForm
          submitLabel="Create system"
          pending={create.isPending}
          error={create.error}
          onCancel={close}
          onSubmit={(body) =>
            create.mutate(body, {
              onSuccess: (s) => {
                close();
                create.reset();
                notifySuccess(`${s.name} was created.`, 'System created');
                void navigate(`/systems/${s.id}`);
              },
            })
          }
        />
      </Modal>
    </>
  );
}
