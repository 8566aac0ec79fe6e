import { Anchor, Badge, Button, Group, Modal, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link } from 'react-router';

import { can, TEMPLATE_LIST_STATUSES } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { TableHead, useRowLink } from '../../../shared/components/DataTable';
import { EmptyState } from '../../../shared/components/feedback';
import { countOf, EnumFilter, FilterBar, ListFooter, ListStates, pageCount, pageParam } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { formatDateTime } from '../../../shared/lib/format';
import { useDebouncedInput, useUrlState } from '../../../shared/lib/useUrlState';
import { useTemplates } from '../api/templates';
import { ImportTemplateForm } from '../components/ImportTemplateForm';
import { NewTemplateForm } from '../components/NewTemplateForm';
import { TemplateStatusBadge } from '../components/templateBadges';

const PAGE_SIZE = 25;

/** `/questionnaires`: the organization's DR questionnaire templates. */
export function TemplatesPage() {
  const user = useCurrentUser();
  const [importOpened, importer] = useDisclosure(false);
  const [newOpened, creator] = useDisclosure(false);
  const [state, setState] = useUrlState({ search: '', status: '', page: '1' });
  const [searchText, setSearchText, resetSearch] = useDebouncedInput(state.search, (search) => setState({ search }));
  const page = pageParam(state.page);
  const templates = useTemplates({ search: state.search || undefined, status: state.status || undefined, page, pageSize: PAGE_SIZE });
  const rowLink = useRowLink();
  const filtered = !!(state.search || state.status);
  return (
    <>
      <PageHeader
        title="Questionnaires"
        testId="templates-title"
        description="DR questionnaire templates: versioned, published before vendors are asked, each question mapped to ISO/IEC 42001 Annex A and ISO 22301."
        actions={
          can(user.role, 'questionnaire_template.write') ? (
            <Group gap="sm">
              <Button onClick={creator.open} data-testid="template-new-button">
                New template
              </Button>
              <Button variant="default" onClick={importer.open} data-testid="template-import-button">
                Import a template
              </Button>
            </Group>
          ) : undefined
        }
      />
      <FilterBar>
        <TextInput
          label="Search"
          placeholder="Name or description"
          value={searchText}
          onChange={(e) => setSearchText(e.currentTarget.value)}
          w={280}
          type="search"
          data-testid="template-search"
        />
        <EnumFilter
          label="Status"
          allLabel="Active"
          values={TEMPLATE_LIST_STATUSES.filter((s) => s !== 'active')}
          value={state.status}
          onChange={(status) => setState({ status })}
          testId="template-filter-status"
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
        query={templates}
        rows={4}
        isEmpty={(d) => d.items.length === 0}
        empty={
          <EmptyState title={filtered ? 'No templates match these filters' : 'No templates'} testId="template-empty">
            {filtered
              ? 'Try a different search term, or clear the filters.'
              : 'Create a template, or import a VSAQ questionnaire or a Bulwark template, to start.'}
          </EmptyState>
        }
      >
        {(data) => (
          <Stack gap="sm">
            <Paper withBorder radius="md">
              <Table.ScrollContainer minWidth={720}>
                <Table
                  highlightOnHover
                  verticalSpacing="sm"
                  data-testid="template-table"
                  style={{ opacity: templates.isPlaceholderData ? 0.6 : 1 }}
                >
                  <TableHead columns={['Template', 'Latest version', 'Status', 'Questions', 'Updated']} />
                  <Table.Tbody>
                    {data.items.map((t) => (
                      <Table.Tr key={t.id} data-testid="template-row" data-template-id={t.id} {...rowLink(`/questionnaires/${t.id}`)}>
                        <Table.Td>
                          <Group gap={6}>
                            <Anchor component={Link} to={`/questionnaires/${t.id}`} fw={600} data-testid="template-row-link">
                              {t.name}
                            </Anchor>
                            {t.builtIn && (
                              <Badge size="xs" variant="outline">
                                Built-in
                              </Badge>
                            )}
                          </Group>
                        </Table.Td>
                        <Table.Td data-testid="template-row-version">
                          {t.latestPublishedVersion ? `v${t.latestPublishedVersion}` : '—'}
                          {t.draftVersion && (
                            <Text span size="xs" c="dimmed">
                              {' '}
                              (draft v{t.draftVersion})
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <TemplateStatusBadge status={t.status} testId="template-row-status" />
                        </Table.Td>
                        <Table.Td data-testid="template-row-questions">{t.questionCount}</Table.Td>
                        <Table.Td>
                          <Text size="sm">{formatDateTime(t.updatedAt)}</Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
            <ListFooter
              summary={countOf(data.total, 'template')}
              summaryTestId="template-total"
              page={page}
              totalPages={pageCount(data)}
              onPage={(p) => setState({ page: String(p) })}
              paginationTestId="template-pagination"
            />
          </Stack>
        )}
      </ListStates>
      <Modal opened={importOpened} onClose={importer.close} title="Import a questionnaire template" size="lg" centered>
        <ImportTemplateForm onCancel={importer.close} />
      </Modal>
      <Modal opened={newOpened} onClose={creator.close} title="New questionnaire template" size="lg" centered>
        <NewTemplateForm onCancel={creator.close} />
      </Modal>
    </>
  );
}
