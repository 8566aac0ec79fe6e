import { Alert, Anchor, Badge, Breadcrumbs, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link } from 'react-router';

import type { NegotiationView } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { isApiError } from '../../../shared/api/client';
import { ConfirmButton } from '../../../shared/components/ConfirmButton';
import { ErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { NotFoundPage } from '../../../shared/components/NotFoundPage';
import { NegotiationStatusBadge } from '../../../shared/components/statusBadges';
import { formatDate, formatDateTime, humanize } from '../../../shared/lib/format';
import { notifyError, notifySuccess } from '../../../shared/lib/notify';
import { Thread } from '../../threads/components/Thread';
import { useCancelNegotiation, useNegotiation, useSignOffNegotiation } from '../api/negotiations';
import { SLA_TERM_KEYS } from '../lib/terms';
import { NegotiationHistory } from './NegotiationHistory';
import { ProposeRoundForm } from './ProposeRoundForm';
import { RespondForm } from './RespondForm';
import { TermTable } from './TermTable';

type Variant = 'internal' | 'vendor';

/** `/negotiations/:id` (procurement and other internal roles) and `/vendor-home/negotiations/:id` (the vendor). */
export function NegotiationDetail({ id, variant }: { id: string; variant: Variant }) {
  const negotiation = useNegotiation(id);
  if (negotiation.isPending) return <PageLoader />;
  if (negotiation.isError && !negotiation.data) {
    if (isApiError(negotiation.error) && negotiation.error.isNotFoundLike)
      return <NotFoundPage message="This negotiation does not exist, or you do not have access to it." />;
    return <ErrorAlert error={negotiation.error} onRetry={() => void negotiation.refetch()} />;
  }
  return <NegotiationDetailView negotiation={negotiation.data} variant={variant} />;
}

function nextStep(n: NegotiationView, variant: Variant, org: string): string {
  const vendor = variant === 'vendor';
  const current = n.rounds.find((r) => r.round === n.currentRound);
  const countered = current?.responses ? SLA_TERM_KEYS.filter((k) => current.responses?.[k]?.decision === 'counter').length : 0;
  switch (n.status) {
    case 'proposed':
      return vendor
        ? `Answer round ${n.currentRound}: accept each term or counter it.`
        : `Waiting for ${n.vendorName} to answer round ${n.currentRound}.`;
    case 'countered':
      return vendor
        ? `You countered ${countered} term${countered === 1 ? '' : 's'}. Waiting for ${org} to propose the next round.`
        : `${n.vendorName} countered ${countered} term${countered === 1 ? '' : 's'}. Adopt or adjust the counters and propose round ${n.currentRound + 1}.`;
    case 'agreed': {
      const mine = vendor ? n.vendorSignedAt : n.procurementSignedAt;
      const theirs = vendor ? n.procurementSignedAt : n.vendorSignedAt;
      if (mine && !theirs) return `Your side has signed off. Waiting for ${vendor ? org : n.vendorName} to sign off.`;
      if (!mine && theirs) return `${vendor ? org : n.vendorName} has signed off. Your sign-off puts the terms in force.`;
      return 'Every term is agreed. Both sides sign off to put the terms in force.';
    }
    case 'signed_off':
      return `Signed off by both sides. The terms take effect on ${formatDate(n.effectiveFrom)}.`;
    case 'cancelled':
      return 'This negotiation was cancelled.';
  }
}

function NegotiationDetailView({ negotiation: n, variant }: { negotiation: NegotiationView; variant: Variant }) {
  useDocumentTitle(`${n.slaName} · Negotiations · Bulwark`);
  const user = useCurrentUser();
  const internal = variant === 'internal';
  const signOff = useSignOffNegotiation(n.id);
  const cancel = useCancelNegotiation(n.id);
  const current = n.rounds.find((r) => r.round === n.currentRound) ?? n.rounds[n.rounds.length - 1];
  const can = (a: NegotiationView['allowedActions'][number]) => n.allowedActions.includes(a);
  const slaPath = n.slaId ? (internal ? `/slas/${n.slaId}` : `/vendor-home/slas/${n.slaId}`) : null;
  const org = user.organizationName;
  const renegotiation = !!n.slaId && (n.status !== 'signed_off' || (n.resultingVersion ?? 1) > 1);

  return (
    <Stack gap="lg">
      <Breadcrumbs>
        {internal ? (
          <Anchor component={Link} to="/negotiations">
            Negotiations
          </Anchor>
        ) : (
          <Anchor component={Link} to="/vendor-home">
            {user.vendorName ?? n.vendorName}
          </Anchor>
        )}
        <span>{n.slaName}</span>
      </Breadcrumbs>

      <Paper withBorder p="lg" radius="md">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
          <Stack gap={6}>
            <Group gap="sm">
              <Title order={2} data-testid="negotiation-title">
                {n.slaName}
              </Title>
              <NegotiationStatusBadge status={n.status} size="lg" />
              <Badge variant="default" size="lg" data-testid="negotiation-round-number" data-round={n.currentRound}>
                Round {n.currentRound}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {renegotiation ? 'Renegotiation of ' : 'New SLA'}
              {renegotiation && slaPath && (
                <Anchor component={Link} to={slaPath} data-testid="negotiation-sla-link">
                  {n.slaName}
                </Anchor>
              )}{' '}
              ·{' '}
              {internal ? (
                <Anchor component={Link} to={`/vendors/${n.vendorId}`}>
                  {n.vendorName}
                </Anchor>
              ) : (
                n.vendorName
              )}{' '}
              · contract{' '}
              {internal ? (
                <Anchor component={Link} to={`/contracts/${n.contractId}`} data-testid="negotiation-contract-link">
                  {n.contractTitle}
                </Anchor>
              ) : (
                `“${n.contractTitle}”`
              )}{' '}
              · effective from {formatDate(n.effectiveFrom)}
            </Text>
            <Text size="sm" fw={500} data-testid="negotiation-next-step">
              {nextStep(n, variant, org)}
            </Text>
          </Stack>
          {can('cancel') && (
            <ConfirmButton
              variant="light"
              size="sm"
              title="Cancel this negotiation?"
              message={`The negotiation of “${n.slaName}” with ${n.vendorName} ends here and cannot be resumed. Its rounds stay in the history.`}
              confirmLabel="Cancel negotiation"
              loading={cancel.isPending}
              testId="negotiation-cancel"
              onConfirm={() =>
                cancel.mutateAsync().then(
                  () => notifySuccess(`The negotiation of ${n.slaName} was cancelled.`, 'Negotiation cancelled'),
                  (e: unknown) => notifyError(e, 'Could not cancel'),
                )
              }
            >
              Cancel negotiation
            </ConfirmButton>
          )}
        </Group>
      </Paper>

      {n.status === 'signed_off' && n.slaId && slaPath && (
        <Alert color="green" variant="light" title="Signed off by both sides" data-testid="negotiation-result">
          The agreed terms are now{' '}
          <Anchor component={Link} to={slaPath} fw={600} data-testid="negotiation-result-link">
            {n.slaName} v{n.resultingVersion ?? 1}
          </Anchor>
          , in force from {formatDate(n.effectiveFrom)}.
        </Alert>
      )}

      {(n.status === 'agreed' || n.status === 'signed_off') && (
        <Paper withBorder p="lg" radius="md" data-testid="negotiation-signatures">
          <Group justify="space-between" align="center" wrap="wrap">
            <SimpleGrid cols={2} spacing="xl">
              <Signature label={`${org} (procurement)`} at={n.procurementSignedAt} side="procurement" />
              <Signature label={`${n.vendorName} (vendor)`} at={n.vendorSignedAt} side="vendor" />
            </SimpleGrid>
            {can('sign_off') && (
              <Button
                color="green"
                loading={signOff.isPending}
                data-testid="negotiation-sign-off"
                onClick={() =>
                  signOff.mutate(undefined, {
                    onSuccess: (v) =>
                      notifySuccess(
                        v.status === 'signed_off'
                          ? `${v.slaName} v${v.resultingVersion ?? 1} is in force from ${formatDate(v.effectiveFrom)}.`
                          : 'Your sign-off is recorded; waiting for the other side.',
                        'Signed off',
                      ),
                    onError: (e) => notifyError(e, 'Could not sign off'),
                  })
                }
              >
                Sign off the agreed terms
              </Button>
            )}
          </Group>
        </Paper>
      )}

      {n.context && (
        <Paper withBorder p="md" radius="md" data-testid="negotiation-context">
          <Text size="sm">
            <Text span fw={600}>
              For procurement only:
            </Text>{' '}
            the spread compares each term with the terms in force today of other vendors’ SLAs covering{' '}
            {n.context.serviceKinds.length ? n.context.serviceKinds.map(humanize).join(', ') : 'the same kind of'} services. The vendor does
            not see this; both sides see “achieved”, what this vendor delivered in the closed windows of the version being replaced.
          </Text>
        </Paper>
      )}

      {current && (
        <Paper withBorder radius="md" p="lg">
          <Group justify="space-between" mb="sm">
            <Title order={3} size="h4">
              Terms — round {current.round}
            </Title>
            <Text size="xs" c="dimmed">
              proposed {formatDateTime(current.proposedAt)}
              {current.respondedAt ? ` · answered ${formatDateTime(current.respondedAt)}` : ''}
            </Text>
          </Group>
          <TermTable negotiation={n} round={current} />
        </Paper>
      )}

      {current && can('respond') && <RespondForm key={`respond-${current.round}`} negotiationId={n.id} round={current} />}
      {current && can('propose') && <ProposeRoundForm key={`propose-${current.round}`} negotiationId={n.id} round={current} />}

      <NegotiationHistory negotiation={n} />

      <Thread
        targetType="negotiation"
        targetId={n.id}
        title="Discussion"
        description={
          internal
            ? 'Questions and answers on the terms; internal notes stay with your organization.'
            : 'Questions and answers on the terms.'
        }
      />
    </Stack>
  );
}

function Signature({ label, at, side }: { label: string; at: string | null; side: 'procurement' | 'vendor' }) {
  return (
    <Stack gap={2} data-testid="negotiation-signature" data-side={side} data-signed={at ? 'true' : 'false'}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      {at ? (
        <Text size="sm" c="green.8" fw={600}>
          ✓ Signed {formatDateTime(at)}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          Not signed yet
        </Text>
      )}
    </Stack>
  );
}
