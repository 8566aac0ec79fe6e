import { Alert, Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';

import { can, tierOverrideSchema, TIERS, type Tier, type VendorDetail } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../../app/session';
import { TierBadge } from '../../../../shared/components/badges';
import { ConfirmButton } from '../../../../shared/components/ConfirmButton';
import { EmptyState, FormErrorAlert } from '../../../../shared/components/feedback';
import { KeyValue } from '../../../../shared/components/KeyValue';
import { enumOptions, formatDateTime } from '../../../../shared/lib/format';
import { fieldBinder, useFieldErrors, validate } from '../../../../shared/lib/forms';
import { notifyError, notifySuccess } from '../../../../shared/lib/notify';
import { useClearTierOverride, useSetTierOverride } from '../../api/vendors';

export function TierTab({ vendor: v }: { vendor: VendorDetail }) {
  const { role } = useCurrentUser();
  const canWrite = can(role, 'inventory.write');
  const clear = useClearTierOverride(v.id);
  const total = v.tierReasons.reduce((s, r) => s + r.points, 0);

  return (
    <Stack gap="lg">
      <Paper withBorder p="lg" radius="md">
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <KeyValue label="Effective tier">
            <TierBadge tier={v.tier} overridden={v.tierOverridden} />
          </KeyValue>
          <KeyValue label="Computed tier" testId="tier-computed">
            <TierBadge tier={v.computedTier} />
          </KeyValue>
          <KeyValue label="Score" testId="tier-score">
            <Text fw={700} size="lg">
              {v.tierScore}
            </Text>
          </KeyValue>
          <KeyValue label="Override">{v.tierOverride ? 'Yes' : 'No'}</KeyValue>
        </SimpleGrid>
      </Paper>

      <Paper withBorder p="lg" radius="md">
        <Title order={3} size="h4" mb="sm">
          Why this tier
        </Title>
        {v.tierReasons.length === 0 ? (
          <EmptyState title="No scoring factors">The computed tier did not use any factor with points.</EmptyState>
        ) : (
          <Table data-testid="tier-reasons" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Factor</Table.Th>
                <Table.Th>Value</Table.Th>
                <Table.Th ta="right">Points</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {v.tierReasons.map((r, i) => (
                <Table.Tr key={`${r.factor}-${i}`} data-testid="tier-reason-row">
                  <Table.Td>{r.factor}</Table.Td>
                  <Table.Td>{r.value}</Table.Td>
                  <Table.Td ta="right">{r.points}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th colSpan={2}>Total score</Table.Th>
                <Table.Th ta="right">{v.tierScore ?? total}</Table.Th>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        )}
      </Paper>

      <Paper withBorder p="lg" radius="md">
        <Title order={3} size="h4" mb="sm">
          Tier override
        </Title>
        {v.tierOverride ? (
          <Alert
            color="orange"
            variant="light"
            mb="md"
            data-testid="tier-override-info"
            title={`Overridden to ${v.tierOverride.tier} (computed: ${v.computedTier})`}
          >
            <Stack gap={4}>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {v.tierOverride.reason}
              </Text>
              <Text size="xs" c="dimmed">
                Set {v.tierOverride.by ? `by ${v.tierOverride.by} ` : ''}on {formatDateTime(v.tierOverride.at)}
              </Text>
            </Stack>
          </Alert>
        ) : (
          <Text size="sm" c="dimmed" mb="md">
            The tier is computed from the intake answers. Override it only with a documented reason; the override is recorded in the audit
            log.
          </Text>
        )}
        {canWrite && (
          <Stack>
            <OverrideForm vendor={v} />
            {v.tierOverride && (
              <Group>
                <ConfirmButton
                  title="Clear the tier override?"
                  message={`The vendor goes back to its computed tier (${v.computedTier}).`}
                  confirmLabel="Clear override"
                  variant="light"
                  size="sm"
                  loading={clear.isPending}
                  testId="tier-override-clear"
                  onConfirm={() =>
                    clear.mutateAsync().then(
                      () => notifySuccess('The vendor is back on its computed tier.', 'Override cleared'),
                      (e: unknown) => notifyError(e, 'Could not clear the override'),
                    )
                  }
                >
                  Clear override
                </ConfirmButton>
              </Group>
            )}
          </Stack>
        )}
      </Paper>
    </Stack>
  );
}

function OverrideForm({ vendor: v }: { vendor: VendorDetail }) {
  const set = useSetTierOverride(v.id);
  const [tier, setTier] = useState<string>(v.tierOverride?.tier ?? '');
  const [reason, setReason] = useState('');
  const { errors, clientErrors, setClientErrors } = useFieldErrors(set.error);
  const field = fieldBinder(errors);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = validate(tierOverrideSchema, { tier: tier || undefined, reason });
    if (!r.ok) {
      setClientErrors(r.errors);
      return;
    }
    setClientErrors({});
    set.mutate(r.data as { tier: Tier; reason: string }, {
      onSuccess: (res) => {
        setReason('');
        notifySuccess(`Tier set to ${res.tier}.`, 'Override saved');
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="tier-override-form">
      <Stack gap="sm" maw={640}>
        <NativeSelect
          label="Tier"
          required
          data={[{ value: '', label: 'Choose a tier…', disabled: true }, ...enumOptions(TIERS)]}
          {...field('tier', tier, setTier, 'tier-override-tier')}
          w={240}
        />
        <Textarea
          label="Reason"
          description="At least 10 characters; auditors will read this."
          required
          autosize
          minRows={2}
          {...field('reason', reason, setReason, 'tier-override-reason')}
        />
        <FormErrorAlert error={Object.keys(clientErrors).length ? undefined : set.error} shownFields={['tier', 'reason']} />
        <Group>
          <Button type="submit" loading={set.isPending} data-testid="tier-override-submit">
            {v.tierOverride ? 'Change override' : 'Override tier'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
