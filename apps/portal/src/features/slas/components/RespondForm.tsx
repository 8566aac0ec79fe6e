import { Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';

import type { NegotiationRoundView, TermAnswer } from '@bulwark/api-schema';

import { FormErrorAlert } from '../../../shared/components/feedback';
import { useFieldErrors, type FieldErrors } from '../../../shared/lib/forms';
import { notifySuccess } from '../../../shared/lib/notify';
import { useRespondToNegotiation } from '../api/negotiations';
import {
  COUNTER_KIND,
  counterText,
  draftToTerms,
  parseCounter,
  parseTermValue,
  sameValue,
  SLA_TERM_KEYS,
  termLabel,
  termsToDraft,
  type TermKey,
  type TermsDraft,
} from '../lib/terms';
import { StructuredCounter, type StructuredTerm } from './StructuredCounter';
import { TermValue } from './TermValue';

interface Draft {
  decision: 'accept' | 'counter';
  value: string;
  comment: string;
}

/** The vendor's answer to the current round: accept or counter each term, with an optional comment. */
export function RespondForm({ negotiationId, round }: { negotiationId: string; round: NegotiationRoundView }) {
  const respond = useRespondToNegotiation(negotiationId);
  const [drafts, setDrafts] = useState<Record<TermKey, Draft>>(
    () =>
      Object.fromEntries(
        SLA_TERM_KEYS.map((k) => [k, { decision: 'accept', value: counterText(k, round.terms[k]), comment: '' }]),
      ) as Record<TermKey, Draft>,
  );
  // Structured terms (weights, support response, model SLOs, credits) are countered in the terms editor's fields.
  const [structured, setStructured] = useState<TermsDraft>(() => termsToDraft(round.terms));
  const { errors, clientErrors, setClientErrors } = useFieldErrors(respond.error);
  const set = (k: TermKey, patch: Partial<Draft>) => setDrafts((d) => ({ ...d, [k]: { ...d[k], ...patch } }));
  const counters = SLA_TERM_KEYS.filter((k) => drafts[k].decision === 'counter').length;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: FieldErrors = {};
    const answers: Record<string, TermAnswer> = {};
    for (const k of SLA_TERM_KEYS) {
      const d = drafts[k];
      const comment = d.comment.trim() || null;
      if (d.decision === 'accept') {
        answers[k] = { decision: 'accept', comment };
        continue;
      }
      const parsed = COUNTER_KIND[k] === 'structured' ? parseTermValue(k, draftToTerms(structured)[k]) : parseCounter(k, d.value);
      if (!parsed.ok) errs[`answers.${k}.value`] = parsed.error;
      else if (sameValue(parsed.value, round.terms[k])) errs[`answers.${k}.value`] = 'A counter must differ from the proposal';
      else answers[k] = { decision: 'counter', value: parsed.value, comment };
    }
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    respond.mutate(
      { round: round.round, answers },
      {
        onSuccess: (n) =>
          notifySuccess(
            n.status === 'agreed'
              ? 'You accepted every term. Both sides can now sign off.'
              : `You countered ${counters} term${counters === 1 ? '' : 's'}. Procurement will propose the next round.`,
            'Answer sent',
          ),
      },
    );
  };

  return (
    <Paper withBorder p="lg" radius="md" component="form" onSubmit={submit} noValidate data-testid="negotiation-respond-form">
      <Title order={3} size="h4" mb={4}>
        Your answer to round {round.round}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Accept each term or counter it with the value you can commit to. A comment helps the other side understand your position.
      </Text>
      <Stack gap="sm">
        {SLA_TERM_KEYS.map((k) => {
          const d = drafts[k];
          const kind = COUNTER_KIND[k];
          const valueError = errors[`answers.${k}.value`];
          return (
            <Paper
              key={k}
              withBorder
              p="sm"
              radius="sm"
              bg={d.decision === 'counter' ? 'var(--mantine-color-orange-0)' : undefined}
              data-testid="negotiation-answer-row"
              data-term={k}
            >
              <SimpleGrid cols={{ base: 1, md: 4 }} spacing="sm">
                <Stack gap={2}>
                  <Text size="sm" fw={600}>
                    {termLabel(k)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    Proposed:
                  </Text>
                  <TermValue term={k} value={round.terms[k]} />
                </Stack>
                <NativeSelect
                  label="Your answer"
                  data={[
                    { value: 'accept', label: 'Accept' },
                    { value: 'counter', label: 'Counter' },
                  ]}
                  value={d.decision}
                  onChange={(e) => set(k, { decision: e.currentTarget.value as Draft['decision'] })}
                  error={errors[`answers.${k}`] ?? errors[`answers.${k}.decision`]}
                  data-testid={`negotiation-answer-${k}`}
                />
                <div>
                  {d.decision === 'counter' &&
                    (kind === 'structured' ? (
                      <StructuredCounter
                        term={k as StructuredTerm}
                        draft={structured}
                        onChange={(patch) => setStructured((d) => ({ ...d, ...patch }))}
                        error={valueError}
                      />
                    ) : kind === 'window' ? (
                      <NativeSelect
                        label="Your value"
                        data={[
                          { value: 'month', label: 'Calendar month' },
                          { value: 'quarter', label: 'Calendar quarter' },
                        ]}
                        value={d.value}
                        onChange={(e) => set(k, { value: e.currentTarget.value })}
                        error={valueError}
                        data-testid={`negotiation-counter-${k}`}
                      />
                    ) : (
                      <TextInput
                        label={
                          kind === 'text'
                            ? 'Your value'
                            : `Your value${k === 'availabilityTarget' || k === 'creditCapPercent' ? ' (%)' : k === 'maintenanceNoticeHours' ? ' (hours)' : ' (minutes)'}`
                        }
                        description={kind === 'nullableNumber' ? 'Empty = none' : undefined}
                        type={kind === 'text' ? 'text' : 'number'}
                        step="any"
                        min={0}
                        value={d.value}
                        onChange={(e) => set(k, { value: e.currentTarget.value })}
                        error={valueError}
                        data-testid={`negotiation-counter-${k}`}
                      />
                    ))}
                </div>
                <TextInput
                  label="Comment"
                  placeholder="Optional"
                  value={d.comment}
                  onChange={(e) => set(k, { comment: e.currentTarget.value })}
                  error={errors[`answers.${k}.comment`]}
                  data-testid={`negotiation-comment-${k}`}
                />
              </SimpleGrid>
            </Paper>
          );
        })}
        <FormErrorAlert clientErrors={clientErrors} error={respond.error} shownFields={['answers']} />
        <Group justify="flex-end">
          <Text size="sm" c="dimmed">
            {counters === 0 ? 'Accepting every term' : `Countering ${counters} term${counters === 1 ? '' : 's'}`}
          </Text>
          <Button type="submit" loading={respond.isPending} data-testid="negotiation-respond-submit">
            {counters === 0 ? 'Accept all terms' : 'Send answer'}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
