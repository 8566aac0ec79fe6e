import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  List,
  MultiSelect,
  NativeSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';

import { AUDIT_MODES, AUDITOR_KINDS, createAuditSchema, type Entitlement } from '@bulwark/api-schema';

import { ErrorAlert, FormErrorAlert } from '../../../shared/components/feedback';
import { FormActions } from '../../../shared/components/FormActions';
import { KeyValue, KeyValueGrid } from '../../../shared/components/KeyValue';
import { enumOptions, formatDate, humanize } from '../../../shared/lib/format';
import { fieldBinder, useFieldErrors, validateBody } from '../../../shared/lib/forms';
import { notifySuccess } from '../../../shared/lib/notify';
import { useOrganization } from '../../identity/api/organization';
import { useUserList } from '../../identity/api/users';
import { useServices } from '../../inventory/api/services';
import { useSystems } from '../../inventory/api/systems';
import { useAllVendors } from '../../inventory/api/vendors';
import { useCreateAudit, useEntitlement } from '../api/audits';

interface ItemRow {
  key: number;
  reference: string;
  details: string;
  dueDate: string;
  /** The vendor-side owner: one of the vendor's contacts ('' for none). */
  ownerId: string;
}

/**
 * `/audits/new`: the request, with the entitlement computed from the vendor's contracts beside it (the clause, the
 * earliest permitted start, the audits already in the 12 months, and any rule the request breaks) before anything
 * is sent. A request that breaks a rule needs an override with a reason.
 */
