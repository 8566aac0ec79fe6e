import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Code,
  Group,
  List,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { can, type TemplateDetail } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { isApiError } from '../../../shared/api/client';
import { ConfirmButton } from '../../../shared/components/ConfirmButton';
import { ErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { NotFoundPage } from '../../../shared/components/NotFoundPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { formatDateTime } from '../../../shared/lib/format';
import { notifyError, notifySuccess } from '../../../shared/lib/notify';
import { useArchiveTemplate, useNewTemplateDraft, usePublishTemplate, useTemplate } from '../api/templates';
import { SendTemplateButton } from '../components/SendTemplateButton';
import { TemplateStatusBadge } from '../components/templateBadges';
import { TemplateStructure } from '../components/TemplateStructure';
import { VendorPreview } from '../components/VendorPreview';

function Actions({ t }: { t: TemplateDetail }) {
  const user = useCurrentUser();
  const publish = usePublishTemplate(t.id);
  const newDraft = useNewTemplateDraft(t.id);
  const archive = useArchiveTemplate(t.id);
  const navigate = useNavigate();
  const writer = can(user.role, 'questionnaire_template.write');
  const draft = t.current.status === 'draft' ? t.current : null;
  return (
    <Group gap="sm">
      <SendTemplateButton t={t} />
      <Button
        component="a"
        variant="default"
        href={`/api/questionnaire-templates/${t.id}/versions/${t.current.version}/export`}
        download
        data-testid="template-export"
      >
        Export JSON
      </Button>
      {writer && t.status !== 'archived' && draft && (
        <Tooltip label={`${draft.problems.length} problem(s) to fix first`} disabled={!draft.problems.length} withArrow>
          <Button
            onClick={() =>
              publish.mutate(
                { version: draft.version, revision: draft.revision },
                {
                  onSuccess: (x) =>
                    notifySuccess(
                      `Version ${draft.version} is published and frozen (${x.current.contentHash.slice(0, 12)}…).`,
                      'Published',
                    ),
                  onError: (e) => notifyError(e, 'Not published'),
                },
              )
            }
            loading={publish.isPending}
            disabled={draft.problems.length > 0}
            data-testid="template-publish"
          >
            Publish version {draft.version}
          </Button>
        </Tooltip>
      )}
      {writer && t.status !== 'archived' && draft && (
        <Button component={Link} to={`/questionnaires/${t.id}/edit`} variant="light" data-testid="template-edit-draft">
          Edit draft
        </Button>
      )}
      {writer && t.status !== 'archived' && !draft && (
        <Button
          variant="light"
          onClick={() =>
            newDraft.mutate(undefined, {
              onSuccess: (x) => {
                notifySuccess(`Draft version ${x.draftVersion} opened from version ${t.latestPublishedVersion}.`, 'New draft');
                void navigate(`/questionnaires/${t.id}/edit`);
              },
              onError: (e) => notifyError(e, 'No draft created'),
            })
          }
          loading={newDraft.isPending}
          data-testid="template-new-draft"
        >
          New draft from this version
        </Button>
      )}
      {writer &&
        (t.status === 'archived' ? (
          <Button variant="subtle" onClick={() => archive.mutate(false)} loading={archive.isPending} data-testid="template-restore">
            Restore
          </Button>
        ) : (
          <ConfirmButton
            title="Archive this template?"
            message="It leaves the list of active templates and takes no new drafts. Published versions stay as they are, and it can be restored."
            confirmLabel="Archive"
            onConfirm={() => archive.mutateAsync(true)}
            loading={archive.isPending}
            size="sm"
            testId="template-archive"
          >
            Archive
          </ConfirmButton>
        ))}
    </Group>
  );
}

/** `/questionnaires/:id`: a template's version (the draft if open, else the latest published), its history, and the vendor preview. */
export function TemplatePage() {
  const { id = '' } = useParams();
  const template = useTemplate(id);
  const [view, setView] = useState<'structure' | 'preview'>('structure');
  const user = useCurrentUser();
  const newDraft = useNewTemplateDraft(id);
  const navigate = useNavigate();
  if (template.isError) {
    if (isApiError(template.error) && template.error.isNotFoundLike)
      return <NotFoundPage message="This template does not exist, or you do not have access to it." />;
    return <ErrorAlert error={template.error} onRetry={() => void template.refetch()} />;
  }
  const t = template.data;
  if (!t) return <PageLoader />;
  const v = t.current;
  // A new draft from any published version, while none is open.
  const canBranch = can(user.role, 'questionnaire_template.write') && t.status !== 'archived' && t.draftVersion === null;
  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/questionnaires">
          Questionnaires
        </Anchor>
        <span>{t.name}</span>
      </Breadcrumbs>
      <PageHeader
        title={
          <Group gap="sm">
            <span data-testid="template-title">{t.name}</span>
            <TemplateStatusBadge status={t.status} />
            {t.builtIn && <Badge variant="outline">Built-in</Badge>}
          </Group>
        }
        docTitle={t.name}
        description={t.description || undefined}
        actions={<Actions t={t} />}
      />
      <Paper withBorder p="sm" radius="md" mb="md" data-testid="template-version" data-version={v.version} data-version-status={v.status}>
        <Group gap="lg" wrap="wrap">
          <Text size="sm">
            Showing <b>version {v.version}</b> ({v.status === 'draft' ? `draft, revision ${v.revision}` : 'published'}) · {v.questionCount}{' '}
            questions in {v.sectionCount} sections
          </Text>
          <Text size="sm" c="dimmed">
            {v.status === 'published'
              ? `Published ${formatDateTime(v.publishedAt)}${v.publishedByName ? ` by ${v.publishedByName}` : ''}`
              : `Saved ${formatDateTime(v.updatedAt)}`}
          </Text>
          <Tooltip label="SHA-256 of the canonical content: what a request will snapshot" withArrow>
            <Code data-testid="template-hash">{v.contentHash.slice(0, 16)}…</Code>
          </Tooltip>
          {v.source && v.source.format !== 'manual' && (
            <Text size="sm" c="dimmed" data-testid="template-source">
              From{' '}
              {v.source.format === 'vsaq'
                ? 'a VSAQ questionnaire'
                : v.source.format === 'builtin'
                  ? 'Bulwark (built in)'
                  : 'a Bulwark file'}
              {v.source.fileName ? ` (${v.source.fileName})` : ''}
            </Text>
          )}
        </Group>
      </Paper>
      {v.status === 'draft' && v.problems.length > 0 && (
        <Alert color="orange" variant="light" mb="md" title="To fix before publishing" data-testid="template-problems">
          <List size="sm" spacing={2}>
            {v.problems.map((p, i) => (
              <List.Item key={i} data-testid="template-problem">
                <Code>{p.path}</Code> {p.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      <SegmentedControl
        mb="md"
        value={view}
        onChange={(x) => setView(x as 'structure' | 'preview')}
        data={[
          { value: 'structure', label: 'Questions' },
          { value: 'preview', label: 'Preview as the vendor' },
        ]}
        data-testid="template-view"
      />
      {view === 'structure' ? (
        <TemplateStructure doc={v.content} />
      ) : (
        <VendorPreview key={`${t.id}-${v.version}-${v.revision}`} doc={v.content} />
      )}
      <Stack gap="xs" mt="xl">
        <Text fw={600}>Versions</Text>
        <Paper withBorder radius="md">
          <Table verticalSpacing="xs" data-testid="template-versions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Version</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Questions</Table.Th>
                <Table.Th>Published</Table.Th>
                <Table.Th>Content hash</Table.Th>
                {canBranch && (
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {t.versions.map((x) => (
                <Table.Tr key={x.version} data-testid="template-version-row" data-version={x.version} data-status={x.status}>
                  <Table.Td>v{x.version}</Table.Td>
                  <Table.Td>{x.status === 'draft' ? `Draft (revision ${x.revision})` : 'Published'}</Table.Td>
                  <Table.Td>{x.questionCount}</Table.Td>
                  <Table.Td>
                    {x.publishedAt ? `${formatDateTime(x.publishedAt)}${x.publishedByName ? ` · ${x.publishedByName}` : ''}` : '—'}
                  </Table.Td>
                  <Table.Td>
                    <Code>{x.contentHash.slice(0, 16)}…</Code>
                  </Table.Td>
                  {canBranch && (
                    <Table.Td>
                      {x.status === 'published' && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          loading={newDraft.isPending && newDraft.variables === x.version}
                          onClick={() =>
                            newDraft.mutate(x.version, {
                              onSuccess: (d) => {
                                notifySuccess(`Draft version ${d.draftVersion} opened from version ${x.version}.`, 'New draft');
                                void navigate(`/questionnaires/${t.id}/edit`);
                              },
                              onError: (e) => notifyError(e, 'No draft created'),
                            })
                          }
                          data-testid="template-version-new-draft"
                        >
                          New draft from this version
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      </Stack>
    </>
  );
}
