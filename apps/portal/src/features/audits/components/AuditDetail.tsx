import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Collapse,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure, useDocumentTitle } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import {
  AUDIT_TRANSITION_SIDE,
  can,
  FINDING_SEVERITIES,
  newAuditItemSchema,
  type AuditDetail as Audit,
  type AuditItemView,
  type AuditTransitionTarget,
} from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { isApiError } from '../../../shared/api/client';
import { ErrorAlert, FormErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { FormActions } from '../../../shared/components/FormActions';
import { KeyValue, KeyValueGrid } from '../../../shared/components/KeyValue';
import { NotFoundPage } from '../../../shared/components/NotFoundPage';
import { WorkflowHistory } from '../../../shared/components/WorkflowHistory';
import { formatDate, formatDateTime, humanize } from '../../../shared/lib/format';
import { fieldBinder, useFieldErrors, validateBody } from '../../../shared/lib/forms';
import { notifySuccess } from '../../../shared/lib/notify';
import { EvidencePicker } from '../../evidence/components/EvidencePicker';
import { EvidenceRef } from '../../evidence/components/EvidenceRef';
import { useRaiseFinding } from '../../findings/api/findings';
import { FindingStatusBadge, SeverityBadge } from '../../findings/components/findingBadges';
import { useServices } from '../../inventory/api/services';
import { useSystems } from '../../inventory/api/systems';
import { Thread } from '../../threads/components/Thread';
import { auditKeys, useAddItem, useAudit, useDecideItem, useDecideWindow, useRespondItem, useTransitionAudit } from '../api/audits';
import { AuditItemStatusBadge, AuditStatusBadge } from './auditBadges';

type Variant = 'internal' | 'vendor';

/** How each step reads on its button and form, and what it asks for. */
const STEP: Record<AuditTransitionTarget, { label: string; hint: string; reason?: 'required' | 'optional'; color?: string }> = {
  issued: { label: 'Issue to the vendor', hint: 'The vendor is told and the notice runs from today.' },
  acknowledged: {
    label: 'Acknowledge',
    hint: 'Confirm the audit; the window stands unless you propose another below.',
    reason: 'optional',
  },
  refused: { label: 'Refuse', hint: 'Say why the audit is refused: the organization may escalate.', reason: 'required', color: 'red' },
  scheduled: { label: 'Confirm the schedule', hint: 'The window is agreed.' },
  fieldwork: { label: 'Start fieldwork', hint: 'Record the fieldwork dates and who attends.' },
  report_issued: { label: 'Issue the report', hint: 'Upload the report to the evidence vault and attach it.' },
  closed: { label: 'Close the audit', hint: 'Every finding must be closed, risk-accepted or in remediation.' },
  escalated: {
    label: 'Escalate the refusal',
    hint: 'Procurement and the vendor owner are told with the clause and the dates; a finding is opened against the vendor.',
    reason: 'required',
    color: 'red',
  },
  cancelled: {
    label: 'Cancel the audit',
    hint: 'Say why. A cancelled audit does not count against the allowance.',
    reason: 'required',
    color: 'gray',
  },
};

/** `/audits/:id` and `/vendor-home/audits/:id`: the request, what each side may do next, its items, findings and history. */
export function AuditDetail({ id, variant }: { id: string; variant: Variant }) {
  const audit = useAudit(id);
  if (audit.isPending) return <PageLoader />;
  if (audit.isError && !audit.data) {
    if (isApiError(audit.error) && audit.error.isNotFoundLike)
      return <NotFoundPage message="This audit does not exist, or you do not have access to it." />;
    return <ErrorAlert error={audit.error} onRetry={() => void audit.refetch()} />;
  }
  return <AuditView audit={audit.data} variant={variant} />;
}

function AuditView({ audit: a, variant }: { audit: Audit; variant: Variant }) {
  useDocumentTitle(`${a.title} · Audits · Bulwark`);
  const user = useCurrentUser();
  const internal = variant === 'internal';
  const side = user.role === 'vendor_contact' ? 'vendor' : 'internal';
  const steps = can(user.role, 'audit_request.transition')
    ? a.allowedTransitions.filter((t) => AUDIT_TRANSITION_SIDE[t] === side && !(t === 'acknowledged' && a.status === 'acknowledged'))
    : [];
  const canCounter = side === 'vendor' && (a.status === 'issued' || a.status === 'acknowledged');
  return (
    <Stack gap="lg">
      <Breadcrumbs>
        <Anchor component={Link} to={internal ? '/audits' : '/vendor-home'}>
          {internal ? 'Audits' : (user.vendorName ?? 'Home')}
        </Anchor>
        <span>{a.title}</span>
      </Breadcrumbs>
      <Paper withBorder p="lg" radius="md">
        <Group gap="sm" mb={6}>
          <Title order={2} data-testid="audit-title">
            {a.title}
          </Title>
          <AuditStatusBadge status={a.status} size="lg" />
          {a.outsideEntitlement && (
            <Badge color="orange" variant="outline" data-testid="audit-outside">
              Outside contractual entitlement
            </Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed" mb="md">
          {a.vendorName} · {a.clauseName ?? 'no right-to-audit clause'} · {humanize(a.mode)} ·{' '}
          {a.auditorKind === 'internal' ? 'internal team' : `${humanize(a.auditorKind)}: ${a.auditorName ?? ''}`}
        </Text>
        <KeyValueGrid cols={4}>
          <KeyValue label="Window" testId="audit-detail-window">
            {`${formatDate(a.windowStart)} – ${formatDate(a.windowEnd)} (${a.timeZone})`}
          </KeyValue>
          <KeyValue label="Items accepted" testId="audit-detail-progress">
            {`${a.itemsAccepted} of ${a.itemsTotal}${a.itemsOverdue ? ` · ${a.itemsOverdue} overdue` : ''}`}
          </KeyValue>
          <KeyValue label="Issued">{a.issuedAt ? formatDateTime(a.issuedAt) : null}</KeyValue>
          <KeyValue label="Fieldwork">
            {a.fieldworkStart ? `${formatDate(a.fieldworkStart)} – ${formatDate(a.fieldworkEnd)}` : null}
          </KeyValue>
        </KeyValueGrid>
        <AuditScope audit={a} internal={internal} />
        {a.objectives && (
          <Text size="sm" mt="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {a.objectives}
          </Text>
        )}
        {a.clause && (
          <Text size="xs" c="dimmed" mt="sm">
            Clause: {a.clause.noticeDays} {a.clause.noticeBasis} days’ notice, {a.clause.auditsPer12Months} audit(s) per 12 months,{' '}
            {humanize(a.clause.mode)}, cost borne by {a.clause.costBearer}, regulator access{' '}
            {a.clause.regulatorAccess ? 'granted' : 'not granted'}.{a.clause.scope ? ` Scope: ${a.clause.scope}` : ''}
          </Text>
        )}
        {a.overrideReason && (
          <Alert
            color="orange"
            mt="sm"
            title={`Override recorded${a.overrideByName ? ` by ${a.overrideByName}` : ''}`}
            data-testid="audit-override"
          >
            {a.overrideReason}
            {a.entitlement?.reasons.length ? ` (rules: ${a.entitlement.reasons.map((r) => humanize(r.rule)).join(', ')})` : ''}
          </Alert>
        )}
        {a.refusalReason && (
          <Alert color="red" mt="sm" title="Refused by the vendor" data-testid="audit-refusal">
            {a.refusalReason}
          </Alert>
        )}
        {a.cancelReason && (
          <Alert color="gray" mt="sm" title="Cancelled">
            {a.cancelReason}
          </Alert>
        )}
        {a.reportEvidenceId && (
          <Group gap={6} mt="sm">
            <Text size="sm" fw={600}>
              Report:
            </Text>
            <EvidenceRef id={a.reportEvidenceId} />
          </Group>
        )}
      </Paper>

      {a.counterProposal && <CounterProposal audit={a} side={side} />}
      {steps.map((to) => (
        <StepForm key={`${to}-${a.version}`} audit={a} to={to} />
      ))}
      {canCounter && !a.counterProposal && <CounterForm key={`counter-${a.version}`} audit={a} />}

      <Paper withBorder p="lg" radius="md" data-testid="audit-items">
        <Title order={3} size="h4" mb="sm">
          Requested items
        </Title>
        {internal &&
          can(user.role, 'audit_request.write') &&
          ['draft', 'issued', 'acknowledged', 'scheduled', 'fieldwork'].includes(a.status) && (
            <AddItemForm key={`add-${a.version}-${a.items.length}`} audit={a} />
          )}
        {a.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            No items requested.
          </Text>
        ) : (
          <Stack gap="xs">
            {a.items.map((i) => (
              <ItemRow key={`${i.id}-${i.version}`} audit={a} item={i} side={side} />
            ))}
          </Stack>
        )}
      </Paper>

      {(a.findings.length > 0 || (internal && can(user.role, 'finding.write') && ['fieldwork', 'report_issued'].includes(a.status))) && (
        <Paper withBorder p="lg" radius="md" data-testid="audit-findings">
          <Title order={3} size="h4" mb="sm">
            Findings
          </Title>
          {internal && can(user.role, 'finding.write') && ['fieldwork', 'report_issued'].includes(a.status) && (
            <RaiseAuditFinding audit={a} />
          )}
          <Table>
            <Table.Tbody>
              {a.findings.map((f) => (
                <Table.Tr key={f.id}>
                  <Table.Td>
                    <Anchor component={Link} to={internal ? `/findings/${f.id}` : `/vendor-home/findings/${f.id}`}>
                      {f.title}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <SeverityBadge severity={f.severity} />
                  </Table.Td>
                  <Table.Td>
                    <FindingStatusBadge status={f.status} />
                  </Table.Td>
                  <Table.Td>{formatDate(f.dueDate)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}

      <WorkflowHistory events={a.events} testId="audit" />

      {a.status !== 'draft' || internal ? (
        <Thread
          targetType="audit"
          targetId={a.id}
          title="Discussion"
          description={
            internal
              ? 'Comments visible to the vendor reach its contacts; internal notes stay with your organization.'
              : 'Questions and answers about this audit, between you and the organization.'
          }
        />
      ) : null}
    </Stack>
  );
}

/** Requests one more item. */
function AddItemForm({ audit: a }: { audit: Audit }) {
  const add = useAddItem(a.id);
  const [opened, { toggle }] = useDisclosure(false);
  const [reference, setReference] = useState(`PBC-${a.items.length + 1}`);
  const [details, setDetails] = useState('');
  const [dueDate, setDueDate] = useState('');
  const { errors, clientErrors, check } = useFieldErrors(add.error);
  const field = fieldBinder(errors);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = { reference, details, dueDate };
    if (!check(validateBody(newAuditItemSchema, body))) return;
    add.mutate(body, { onSuccess: () => notifySuccess(`${reference} requested.`) });
  };
  return (
    <Stack gap="xs" mb="sm">
      <Button variant="light" size="xs" w="fit-content" onClick={toggle} data-testid="audit-item-add-open">
        Request another item
      </Button>
      <Collapse expanded={opened}>
        <form onSubmit={submit} noValidate data-testid="audit-item-add-form">
          <Group align="flex-start" gap="xs" wrap="nowrap">
            <TextInput aria-label="Reference" w={100} {...field('reference', reference, setReference, 'audit-item-add-reference')} />
            <TextInput
              aria-label="What is requested"
              placeholder="What is requested"
              style={{ flex: 1 }}
              {...field('details', details, setDetails, 'audit-item-add-details')}
            />
            <TextInput aria-label="Due" type="date" w={160} {...field('dueDate', dueDate, setDueDate, 'audit-item-add-due')} />
            <Button type="submit" loading={add.isPending} data-testid="audit-item-add-submit">
              Request
            </Button>
          </Group>
          <FormErrorAlert clientErrors={clientErrors} error={add.error} shownFields={['reference', 'details', 'dueDate']} />
        </form>
      </Collapse>
    </Stack>
  );
}

/** Raises a finding from the audit (source `audit`, linked to it); closing the audit waits for it to be handled. */
function RaiseAuditFinding({ audit: a }: { audit: Audit }) {
  const raise = useRaiseFinding();
  const qc = useQueryClient();
  const [opened, { toggle, close }] = useDisclosure(false);
  const [title, setTitle] = useState('');
  const [details, setDetails] = useState('');
  const [severity, setSeverity] = useState<string>('medium');
  const { errors, clientErrors, setClientErrors } = useFieldErrors(raise.error);
  const field = fieldBinder(errors);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) {
      setClientErrors({ title: 'Required' });
      return;
    }
    setClientErrors({});
    raise.mutate(
      {
        vendorId: a.vendorId,
        source: 'audit',
        sourceId: a.id,
        // One finding per problem of the audit: each raised here is its own.
        sourceKey: `${a.id}:${crypto.randomUUID()}`,
        title: title.trim(),
        details: details.trim(),
        severity: severity as (typeof FINDING_SEVERITIES)[number],
      },
      {
        onSuccess: (f) => {
          notifySuccess(`Due on ${formatDate(f.dueDate)}.`, 'Finding raised from the audit');
          setTitle('');
          setDetails('');
          close();
          void qc.invalidateQueries({ queryKey: auditKeys.detail(a.id) });
        },
      },
    );
  };
  return (
    <Stack gap="xs" mb="sm">
      <Button variant="light" w="fit-content" onClick={toggle} data-testid="audit-finding-open">
        Raise a finding from this audit
      </Button>
      <Collapse expanded={opened}>
        <form onSubmit={submit} noValidate data-testid="audit-finding-form">
          <Stack gap="sm">
            <TextInput label="Title" required {...field('title', title, setTitle, 'audit-finding-title')} />
            <Textarea label="Details" autosize minRows={2} {...field('details', details, setDetails, 'audit-finding-details')} />
            <NativeSelect
              label="Severity"
              data={FINDING_SEVERITIES.map((s) => ({ value: s, label: s }))}
              {...field('severity', severity, setSeverity, 'audit-finding-severity')}
            />
            <FormErrorAlert clientErrors={clientErrors} error={raise.error} shownFields={['title', 'details', 'severity']} />
            <FormActions submitLabel="Raise finding" pending={raise.isPending} submitTestId="audit-finding-submit" onCancel={close} />
          </Stack>
        </form>
      </Collapse>
    </Stack>
  );
}

function CounterProposal({ audit: a, side }: { audit: Audit; side: 'vendor' | 'internal' }) {
  const user = useCurrentUser();
  const decide = useDecideWindow(a.id);
  const cp = a.counterProposal!;
  return (
    <Alert color="violet" title="Another window proposed by the vendor" data-testid="audit-counter">
      <Text size="sm">
        {formatDate(cp.start)} – {formatDate(cp.end)} (proposed {formatDateTime(cp.proposedAt)}){cp.note ? `: ${cp.note}` : ''}
      </Text>
      {side === 'internal' && can(user.role, 'audit_request.write') ? (
        <Group mt="sm">
          <Button
            size="xs"
            loading={decide.isPending}
            onClick={() => decide.mutate({ accept: true }, { onSuccess: () => notifySuccess('The audit moves to the proposed window.') })}
            data-testid="audit-counter-accept"
          >
            Accept this window
          </Button>
          <Button
            size="xs"
            variant="default"
            loading={decide.isPending}
            onClick={() => decide.mutate({ accept: false }, { onSuccess: () => notifySuccess('The requested window stands.') })}
            data-testid="audit-counter-reject"
          >
            Keep the requested window
          </Button>
          {decide.isError && <ErrorAlert error={decide.error} />}
        </Group>
      ) : (
        <Text size="sm" c="dimmed" mt={4}>
          Waiting for the organization to accept it.
        </Text>
      )}
    </Alert>
  );
}

/** One step of the workflow for the caller's side, with the fields it needs. */
function StepForm({ audit: a, to }: { audit: Audit; to: AuditTransitionTarget }) {
  const transition = useTransitionAudit(a.id);
  const step = STEP[to];
  const [reason, setReason] = useState('');
  const [override, setOverride] = useState('');
  const [start, setStart] = useState(a.windowStart);
  const [end, setEnd] = useState(a.windowEnd);
  const [attendees, setAttendees] = useState('');
  const [report, setReport] = useState<string[]>([]);
  const [opened, { toggle }] = useDisclosure(!step.reason || step.reason === 'optional');
  const { errors, clientErrors, setClientErrors } = useFieldErrors(transition.error);
  const field = fieldBinder(errors);
  const testId = `audit-step-${to}`;
  const needsOverride =
    to === 'issued' && isApiError(transition.error) && transition.error.code === 'audit.not_entitled' && !a.overrideReason;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (step.reason === 'required' && !reason.trim()) {
      setClientErrors({ reason: 'Say why' });
      return;
    }
    setClientErrors({});
    transition.mutate(
      {
        to,
        version: a.version,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(to === 'fieldwork'
          ? {
              fieldwork: {
                start,
                end,
                attendees: attendees
                  .split(',')
                  .map((x) => x.trim())
                  .filter(Boolean),
              },
            }
          : {}),
        ...(to === 'report_issued' && report[0] ? { reportEvidenceId: report[0] } : {}),
        ...(needsOverride && override.trim() ? { override: { reason: override.trim() } } : {}),
      },
      { onSuccess: (r) => notifySuccess(`"${r.title}" is now ${humanize(r.status).toLowerCase()}.`, step.label) },
    );
  };
  if (step.reason === 'required' && !opened)
    return (
      <Group>
        <Button variant="light" color={step.color} onClick={toggle} data-testid={`${testId}-open`}>
          {step.label}…
        </Button>
      </Group>
    );
  return (
    <Paper withBorder p="lg" radius="md" component="form" onSubmit={submit} noValidate data-testid={testId}>
      <Title order={3} size="h4" mb={4}>
        {step.label}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {step.hint}
      </Text>
      <Stack gap="sm">
        {to === 'fieldwork' && (
          <>
            <Group grow>
              <TextInput label="Fieldwork start" type="date" {...field('fieldwork.start', start, setStart, `${testId}-start`)} />
              <TextInput label="Fieldwork end" type="date" {...field('fieldwork.end', end, setEnd, `${testId}-end`)} />
            </Group>
            <TextInput
              label="Attendees"
              description="Comma-separated"
              {...field('fieldwork.attendees', attendees, setAttendees, `${testId}-attendees`)}
            />
          </>
        )}
        {to === 'report_issued' && (
          <EvidencePicker
            vendorId={a.vendorId}
            vendorName={a.vendorName}
            label="Report"
            value={report}
            onChange={setReport}
            error={errors['reportEvidenceId']}
            testId={`${testId}-report`}
            max={1}
          />
        )}
        {step.reason && (
          <Textarea
            label={step.reason === 'required' ? 'Reason' : 'Note'}
            required={step.reason === 'required'}
            autosize
            minRows={2}
            {...field('reason', reason, setReason, `${testId}-reason`)}
          />
        )}
        {needsOverride && (
          <Textarea
            label="Override reason"
            description="The request breaks the entitlement as of today; issuing it anyway records the override."
            required
            autosize
            minRows={2}
            {...field('override.reason', override, setOverride, `${testId}-override`)}
          />
        )}
        <FormErrorAlert
          clientErrors={clientErrors}
          error={transition.error}
          shownFields={['reason', 'fieldwork', 'reportEvidenceId', 'override.reason']}
        />
        <FormActions submitLabel={step.label} pending={transition.isPending} submitTestId={`${testId}-submit`} />
      </Stack>
    </Paper>
  );
}

/** The vendor proposes another window (acknowledging the audit if it was not yet). */
function CounterForm({ audit: a }: { audit: Audit }) {
  const transition = useTransitionAudit(a.id);
  const [opened, { toggle }] = useDisclosure(false);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [note, setNote] = useState('');
  const { errors, clientErrors, setClientErrors } = useFieldErrors(transition.error);
  const field = fieldBinder(errors);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!start || !end) {
      setClientErrors({ ...(start ? {} : { 'window.start': 'Required' }), ...(end ? {} : { 'window.end': 'Required' }) });
      return;
    }
    setClientErrors({});
    transition.mutate(
      { to: 'acknowledged', version: a.version, window: { start, end }, ...(note.trim() ? { reason: note.trim() } : {}) },
      { onSuccess: () => notifySuccess('The organization is asked to accept it.', 'Window proposed') },
    );
  };
  return (
    <Paper withBorder p="lg" radius="md">
      <Button variant="light" onClick={toggle} data-testid="audit-counter-open">
        Propose another window
      </Button>
      <Collapse expanded={opened}>
        <form onSubmit={submit} noValidate data-testid="audit-counter-form">
          <Stack gap="sm" mt="sm">
            <Text size="sm" c="dimmed">
              The window must respect the clause’s notice and yearly allowance.
            </Text>
            <Group grow>
              <TextInput label="Start" type="date" required {...field('window.start', start, setStart, 'audit-counter-start')} />
              <TextInput label="End" type="date" required {...field('window.end', end, setEnd, 'audit-counter-end')} />
            </Group>
            <Textarea label="Why" autosize minRows={2} {...field('reason', note, setNote, 'audit-counter-note')} />
            <FormErrorAlert clientErrors={clientErrors} error={transition.error} shownFields={['window.start', 'window.end', 'reason']} />
            <FormActions submitLabel="Propose window" pending={transition.isPending} submitTestId="audit-counter-submit" />
          </Stack>
        </form>
      </Collapse>
    </Paper>
  );
}

/** One requested item: its state, evidence, the vendor's answer form or the organization's decision, and its thread. */
/**
 * What the audit covers: the vendor's services and the topics for both sides; the internal systems concerned only
 * for the organization (the API never gives them to a vendor contact).
 */
function AuditScope({ audit: a, internal }: { audit: Audit; internal: boolean }) {
  const services = useServices({ vendorId: a.vendorId, pageSize: 200 });
  const systems = useSystems({ pageSize: 200, sort: 'name' }, internal && a.scope.systemIds.length > 0);
  const nameOf = (list: { id: string; name: string }[] | undefined, id: string) => list?.find((x) => x.id === id)?.name ?? '…';
  return (
    <>
      {a.scope.serviceIds.length > 0 && (
        <Text size="sm" mt="sm" data-testid="audit-detail-services">
          Services: {a.scope.serviceIds.map((id) => nameOf(services.data?.items, id)).join(', ')}
        </Text>
      )}
      {a.scope.topics.length > 0 && (
        <Text size="sm" mt="sm">
          Topics: {a.scope.topics.join(', ')}
        </Text>
      )}
      {internal && a.scope.systemIds.length > 0 && (
        <Text size="sm" mt="sm" data-testid="audit-detail-systems">
          Internal systems concerned (not shown to the vendor): {a.scope.systemIds.map((id) => nameOf(systems.data?.items, id)).join(', ')}
        </Text>
      )}
    </>
  );
}

function ItemRow({ audit: a, item: i, side }: { audit: Audit; item: AuditItemView; side: 'vendor' | 'internal' }) {
  const user = useCurrentUser();
  const [opened, { toggle }] = useDisclosure(false);
  const answerable = side === 'vendor' && ['acknowledged', 'scheduled', 'fieldwork'].includes(a.status) && i.status !== 'accepted';
  const decidable = side === 'internal' && can(user.role, 'audit_request.write') && i.status === 'delivered';
  return (
    <Paper withBorder p="sm" radius="sm" data-testid="audit-item" data-reference={i.reference} data-status={i.status}>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Text fw={600} size="sm">
            {i.reference}
          </Text>
          <Text size="sm">{i.details}</Text>
        </Group>
        <Group gap="xs" wrap="nowrap">
          {i.vendorOwnerName && (
            <Text size="xs" c="dimmed" data-testid="audit-item-owner">
              owner {i.vendorOwnerName}
            </Text>
          )}
          <Text size="xs" c={i.overdue ? 'red' : 'dimmed'} data-testid="audit-item-due">
            due {formatDate(i.dueDate)}
            {i.overdue ? ' · overdue' : ''}
          </Text>
          <AuditItemStatusBadge status={i.status} />
          <Button size="xs" variant="subtle" onClick={toggle} data-testid="audit-item-toggle">
            {opened ? 'Hide' : answerable ? 'Answer' : decidable ? 'Review' : 'Open'}
          </Button>
        </Group>
      </Group>
      <Collapse expanded={opened}>
        <Stack gap="sm" mt="sm">
          {i.evidenceIds.length > 0 && (
            <Stack gap={0} data-testid="audit-item-evidence">
              {i.evidenceIds.map((e) => (
                <EvidenceRef key={e} id={e} />
              ))}
            </Stack>
          )}
          {i.notApplicableReason && (
            <Text size="sm" data-testid="audit-item-na">
              Not applicable: {i.notApplicableReason}
            </Text>
          )}
          {i.responseNote && (
            <Text size="sm" c="dimmed">
              {i.responseNote}
            </Text>
          )}
          {answerable && <ItemAnswerForm audit={a} item={i} />}
          {decidable && <ItemDecision audit={a} item={i} />}
          {opened && (
            <Thread
              targetType="audit_item"
              targetId={i.id}
              title={`Discussion of ${i.reference}`}
              description="Questions about this item and their answers, between the vendor and the organization."
            />
          )}
        </Stack>
      </Collapse>
    </Paper>
  );
}

function ItemAnswerForm({ audit: a, item: i }: { audit: Audit; item: AuditItemView }) {
  const respond = useRespondItem(a.id, i.id);
  const [evidence, setEvidence] = useState<string[]>(i.evidenceIds);
  const [na, setNa] = useState('');
  const [note, setNote] = useState('');
  const { errors, clientErrors, setClientErrors } = useFieldErrors(respond.error);
  const field = fieldBinder(errors);
  const testId = `audit-item-${i.reference}-answer`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!evidence.length === !na.trim()) {
      setClientErrors({ evidenceIds: 'Attach evidence, or say why the item does not apply (not both)' });
      return;
    }
    setClientErrors({});
    respond.mutate(
      {
        ...(evidence.length ? { evidenceIds: evidence } : { notApplicableReason: na.trim() }),
        ...(note.trim() ? { note: note.trim() } : {}),
      },
      { onSuccess: () => notifySuccess('The organization reviews it.', `${i.reference} delivered`) },
    );
  };
  return (
    <form onSubmit={submit} noValidate data-testid={testId}>
      <Stack gap="sm">
        <EvidencePicker
          vendorId={a.vendorId}
          vendorName={a.vendorName}
          label="Evidence"
          description="Choose from your evidence library or upload it now."
          value={evidence}
          onChange={setEvidence}
          error={errors['evidenceIds']}
          testId={`${testId}-evidence`}
          max={50}
        />
        <Textarea label="Or: why it does not apply" autosize minRows={1} {...field('notApplicableReason', na, setNa, `${testId}-na`)} />
        <Textarea label="Note" autosize minRows={1} {...field('note', note, setNote, `${testId}-note`)} />
        <FormErrorAlert clientErrors={clientErrors} error={respond.error} shownFields={['evidenceIds', 'notApplicableReason', 'note']} />
        <FormActions submitLabel="Deliver" pending={respond.isPending} submitTestId={`${testId}-submit`} />
      </Stack>
    </form>
  );
}

