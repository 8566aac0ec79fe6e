import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Grid,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';

import {
  CAMPAIGN_RECURRENCE_LABELS,
  CAMPAIGN_RECURRENCES,
  CAMPAIGN_SKIP_LABELS,
  LIFECYCLES,
  SERVICE_KINDS,
  TIERS,
  type CampaignFilter,
  type CampaignRecurrence,
} from '@bulwark/api-schema';

import { fieldErrorMap } from '../../../shared/api/client';
import { LifecycleBadge, TierBadge } from '../../../shared/components/badges';
import { TableHead } from '../../../shared/components/DataTable';
import { ErrorAlert, FormErrorAlert } from '../../../shared/components/feedback';
import { PageHeader } from '../../../shared/components/PageHeader';
import { humanize } from '../../../shared/lib/format';
import { notifySuccess } from '../../../shared/lib/notify';
import { useCampaignPreview, useCreateCampaign } from '../api/campaigns';
import { useTemplate, useTemplates } from '../api/templates';

function FilterGroup<T extends string>({
  label,
  values,
  value,
  onChange,
  testId,
}: {
  label: string;
  values: readonly T[];
  value: T[];
  onChange: (v: T[]) => void;
  testId: string;
}) {
  return (
    <Checkbox.Group label={label} description="None ticked: any" value={value} onChange={(v) => onChange(v as T[])} data-testid={testId}>
      <Group gap="sm" mt={6}>
        {values.map((v) => (
          <Checkbox key={v} value={v} label={humanize(v)} data-testid={`${testId}-${v}`} />
        ))}
      </Group>
    </Checkbox.Group>
  );
}

