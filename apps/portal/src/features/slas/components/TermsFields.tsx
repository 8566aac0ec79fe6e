import { ActionIcon, Button, Fieldset, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';

import { pickError, type FieldErrors } from '../../../shared/lib/forms';
import { newCreditKey, type CreditDraft, type TermKey, type TermsDraft } from '../lib/terms';

const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;

/**
 * The SLA terms editor (fieldsets "Availability", "Recovery and support", "Model SLOs", "Service
 * credits"), shared by the SLA form and the negotiation's next-round form. Field ids are `sla-…`;
 * error paths are `terms.<term>…`. `extra(term)` renders something next to a term's fieldset
 * (e.g. "Adopt counter").
 */
export function TermsFields({
  draft,
  onChange,
  errors,
  extra,
}: {
  draft: TermsDraft;
  onChange: (patch: Partial<TermsDraft>) => void;
  errors: FieldErrors;
  extra?: (term: TermKey) => ReactNode;
}) {
  const setCredit = (key: number, patch: Partial<CreditDraft>) =>
    onChange({ credits: draft.credits.map((r) => (r.key === key ? { ...r, ...patch } : r)) });
  const h = (term: TermKey) => extra?.(term) ?? null;
  const num = (
    label: string,
    field: keyof TermsDraft,
    path: string,
    testId: string,
    opts: { step?: string; description?: string; min?: number; max?: number; required?: boolean } = {},
  ) => (
    <TextInput
      label={label}
      description={opts.description}
      type="number"
      min={opts.min ?? 0}
      max={opts.max}
      step={opts.step ?? '1'}
      inputMode={opts.step === 'any' ? 'decimal' : 'numeric'}
      required={opts.required}
      value={draft[field] as string}
      onChange={(e) => onChange({ [field]: e.currentTarget.value })}
      error={pickError(errors, path)}
      data-testid={testId}
    />
  );

  return (
    <>
      <Fieldset legend="Availability" variant="filled">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Stack gap={4}>
            {num('Availability target (%)', 'availabilityTarget', 'terms.availabilityTarget', 'sla-availability-target', {
              step: 'any',
              max: 100,
              required: true,
              description: 'e.g. 99.9',
            })}
            {h('availabilityTarget')}
          </Stack>
          <Stack gap={4}>
            <NativeSelect
              label="Measurement window"
              data={[
                { value: 'month', label: 'Calendar month' },
                { value: 'quarter', label: 'Calendar quarter' },
              ]}
              value={draft.window}
              onChange={(e) => onChange({ window: e.currentTarget.value })}
              error={pickError(errors, 'terms.window')}
              data-testid="sla-window-select"
            />
            {h('window')}
          </Stack>
          <Stack gap={4}>
            <TextInput
              label="Time zone"
              description="IANA name of the zone the windows are counted in, e.g. UTC, Europe/Berlin"
              value={draft.timeZone}
              onChange={(e) => onChange({ timeZone: e.currentTarget.value })}
              error={pickError(errors, 'terms.timeZone')}
              data-testid="sla-time-zone"
            />
            {h('timeZone')}
          </Stack>
          <Stack gap={4}>
            {num('Maintenance notice (hours)', 'maintenanceNoticeHours', 'terms.maintenanceNoticeHours', 'sla-maintenance-notice-hours', {
              description: 'Announced maintenance with this notice is excluded',
            })}
            {h('maintenanceNoticeHours')}
          </Stack>
          {num('Partial outage weight (0–1)', 'partialOutage', 'terms.weights.partialOutage', 'sla-weight-partial', {
            step: 'any',
            max: 1,
            description: 'Share of a partial outage counted as downtime',
          })}
          {num('Degradation weight (0–1)', 'degraded', 'terms.weights.degraded', 'sla-weight-degraded', {
            step: 'any',
            max: 1,
            description: 'Share of a degradation counted as downtime',
          })}
        </SimpleGrid>
        {h('weights')}
      </Fieldset>

      <Fieldset legend="Recovery and support" variant="filled">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Stack gap={4}>
            {num('RTO (minutes)', 'rtoMinutes', 'terms.rtoMinutes', 'sla-rto')}
            {h('rtoMinutes')}
          </Stack>
          <Stack gap={4}>
            {num('RPO (minutes)', 'rpoMinutes', 'terms.rpoMinutes', 'sla-rpo')}
            {h('rpoMinutes')}
          </Stack>
          <Stack gap={4}>
            {num('Data-loss limit (minutes)', 'dataLossLimitMinutes', 'terms.dataLossLimitMinutes', 'sla-data-loss-limit')}
            {h('dataLossLimitMinutes')}
          </Stack>
        </SimpleGrid>
        <Text size="sm" fw={500} mt="sm">
          Support response (minutes)
        </Text>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          {SEVERITIES.map((s) => (
            <div key={s}>{num(s.toUpperCase(), s, `terms.supportResponseMinutes.${s}`, `sla-support-${s}`)}</div>
          ))}
        </SimpleGrid>
        {h('supportResponseMinutes')}
      </Fieldset>

      <Fieldset legend="Model SLOs" variant="filled">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {num('Max error rate (%)', 'maxErrorRate', 'terms.modelSlo.maxErrorRatePercent', 'sla-model-max-error-rate', {
            step: 'any',
            max: 100,
          })}
          {num('p95 latency (ms)', 'p95', 'terms.modelSlo.p95LatencyMs', 'sla-model-p95-latency')}
        </SimpleGrid>
        {h('modelSlo')}
      </Fieldset>

      <Fieldset legend="Service credits" variant="filled">
        <Stack gap="xs">
          {draft.credits.length === 0 && (
            <Text size="sm" c="dimmed">
              No credits. Add a row per threshold: availability below X % earns a credit of Y % of the fees.
            </Text>
          )}
          {draft.credits.map((c, i) => (
            <Group key={c.key} align="flex-start" gap="xs" wrap="nowrap" data-testid="sla-credit-row">
              <TextInput
                label="Availability below (%)"
                type="number"
                min={0}
                max={100}
                step="any"
                value={c.below}
                onChange={(e) => setCredit(c.key, { below: e.currentTarget.value })}
                error={pickError(errors, `terms.credits.${i}.belowPercent`)}
                data-testid="sla-credit-below"
                style={{ flex: 1 }}
              />
              <TextInput
                label="Credit (% of fees)"
                type="number"
                min={0}
                max={100}
                step="any"
                value={c.credit}
                onChange={(e) => setCredit(c.key, { credit: e.currentTarget.value })}
                error={pickError(errors, `terms.credits.${i}.creditPercent`)}
                data-testid="sla-credit-percent"
                style={{ flex: 1 }}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                mt={26}
                aria-label={`Remove credit row ${i + 1}`}
                onClick={() => onChange({ credits: draft.credits.filter((r) => r.key !== c.key) })}
                data-testid="sla-credit-remove"
              >
                ✕
              </ActionIcon>
            </Group>
          ))}
          {h('credits')}
          <Group justify="space-between" align="flex-end">
            <Button
              variant="light"
              size="xs"
              onClick={() => onChange({ credits: [...draft.credits, { key: newCreditKey(), below: '', credit: '' }] })}
              data-testid="sla-credit-add"
              disabled={draft.credits.length >= 20}
            >
              + Add credit row
            </Button>
            <Stack gap={4} w={220}>
              {num('Credit cap (%)', 'creditCapPercent', 'terms.creditCapPercent', 'sla-credit-cap', { step: 'any', max: 100 })}
              {h('creditCapPercent')}
            </Stack>
          </Group>
          {pickError(errors, 'terms.credits') && !Object.keys(errors).some((k) => /^terms\.credits\.\d+\./.test(k)) && (
            <Text size="xs" c="red">
              {pickError(errors, 'terms.credits')}
            </Text>
          )}
        </Stack>
      </Fieldset>
    </>
  );
}
