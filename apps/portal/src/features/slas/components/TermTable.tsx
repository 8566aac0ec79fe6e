import { Badge, Group, Stack, Table, Text } from '@mantine/core';

import type { NegotiationRoundView, NegotiationView } from '@bulwark/api-schema';

import { formatAvailability } from '../../agreements/lib/agreements';
import { formatSpread, SLA_TERM_KEYS, termLabel, type TermKey } from '../lib/terms';
import { TermValue } from './TermValue';

/** What the vendor achieved under the previous version, over its whole period: shown against the availability target. */
function achievedText(n: NegotiationView): string | null {
  const a = n.achieved;
  if (!a) return null;
  if (a.windows === 0) return `No closed window under version ${a.version} yet`;
  return `avg ${formatAvailability(a.averageAvailability)} · worst ${formatAvailability(a.worstAvailability)} · ${a.breaches} breach${a.breaches === 1 ? '' : 'es'} in ${a.windows} window${a.windows === 1 ? '' : 's'}`;
}

export function AnswerCell({ term, round }: { term: TermKey; round: NegotiationRoundView }) {
  const a = round.responses?.[term];
  if (!a)
    return (
      <Text size="sm" c="dimmed">
        {round.respondedAt ? '—' : 'Awaiting answer'}
      </Text>
    );
  return (
    <Stack gap={2} data-testid="negotiation-term-answer" data-decision={a.decision}>
      {a.decision === 'accept' ? (
        <Badge color="teal" variant="light" size="sm" w="fit-content">
          Accepted
        </Badge>
      ) : (
        <Group gap={6} wrap="nowrap" align="flex-start">
          <Badge color="orange" variant="light" size="sm" style={{ flexShrink: 0 }}>
            Counter
          </Badge>
          <TermValue term={term} value={a.value} testId="negotiation-term-counter" strong />
        </Group>
      )}
      {a.comment && (
        <Text size="xs" c="dimmed" fs="italic" data-testid="negotiation-term-comment">
          “{a.comment}”
        </Text>
      )}
    </Stack>
  );
}

/**
 * The current round, term by term: proposed value, for procurement how it compares with other vendors'
 * SLAs of the same service kind, for both sides what the vendor achieved under the previous version,
 * and the vendor's answer.
 */
export function TermTable({ negotiation: n, round }: { negotiation: NegotiationView; round: NegotiationRoundView }) {
  const buyer = n.context !== null;
  const changed = new Set(round.diff.map((d) => d.term));
  const achieved = achievedText(n);
  // Both sides see what the vendor achieved under the previous version; only the buyer sees other vendors' terms.
  const showAchieved = n.achieved !== null;
  return (
    <Table.ScrollContainer minWidth={buyer ? 980 : showAchieved ? 860 : 720}>
      <Table verticalSpacing="sm" data-testid="negotiation-terms" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={200}>Term</Table.Th>
            <Table.Th>Proposed in round {round.round}</Table.Th>
            {buyer && <Table.Th>Other SLAs of the same kind</Table.Th>}
            {showAchieved && <Table.Th>Achieved under v{n.achieved!.version}</Table.Th>}
            <Table.Th>Vendor&apos;s answer</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {SLA_TERM_KEYS.map((k) => {
            const spread = n.context?.spread[k as keyof NonNullable<NegotiationView['context']>['spread']];
            const answer = round.responses?.[k];
            return (
              <Table.Tr
                key={k}
                data-testid="negotiation-term-row"
                data-term={k}
                data-decision={answer?.decision ?? 'none'}
                data-changed={changed.has(k) ? 'true' : 'false'}
              >
                <Table.Td>
                  <Group gap={6}>
                    <Text size="sm" fw={600}>
                      {termLabel(k)}
                    </Text>
                    {changed.has(k) && (
                      <Badge size="xs" variant="outline" color="blue">
                        changed
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <TermValue term={k} value={round.terms[k]} testId="negotiation-term-proposed" />
                </Table.Td>
                {buyer && (
                  <Table.Td data-testid="negotiation-term-spread">
                    {spread ? (
                      <Stack gap={0}>
                        <Text size="sm">{formatSpread(k, spread)}</Text>
                        <Text size="xs" c="dimmed">
                          n = {spread.n}
                        </Text>
                      </Stack>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                )}
                {showAchieved && (
                  <Table.Td data-testid="negotiation-term-achieved">
                    {k === 'availabilityTarget' && achieved ? (
                      <Text size="sm">{achieved}</Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                )}
                <Table.Td>
                  <AnswerCell term={k} round={round} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