/** `/questionnaire-campaigns/new`: template version, filter with a live preview of who is targeted, due in days, recurrence, message. */
export function NewCampaignPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [template, setTemplate] = useState(params.get('template') ?? '');
  const [version, setVersion] = useState('');
  const [tiers, setTiers] = useState<(typeof TIERS)[number][]>([]);
  const [kinds, setKinds] = useState<(typeof SERVICE_KINDS)[number][]>([]);
  const [lifecycles, setLifecycles] = useState<(typeof LIFECYCLES)[number][]>([]);
  const [dueInDays, setDueInDays] = useState<number | string>(30);
  const [recurrence, setRecurrence] = useState<CampaignRecurrence | ''>('');
  const [message, setMessage] = useState('');
  const [name, setName] = useState('');
  const [inviteContacts, setInviteContacts] = useState(true);
  const templates = useTemplates({ status: 'active', pageSize: 100 });
  const detail = useTemplate(template);
  const published = (detail.data?.versions ?? []).filter((v) => v.status === 'published');
  const versionId = version || published[0]?.id || '';
  const filter: CampaignFilter = {
    ...(tiers.length ? { tiers } : {}),
    ...(kinds.length ? { serviceKinds: kinds } : {}),
    ...(lifecycles.length ? { lifecycles } : {}),
  };
  const preview = useCampaignPreview(versionId, filter, inviteContacts);
  const create = useCreateCampaign();
  const errors = fieldErrorMap(create.error);

  const submit = async () => {
    const c = await create
      .mutateAsync({
        templateVersionId: versionId,
        filter,
        inviteContacts,
        dueInDays: Number(dueInDays),
        ...(recurrence ? { recurrence } : {}),
        ...(message.trim() ? { message: message.trim() } : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
      })
      .catch(() => null);
    if (!c) return;
    notifySuccess(`${c.requests.total} request${c.requests.total === 1 ? '' : 's'} sent.`, 'Campaign started');
    void navigate(`/questionnaire-campaigns/${c.id}`);
  };

  const p = preview.data;
  return (
    <>
      <PageHeader
        title="New questionnaire campaign"
        testId="campaign-new-title"
        description="Send a published questionnaire to every vendor the filter targets. Nothing is sent until you start the campaign."
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder radius="md" p="md">
            <Stack>
              <Select
                label="Template"
                placeholder="Choose a template"
                searchable
                data={(templates.data?.items ?? [])
                  .filter((t) => t.latestPublishedVersion !== null)
                  .map((t) => ({ value: t.id, label: t.name }))}
                value={template || null}
                onChange={(v) => {
                  setTemplate(v ?? '');
                  setVersion('');
                }}
                data-testid="campaign-template"
                comboboxProps={{ withinPortal: true }}
              />
              {template && (
                <Select
                  label="Version"
                  data={published.map((v) => ({ value: v.id, label: `Version ${v.version} (${v.questionCount} questions)` }))}
                  value={versionId || null}
                  onChange={(v) => setVersion(v ?? '')}
                  error={errors['templateVersionId']}
                  allowDeselect={false}
                  data-testid="campaign-version"
                  comboboxProps={{ withinPortal: true }}
                />
              )}
              {template && detail.data && !published.length && (
                <Alert color="orange">This template has no published version yet: publish it first.</Alert>
              )}
              <Title order={5} mt="xs">
                Which vendors
              </Title>
              <FilterGroup label="Tier" values={TIERS} value={tiers} onChange={setTiers} testId="campaign-tier" />
              <FilterGroup label="Service kind" values={SERVICE_KINDS} value={kinds} onChange={setKinds} testId="campaign-kind" />
              <FilterGroup label="Lifecycle" values={LIFECYCLES} value={lifecycles} onChange={setLifecycles} testId="campaign-lifecycle" />
              <Checkbox
                label="Invite the contact on file of vendors without a portal account"
                description="Their primary contact gets an invitation with the request, and answers once signed in."
                checked={inviteContacts}
                onChange={(e) => setInviteContacts(e.currentTarget.checked)}
                data-testid="campaign-invite-contacts"
              />
              {errors['filter'] && (
                <Alert color="red" data-testid="campaign-filter-error">
                  {errors['filter']}
                </Alert>
              )}
              <Group grow align="flex-start">
                <NumberInput
                  label="Due in (days)"
                  min={1}
                  max={365}
                  value={dueInDays}
                  onChange={setDueInDays}
                  error={errors['dueInDays']}
                  data-testid="campaign-due"
                />
                <Select
                  label="Recurrence"
                  data={[
                    { value: '', label: 'Once' },
                    ...CAMPAIGN_RECURRENCES.map((r) => ({ value: r, label: CAMPAIGN_RECURRENCE_LABELS[r] })),
                  ]}
                  value={recurrence}
                  onChange={(v) => setRecurrence((v ?? '') as CampaignRecurrence | '')}
                  allowDeselect={false}
                  error={errors['recurrence']}
                  data-testid="campaign-recurrence"
                  comboboxProps={{ withinPortal: true }}
                />
              </Group>
              <TextInput
                label="Name (optional)"
                placeholder="Default: the template and the filter"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                error={errors['name']}
                data-testid="campaign-name"
              />
              <Textarea
                label="Message to the vendors (optional)"
                autosize
                minRows={2}
                value={message}
                onChange={(e) => setMessage(e.currentTarget.value)}
                error={errors['message']}
                data-testid="campaign-message"
              />
              {recurrence && (
                <Text size="xs" c="dimmed">
                  Each later cycle re-applies the filter and sends the template’s latest published version, pre-filled with each vendor’s
                  last accepted answers for them to confirm or change.
                </Text>
              )}
              <FormErrorAlert
                error={create.error}
                shownFields={['templateVersionId', 'filter', 'dueInDays', 'recurrence', 'name', 'message']}
              />
              <Group justify="flex-end">
                <Button variant="default" onClick={() => void navigate('/questionnaire-campaigns')}>
                  Cancel
                </Button>
                <Button
                  onClick={() => void submit()}
                  loading={create.isPending}
                  disabled={!versionId || !p?.targeted || !Number(dueInDays)}
                  data-testid="campaign-submit"
                >
                  {p?.targeted ? `Send to ${p.targeted} vendor${p.targeted === 1 ? '' : 's'}` : 'Send'}
                </Button>
              </Group>
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder radius="md" p="md" data-testid="campaign-preview">
            <Stack gap="sm">
              <Group justify="space-between">
                <Title order={5}>Who is targeted</Title>
                {p && (
                  <Group gap="xs">
                    <Badge color="teal" variant="light" data-testid="campaign-preview-targeted">
                      {p.targeted} targeted
                    </Badge>
                    <Badge color="gray" variant="light" data-testid="campaign-preview-skipped">
                      {p.skipped} skipped
                    </Badge>
                  </Group>
                )}
              </Group>
              {!versionId ? (
                <Text c="dimmed" size="sm">
                  Choose a template to see which vendors would receive it.
                </Text>
              ) : preview.isError ? (
                <ErrorAlert error={preview.error} title="The preview failed" onRetry={() => void preview.refetch()} />
              ) : !p ? (
                <Text c="dimmed" size="sm">
                  Loading…
                </Text>
              ) : !p.matched ? (
                <Text c="dimmed" size="sm" data-testid="campaign-preview-empty">
                  No vendor matches {p.filterSummary}.
                </Text>
              ) : (
                <>
                  <Text size="sm" c="dimmed">
                    {p.matched} vendor{p.matched === 1 ? '' : 's'} match {p.filterSummary}.
                  </Text>
                  <Table.ScrollContainer minWidth={480}>
                    <Table verticalSpacing={6} data-testid="campaign-preview-table">
                      <TableHead columns={['Vendor', 'Tier', 'Lifecycle', 'Contacts', '']} />
                      <Table.Tbody>
                        {p.vendors.map((v) => (
                          <Table.Tr
                            key={v.vendorId}
                            data-testid="campaign-preview-row"
                            data-skipped={v.skipReason ?? ''}
                            style={{ opacity: v.skipReason ? 0.65 : 1 }}
                          >
                            <Table.Td fw={600}>{v.vendorName}</Table.Td>
                            <Table.Td>
                              <TierBadge tier={v.tier} size="sm" />
                            </Table.Td>
                            <Table.Td>
                              <LifecycleBadge value={v.lifecycle} />
                            </Table.Td>
                            <Table.Td data-testid="campaign-preview-contacts">
                              {v.invitee ? (
                                <Text size="xs" title={v.invitee.email}>
                                  Invites {v.invitee.name}
                                </Text>
                              ) : (
                                v.contacts
                              )}
                            </Table.Td>
                            <Table.Td>
                              {v.skipReason ? (
                                <Text size="xs" c="orange.8">
                                  Skipped: {CAMPAIGN_SKIP_LABELS[v.skipReason]}
                                </Text>
                              ) : (
                                <Text size="xs" c="teal.8">
                                  Receives it
                                </Text>
                              )}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                </>
              )}
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>
    </>
  );
}