export function NewAuditForm({ initialVendorId = '' }: { initialVendorId?: string }) {
  const create = useCreateAudit();
  const navigate = useNavigate();
  const vendors = useAllVendors();
  const [vendorId, setVendorId] = useState(initialVendorId);
  const [title, setTitle] = useState('');
  const [mode, setMode] = useState<string>('remote');
  const [auditorKind, setAuditorKind] = useState<string>('internal');
  const [auditorName, setAuditorName] = useState('');
  const [proposedStart, setProposedStart] = useState('');
  const [proposedEnd, setProposedEnd] = useState('');
  // The window's zone starts as the organization's (what its notices are counted in) until the user picks another.
  const organization = useOrganization();
  const [timeZone, setTimeZoneState] = useState('UTC');
  const zoneChosen = useRef(false);
  const setTimeZone = (zone: string) => {
    zoneChosen.current = true;
    setTimeZoneState(zone);
  };
  const organizationZone = organization.data?.timeZone;
  useEffect(() => {
    if (organizationZone && !zoneChosen.current) setTimeZoneState(organizationZone);
  }, [organizationZone]);
  const [topics, setTopics] = useState('');
  const [objectives, setObjectives] = useState('');
  const [items, setItems] = useState<ItemRow[]>([{ key: 1, reference: 'PBC-1', details: '', dueDate: '', ownerId: '' }]);
  const [serviceIds, setServiceIds] = useState<string[]>([]);
  const [systemIds, setSystemIds] = useState<string[]>([]);
  // What the vendor offers to scope and to own items: its services and its active contacts; the organization's
  // internal systems (from the dependency map) are the organization's own and never shown to the vendor.
  const services = useServices({ vendorId: vendorId || undefined, pageSize: 200 });
  const systems = useSystems({ pageSize: 200, sort: 'name' });
  const contacts = useUserList({ role: 'vendor_contact', vendorId: vendorId || undefined, pageSize: 500 });
  const serviceOptions = vendorId
    ? (services.data?.items ?? []).filter((x) => x.vendorId === vendorId).map((x) => ({ value: x.id, label: x.name }))
    : [];
  const systemOptions = (systems.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }));
  const contactOptions = vendorId
    ? (contacts.data?.items ?? []).filter((u) => u.vendorId === vendorId).map((u) => ({ value: u.id, label: u.name || u.email }))
    : [];
  const chooseVendor = (id: string) => {
    setVendorId(id);
    // Services and contacts belong to a vendor: a choice made for another one no longer applies.
    setServiceIds([]);
    setItems((xs) => xs.map((x) => ({ ...x, ownerId: '' })));
  };
  const [overrideReason, setOverrideReason] = useState('');
  const { errors, clientErrors, check } = useFieldErrors(create.error);
  const field = fieldBinder(errors);
  const [startForCheck] = useDebouncedValue(proposedStart, 300);
  const entitlement = useEntitlement(
    vendorId && /^\d{4}-\d{2}-\d{2}$/.test(startForCheck)
      ? { vendorId, mode, proposedStart: startForCheck, regulator: auditorKind === 'regulator' ? 'true' : 'false' }
      : null,
  );
  const e = entitlement.data;
  const needsOverride = !!e && !e.allowed;

  const setItem = (key: number, patch: Partial<ItemRow>) => setItems((xs) => xs.map((x) => (x.key === key ? { ...x, ...patch } : x)));

  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    const body = {
      vendorId,
      title,
      mode,
      auditorKind,
      auditorName: auditorKind === 'internal' ? null : auditorName,
      proposedStart,
      proposedEnd,
      timeZone,
      scope: {
        serviceIds,
        systemIds,
        topics: topics
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      },
      objectives,
      items: items
        .filter((i) => i.reference || i.details || i.dueDate)
        .map(({ reference, details, dueDate, ownerId }) => ({ reference, details, dueDate, vendorOwnerId: ownerId || null })),
      ...(needsOverride ? { override: { reason: overrideReason } } : {}),
    };
    if (!check(validateBody(createAuditSchema, body))) return;
    create.mutate(body as never, {
      onSuccess: (a) => {
        notifySuccess('Issue it when it is ready to go to the vendor.', 'Audit request drafted');
        void navigate(`/audits/${a.id}`);
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="audit-new-form">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap="sm">
          <NativeSelect
            label="Vendor"
            required
            data={[{ value: '', label: 'Choose a vendor…' }, ...(vendors.data ?? []).map((v) => ({ value: v.id, label: v.name }))]}
            {...field('vendorId', vendorId, chooseVendor, 'audit-new-vendor')}
          />
          <TextInput label="Title" required {...field('title', title, setTitle, 'audit-new-title')} />
          <Group grow>
            <NativeSelect label="Mode" data={enumOptions(AUDIT_MODES)} {...field('mode', mode, setMode, 'audit-new-mode')} />
            <NativeSelect
              label="Auditor"
              data={AUDITOR_KINDS.map((k) => ({ value: k, label: k === 'internal' ? 'Internal team' : humanize(k) }))}
              {...field('auditorKind', auditorKind, setAuditorKind, 'audit-new-auditor-kind')}
            />
          </Group>
          {auditorKind !== 'internal' && (
            <TextInput
              label={auditorKind === 'regulator' ? 'Regulator' : 'Audit firm'}
              required
              {...field('auditorName', auditorName, setAuditorName, 'audit-new-auditor-name')}
            />
          )}
          <Group grow>
            <TextInput
              label="Proposed start"
              type="date"
              required
              {...field('proposedStart', proposedStart, setProposedStart, 'audit-new-start')}
            />
            <TextInput label="Proposed end" type="date" required {...field('proposedEnd', proposedEnd, setProposedEnd, 'audit-new-end')} />
          </Group>
          <TextInput
            label="Time zone of the window"
            description="IANA name, e.g. Europe/London (the organization's zone unless you change it)"
            {...field('timeZone', timeZone, setTimeZone, 'audit-new-tz')}
          />
          <MultiSelect
            label="Services in scope"
            description={vendorId ? 'The vendor’s services the audit covers' : 'Choose the vendor first'}
            placeholder={vendorId && serviceOptions.length === 0 && !services.isPending ? 'The vendor has no services' : 'Search services…'}
            data={serviceOptions}
            value={serviceIds}
            onChange={setServiceIds}
            searchable
            clearable
            disabled={!vendorId}
            nothingFoundMessage="No such service of this vendor"
            error={pickFirst(errors, 'scope.serviceIds')}
            data-testid="audit-new-services"
          />
          <TextInput
            label="Topics in scope"
            description="Comma-separated"
            {...field('scope.topics', topics, setTopics, 'audit-new-topics')}
          />
          <MultiSelect
            label="Internal systems concerned"
            description="Your systems that depend on the vendor (from the dependency map). Never shown to the vendor."
            placeholder={systemOptions.length === 0 && !systems.isPending ? 'No internal systems recorded' : 'Search internal systems…'}
            data={systemOptions}
            value={systemIds}
            onChange={setSystemIds}
            searchable
            clearable
            nothingFoundMessage="No such internal system"
            error={pickFirst(errors, 'scope.systemIds')}
            data-testid="audit-new-systems"
          />
          <Textarea label="Objectives" autosize minRows={2} {...field('objectives', objectives, setObjectives, 'audit-new-objectives')} />
          <Paper withBorder p="sm" radius="md">
            <Title order={4} size="h5" mb={4}>
              Requested items (provided by the vendor)
            </Title>
            <Stack gap="xs">
              {items.map((i, n) => (
                <Stack key={i.key} gap={4} data-testid="audit-new-item">
                  <Group gap="xs" align="flex-start" wrap="nowrap">
                    <TextInput
                      aria-label="Reference"
                      placeholder="Ref"
                      w={90}
                      value={i.reference}
                      onChange={(ev) => setItem(i.key, { reference: ev.currentTarget.value })}
                      error={errors[`items.${n}.reference`]}
                      data-testid="audit-new-item-reference"
                    />
                    <TextInput
                      aria-label="What is requested"
                      placeholder="What is requested"
                      style={{ flex: 1 }}
                      value={i.details}
                      onChange={(ev) => setItem(i.key, { details: ev.currentTarget.value })}
                      error={errors[`items.${n}.details`]}
                      data-testid="audit-new-item-details"
                    />
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      mt={6}
                      aria-label={`Remove item ${i.reference}`}
                      onClick={() => setItems((xs) => xs.filter((x) => x.key !== i.key))}
                    >
                      ×
                    </ActionIcon>
                  </Group>
                  <Group gap="xs" align="flex-start" wrap="nowrap" pl={98} pr={36}>
                    <TextInput
                      aria-label="Due"
                      type="date"
                      w={150}
                      value={i.dueDate}
                      onChange={(ev) => setItem(i.key, { dueDate: ev.currentTarget.value })}
                      error={errors[`items.${n}.dueDate`]}
                      data-testid="audit-new-item-due"
                    />
                    <Select
                      aria-label="Owner at the vendor"
                      placeholder={vendorId ? 'Owner at the vendor (optional)' : 'Choose the vendor first'}
                      style={{ flex: 1 }}
                      data={contactOptions}
                      value={i.ownerId || null}
                      onChange={(v) => setItem(i.key, { ownerId: v ?? '' })}
                      searchable
                      clearable
                      disabled={!vendorId}
                      nothingFoundMessage={contactOptions.length ? 'No such contact' : 'The vendor has no contacts with access'}
                      error={errors[`items.${n}.vendorOwnerId`]}
                      data-testid="audit-new-item-owner"
                    />
                  </Group>
                </Stack>
              ))}
              <Button
                variant="light"
                size="xs"
                w="fit-content"
                onClick={() =>
                  setItems((xs) => [
                    ...xs,
                    {
                      key: Math.max(0, ...xs.map((x) => x.key)) + 1,
                      reference: `PBC-${xs.length + 1}`,
                      details: '',
                      dueDate: '',
                      ownerId: '',
                    },
                  ])
                }
                data-testid="audit-new-item-add"
              >
                Add an item
              </Button>
            </Stack>
          </Paper>
        </Stack>
        <Stack gap="sm">
          <EntitlementPanel entitlement={e} loading={entitlement.isFetching} error={entitlement.error} />
          {needsOverride && (
            <Textarea
              label="Override reason"
              description="The request breaks the rules above. An override is kept on the audit and in the audit log."
              required
              autosize
              minRows={2}
              {...field('override.reason', overrideReason, setOverrideReason, 'audit-new-override')}
            />
          )}
        </Stack>
      </SimpleGrid>
      <Stack gap="sm" mt="md">
        <FormErrorAlert
          clientErrors={clientErrors}
          error={create.error}
          shownFields={[
            'vendorId',
            'title',
            'mode',
            'auditorKind',
            'auditorName',
            'proposedStart',
            'proposedEnd',
            'timeZone',
            'override.reason',
            'objectives',
            'scope.serviceIds',
            'scope.systemIds',
          ]}
        />
        <FormActions
          submitLabel="Save the request"
          pending={create.isPending}
          submitTestId="audit-new-submit"
          onCancel={() => void navigate('/audits')}
        />
      </Stack>
    </form>
  );
}

/** The first message for `path` or any of its elements (`scope.serviceIds.2`). */
function pickFirst(errors: Record<string, string>, path: string): string | undefined {
  return errors[path] ?? Object.entries(errors).find(([k]) => k.startsWith(`${path}.`))?.[1];
}

/** What the contract allows for the proposed audit, as the API computes it. */
export function EntitlementPanel({
  entitlement: e,
  loading,
  error,
}: {
  entitlement: Entitlement | undefined;
  loading: boolean;
  error: unknown;
}) {
  return (
    <Paper withBorder p="md" radius="md" data-testid="audit-entitlement" data-allowed={e ? String(e.allowed) : undefined}>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          Entitlement
        </Title>
        {e && (
          <Badge color={e.allowed ? 'teal' : 'red'} variant="light" data-testid="audit-entitlement-verdict">
            {e.allowed ? 'Within the clause' : 'Breaks the clause'}
          </Badge>
        )}
      </Group>
      {error ? <ErrorAlert error={error} /> : null}
      {!e ? (
        <Text size="sm" c="dimmed">
          {loading ? 'Checking the contracts…' : 'Choose the vendor, the mode and a proposed start to see what its contracts allow.'}
        </Text>
      ) : (
        <Stack gap="sm" style={{ opacity: loading ? 0.6 : 1 }}>
          <KeyValueGrid cols={2}>
            <KeyValue label="Clause" testId="audit-entitlement-clause">
              {e.clause?.name ?? 'None: outside the contractual entitlement'}
            </KeyValue>
            <KeyValue label="Earliest permitted start" testId="audit-entitlement-earliest">
              {e.earliestStart ? formatDate(e.earliestStart) : null}
            </KeyValue>
            <KeyValue label="Audits in the busiest 12 months" testId="audit-entitlement-count">
              {`${e.auditsInWindow}${e.allowance === null ? '' : ` of ${e.allowance} allowed`} (${formatDate(e.windowFrom)} – ${formatDate(e.windowTo)})`}
            </KeyValue>
            <KeyValue label="Cost borne by">{e.costBearer ? humanize(e.costBearer) : null}</KeyValue>
          </KeyValueGrid>
          {e.clause && (
            <Text size="sm" c="dimmed" data-testid="audit-entitlement-text">
              {e.clause.text}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            Notice counted from {formatDate(e.issueDate)} in {e.timeZone}; issuing later moves the earliest start.
          </Text>
          {e.holidaysSkipped.length > 0 && (
            <Text size="sm" data-testid="audit-entitlement-holidays">
              Holidays skipped in the notice: {e.holidaysSkipped.map((h) => `${h.name} (${formatDate(h.date)})`).join(', ')}
            </Text>
          )}
          {e.reasons.length > 0 && (
            <Alert color="red" title="Rules the request breaks" data-testid="audit-entitlement-reasons">
              <List size="sm">
                {e.reasons.map((r) => (
                  <List.Item key={r.rule} data-rule={r.rule}>
                    {r.message}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
        </Stack>
      )}
    </Paper>
  );
}
