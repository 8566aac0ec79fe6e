import { Anchor, Badge, Button, Card, Group, List, Modal, NativeSelect, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import { can, type ServiceView, type VendorDetail, type VendorSignalSummary } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../../app/session';
import { ConfirmButton } from '../../../../shared/components/ConfirmButton';
import { EmptyState, FormErrorAlert } from '../../../../shared/components/feedback';
import { blankToNull, humanize } from '../../../../shared/lib/format';
import { fieldBinder, pickError, useFieldErrors, type FieldErrors } from '../../../../shared/lib/forms';
import { notifyError, notifySuccess } from '../../../../shared/lib/notify';
import { useVendorSignals } from '../../../signals/api/signals';
import { StatusBadges } from '../../../signals/components/LevelBadge';
import {
  useAllServices,
  useCreateService,
  useCreateSubcontractorLink,
  useDeleteService,
  useDeleteSubcontractorLink,
  useUpdateService,
} from '../../api/services';
import { ModelList } from '../ModelList';
import { ServiceForm } from '../ServiceForm';

export function ServicesTab({ vendor }: { vendor: VendorDetail }) {
  const { role } = useCurrentUser();
  const canWrite = can(role, 'inventory.write');
  const create = useCreateService();
  const signals = useVendorSignals(vendor.id, { enabled: vendor.services.length > 0 });
  const statusOf = new Map((signals.data?.services ?? []).map((x) => [x.serviceId, x]));
  return (
    <Stack gap="lg">
      {vendor.services.length === 0 ? (
        <EmptyState title="No services recorded" testId="services-empty">
          Services are what this vendor provides: cloud infrastructure, AI model APIs, data feeds, SaaS. Internal systems depend on
          services.
        </EmptyState>
      ) : (
        <Stack gap="md" data-testid="service-list">
          {vendor.services.map((s) => (
            <ServiceCard key={s.id} service={s} vendor={vendor} canWrite={canWrite} status={statusOf.get(s.id)} />
          ))}
        </Stack>
      )}

      {canWrite && (
        <Paper withBorder p="lg" radius="md">
          <Title order={3} size="h4" mb="sm">
            Add a service
          </Title>
          <ServiceForm
            vendorId={vendor.id}
            submitLabel="Add service"
            pending={create.isPending}
            error={create.error}
            onSubmit={(body, reset) =>
              create.mutate(body, {
                onSuccess: (s) => {
                  reset();
                  create.reset();
                  notifySuccess(`${s.name} was added.`, 'Service added');
                },
              })
            }
          />
        </Paper>
      )}

      {canWrite && vendor.services.length > 0 && (
        <Paper withBorder p="lg" radius="md">
          <Title order={3} size="h4" mb={4}>
            Add a fourth-party link
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            Record that one of this vendor&apos;s services runs on a service of another vendor (a subcontractor, i.e. your fourth party).
          </Text>
          <SubcontractorLinkForm vendor={vendor} />
        </Paper>
      )}
    </Stack>
  );
}

function ServiceCard({
  service: s,
  vendor,
  canWrite,
  status,
}: {
  service: ServiceView;
  vendor: VendorDetail;
  canWrite: boolean;
  /** The service's live status; absent while it loads (or when it could not be). */
  status?: VendorSignalSummary['services'][number];
}) {
  const [editing, setEditing] = useState(false);
  const update = useUpdateService();
  const del = useDeleteService();
  const delLink = useDeleteSubcontractorLink();
  return (
    <Card withBorder radius="md" padding="lg" data-testid="service-card" data-service-id={s.id}>
      <Group justify="space-between" align="flex-start" mb="xs">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={4} data-testid="service-card-name">
              {s.name}
            </Title>
            <Badge variant="light" data-testid="service-card-kind">
              {humanize(s.kind)}
            </Badge>
            {status && <StatusBadges level={status.level} monitoring={status.monitoring} size="sm" testId="service-card-status" />}
          </Group>
          {s.description && (
            <Text size="sm" c="dimmed">
              {s.description}
            </Text>
          )}
        </Stack>
        {canWrite && (
          <Group gap="xs">
            <Button variant="subtle" size="xs" onClick={() => setEditing(true)} data-testid="service-edit">
              Edit
            </Button>
            <ConfirmButton
              title={`Delete ${s.name}?`}
              message="The service, its fourth-party links and the dependencies on it will be removed."
              loading={del.isPending}
              testId="service-delete"
              onConfirm={() =>
                del.mutateAsync(s.id).then(
                  () => notifySuccess(`${s.name} was deleted.`, 'Service deleted'),
                  (e: unknown) => notifyError(e, 'Could not delete the service'),
                )
              }
            >
              Delete
            </ConfirmButton>
          </Group>
        )}
      </Group>
      <Stack gap="sm">
        <Group gap={6}>
          <Text size="sm" fw={600}>
            Regions:
          </Text>
          {s.regions.length ? (
            s.regions.map((r) => (
              <Badge key={r} variant="outline" color="gray" size="sm" data-testid="service-region">
                {r}
              </Badge>
            ))
          ) : (
            <Text size="sm" c="dimmed">
              none recorded
            </Text>
          )}
        </Group>
        <ModelList models={s.models} />
        <div>
          <Text size="sm" fw={600}>
            Runs on
          </Text>
          {s.runsOn.length === 0 ? (
            <Text size="sm" c="dimmed">
              No fourth parties recorded.
            </Text>
          ) : (
            <List size="sm" spacing={4}>
              {s.runsOn.map((l) => (
                <List.Item key={l.id} data-testid="runs-on-link">
                  <Group gap="xs">
                    <span>
                      <Anchor component={Link} to={`/vendors/${l.subVendorId}`}>
                        {l.subVendorName}
                      </Anchor>{' '}
                      — {l.subServiceName}
                      {l.description ? (
                        <Text span c="dimmed">
                          {' '}
                          ({l.description})
                        </Text>
                      ) : null}
                    </span>
                    {canWrite && (
                      <ConfirmButton
                        title="Remove this fourth-party link?"
                        message={`${s.name} will no longer be recorded as running on ${l.subVendorName} — ${l.subServiceName}.`}
                        confirmLabel="Remove"
                        loading={delLink.isPending}
                        testId="runs-on-remove"
                        aria-label={`Remove link to ${l.subServiceName}`}
                        onConfirm={() =>
                          delLink.mutateAsync(l.id).then(
                            () => notifySuccess('The fourth-party link was removed.', 'Link removed'),
                            (e: unknown) => notifyError(e, 'Could not remove the link'),
                          )
                        }
                      >
                        Remove
                      </ConfirmButton>
                    )}
                  </Group>
                </List.Item>
              ))}
            </List>
          )}
        </div>
      </Stack>
      <Modal opened={editing} onClose={() => setEditing(false)} title={`Edit ${s.name}`} size="lg">
        <ServiceForm
          vendorId={vendor.id}
          service={s}
          submitLabel="Save service"
          pending={update.isPending}
          error={update.error}
          onCancel={() => setEditing(false)}
          onSubmit={(body) =>
            update.mutate(
              { id: s.id, body },
              {
                onSuccess: () => {
                  setEditing(false);
                  notifySuccess(`${s.name} was saved.`, 'Service saved');
                },
              },
            )
          }
        />
      </Modal>
    </Card>
  );
}

function SubcontractorLinkForm({ vendor }: { vendor: VendorDetail }) {
  const all = useAllServices();
  const create = useCreateSubcontractorLink();
  const [serviceId, setServiceId] = useState(vendor.services.length === 1 ? vendor.services[0]!.id : '');
  const [subServiceId, setSubServiceId] = useState('');
  const [description, setDescription] = useState('');
  const { errors, clientErrors, setClientErrors } = useFieldErrors(create.error);
  const field = fieldBinder(errors);

  const others = (all.data ?? []).filter((s) => s.vendorId !== vendor.id);
  const byVendor = new Map<string, ServiceView[]>();
  for (const s of others) byVendor.set(s.vendorName, [...(byVendor.get(s.vendorName) ?? []), s]);
  const groups = [...byVendor.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, items]) => ({ group, items: items.map((s) => ({ value: s.id, label: `${s.name} (${humanize(s.kind)})` })) }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: FieldErrors = {};
    if (!serviceId) errs['serviceId'] = 'Choose one of this vendor’s services';
    if (!subServiceId) errs['subServiceId'] = 'Choose the service it runs on';
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    create.mutate(
      { serviceId, subServiceId, description: blankToNull(description) },
      {
        onSuccess: (l) => {
          setSubServiceId('');
          setDescription('');
          create.reset();
          notifySuccess(`Now recorded as running on ${l.subVendorName} — ${l.subServiceName}.`, 'Fourth-party link added');
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate data-testid="subcontractor-form">
      <Stack gap="sm" maw={720}>
        <NativeSelect
          label="Service of this vendor"
          required
          data={[{ value: '', label: 'Choose…', disabled: true }, ...vendor.services.map((s) => ({ value: s.id, label: s.name }))]}
          {...field('serviceId', serviceId, setServiceId, 'subcontractor-service')}
        />
        <NativeSelect
          label="Runs on (service of another vendor)"
          required
          disabled={all.isPending}
          data={[
            {
              value: '',
              label: all.isPending ? 'Loading services…' : others.length ? 'Choose…' : 'No other vendor has services yet',
              disabled: true,
            },
            ...groups,
          ]}
          value={subServiceId}
          onChange={(e) => setSubServiceId(e.currentTarget.value)}
          error={pickError(errors, 'subServiceId') ?? (all.isError ? 'Could not load services' : undefined)}
          data-testid="subcontractor-sub-service"
        />
        <Textarea
          label="Internal notes"
          description="Never shown to the vendor"
          autosize
          minRows={1}
          {...field('description', description, setDescription, 'subcontractor-description')}
        />
        <FormErrorAlert
          error={Object.keys(clientErrors).length ? undefined : create.error}
          shownFields={['serviceId', 'subServiceId', 'description']}
        />
        <Group>
          <Button type="submit" loading={create.isPending} data-testid="subcontractor-submit">
            Add link
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
