import { Anchor, Badge, Button, Group, Modal, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useParams } from 'react-router';

import { CAMPAIGN_SKIP_LABELS, can, QUESTIONNAIRE_REQUEST_STATUS_LABELS } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { fieldErrorMap } from '../../../shared/api/client';
import { TableHead, useRowLink } from '../../../shared/components/DataTable';
import { EmptyState, ErrorAlert, FormErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { KeyValue, KeyValueGrid } from '../../../shared/components/KeyValue';
import { PageHeader } from '../../../shared/components/PageHeader';
import { formatDate, formatDateTime } from '../../../shared/lib/format';
import { notifySuccess } from '../../../shared/lib/notify';
import { useCampaign, useCampaignAction } from '../api/campaigns';
import { CampaignStatusBadge, recurrenceLabel } from '../components/campaignBadges';
import { DueDate, RequestStatusBadge } from '../components/requestBadges';

/** `/questionnaire-campaigns/:id`: the campaign, its cycles and every request it sent. */
export function CampaignPage() {
  const { id = '' } = useParams();
  const user = useCurrentUser();
  const campaign = useCampaign(id);
  const action = useCampaignAction(id);
  const rowLink = useRowLink();
  const [stopping, stopper] = useDisclosure(false);
  const [reason, setReason] = useState('');
  if (campaign.isError)
    return <ErrorAlert error={campaign.error} title="The campaign could not be loaded" onRetry={() => void campaign.refetch()} />;
  if (!campaign.data) return <PageLoader />;
  const c = campaign.data;
  const writer = can(user.role, 'questionnaire_campaign.write');
  const run = async (a: 'pause' | 'resume' | 'cancel', body: { reason?: string } = {}) => {
    const done = await action.mutateAsync({ action: a, ...body }).catch(() => null);
    if (!done) return;
    notifySuccess(
      a === 'pause' ? 'No cycle runs until you resume it.' : a === 'resume' ? 'Cycles run again.' : 'No further cycle will run.',
      `Campaign ${done.status}`,
    );
    if (a === 'cancel') stopper.close();
  };
  return (
    <>
      <PageHeader
        title={
          <Group gap="sm">
            <span data-testid="campaign-title">{c.name}</span>
            <CampaignStatusBadge status={c.status} />
          </Group>
        }
        docTitle={c.name}
        description={
          <>
            <Anchor component={Link} to="/questionnaire-campaigns" size="sm">
              Campaigns
            </Anchor>{' '}
            · {c.templateName}, version {c.templateVersion}
          </>
        }
        actions={
          writer && (c.status === 'active' || c.status === 'paused') ? (
            <>
              {c.status === 'active' ? (
                <Button variant="default" onClick={() => void run('pause')} loading={action.isPending} data-testid="campaign-pause">
                  Pause
                </Button>
              ) : (
                <Button variant="default" onClick={() => void run('resume')} loading={action.isPending} data-testid="campaign-resume">
                  Resume
                </Button>
              )}
              <Button color="red" variant="light" onClick={stopper.open} data-testid="campaign-cancel">
                Stop the campaign
              </Button>
            </>
          ) : undefined
        }
      />
      <Stack gap="lg">
        <Paper withBorder radius="md" p="md">
          <KeyValueGrid cols={4}>
            <KeyValue label="Vendors" testId="campaign-filter">
              {c.filterSummary}
            </KeyValue>
            <KeyValue label="Recurrence" testId="campaign-recurrence">
              {recurrenceLabel(c.recurrence)}
            </KeyValue>
            <KeyValue label="Next cycle" testId="campaign-next-cycle">
              {c.nextCycleOn ? formatDate(c.nextCycleOn) : 'None'}
            </KeyValue>
            <KeyValue label="Due" testId="campaign-due-days">
              {c.dueInDays} days after each cycle
            </KeyValue>
            <KeyValue label="Requests" testId="campaign-counts">
              {c.requests.total} sent · {c.requests.byStatus.accepted ?? 0} accepted · {c.requests.overdue} overdue
            </KeyValue>
            <KeyValue label="Created">
              {formatDateTime(c.createdAt)}
              {c.createdByName ? ` by ${c.createdByName}` : ''}
            </KeyValue>
            {c.cancelReason && <KeyValue label="Stopped because">{c.cancelReason}</KeyValue>}
          </KeyValueGrid>
          {c.message && (
            <Text size="sm" mt="sm" style={{ whiteSpace: 'pre-wrap' }}>
              <b>Message:</b> {c.message}
            </Text>
          )}
        </Paper>

        <Stack gap="xs">
          <Title order={4}>Cycles</Title>
          <Paper withBorder radius="md">
            <Table verticalSpacing="sm" data-testid="campaign-cycles">
              <TableHead columns={['Cycle', 'Ran', 'Version', 'Due', 'Requests', 'Skipped']} />
              <Table.Tbody>
                {c.cycleList.map((y) => (
                  <Table.Tr key={y.number} data-testid="campaign-cycle-row">
                    <Table.Td>#{y.number}</Table.Td>
                    <Table.Td>{formatDateTime(y.ranAt)}</Table.Td>
                    <Table.Td>{y.templateVersion}</Table.Td>
                    <Table.Td>{formatDate(y.dueDate)}</Table.Td>
                    <Table.Td>
                      {y.created}
                      {y.prefilled ? ` (${y.prefilled} pre-filled)` : ''}
                    </Table.Td>
                    <Table.Td>
                      {y.skipped.length === 0 ? (
                        '—'
                      ) : (
                        <Stack gap={2}>
                          {y.skipped.map((s) => (
                            <Text size="xs" key={s.vendorId}>
                              {s.vendorName}: {CAMPAIGN_SKIP_LABELS[s.reason].toLowerCase()}
                            </Text>
                          ))}
                        </Stack>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </Stack>

        <Stack gap="xs">
          <Title order={4}>Requests</Title>
          {c.requestList.length === 0 ? (
            <EmptyState title="No requests sent" testId="campaign-requests-empty">
              Every vendor the filter matched was skipped.
            </EmptyState>
          ) : (
            <Paper withBorder radius="md">
              <Table.ScrollContainer minWidth={640}>
                <Table highlightOnHover verticalSpacing="sm" data-testid="campaign-requests">
                  <TableHead columns={['Vendor', 'Cycle', 'Status', 'Due', 'Score']} />
                  <Table.Tbody>
                    {c.requestList.map((r) => (
                      <Table.Tr
                        key={r.id}
                        data-testid="campaign-request-row"
                        data-request-id={r.id}
                        {...rowLink(`/questionnaire-requests/${r.id}`)}
                      >
                        <Table.Td>
                          <Anchor component={Link} to={`/questionnaire-requests/${r.id}`} fw={600}>
                            {r.vendorName}
                          </Anchor>
                          {r.prefilled && (
                            <Badge size="xs" variant="outline" ml={6}>
                              pre-filled
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td>#{r.cycle}</Table.Td>
                        <Table.Td>
                          <RequestStatusBadge status={r.status} testId="campaign-request-status" />
                        </Table.Td>
                        <Table.Td>
                          <DueDate dueDate={r.dueDate} overdue={r.overdue} />
                        </Table.Td>
                        <Table.Td aria-label={QUESTIONNAIRE_REQUEST_STATUS_LABELS[r.status]}>
                          {r.scorePercent === null ? '—' : `${r.scorePercent} %`}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
          )}
        </Stack>
      </Stack>
      <Modal opened={stopping} onClose={stopper.close} title="Stop the campaign" centered>
        <Stack>
          <Text size="sm">No further cycle will run. Requests already sent stay open; cancel them one by one if needed.</Text>
          <Textarea
            label="Why"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={fieldErrorMap(action.error)['reason']}
            data-testid="campaign-cancel-reason"
            autosize
            minRows={2}
          />
          <FormErrorAlert error={action.error} shownFields={['reason']} />
          <Group justify="flex-end">
            <Button variant="default" onClick={stopper.close}>
              Keep it
            </Button>
            <Button
              color="red"
              onClick={() => void run('cancel', { reason: reason.trim() })}
              loading={action.isPending}
              data-testid="campaign-cancel-confirm"
            >
              Stop the campaign
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
