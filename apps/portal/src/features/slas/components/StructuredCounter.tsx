import { ActionIcon, Button, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';

import { newCreditKey, type CreditDraft, type TermsDraft } from '../lib/terms';

/** The terms whose value is a structure (not one number): countered field by field, as procurement proposes them. */
export type StructuredTerm = 'weights' | 'supportResponseMinutes' | 'modelSlo' | 'credits';
export const STRUCTURED_TERMS: readonly StructuredTerm[] = ['weights', 'supportResponseMinutes', 'modelSlo', 'credits'];

const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;

/**
 * The vendor's counter to one structured term, with the same fields procurement has in the terms editor:
 * outage weights, support response per severity, model SLOs, or the credit schedule. Edits a `TermsDraft`
 * (the editor's text state); the caller turns it into the term's value with `draftToTerms`.
 */
export function StructuredCounter({
  term,
  draft,
  onChange,
  error,
}: {
  term: StructuredTerm;
  draft: TermsDraft;
  onChange: (patch: Partial<TermsDraft>) => void;
  error?: string;
}) {
  const id = `negotiation-counter-${term}`;
  const num = (label: string, field: keyof TermsDraft, opts: { step?: string; max?: number; description?: string } = {}) => (
    <TextInput
      label={label}
      description={opts.description}
      type="number"
      min={0}
      max={opts.max}
      step={opts.step ?? '1'}
      inputMode={opts.step === 'any' ? 'decimal' : 'numeric'}
      value={draft[field] as string}
      onChange={(e) => onChange({ [field]: e.currentTarget.value })}
      data-testid={`${id}-${field}`}
    />
  );
  const setCredit = (key: number, patch: Partial<CreditDraft>) =>
    onChange({ credits: draft.credits.map((r) => (r.key === key ? { ...r, ...patch } : r)) });

  return (
    <Stack gap={4} data-testid={id}>
      {term === 'weights' && (
        <SimpleGrid cols={2} spacing="xs">
          {num('Partial outage (0–1)', 'partialOutage', { step: 'any', max: 1 })}
          {num('Degradation (0–1)', 'degraded', { step: 'any', max: 1 })}
        </SimpleGrid>
      )}
      {term === 'supportResponseMinutes' && (
        <>
          <Text size="xs" c="dimmed">
            Minutes per severity; empty = no commitment
          </Text>
          <SimpleGrid cols={2} spacing="xs">
            {SEVERITIES.map((s) => (
              <div key={s}>{num(s.toUpperCase(), s)}</div>
            ))}
          </SimpleGrid>
        </>
      )}
      {term === 'modelSlo' && (
        <SimpleGrid cols={2} spacing="xs">
          {num('Max error rate (%)', 'maxErrorRate', { step: 'any', max: 100, description: 'Empty = none' })}
          {num('p95 latency (ms)', 'p95', { description: 'Empty = none' })}
        </SimpleGrid>
      )}
      {term === 'credits' && (
        <>
          {draft.credits.length === 0 && (
            <Text size="xs" c="dimmed">
              No credits.
            </Text>
          )}
          {draft.credits.map((c, i) => (
            <Group key={c.key} gap="xs" align="flex-end" wrap="nowrap" data-testid={`${id}-row`}>
              <TextInput
                label={i === 0 ? 'Below (%)' : undefined}
                aria-label={`Credit row ${i + 1}: availability below (%)`}
                type="number"
                min={0}
                max={100}
                step="any"
                value={c.below}
                onChange={(e) => setCredit(c.key, { below: e.currentTarget.value })}
                data-testid={`${id}-below`}
                style={{ flex: 1 }}
              />
              <TextInput
                label={i === 0 ? 'Credit (%)' : undefined}
                aria-label={`Credit row ${i + 1}: credit (% of fees)`}
                type="number"
                min={0}
                max={100}
                step="any"
                value={c.credit}
                onChange={(e) => setCredit(c.key, { credit: e.currentTarget.value })}
                data-testid={`${id}-credit`}
                style={{ flex: 1 }}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                mb={4}
                aria-label={`Remove credit row ${i + 1}`}
                onClick={() => onChange({ credits: draft.credits.filter((r) => r.key !== c.key) })}
              >
                ✕
              </ActionIcon>
            </Group>
          ))}
          <Button
            variant="light"
            size="xs"
            onClick={() => onChange({ credits: [...draft.credits, { key: newCreditKey(), below: '', credit: '' }] })}
            disabled={draft.credits.length >= 20}
            data-testid={`${id}-add`}
          >
            + Add credit row
          </Button>
        </>
      )}
      {error && (
        <Text size="xs" c="red" data-testid={`${id}-error`}>
          {error}
        </Text>
      )}
    </Stack>
  );
}
