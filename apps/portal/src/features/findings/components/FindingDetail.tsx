import { Alert, Anchor, Badge, Breadcrumbs, Button, Group, Paper, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import {
  can,
  EVIDENCE_REQUIRED_TO_CLOSE,
  FINDING_DUE_DAYS,
  FINDING_TRANSITION_SIDE,
  findingTransitionSchema,
  riskAcceptanceSchema,
  type FindingDetail as Finding,
  type FindingTransitionTarget,
} from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { isApiError } from '../../../shared/api/client';
import { ErrorAlert, FormErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { FormActions } from '../../../shared/components/FormActions';
import { KeyValue, KeyValueGrid } from '../../../shared/components/KeyValue';
import { NotFoundPage } from '../../../shared/components/NotFoundPage';
import { WorkflowHistory } from '../../../shared/components/WorkflowHistory';
import { formatDate, formatDateTime, humanize } from '../../../shared/lib/format';
import { fieldBinder, useFieldErrors, validate } from '../../../shared/lib/forms';
import { notifySuccess } from '../../../shared/lib/notify';
import { EvidencePicker } from '../../evidence/components/EvidencePicker';
import { EvidenceRef } from '../../evidence/components/EvidenceRef';
import { Thread } from '../../threads/components/Thread';
import { useApproveRiskAcceptance, useFinding, useRequestRiskAcceptance, useTransitionFinding } from '../api/findings';
import { FindingStatusBadge, OverdueBadge, SeverityBadge } from './findingBadges';

type Variant = 'internal' | 'vendor';

/** What each step is called on its button and form. */
const STEP: Record<FindingTransitionTarget, { title: string; submit: string; hint: string }> = {
  plan_proposed: {
    title: 'Propose a remediation plan',
    submit: 'Propose plan',
    hint: 'State the root cause, what you will do about it, and by when.',
  },
  plan_accepted: { title: 'Accept the plan', submit: 'Accept plan', hint: 'The vendor starts remediating against this plan.' },
  in_remediation: { title: 'Start remediation', submit: 'Start remediation', hint: 'Tell the organization the work has started.' },
  ready_for_verification: {
    title: 'Mark ready for verification',
    submit: 'Mark ready',
    hint: 'Attach the evidence that the corrective action is done.',
  },
  changes_requested: {
    title: 'Request changes',
    submit: 'Request changes',
    hint: 'Send it back to the vendor, saying what has to change.',
  },
  closed: { title: 'Verify and close', submit: 'Close finding', hint: 'Record how you verified the remediation.' },
};

/** `/findings/:id` and `/vendor-home/findings/:id`: the finding, what may be done next, its risk acceptances and its history. */
export function FindingDetail({ id, variant }: { id: string; variant: Variant }) {
  const finding = useFinding(id);
  if (finding.isPending) return <PageLoader />;
  if (finding.isError && !finding.data) {
    if (isApiError(finding.error) && finding.error.isNotFoundLike)
      return <NotFoundPage message="This finding does not exist, or you do not have access to it." />;
    return <ErrorAlert error={finding.error} onRetry={() => void finding.refetch()} />;
  }
  return <FindingView finding={finding.data} variant={variant} />;
}

function FindingView({ finding: f, variant }: { finding: Finding; variant: Variant }) {
  useDocumentTitle(`${f.title} · Findings · Bulwark`);
  const user = useCurrentUser();
  const internal = variant === 'internal';
  const side = user.role === 'vendor_contact' ? 'vendor' : 'internal';
  const steps = can(user.role, 'finding.transition') ? f.allowedTransitions.filter((t) => FINDING_TRANSITION_SIDE[t] === side) : [];
  const waitingOnOtherSide = f.allowedTransitions.length > 0 && steps.length === 0;

  return (
    <Stack gap="lg">
      <Breadcrumbs>
        <Anchor component={Link} to={internal ? '/findings' : '/vendor-home/findings'}>
          Findings
        </Anchor>
        <span>{f.title}</span>
      </Breadcrumbs>
      <Paper withBorder p="lg" radius="md">
        <Group gap="sm" mb={6}>
          <Title order={2} data-testid="finding-title">
            {f.title}
          </Title>
          <SeverityBadge severity={f.severity} size="lg" />
          <FindingStatusBadge status={f.status} size="lg" />
          {f.overdue && <OverdueBadge />}
        </Group>
        <Text size="sm" c="dimmed" mb="md">
          {f.vendorName} · from {humanize(f.source)}
          {f.sourceKey ? ` (${f.sourceKey})` : ''} · raised {formatDateTime(f.raisedAt)}
        </Text>
        <KeyValueGrid cols={4}>
          <KeyValue label="Due" testId="finding-detail-due">
            {formatDate(f.dueDate)}
          </KeyValue>
          <KeyValue label="Vendor-side owner" testId="finding-detail-owner">
            {f.vendorOwnerName ?? 'Every contact of the vendor'}
          </KeyValue>
          <KeyValue label="Plan target date">{f.targetDate ? formatDate(f.targetDate) : null}</KeyValue>
          <KeyValue label={f.status === 'risk_accepted' ? 'Risk accepted until' : 'Closed'}>
            {f.status === 'risk_accepted' ? formatDate(f.riskAcceptedUntil) : f.closedAt ? formatDateTime(f.closedAt) : null}
          </KeyValue>
        </KeyValueGrid>
        {f.details && (
          <Text size="sm" mt="md" style={{ whiteSpace: 'pre-wrap' }} data-testid="finding-details">
            {f.details}
          </Text>
        )}
        <Text size="xs" c="dimmed" mt="sm">
          Due {FINDING_DUE_DAYS[f.severity]} days after it was raised (the policy for {f.severity} findings).
        </Text>
      </Paper>

      <Paper withBorder p="lg" radius="md" data-testid="finding-plan">
        <Title order={3} size="h4" mb="sm">
          Remediation plan
        </Title>
        {f.rootCause || f.correctiveAction ? (
          <KeyValueGrid cols={2}>
            <KeyValue label="Root cause" testId="finding-root-cause">
              {f.rootCause}
            </KeyValue>
            <KeyValue label="Corrective action" testId="finding-corrective-action">
              {f.correctiveAction}
            </KeyValue>
          </KeyValueGrid>
        ) : (
          <Text size="sm" c="dimmed" data-testid="finding-plan-empty">
            No plan proposed yet.
          </Text>
        )}
        <Text size="xs" c="dimmed" tt="uppercase" fw={600} mt="md">
          Evidence
        </Text>
        {f.evidenceIds.length ? (
          <Stack gap={0} data-testid="finding-evidence">
            {f.evidenceIds.map((e) => (
              <EvidenceRef key={e} id={e} />
            ))}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            None attached yet.
          </Text>
        )}
      </Paper>

      {f.status === 'changes_requested' && (
        <Alert color="orange" title="Changes requested" data-testid="finding-changes-requested">
          {[...f.events].reverse().find((e) => e.toStatus === 'changes_requested')?.note ?? ''}
        </Alert>
      )}
      {steps.map((to) => (
        <TransitionForm key={`${to}-${f.version}`} finding={f} to={to} />
      ))}
      {waitingOnOtherSide && (
        <Text size="sm" c="dimmed" data-testid="finding-waiting">
          {side === 'vendor' ? 'Waiting for the organization to review.' : 'Waiting for the vendor.'}
        </Text>
      )}

      {internal && ((can(user.role, 'finding.write') && f.status !== 'closed') || f.riskAcceptances.length > 0) && (
        <RiskSection finding={f} />
      )}

      <WorkflowHistory
        events={f.events}
        testId="finding"
        extra={(e) =>
          e.evidenceIds.length > 0 && (
            <Stack gap={0} mt={2} data-testid="finding-event-evidence">
              {e.evidenceIds.map((id) => (
                <EvidenceRef key={id} id={id} />
              ))}
            </Stack>
          )
        }
      />

      <Thread
        targetType="finding"
        targetId={f.id}
        title="Discussion"
        description={
          internal
            ? 'Comments visible to the vendor reach its contacts; internal notes stay with your organization.'
            : 'Questions and answers about this finding, between you and the organization.'
        }
      />
    </Stack>
  );
}

function TransitionForm({ finding: f, to }: { finding: Finding; to: FindingTransitionTarget }) {
  const transition = useTransitionFinding(f.id);
  const [rootCause, setRootCause] = useState(f.rootCause ?? '');
  const [correctiveAction, setCorrectiveAction] = useState(f.correctiveAction ?? '');
  const [targetDate, setTargetDate] = useState(f.targetDate ?? '');
  const [note, setNote] = useState('');
  const [evidence, setEvidence] = useState<string[]>([]);
  const { errors, clientErrors, setClientErrors } = useFieldErrors(transition.error);
  // Editing a field clears the errors of the last attempt: they are about what was sent then.
  const bind = fieldBinder(errors);
  const field = (path: string, value: string, set: (v: string) => void, testId: string) =>
    bind(
      path,
      value,
      (v) => {
        set(v);
        if (Object.keys(clientErrors).length) setClientErrors({});
        if (transition.error) transition.reset();
      },
      testId,
    );
  const step = STEP[to];
  const plan = to === 'plan_proposed';
  const withEvidence = to === 'ready_for_verification' || to === 'closed';
  const noteRequired = to === 'changes_requested' || to === 'closed';
  const testId = `finding-step-${to}`;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = validate(findingTransitionSchema, {
      to,
      version: f.version,
      ...(note ? { note } : {}),
      ...(withEvidence ? { evidenceIds: evidence } : {}),
      ...(plan ? { rootCause, correctiveAction, targetDate: targetDate || undefined } : {}),
    });
    if (!v.ok) {
      setClientErrors(v.errors);
      return;
    }
    const missing: Record<string, string> = {};
    if (plan && !rootCause.trim()) missing['rootCause'] = 'State the root cause';
    if (plan && !correctiveAction.trim()) missing['correctiveAction'] = 'State the corrective action';
    if (plan && !targetDate) missing['targetDate'] = 'Give a target date';
    if (noteRequired && !note.trim()) missing['note'] = to === 'closed' ? 'A verification note is required' : 'Say what has to change';
    if (Object.keys(missing).length) {
      setClientErrors(missing);
      return;
    }
    setClientErrors({});
    transition.mutate(v.data, { onSuccess: (r) => notifySuccess(`"${r.title}" is now ${humanize(r.status).toLowerCase()}.`, step.title) });
  };

  return (
    <Paper withBorder p="lg" radius="md" component="form" onSubmit={submit} noValidate data-testid={testId}>
      <Title order={3} size="h4" mb={4}>
        {step.title}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {step.hint}
      </Text>
      <Stack gap="sm">
        {plan && (
          <>
            <Textarea
              label="Root cause"
              required
              autosize
              minRows={2}
              {...field('rootCause', rootCause, setRootCause, `${testId}-root-cause`)}
            />
            <Textarea
              label="Corrective action"
              required
              autosize
              minRows={2}
              {...field('correctiveAction', correctiveAction, setCorrectiveAction, `${testId}-corrective-action`)}
            />
            <TextInput
              label="Target date"
              type="date"
              required
              maw={220}
              {...field('targetDate', targetDate, setTargetDate, `${testId}-target-date`)}
            />
          </>
        )}
        {withEvidence && (
          <EvidencePicker
            vendorId={f.vendorId}
            vendorName={f.vendorName}
            label="Evidence"
            description={
              to === 'closed'
                ? EVIDENCE_REQUIRED_TO_CLOSE.includes(f.severity) && !f.evidenceIds.length
                  ? `Closing a ${f.severity} finding needs at least one evidence item; none is attached yet.`
                  : 'Optional: evidence you verified beyond what the vendor attached.'
                : 'What shows the work is done: choose from the evidence library or upload it now.'
            }
            value={evidence}
            onChange={(ids) => {
              setEvidence(ids);
              if (Object.keys(clientErrors).length) setClientErrors({});
              if (transition.error) transition.reset();
            }}
            error={errors['evidenceIds']}
            testId={`${testId}-evidence`}
            max={50}
          />
        )}
        {to !== 'in_remediation' && (
          <Textarea
            label={to === 'closed' ? 'Verification note' : to === 'changes_requested' ? 'What has to change' : 'Note'}
            required={noteRequired}
            autosize
            minRows={2}
            {...field('note', note, setNote, `${testId}-note`)}
          />
        )}
        <FormErrorAlert
          clientErrors={clientErrors}
          error={transition.error}
          shownFields={['rootCause', 'correctiveAction', 'targetDate', 'evidenceIds', 'note']}
        />
        <FormActions submitLabel={step.submit} pending={transition.isPending} submitTestId={`${testId}-submit`} />
      </Stack>
    </Paper>
  );
}

function RiskSection({ finding: f }: { finding: Finding }) {
  const user = useCurrentUser();
  const approve = useApproveRiskAcceptance(f.id);
  const writer = can(user.role, 'finding.write');
  const pending = f.riskAcceptances.find((a) => a.state === 'pending');
  return (
    <Paper withBorder p="lg" radius="md" data-testid="finding-risk">
      <Title order={3} size="h4" mb={4}>
        Risk acceptance
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Instead of remediating, the risk can be accepted until a date: one person asks, a different one approves. The finding reopens by
        itself the day after the acceptance ends; extending it is a new acceptance.
      </Text>
      {f.riskAcceptances.length > 0 && (
        <Table mb="sm" data-testid="finding-risk-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Until</Table.Th>
              <Table.Th>Asked by</Table.Th>
              <Table.Th>Approved by</Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {f.riskAcceptances.map((a) => (
              <Table.Tr key={a.id} data-testid="finding-risk-row" data-state={a.state}>
                <Table.Td>{a.reason}</Table.Td>
                <Table.Td>{formatDate(a.expiresAt)}</Table.Td>
                <Table.Td>{a.requestedByName ?? '—'}</Table.Td>
                <Table.Td>{a.approvedByName ?? '—'}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={a.state === 'active' ? 'teal' : a.state === 'pending' ? 'yellow' : 'gray'}>
                    {a.state}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {writer && pending && (
        <Group mb="sm">
          {pending.requestedById === user.id ? (
            <Text size="sm" c="dimmed" data-testid="finding-risk-four-eyes">
              You asked for this acceptance: someone else approves it.
            </Text>
          ) : (
            <Button
              onClick={() =>
                approve.mutate(pending.id, { onSuccess: (r) => notifySuccess(`Risk accepted until ${formatDate(r.riskAcceptedUntil)}.`) })
              }
              loading={approve.isPending}
              data-testid="finding-risk-approve"
            >
              Approve the acceptance until {formatDate(pending.expiresAt)}
            </Button>
          )}
          {approve.isError && <ErrorAlert error={approve.error} />}
        </Group>
      )}
      {writer && !pending && f.status !== 'closed' && <RequestAcceptanceForm finding={f} />}
    </Paper>
  );
}

function RequestAcceptanceForm({ finding: f }: { finding: Finding }) {
  const request = useRequestRiskAcceptance(f.id);
  const [reason, setReason] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const { errors, clientErrors, setClientErrors } = useFieldErrors(request.error);
  const field = fieldBinder(errors);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = validate(riskAcceptanceSchema, { reason, expiresAt });
    if (!v.ok) {
      setClientErrors(v.errors);
      return;
    }
    setClientErrors({});
    request.mutate(v.data, {
      onSuccess: () => {
        setReason('');
        setExpiresAt('');
        notifySuccess('Another admin or vendor manager approves it.', 'Risk acceptance requested');
      },
    });
  };
  return (
    <form onSubmit={submit} noValidate data-testid="finding-risk-form">
      <Stack gap="sm">
        <Textarea
          label={f.status === 'risk_accepted' ? 'Why extend the acceptance?' : 'Why accept the risk?'}
          required
          autosize
          minRows={2}
          {...field('reason', reason, setReason, 'finding-risk-reason')}
        />
        <TextInput
          label="Accepted until"
          type="date"
          required
          maw={220}
          {...field('expiresAt', expiresAt, setExpiresAt, 'finding-risk-expires')}
        />
        <FormErrorAlert clientErrors={clientErrors} error={request.error} shownFields={['reason', 'expiresAt']} />
        <FormActions
          submitLabel={f.status === 'risk_accepted' ? 'Ask to extend' : 'Ask to accept the risk'}
          pending={request.isPending}
          submitTestId="finding-risk-submit"
        />
      </Stack>
    </form>
  );
}
