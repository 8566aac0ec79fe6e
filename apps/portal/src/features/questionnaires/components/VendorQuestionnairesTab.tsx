import { Anchor, Button, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link } from 'react-router';

import { can } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { formatDate } from '../../../shared/lib/format';
import { useRequests, useScoreHistory } from '../api/requests';
import { RequestTable } from './RequestTable';
import { SendRequestForm } from './SendRequestForm';

/** The vendor page's questionnaires: what was sent, where it stands, and the scores of the accepted ones over time. */
export function VendorQuestionnairesTab({ vendorId, vendorName }: { vendorId: string; vendorName: string }) {
  const user = useCurrentUser();
  const [sending, sender] = useDisclosure(false);
  const requests = useRequests({ vendorId, pageSize: 50 });
  const scores = useScoreHistory(vendorId, can(user.role, 'questionnaire_score.read'));
  return (
    <Stack gap="lg" data-testid="vendor-questionnaires">
      <Group justify="space-between">
        <Title order={3} size="h4">
          Questionnaires{requests.data ? ` (${requests.data.total})` : ''}
        </Title>
        {can(user.role, 'questionnaire_request.write') && (
          <Button size="sm" onClick={sender.open} data-testid="vendor-send-questionnaire">
            Send a questionnaire
          </Button>
        )}
      </Group>
      {requests.isError && !requests.data ? (
        <ErrorAlert error={requests.error} onRetry={() => void requests.refetch()} />
      ) : !requests.data ? (
        <TableSkeleton rows={2} />
      ) : requests.data.items.length === 0 ? (
        <EmptyState title="No questionnaire sent yet" testId="vendor-questionnaires-empty">
          Send the AI supplier DR questionnaire (or any published template) to {vendorName}.
        </EmptyState>
      ) : (
        <Paper withBorder radius="md">
          <RequestTable requests={requests.data.items} basePath="/questionnaire-requests" showVendor={false} />
        </Paper>
      )}
      {can(user.role, 'questionnaire_score.read') && (
        <Paper withBorder p="md" radius="md" data-testid="vendor-score-history">
          <Title order={3} size="h4" mb="xs">
            Score history
          </Title>
          {!scores.data ? (
            <TableSkeleton rows={1} />
          ) : scores.data.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              No questionnaire accepted yet: the score is stored when a review accepts one.
            </Text>
          ) : (
            <>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Accepted</Table.Th>
                    <Table.Th>Questionnaire</Table.Th>
                    <Table.Th ta="right">Points</Table.Th>
                    <Table.Th ta="right">Score</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {scores.data.items.map((s) => (
                    <Table.Tr key={s.requestId} data-testid="score-row">
                      <Table.Td>{formatDate(s.acceptedAt)}</Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/questionnaire-requests/${s.requestId}`}>
                          {s.templateName}
                        </Anchor>{' '}
                        <Text span size="xs" c="dimmed">
                          v{s.templateVersion}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        {s.earned} / {s.max}
                      </Table.Td>
                      <Table.Td ta="right" fw={600} data-testid="score-percent">
                        {s.percent === null ? '—' : `${s.percent} %`}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Text size="xs" c="dimmed" mt="xs">
                {scores.data.items[0]!.rule}
              </Text>
            </>
          )}
        </Paper>
      )}
      <Modal opened={sending} onClose={sender.close} title={`Send a questionnaire to ${vendorName}`} size="lg" centered>
        <SendRequestForm vendorId={vendorId} onDone={sender.close} />
      </Modal>
    </Stack>
  );
}
