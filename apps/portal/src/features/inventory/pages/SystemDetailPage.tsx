import { Alert, Anchor, Badge, Breadcrumbs, Button, Group, List, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure, useDocumentTitle } from '@mantine/hooks';
import { Link, useNavigate, useParams } from 'react-router';

import { can } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { isApiError } from '../../../shared/api/client';
import { CriticalityBadge } from '../../../shared/components/badges';
import { ConfirmButton } from '../../../shared/components/ConfirmButton';
import { EmptyState, ErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { KeyValue, KeyValueGrid } from '../../../shared/components/KeyValue';
import { NotFoundPage } from '../../../shared/components/NotFoundPage';
import { formatMinutes, humanize } from '../../../shared/lib/format';
import { notifyError, notifySuccess } from '../../../shared/lib/notify';
import { useCreateDependency, useDeleteDependency, useDeleteSystem, useSystem, useUpdateSystem, type SystemDetail } from '../api/systems';
import { DependencyForm } from '../components/DependencyForm';
import { DependencyTable } from '../components/DependencyTable';
import { SystemForm } from '../components/SystemForm';

export function SystemDetailPage() {
  const { id = '' } = useParams();
  const system = useSystem(id);
  if (system.isPending) return <PageLoader />;
  if (system.isError) {
    if (isApiError(system.error) && system.error.isNotFoundLike)
      return <NotFoundPage message="This system does not exist, or you do not have access to it." />;
    return <ErrorAlert error={system.error} onRetry={() => void system.refetch()} />;
  }
  return <SystemDetailView system={system.data} />;
}

function SystemDetailView({ system: s }: { system: SystemDetail }) {
  useDocumentTitle(`${s.name} · Internal systems · Bulwark`);
  const { role } = useCurrentUser();
  const canWrite = can(role, 'inventory.write');
  const navigate = useNavigate();
  const [editing, edit] = useDisclosure(false);
  const update = useUpdateSystem(s.id);
  const del = useDeleteSystem();
  const addDep = useCreateDependency();
  const delDep = useDeleteDependency();
  const spofs = s.dependencies.filter((d) => d.singlePointOfFailure);

  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/systems">
          Internal systems
        </Anchor>
        <span>{s.name}</span>
      </Breadcrumbs>
      <Paper withBorder p="lg" radius="md" mb="lg">
        <Group justify="space-between" align="flex-start" mb="md">
          <Stack gap={6}>
            <Group gap="sm">
              <Title order={2} data-testid="system-title">
                {s.name}
              </Title>
              <CriticalityBadge value={s.criticality} size="md" />
              {s.isAiSystem && (
                <Badge variant="light" color="violet">
                  AI system
                </Badge>
              )}
            </Group>
            {s.description && (
              <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                {s.description}
              </Text>
            )}
          </Stack>
          {canWrite && (
            <Group gap="xs">
              <Button variant="light" onClick={edit.open} data-testid="system-edit-button">
                Edit system
              </Button>
              <ConfirmButton
                title={`Delete ${s.name}?`}
                message="The system and all its dependencies will be removed. This cannot be undone."
                size="sm"
                variant="light"
                loading={del.isPending}
                testId="system-delete"
                onConfirm={() =>
                  del.mutateAsync(s.id).then(
                    () => {
                      notifySuccess(`${s.name} was deleted.`, 'System deleted');
                      void navigate('/systems');
                    },
                    (e: unknown) => notifyError(e, 'Could not delete the system'),
                  )
                }
              >
                Delete
              </ConfirmButton>
            </Group>
          )}
        </Group>
        <KeyValueGrid cols={5}>
          <KeyValue label="Risk class">{humanize(s.riskClass)}</KeyValue>
          <KeyValue label="Owner">{s.ownerName}</KeyValue>
          <KeyValue label="Required RTO" testId="system-rto-value">
            {formatMinutes(s.requiredRtoMinutes)}
          </KeyValue>
          <KeyValue label="Required RPO" testId="system-rpo-value">
            {formatMinutes(s.requiredRpoMinutes)}
          </KeyValue>
          <KeyValue label="Dependencies">{s.dependencies.length}</KeyValue>
        </KeyValueGrid>
      </Paper>

      <Title order={3} size="h4" mb="sm">
        Dependencies
      </Title>
      {spofs.length > 0 && (
        <Alert
          color="red"
          variant="light"
          mb="md"
          title={`${spofs.length} single point${spofs.length === 1 ? '' : 's'} of failure`}
          data-testid="system-spof-alert"
        >
          <List size="sm">
            {spofs.map((d) => (
              <List.Item key={d.id}>
                {d.serviceName} ({d.vendorName}): critical, with no independent alternative service. A contingency plan does not count until
                a joint DR test has exercised it.
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {s.dependencies.length === 0 ? (
        <EmptyState title="No dependencies recorded" testId="system-dependencies-empty">
          Add the vendor services this system needs to run. Systems without alternatives for critical services are flagged as single points
          of failure.
        </EmptyState>
      ) : (
        <Paper withBorder radius="md">
          <DependencyTable
            dependencies={s.dependencies}
            show="service"
            actions={
              canWrite
                ? (d) => (
                    <ConfirmButton
                      title="Remove this dependency?"
                      message={`${s.name} will no longer be recorded as depending on ${d.serviceName} (${d.vendorName}).`}
                      confirmLabel="Remove"
                      testId="dependency-delete"
                      aria-label={`Remove dependency on ${d.serviceName}`}
                      onConfirm={() =>
                        delDep.mutateAsync(d.id).then(
                          () => notifySuccess('The dependency was removed.', 'Dependency removed'),
                          (e: unknown) => notifyError(e, 'Could not remove the dependency'),
                        )
                      }
                    >
                      Remove
                    </ConfirmButton>
                  )
                : undefined
            }
          />
        </Paper>
      )}

      {canWrite && (
        <Paper withBorder p="lg" radius="md" mt="lg">
          <Title order={3} size="h4" mb="sm">
            Add dependency
          </Title>
          <DependencyForm
            systemId={s.id}
            pending={addDep.isPending}
            error={addDep.error}
            onSubmit={(body, reset) =>
              addDep.mutate(body, {
                onSuccess: (d) => {
                  reset();
                  addDep.reset();
                  notifySuccess(`${s.name} now depends on ${d.serviceName} (${d.vendorName}).`, 'Dependency added');
                },
              })
            }
          />
        </Paper>
      )}

      <Modal opened={editing} onClose={edit.close} title={`Edit ${s.name}`} size="lg">
        <SystemForm
          system={s}
          submitLabel="Save system"
          pending={update.isPending}
          error={update.error}
          onCancel={edit.close}
          onSubmit={(body) =>
            update.mutate(body, {
              onSuccess: () => {
                edit.close();
                notifySuccess('The system was saved.', 'Saved');
              },
            })
          }
        />
      </Modal>
    </>
  );
}