function ItemDecision({ audit: a, item: i }: { audit: Audit; item: AuditItemView }) {
  const decide = useDecideItem(a.id, i.id);
  const [comment, setComment] = useState('');
  const { errors, clientErrors, setClientErrors } = useFieldErrors(decide.error);
  const field = fieldBinder(errors);
  const testId = `audit-item-${i.reference}-decision`;
  return (
    <Stack gap="sm" data-testid={testId}>
      <Textarea
        label="Question (to return the item)"
        autosize
        minRows={1}
        {...field('comment', comment, setComment, `${testId}-comment`)}
      />
      <FormErrorAlert clientErrors={clientErrors} error={decide.error} shownFields={['comment']} />
      <Group justify="flex-end">
        <Button
          variant="default"
          loading={decide.isPending}
          onClick={() => {
            if (!comment.trim()) {
              setClientErrors({ comment: 'Ask the question the item is returned with' });
              return;
            }
            setClientErrors({});
            decide.mutate(
              { decision: 'return', comment: comment.trim() },
              { onSuccess: () => notifySuccess(`${i.reference} returned to the vendor.`) },
            );
          }}
          data-testid={`${testId}-return`}
        >
          Return with the question
        </Button>
        <Button
          loading={decide.isPending}
          onClick={() => decide.mutate({ decision: 'accept' }, { onSuccess: () => notifySuccess(`${i.reference} accepted.`) })}
          data-testid={`${testId}-accept`}
        >
          Accept
        </Button>
      </Group>
    </Stack>
  );
}
