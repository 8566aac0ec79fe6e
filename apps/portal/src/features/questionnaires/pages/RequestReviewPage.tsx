import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Group,
  Modal,
  NativeSelect,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';

import {
  can,
  FINDING_SEVERITIES,
  isNotApplicable,
  score as scoreOf,
  type AnswerView,
  type FindingSeverity,
  type QuestionnaireRequestDetail,
  type ReviewAudience,
  type TemplateQuestion,
} from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { isApiError } from '../../../shared/api/client';
import { ErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { KeyValue, KeyValueGrid } from '../../../shared/components/KeyValue';
import { NotFoundPage } from '../../../shared/components/NotFoundPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { formatDate, formatDateTime } from '../../../shared/lib/format';
import { notifyError, notifySuccess } from '../../../shared/lib/notify';
import { EvidenceRef } from '../../evidence/components/EvidenceRef';
import { Thread } from '../../threads/components/Thread';
import { useCancelRequest, useRaiseAnswerFinding, useRequest, useReviewRequest } from '../api/requests';
import { answerText, DueDate, RequestStatusBadge } from '../components/requestBadges';
import { SpreadsheetDownloads } from '../components/RequestSpreadsheet';

/** The organization's page of one request: where it stands, the answers, and (once submitted) the review. */
export function RequestReviewPage() {
  const { id = '' } = useParams();
  const request = useRequest(id);
  if (request.isPending) return <PageLoader />;
  if (request.isError) {
    if (isApiError(request.error) && request.error.isNotFoundLike) return <NotFoundPage />;
    return <ErrorAlert error={request.error} onRetry={() => void request.refetch()} />;
  }
  return <Review r={request.data} />;
}

function Review({ r }: { r: QuestionnaireRequestDetail }) {
  const user = useCurrentUser();
  const reviewer = can(user.role, 'questionnaire_request.review');
  const writer = can(user.role, 'questionnaire_request.write');
  const reviewing = reviewer && ['submitted', 'in_review'].includes(r.status);
  const review = useReviewRequest(r.id);
  const cancel = useCancelRequest(r.id);
  const [cancelling, cancelModal] = useDisclosure(false);
  const [reason, setReason] = useState('');
  const questions = useMemo(() => {
    const m = new Map<string, TemplateQuestion>();
    for (const s of r.content.sections) for (const q of s.questions) if (!m.has(q.key)) m.set(q.key, q);
    return m;
  }, [r.content]);
  const byKey = new Map(r.answers.map((a) => [a.questionKey, a]));
  const answers = useMemo(
    () => Object.fromEntries(r.answers.filter((a) => a.value !== null).map((a) => [a.questionKey, a.value])),
    [r.answers],
  );
  const preview = useMemo(() => scoreOf(r.content, answers), [r.content, answers]);
  const flagged = r.answers.filter((a) => a.review?.decision === 'flagged');
  const open = ['sent', 'in_progress', 'submitted', 'in_review', 'changes_requested'].includes(r.status);

  const decide = async (body: Parameters<typeof review.mutateAsync>[0], done: string) => {
    try {
      await review.mutateAsync(body);
      notifySuccess(done);
    } catch (e) {
      notifyError(e, 'Not saved');
    }
  };

  let n = 0;
  return (
    <Stack gap="lg">
      <Breadcrumbs>
        <Anchor component={Link} to="/questionnaire-requests">
          Questionnaire requests
        </Anchor>
        <Text size="sm">{r.vendorName}</Text>
      </Breadcrumbs>
      <PageHeader
        title={
          <Group gap="sm">
            <span data-testid="review-title">
              {r.templateName} · {r.vendorName}
            </span>
            <RequestStatusBadge status={r.status} />
          </Group>
        }
        docTitle={`${r.templateName} · ${r.vendorName}`}
        actions={
          <Group gap="xs">
            <SpreadsheetDownloads id={r.id} />
            {writer && open && (
              <Button variant="default" color="red" onClick={cancelModal.open} data-testid="request-cancel">
                Cancel the request…
              </Button>
            )}
          </Group>
        }
      />
      <Paper withBorder p="md" radius="md">
        <KeyValueGrid cols={4}>
          <KeyValue label="Vendor">
            <Anchor component={Link} to={`/vendors/${r.vendorId}/questionnaires`}>
              {r.vendorName}
            </Anchor>
          </KeyValue>
          <KeyValue label="Due">
            <DueDate dueDate={r.dueDate} overdue={r.overdue} />
          </KeyValue>
          <KeyValue label="Progress" testId="review-progress">
            {r.progress.requiredAnswered} of {r.progress.required} required · {r.progress.answered} of {r.progress.visible} answered
          </KeyValue>
          <KeyValue label="Template">
            <Anchor component={Link} to={`/questionnaires/${r.templateId}`}>
              Version {r.templateVersion}
            </Anchor>{' '}
            <Text span size="xs" c="dimmed" title={r.contentHash}>
              ({r.contentHash.slice(0, 10)}…)
            </Text>
          </KeyValue>
          <KeyValue label="Sent">
            {formatDateTime(r.sentAt)}
            {r.sentByName ? ` by ${r.sentByName}` : ''}
          </KeyValue>
          {r.campaign && (
            <KeyValue label="Campaign" testId="review-campaign">
              <Anchor component={Link} to={`/questionnaire-campaigns/${r.campaign.id}`} data-testid="review-campaign-link">
                {r.campaign.name}
              </Anchor>{' '}
              <Text span size="xs" c="dimmed">
                (cycle {r.campaign.cycle})
              </Text>
            </KeyValue>
          )}
          {r.prefilledFrom && (
            <KeyValue label="Pre-filled" testId="review-prefilled">
              {r.prefilledFrom.answers} answers from those accepted on {formatDate(r.prefilledFrom.acceptedAt)}
            </KeyValue>
          )}
          <KeyValue label="Recipients">{r.recipients.map((p) => p.name).join(', ')}</KeyValue>
          <KeyValue label="Submitted">{r.submittedAt ? formatDateTime(r.submittedAt) : '—'}</KeyValue>
          <KeyValue label="Score" testId="review-score">
            {r.score
              ? `${r.score.percent ?? '—'} % (${r.score.earned} of ${r.score.max})`
              : r.status === 'accepted'
                ? '—'
                : 'On acceptance'}
          </KeyValue>
        </KeyValueGrid>
        {r.cancelReason && (
          <Alert color="gray" mt="md" title="Cancelled">
            {r.cancelReason}
          </Alert>
        )}
      </Paper>

      {reviewing && (
        <Paper withBorder p="md" radius="md" data-testid="review-outcome">
          <Group justify="space-between" wrap="wrap" gap="sm">
            <Stack gap={2}>
              <Text fw={600}>Finish the review</Text>
              <Text size="sm" c="dimmed" title={preview.rule}>
                Score if accepted now: {preview.percent ?? '—'} % ({preview.earned} of {preview.max}). {flagged.length} answer
                {flagged.length === 1 ? '' : 's'} flagged.
              </Text>
            </Stack>
            <Group gap="xs">
              <Button
                variant="default"
                color="orange"
                disabled={!flagged.length}
                loading={review.isPending}
                onClick={() => void decide({ outcome: 'request_changes' }, 'The flagged answers were sent back to the vendor.')}
                data-testid="review-request-changes"
              >
                Send flagged answers back
              </Button>
              <Button
                color="teal"
                loading={review.isPending}
                onClick={() => void decide({ outcome: 'accept' }, 'Accepted; the score is stored.')}
                data-testid="review-accept"
              >
                Accept with score {preview.percent ?? '—'} %
              </Button>
            </Group>
          </Group>
          <Text size="xs" c="dimmed" mt="xs">
            {preview.rule}
          </Text>
        </Paper>
      )}

      {r.score && (
        <Paper withBorder p="md" radius="md" data-testid="review-score-table">
          <Title order={3} size="h4" mb="xs">
            Score per section
          </Title>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Section</Table.Th>
                <Table.Th ta="right">Points</Table.Th>
                <Table.Th ta="right">Score</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.score.sections.map((s) => (
                <Table.Tr key={s.key}>
                  <Table.Td>{s.title}</Table.Td>
                  <Table.Td ta="right">
                    {s.earned} / {s.max}
                  </Table.Td>
                  <Table.Td ta="right">{s.percent === null ? '—' : `${s.percent} %`}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed" mt="xs">
            {r.score.rule}
          </Text>
        </Paper>
      )}

      {r.content.sections.map((section) => {
        const visible = section.questions.filter((q) => byKey.has(q.key));
        if (!visible.length) return null;
        return (
          <Paper key={section.key} withBorder p="md" radius="md" component="section" data-testid="review-section">
            <Title order={3} size="h4" mb="sm">
              {section.title}
            </Title>
            <Stack gap="md">
              {visible.map((q) => {
                n += 1;
                return (
                  <ReviewAnswer
                    key={q.key}
                    n={n}
                    q={q}
                    a={byKey.get(q.key)!}
                    reviewing={reviewing}
                    reviewer={reviewer}
                    requestId={r.id}
                    busy={review.isPending}
                    onAccept={() => void decide({ decisions: [{ questionKey: q.key, decision: 'accept' }] }, 'Answer accepted.')}
                    onFlag={(comment, audience) =>
                      decide(
                        { decisions: [{ questionKey: q.key, decision: 'flag', comment, audience }] },
                        'Answer flagged; the comment is on the thread.',
                      )
                    }
                  />
                );
              })}
            </Stack>
          </Paper>
        );
      })}
      {questions.size > r.answers.length && (
        <Text size="xs" c="dimmed">
          {questions.size - r.answers.length} question{questions.size - r.answers.length === 1 ? ' does' : 's do'} not show for these
          answers (conditions of the template); answers to them are kept but neither shown, required nor scored.
        </Text>
      )}

      <Thread
        targetType="questionnaire_request"
        targetId={r.id}
        title="Discussion"
        description="Comments visible to the vendor reach its contacts; internal notes stay with your organization. Flags on answers appear here."
      />

      <Modal opened={cancelling} onClose={cancelModal.close} title="Cancel the questionnaire request">
        <Stack>
          <Textarea
            label="Reason"
            description="The recipients are told, with this reason."
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={isApiError(cancel.error) ? cancel.error.fields.find((f) => f.path === 'reason')?.message : undefined}
            data-testid="cancel-reason"
          />
          <Group justify="flex-end">
            <Button
              color="red"
              loading={cancel.isPending}
              onClick={() =>
                void cancel.mutateAsync({ reason }).then(
                  () => {
                    cancelModal.close();
                    notifySuccess('The request was cancelled.');
                  },
                  () => undefined,
                )
              }
              data-testid="cancel-confirm"
            >
              Cancel the request
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function ReviewAnswer({
  n,
  q,
  a,
  reviewing,
  reviewer,
  requestId,
  busy,
  onAccept,
  onFlag,
}: {
  n: number;
  q: TemplateQuestion;
  a: AnswerView;
  reviewing: boolean;
  reviewer: boolean;
  requestId: string;
  busy: boolean;
  onAccept: () => void;
  onFlag: (comment: string, audience: ReviewAudience) => Promise<void>;
}) {
  const [flagging, setFlagging] = useState(false);
  const [comment, setComment] = useState('');
  const [audience, setAudience] = useState<ReviewAudience>('vendor');
  const [severity, setSeverity] = useState<FindingSeverity>('medium');
  const raise = useRaiseAnswerFinding(requestId);
  const decision = a.review?.decision;
  return (
    <Stack
      gap={6}
      data-testid="review-answer"
      data-question-key={q.key}
      data-decision={decision ?? 'none'}
      style={{
        borderLeft: `3px solid var(--mantine-color-${decision === 'flagged' ? 'orange' : decision === 'accepted' ? 'teal' : 'gray'}-4)`,
        paddingLeft: 10,
      }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Text fw={600} size="sm" style={{ whiteSpace: 'pre-line' }}>
          {n}. {q.text}
          {q.required ? ' *' : ''}
        </Text>
        {decision && (
          <Badge color={decision === 'flagged' ? 'orange' : 'teal'} variant="light" size="sm" data-testid={`decision-${q.key}`}>
            {decision}
          </Badge>
        )}
      </Group>
      <Text size="sm" data-testid={`review-value-${q.key}`}>
        {answerText(q, a.value)}
        {isNotApplicable(q, a.value) ? ' (not applicable)' : ''}
        {a.updatedByName ? (
          <Text span size="xs" c="dimmed">
            {' '}
            · {a.updatedByName}, {formatDateTime(a.updatedAt)}
          </Text>
        ) : null}
      </Text>
      {q.type === 'evidence' && Array.isArray(a.value) && (
        <Stack gap={0} data-testid={`review-evidence-${q.key}`}>
          {a.value.map((id) => (
            <EvidenceRef key={id} id={id} />
          ))}
        </Stack>
      )}
      {a.comment && (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-line' }}>
          Vendor’s comment: {a.comment}
        </Text>
      )}
      {a.review?.comment && (
        <Text size="xs" c={a.review.audience === 'internal' ? 'grape' : 'orange'}>
          {a.review.audience === 'internal' ? 'Internal note' : 'Asked the vendor'}: {a.review.comment}
        </Text>
      )}
      {a.findingId && (
        <Anchor component={Link} to={`/findings/${a.findingId}`} size="xs" data-testid={`finding-link-${q.key}`}>
          Finding raised from this answer →
        </Anchor>
      )}
      {reviewing && (
        <Group gap="xs">
          <Button
            size="compact-sm"
            variant="light"
            color="teal"
            onClick={onAccept}
            disabled={busy || decision === 'accepted'}
            data-testid={`accept-${q.key}`}
          >
            Accept
          </Button>
          <Button size="compact-sm" variant="light" color="orange" onClick={() => setFlagging((f) => !f)} data-testid={`flag-${q.key}`}>
            Flag…
          </Button>
        </Group>
      )}
      {reviewing && flagging && (
        <Stack gap={6} maw={640}>
          <Textarea
            label="What is wrong, or what do you ask?"
            autosize
            minRows={2}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            data-testid={`flag-comment-${q.key}`}
          />
          <Group gap="sm">
            <SegmentedControl
              size="xs"
              value={audience}
              onChange={(v) => setAudience(v as ReviewAudience)}
              data={[
                { value: 'vendor', label: 'Ask the vendor' },
                { value: 'internal', label: 'Internal note' },
              ]}
              data-testid={`flag-audience-${q.key}`}
            />
            <Button
              size="compact-sm"
              color="orange"
              disabled={!comment.trim() || busy}
              onClick={() =>
                void onFlag(comment.trim(), audience).then(() => {
                  setFlagging(false);
                  setComment('');
                })
              }
              data-testid={`flag-save-${q.key}`}
            >
              Flag the answer
            </Button>
          </Group>
        </Stack>
      )}
      {reviewer && decision === 'flagged' && !a.findingId && (
        <Group gap="xs">
          <NativeSelect
            size="xs"
            value={severity}
            onChange={(e) => setSeverity(e.currentTarget.value as FindingSeverity)}
            data={FINDING_SEVERITIES.map((s) => ({ value: s, label: s }))}
            aria-label="Severity of the finding"
            data-testid={`finding-severity-${q.key}`}
          />
          <Button
            size="compact-sm"
            variant="default"
            loading={raise.isPending}
            onClick={() =>
              void raise.mutateAsync({ questionKey: q.key, severity }).then(
                () => notifySuccess('A finding was raised from the answer.'),
                (e: unknown) => notifyError(e, 'No finding raised'),
              )
            }
            data-testid={`raise-finding-${q.key}`}
          >
            Raise a finding
          </Button>
        </Group>
      )}
    </Stack>
  );
}
