import { Anchor, Button, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { Link } from 'react-router';

import { CAMPAIGN_STATUSES, can } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { TableHead, useRowLink } from '../../../shared/components/DataTable';
import { EmptyState } from '../../../shared/components/feedback';
import { countOf, EnumFilter, FilterBar, ListFooter, ListStates, pageCount, pageParam } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { formatDate } from '../../../shared/lib/format';
import { useDebouncedInput, useUrlState } from '../../../shared/lib/useUrlState';
import { useCampaigns } from '../api/campaigns';
import { CampaignStatusBadge, recurrenceLabel } from '../components/campaignBadges';

const PAGE_SIZE = 25;

/** `/questionnaire-campaigns`: questionnaires sent to many vendors at once, once or recurring. */
export function CampaignsPage() {
  const user = useCurrentUser();
  const rowLink = useRowLink();
  const [state, setState] = useUrlState({ search: '', status: '', page: '1' });
  const [searchText, setSearchText, resetSearch] = useDebouncedInput(state.search, (search) => setState({ search }));
  const page = pageParam(state.page);
  const campaigns = useCampaigns({ search: state.search || undefined, status: state.status || undefined, page, pageSize: PAGE_SIZE });
  const filtered = !!(state.search || state.status);
  return (
    <>
      <PageHeader
        title="Questionnaire campaigns"
        testId="campaigns-title"
        description="One questionnaire sent to every vendor a filter targets, once or on a recurrence; later cycles start from the vendor's last accepted answers."
        actions={
          can(user.role, 'questionnaire_campaign.write') ? (
            <Button component={Link} to="/questionnaire-campaigns/new" data-testid="campaign-new-button">
              New campaign
            </Button>
          ) : undefined
        }
      />
      <FilterBar>
        <TextInput
          label="Search"
          placeholder="Campaign name"
          value={searchText}
          onChange={(e) => setSearchText(e.currentTarget.value)}
          w={260}
          type="search"
          data-testid="campaign-search"
        />
        <EnumFilter
          label="Status"
          allLabel="All statuses"
          values={CAMPAIGN_STATUSES}
          value={state.status}
          onChange={(status) => setState({ status })}
          testId="campaign-filter-status"
        />
        {filtered && (
          <Button
            variant="subtle"
            onClick={() => {
              resetSearch('');
              setState({ search: '', status: '' });
            }}
          >
            Clear filters
          </Button>
        )}
      </FilterBar>
      <ListStates
        query={campaigns}
        rows={4}
        isEmpty={(d) => d.items.length === 0}
        empty={
          <EmptyState title={filtered ? 'No campaigns match these filters' : 'No campaigns yet'} testId="campaign-empty">
            {filtered
              ? 'Try a different search term, or clear the filters.'
              : 'Send a published template to every critical vendor, say, every year.'}
          </EmptyState>
        }
      >
        {(data) => (
          <Stack gap="sm">
            <Paper withBorder radius="md">
              <Table.ScrollContainer minWidth={820}>
                <Table highlightOnHover verticalSpacing="sm" data-testid="campaign-table">
                  <TableHead columns={['Campaign', 'Vendors', 'Recurrence', 'Next cycle', 'Requests', 'Status']} />
                  <Table.Tbody>
                    {data.items.map((c) => (
                      <Table.Tr
                        key={c.id}
                        data-testid="campaign-row"
                        data-campaign-id={c.id}
                        {...rowLink(`/questionnaire-campaigns/${c.id}`)}
                      >
                        <Table.Td>
                          <Anchor component={Link} to={`/questionnaire-campaigns/${c.id}`} fw={600} data-testid="campaign-row-link">
                            {c.name}
                          </Anchor>
                          <Text size="xs" c="dimmed">
                            {c.templateName}, version {c.templateVersion}
                          </Text>
                        </Table.Td>
                        <Table.Td>{c.filterSummary}</Table.Td>
                        <Table.Td>{recurrenceLabel(c.recurrence)}</Table.Td>
                        <Table.Td>{c.nextCycleOn ? formatDate(c.nextCycleOn) : '—'}</Table.Td>
                        <Table.Td data-testid="campaign-row-counts">
                          <Group gap={6} wrap="nowrap">
                            <Text size="sm">
                              {c.requests.total} sent · {c.requests.byStatus.accepted ?? 0} accepted
                            </Text>
                            {c.requests.overdue > 0 && (
                              <Text size="sm" c="red.7">
                                · {c.requests.overdue} overdue
                              </Text>
                            )}
                          </Group>
                        </Table.Td>
                        <Table.Td>
                          <CampaignStatusBadge status={c.status} testId="campaign-row-status" />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
            <ListFooter
              summary={countOf(data.total, 'campaign')}
              summaryTestId="campaign-total"
              page={page}
              totalPages={pageCount(data)}
              onPage={(p) => setState({ page: String(p) })}
              paginationTestId="campaign-pagination"
            />
          </Stack>
        )}
      </ListStates>
    </>
  );
}
