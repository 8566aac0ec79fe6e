import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';

import type { NegotiationView } from '@bulwark/api-schema';

import { formatDateTime } from '../../../shared/lib/format';
import { SLA_TERM_KEYS, termLabel } from '../lib/terms';
import { AnswerCell } from './TermTable';
import { TermValue } from './TermValue';

/** Every round, oldest first: what changed from the previous round, and how the vendor answered. */
export function NegotiationHistory({ negotiation: n }: { negotiation: NegotiationView }) {
  return (
    <Paper withBorder p="lg" radius="md" data-testid="negotiation-history">
      <Title order={3} size="h4" mb="sm">
        History
      </Title>
      <Stack gap="md">
        {n.rounds.map((r) => {
          const answered = r.responses
            ? SLA_TERM_KEYS.filter((k) => r.responses?.[k]?.decision === 'counter' || r.responses?.[k]?.comment)
            : [];
          const accepted = r.responses ? SLA_TERM_KEYS.filter((k) => r.responses?.[k]?.decision === 'accept').length : 0;
          return (
            <Paper key={r.round} withBorder p="md" radius="sm" data-testid="negotiation-round" data-round={r.round}>
              <Group justify="space-between" mb="xs">
                <Group gap="xs">
                  <Text fw={700}>Round {r.round}</Text>
                  {r.round === n.currentRound && (
                    <Badge size="xs" variant="light">
                      current
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  proposed {formatDateTime(r.proposedAt)}
                </Text>
              </Group>
              {r.round === 1 ? (
                <Text size="sm" c="dimmed">
                  Opening proposal.
                </Text>
              ) : r.diff.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No term changed from round {r.round - 1}.
                </Text>
              ) : (
                <Table verticalSpacing={4} fz="sm" data-testid="negotiation-diff">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={200}>Changed term</Table.Th>
                      <Table.Th w={260}>Round {r.round - 1}</Table.Th>
                      <Table.Th w={32} />
                      <Table.Th>Round {r.round}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {r.diff.map((d) => (
                      <Table.Tr key={d.term} data-testid="negotiation-diff-row" data-term={d.term}>
                        <Table.Td fw={600}>{termLabel(d.term)}</Table.Td>
                        <Table.Td c="dimmed" td="line-through">
                          <TermValue term={d.term} value={d.from} testId="negotiation-diff-from" />
                        </Table.Td>
                        <Table.Td aria-hidden>→</Table.Td>
                        <Table.Td>
                          <TermValue term={d.term} value={d.to} testId="negotiation-diff-to" strong />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              <Stack gap={4} mt="sm" data-testid="negotiation-round-answers">
                {!r.responses ? (
                  <Text size="sm" c="dimmed">
                    {n.status === 'cancelled' ? 'Not answered.' : 'Awaiting the vendor’s answer.'}
                  </Text>
                ) : (
                  <>
                    <Text size="sm">
                      Answered {formatDateTime(r.respondedAt)}: {accepted} of {SLA_TERM_KEYS.length} terms accepted
                      {accepted === SLA_TERM_KEYS.length ? ' — agreed.' : '.'}
                    </Text>
                    {answered.length > 0 && (
                      <Table verticalSpacing={4} fz="sm">
                        <Table.Tbody>
                          {answered.map((k) => (
                            <Table.Tr key={k} data-testid="negotiation-history-answer" data-term={k}>
                              <Table.Td w={200} fw={600}>
                                {termLabel(k)}
                              </Table.Td>
                              <Table.Td>
                                <AnswerCell term={k} round={r} />
                              </Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    )}
                  </>
                )}
              </Stack>
            </Paper>
          );
        })}
      </Stack>
    </Paper>
  );
}
