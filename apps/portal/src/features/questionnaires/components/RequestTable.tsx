import { Anchor, Progress, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';

import type { QuestionnaireRequestSummary } from '@bulwark/api-schema';

import { TableHead, useRowLink } from '../../../shared/components/DataTable';
import { DueDate, RequestStatusBadge } from './requestBadges';

/** Questionnaire requests, soonest due first. `basePath`: `/questionnaire-requests` or `/vendor-home/questionnaire-requests`. */
export function RequestTable({
  requests,
  basePath,
  showVendor = true,
  showScore = true,
}: {
  requests: QuestionnaireRequestSummary[];
  basePath: string;
  showVendor?: boolean;
  showScore?: boolean;
}) {
  const rowLink = useRowLink();
  return (
    <Table.ScrollContainer minWidth={680}>
      <Table highlightOnHover verticalSpacing="sm" data-testid="request-table">
        <TableHead columns={['Questionnaire', showVendor && 'Vendor', 'Status', 'Due', 'Progress', showScore && 'Score']} />
        <Table.Tbody>
          {requests.map((r) => (
            <Table.Tr key={r.id} data-testid="request-row" data-request-id={r.id} {...rowLink(`${basePath}/${r.id}`)}>
              <Table.Td>
                <Anchor component={Link} to={`${basePath}/${r.id}`} fw={600} data-testid="request-row-link">
                  {r.templateName}
                </Anchor>
                <Text size="xs" c="dimmed">
                  Version {r.templateVersion}
                </Text>
              </Table.Td>
              {showVendor && <Table.Td>{r.vendorName}</Table.Td>}
              <Table.Td>
                <RequestStatusBadge status={r.status} testId="request-row-status" />
              </Table.Td>
              <Table.Td>
                <DueDate dueDate={r.dueDate} overdue={r.overdue} />
              </Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  <Text size="xs">
                    {r.progress.requiredAnswered} of {r.progress.required} required
                  </Text>
                  <Progress
                    value={r.progress.required ? (r.progress.requiredAnswered / r.progress.required) * 100 : 100}
                    size="xs"
                    w={110}
                    aria-hidden
                  />
                </Stack>
              </Table.Td>
              {showScore && <Table.Td data-testid="request-row-score">{r.scorePercent === null ? '—' : `${r.scorePercent} %`}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
