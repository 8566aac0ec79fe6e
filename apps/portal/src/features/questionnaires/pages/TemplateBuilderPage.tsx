import { Alert, Anchor, Badge, Breadcrumbs, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';

import { can } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { isApiError } from '../../../shared/api/client';
import { ErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { NotFoundPage } from '../../../shared/components/NotFoundPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { notifyError, notifySuccess } from '../../../shared/lib/notify';
import { useNewTemplateDraft, useTemplate } from '../api/templates';
import { TemplateStatusBadge } from '../components/templateBadges';
import { TemplateBuilder } from '../components/TemplateBuilder';

/**
 * `/questionnaires/:id/edit`: the builder of the template's draft. A template without a draft (its versions all
 * published, so frozen) is not edited here: the page offers a new draft from the latest version instead.
 */
export function TemplateBuilderPage() {
  const { id = '' } = useParams();
  const user = useCurrentUser();
  const template = useTemplate(id);
  const newDraft = useNewTemplateDraft(id);
  // Bumped to start the builder again from the stored draft (after someone else saved it).
  const [generation, setGeneration] = useState(0);
  if (template.isError) {
    if (isApiError(template.error) && template.error.isNotFoundLike)
      return <NotFoundPage message="This template does not exist, or you do not have access to it." />;
    return <ErrorAlert error={template.error} onRetry={() => void template.refetch()} />;
  }
  const t = template.data;
  if (!t) return <PageLoader />;
  const v = t.current;
  const writer = can(user.role, 'questionnaire_template.write');
  const editable = writer && v.status === 'draft' && t.status !== 'archived';
  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/questionnaires">
          Questionnaires
        </Anchor>
        <Anchor component={Link} to={`/questionnaires/${t.id}`}>
          {t.name}
        </Anchor>
        <span>{editable ? `Edit draft v${v.version}` : `Version ${v.version}`}</span>
      </Breadcrumbs>
      <PageHeader
        title={
          <Group gap="sm">
            <span data-testid="builder-title">{editable ? `Edit draft version ${v.version}` : t.name}</span>
            {t.status === 'archived' ? (
              <TemplateStatusBadge status={t.status} />
            ) : (
              <Badge
                color={v.status === 'draft' ? 'blue' : 'teal'}
                variant="light"
                data-testid="builder-version-status"
                data-status={v.status}
              >
                {v.status === 'draft' ? 'Draft' : 'Published'}
              </Badge>
            )}
          </Group>
        }
        docTitle={`Edit ${t.name}`}
        description={editable ? t.name : undefined}
      />
      {editable ? (
        <TemplateBuilder
          key={`${t.id}-${v.version}-${generation}`}
          t={t}
          onReload={() => void template.refetch().then(() => setGeneration((g) => g + 1))}
        />
      ) : (
        <Alert color="blue" variant="light" title="This version is read-only" data-testid="builder-read-only">
          <Text size="sm" mb="sm">
            {t.status === 'archived'
              ? 'The template is archived: restore it to edit it.'
              : !writer
                ? 'Only admins and vendor managers edit templates.'
                : `Version ${v.version} is published and frozen: what vendors were asked never changes. Changes go into a new draft.`}
          </Text>
          <Group gap="sm">
            {writer && t.status !== 'archived' && v.status === 'published' && (
              <Button
                onClick={() =>
                  newDraft.mutate(v.version, {
                    onSuccess: (x) => notifySuccess(`Draft version ${x.draftVersion} opened from version ${v.version}.`, 'New draft'),
                    onError: (e) => notifyError(e, 'No draft created'),
                  })
                }
                loading={newDraft.isPending}
                data-testid="builder-new-draft"
              >
                New draft from version {v.version}
              </Button>
            )}
            <Button component={Link} to={`/questionnaires/${t.id}`} variant="default">
              Back to the template
            </Button>
          </Group>
        </Alert>
      )}
    </>
  );
}
