import { Alert, Anchor, Badge, Breadcrumbs, Group, NativeSelect, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import { breachResolutionSchema, can, type BreachView } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { isApiError } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';
import { ErrorAlert, FormErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { FormActions } from '../../../shared/components/FormActions';
import { KeyValue, KeyValueGrid } from '../../../shared/components/KeyValue';
import { NotFoundPage } from '../../../shared/components/NotFoundPage';
import { BreachStatusBadge } from '../../../shared/components/statusBadges';
import { formatDateTime } from '../../../shared/lib/format';
import { fieldBinder, useFieldErrors, validate } from '../../../shared/lib/forms';
import { notifySuccess } from '../../../shared/lib/notify';
import { formatAvailability, formatMoney, formatTarget } from '../../agreements/lib/agreements';
import { Thread } from '../../threads/components/Thread';
import { useBreach, useResolveBreach } from '../api/breaches';
import { WindowIncidents } from './WindowIncidents';

type Variant = 'internal' | 'vendor';
const CLOSED = ['upheld', 'waived', 'withdrawn'];

/** `/breaches/:id` and `/vendor-home/breaches/:id`: the breach, its dispute thread (a `breach` thread) and (internal) its resolution. */
export function BreachDetail({ id, variant }: { id: string; variant: Variant }) {
  const breach = useBreach(id);
  if (breach.isPending) return <PageLoader />;
  if (breach.isError && !breach.data) {
    if (isApiError(breach.error) && breach.error.isNotFoundLike)
      return <NotFoundPage message="This breach does not exist, or you do not have access to it." />;
    return <ErrorAlert error={breach.error} onRetry={() => void breach.refetch()} />;
  }
  return <BreachDetailView breach={breach.data} variant={variant} />;
}

function BreachDetailView({ breach: b, variant }: { breach: BreachView; variant: Variant }) {
  useDocumentTitle(`${b.slaName} ${b.window} · Breaches · Bulwark`);
  const user = useCurrentUser();
  const qc = useQueryClient();
  const canResolveBreaches = can(user.role, 'breach.resolve');
  const internal = variant === 'internal';
  const closed = CLOSED.includes(b.status);
  const slaPath = internal ? `/slas/${b.slaId}` : `/vendor-home/slas/${b.slaId}`;

  return (
    <Stack gap="lg">
      <Breadcrumbs>
        {internal ? (
          <Anchor component={Link} to="/breaches">
            Breaches and credits
          </Anchor>
        ) : (
          <Anchor component={Link} to="/vendor-home">
            {user.vendorName ?? b.vendorName}
          </Anchor>
        )}
        <span>
          {b.slaName} · {b.window}
        </span>
      </Breadcrumbs>
      <Paper withBorder p="lg" radius="md">
        <Group gap="sm" mb={6}>
          <Title order={2} data-testid="breach-title">
            Breach of {b.slaName} in {b.window}
          </Title>
          <BreachStatusBadge status={b.status} size="lg" />
        </Group>
        <Text size="sm" c="dimmed" mb="md">
          {b.vendorName} ·{' '}
          <Anchor component={Link} to={slaPath} data-testid="breach-sla-link">
            {b.slaName}
          </Anchor>{' '}
          · detected {formatDateTime(b.detectedAt)}
        </Text>
        <KeyValueGrid cols={4}>
          <KeyValue label="Availability computed by Bulwark" testId="breach-detail-availability">
            <Text span c="red" fw={600} size="sm">
              {formatAvailability(b.availability)}
            </Text>
          </KeyValue>
          <KeyValue label="Availability filed by the vendor" testId="breach-detail-vendor-reported">
            {b.vendorReported === null ? (
              <Text span size="sm" c="dimmed">
                Not filed
              </Text>
            ) : (
              <Group gap={6} wrap="nowrap">
                <span>{formatAvailability(b.vendorReported)}</span>
                {Math.abs(b.vendorReported - b.availability) >= 0.01 && (
                  <Badge color="orange" variant="light" size="sm" data-testid="breach-detail-discrepancy">
                    {`${(b.vendorReported - b.availability > 0 ? '+' : '') + (b.vendorReported - b.availability).toFixed(4)} points`}
                  </Badge>
                )}
              </Group>
            )}
          </KeyValue>
          <KeyValue label="Target" testId="breach-detail-target">
            {formatTarget(b.target)}
          </KeyValue>
          <KeyValue label="Resolved">{b.resolvedAt ? formatDateTime(b.resolvedAt) : null}</KeyValue>
        </KeyValueGrid>
        {b.vendorReportNote && (
          <Text size="sm" c="dimmed" mt="xs" data-testid="breach-detail-vendor-note">
            The vendor&apos;s note on its figure: {b.vendorReportNote}
          </Text>
        )}
        <Stack gap={2} mt="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Service credit
          </Text>
          <Text size="sm" fw={600} data-testid="breach-detail-credit">
            {`${formatTarget(b.creditPercent)} · ${b.creditAmount === null ? 'amount unknown' : formatMoney(b.creditAmount, b.currency)}`}
          </Text>
          <Text size="sm" c={b.creditAmount === null ? 'orange' : 'dimmed'} data-testid="breach-detail-credit-basis">
            {creditComputation(b)}
          </Text>
        </Stack>
        {b.resolutionNote && (
          <Alert mt="md" color={b.status === 'waived' ? 'teal' : 'gray'} title={`Decision: ${b.status}`} data-testid="breach-resolution">
            {b.resolutionNote}
          </Alert>
        )}
      </Paper>

      <Paper withBorder p="lg" radius="md" data-testid="breach-incidents">
        <Title order={3} size="h4" mb={4}>
          Incidents in {b.window}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          The outage intervals of the services in scope that make up the computed downtime, with the weight each level carries under the
          SLA. Open one to see its signal.
        </Text>
        <WindowIncidents slaId={b.slaId} window={b.window} />
      </Paper>

      <Thread
        targetType="breach"
        targetId={b.id}
        title="Dispute thread"
        description={
          internal
            ? 'Comments visible to the vendor are its dispute thread; internal notes stay with your organization.'
            : 'Your comments and the answers of ' + user.organizationName + '.'
        }
        emptyHint={
          !internal && b.status === 'open' ? 'Your first comment disputes the breach: explain why and link your evidence.' : undefined
        }
        vendorSubmitLabel={b.status === 'open' ? 'Dispute the breach' : undefined}
        withLinks
        onPosted={() => qc.invalidateQueries({ queryKey: keys.breaches })}
      />

      {internal && canResolveBreaches && !closed && <ResolveForm breach={b} />}
    </Stack>
  );
}

/**
 * How the credit amount was computed, e.g. "10 % of USD 110,000.00 = fees of Amazon S3 (USD 35,000.00) + Amazon EC2
 * (USD 75,000.00) for 2026-09", or why it is unknown.
 */
export function creditComputation(b: Pick<BreachView, 'creditBasis' | 'creditPercent' | 'currency' | 'window'>): string {
  const basis = b.creditBasis;
  if (!basis) return 'Credit base unknown — record the fees of the covered services on the contract.';
  const missing = basis.services.filter((s) => s.periodFee === null).map((s) => s.name);
  if (basis.base === null)
    return `Credit base unknown — record the fees of the covered services on the contract (no fee recorded for ${missing.join(', ')}).`;
  const fees = basis.services.map((s) => `${s.name} (${formatMoney(s.periodFee, b.currency)})`).join(' + ');
  const prorated = basis.share < 1 ? `, prorated to the ${Math.round(basis.share * 100)} % of the window the SLA was in force` : '';
  return `${formatTarget(b.creditPercent)} of ${formatMoney(basis.base, b.currency)} = fees of ${fees} for ${b.window}${prorated}.`;
}

function ResolveForm({ breach: b }: { breach: BreachView }) {
  const resolve = useResolveBreach(b.id);
  const [decision, setDecision] = useState('upheld');
  const [note, setNote] = useState('');
  const { errors, clientErrors, setClientErrors } = useFieldErrors(resolve.error);
  const field = fieldBinder(errors);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = validate(breachResolutionSchema, { decision, note });
    if (!v.ok) {
      setClientErrors(v.errors);
      return;
    }
    setClientErrors({});
    resolve.mutate(v.data, {
      onSuccess: (r) => notifySuccess(`The breach of ${r.slaName} in ${r.window} was ${r.status}.`, 'Breach resolved'),
    });
  };
  return (
    <Paper withBorder p="lg" radius="md" component="form" onSubmit={submit} noValidate data-testid="breach-resolve-form">
      <Title order={3} size="h4" mb={4}>
        Resolve
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Upheld: the credit is due. Waived: no credit (e.g. the vendor&apos;s evidence shows the downtime was excluded).
      </Text>
      <Stack gap="sm">
        <NativeSelect
          label="Decision"
          data={[
            { value: 'upheld', label: 'Upheld — the credit is due' },
            { value: 'waived', label: 'Waived — no credit' },
          ]}
          {...field('decision', decision, setDecision, 'breach-resolve-decision')}
          maw={320}
        />
        <Textarea
          label="Note"
          description="At least 5 characters; both sides see it"
          required
          autosize
          minRows={2}
          {...field('note', note, setNote, 'breach-resolve-note')}
        />
        <FormErrorAlert clientErrors={clientErrors} error={resolve.error} shownFields={['decision', 'note']} />
        <FormActions submitLabel="Record decision" pending={resolve.isPending} submitTestId="breach-resolve-submit" />
      </Stack>
    </Paper>
  );
}
