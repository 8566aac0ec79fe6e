import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';

import { proposeRoundSchema, type NegotiationRoundView } from '@bulwark/api-schema';

import { FormErrorAlert } from '../../../shared/components/feedback';
import { useFieldErrors, validate } from '../../../shared/lib/forms';
import { notifySuccess } from '../../../shared/lib/notify';
import { useProposeRound } from '../api/negotiations';
import { adoptTerm, draftHolds, draftToTerms, SLA_TERM_KEYS, termLabel, termsToDraft, type TermKey, type TermsDraft } from '../lib/terms';
import { TermsFields } from './TermsFields';
import { TermValue } from './TermValue';

/**
 * Procurement's next round after a counter: the previous round's terms, editable, with the
 * vendor's counters listed and adoptable one by one.
 */
export function ProposeRoundForm({ negotiationId, round }: { negotiationId: string; round: NegotiationRoundView }) {
  const propose = useProposeRound(negotiationId);
  const [draft, setDraft] = useState<TermsDraft>(() => termsToDraft(round.terms));
  const { errors, clientErrors, setClientErrors } = useFieldErrors(propose.error);
  const countered = SLA_TERM_KEYS.filter((k) => round.responses?.[k]?.decision === 'counter');
  const counterOf = (k: TermKey) => round.responses?.[k];

  const adopt = (k: TermKey) => setDraft((d) => adoptTerm(d, round.terms, k, counterOf(k)?.value));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = validate(proposeRoundSchema, { terms: draftToTerms(draft) });
    if (!v.ok) {
      setClientErrors(v.errors);
      return;
    }
    setClientErrors({});
    propose.mutate(v.data, { onSuccess: (n) => notifySuccess(`Round ${n.currentRound} was sent to ${n.vendorName}.`, 'Round proposed') });
  };

  return (
    <Paper withBorder p="lg" radius="md" component="form" onSubmit={submit} noValidate data-testid="negotiation-propose-form">
      <Title order={3} size="h4" mb={4}>
        Propose round {round.round + 1}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Start from round {round.round}: adopt the counters you can live with, adjust the rest, and send the terms back to the vendor.
      </Text>
      <Stack gap="sm">
        <Table withTableBorder verticalSpacing="xs" data-testid="negotiation-counters">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Countered term</Table.Th>
              <Table.Th>Round {round.round}</Table.Th>
              <Table.Th>Vendor&apos;s counter</Table.Th>
              <Table.Th>Comment</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {countered.map((k) => {
              const a = counterOf(k)!;
              const adopted = draftHolds(draft, k, a.value);
              return (
                <Table.Tr key={k} data-testid="negotiation-counter-row" data-term={k} data-adopted={adopted ? 'true' : 'false'}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {termLabel(k)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <TermValue term={k} value={round.terms[k]} />
                  </Table.Td>
                  <Table.Td>
                    <TermValue term={k} value={a.value} strong />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed" fs={a.comment ? 'italic' : undefined}>
                      {a.comment ? `“${a.comment}”` : '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    {adopted ? (
                      <Badge color="teal" variant="light" style={{ minWidth: 'max-content' }} data-testid={`negotiation-adopted-${k}`}>
                        Adopted
                      </Badge>
                    ) : (
                      <Button size="xs" variant="light" color="orange" onClick={() => adopt(k)} data-testid={`negotiation-adopt-${k}`}>
                        Adopt counter
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>

        <TermsFields
          draft={draft}
          onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))}
          errors={errors}
          extra={(k) => {
            const a = counterOf(k);
            if (a?.decision !== 'counter') return null;
            return (
              <Text size="xs" c="orange.8" component="div">
                Vendor countered: <TermValue term={k} value={a.value} />
              </Text>
            );
          }}
        />

        <FormErrorAlert clientErrors={clientErrors} error={propose.error} shownFields={['terms']} />
        <Group justify="flex-end">
          <Button type="submit" loading={propose.isPending} data-testid="negotiation-propose-submit">
            Propose round {round.round + 1}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
