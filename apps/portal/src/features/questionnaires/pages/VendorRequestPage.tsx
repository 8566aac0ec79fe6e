import { Alert, Anchor, Badge, Button, Group, List, Loader, Paper, Progress, Stack, Text, Textarea, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';

import {
  ANSWERING_STATUSES,
  isNotApplicable,
  requestProgress,
  visibleQuestions,
  type AnswerValue,
  type QuestionnaireRequestDetail,
  type TemplateQuestion,
} from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { isApiError } from '../../../shared/api/client';
import { ErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { NotFoundPage } from '../../../shared/components/NotFoundPage';
import { formatDate, formatDateTime } from '../../../shared/lib/format';
import { notifyError, notifySuccess } from '../../../shared/lib/notify';
import { EvidenceRef } from '../../evidence/components/EvidenceRef';
import { Thread } from '../../threads/components/Thread';
import { useRequest, useSubmitRequest } from '../api/requests';
import { RequestAnswerInput } from '../components/RequestAnswerInput';
import { answerText, DueDate, RequestStatusBadge } from '../components/requestBadges';
import { RequestSpreadsheet } from '../components/RequestSpreadsheet';
import { useAnswerAutosave, type LocalAnswer, type SaveState } from '../components/useAnswerAutosave';

const STATE_TEXT: Record<SaveState, string> = {
  saved: 'Saved',
  dirty: 'Not saved yet',
  saving: 'Saving…',
  conflict: 'Someone else changed this answer',
  error: 'Not saved',
};
const STATE_COLOR: Record<SaveState, string> = { saved: 'teal', dirty: 'gray', saving: 'blue', conflict: 'orange', error: 'red' };

/** The vendor contact's page for one questionnaire: answer (autosaved), see the reviewer's questions, submit. */
export function VendorRequestPage() {
  const { id = '' } = useParams();
  const request = useRequest(id);
  if (request.isPending) return <PageLoader />;
  if (request.isError) {
    if (isApiError(request.error) && request.error.isNotFoundLike) return <NotFoundPage />;
    return <ErrorAlert error={request.error} onRetry={() => void request.refetch()} />;
  }
  return <Answering key={request.data.id} r={request.data} />;
}

function Answering({ r }: { r: QuestionnaireRequestDetail }) {
  const user = useCurrentUser();
  useDocumentTitle(`${r.templateName} · Bulwark`);
  const questions = useMemo(() => {
    const m = new Map<string, TemplateQuestion>();
    for (const s of r.content.sections) for (const q of s.questions) if (!m.has(q.key)) m.set(q.key, q);
    return m;
  }, [r.content]);
  const autosave = useAnswerAutosave(r, user.id, questions);
  const [missing, setMissing] = useState<string[]>([]);
  const submit = useSubmitRequest(r.id);
  const [submitting, setSubmitting] = useState(false);

  // What shows follows this page's answers (saved or not), with the same logic the API applies.
  const answers = useMemo(() => {
    const out: Record<string, AnswerValue> = {};
    for (const a of r.answers) if (a.value !== null) out[a.questionKey] = a.value;
    for (const [k, e] of Object.entries(autosave.local)) out[k] = e.value;
    return out;
  }, [r.answers, autosave.local]);
  const shown = useMemo(() => visibleQuestions(r.content, answers), [r.content, answers]);
  const p = useMemo(() => requestProgress(r.content, answers), [r.content, answers]);
  const required = p.required;
  const answering = ['sent', 'in_progress', 'changes_requested'].includes(r.status);
  const serverAnswers = new Map(r.answers.map((a) => [a.questionKey, a]));

  const onSubmit = async () => {
    setSubmitting(true);
    try {
      const saved = await autosave.flushAll();
      if (!saved) {
        notifyError(new Error('Some answers are not saved yet (see the ones marked). Resolve them, then submit.'), 'Not submitted');
        return;
      }
      setMissing([]);
      await submit.mutateAsync();
      notifySuccess('Your answers were submitted for review.', 'Submitted');
    } catch (e) {
      const keys = isApiError(e) ? ((e.payload as { error?: { details?: { missing?: string[] } } })?.error?.details?.missing ?? []) : [];
      if (keys.length) setMissing(keys);
      else notifyError(e, 'Could not submit');
    } finally {
      setSubmitting(false);
    }
  };

  let n = 0;
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Anchor component={Link} to="/vendor-home" size="sm">
          ← Home
        </Anchor>
        <Group gap="sm" align="center">
          <Title order={2} data-testid="request-title">
            {r.templateName}
          </Title>
          <RequestStatusBadge status={r.status} />
        </Group>
        <Group gap="lg">
          <Text size="sm" c="dimmed" component="div">
            <Group gap={4}>
              Due <DueDate dueDate={r.dueDate} overdue={r.overdue} />
            </Group>
          </Text>
          <Text size="sm" c="dimmed">
            Sent {formatDateTime(r.sentAt)}
            {r.sentByName ? ` by ${r.sentByName}` : ''}
          </Text>
        </Group>
      </Stack>

      {r.prefilledFrom && ANSWERING_STATUSES.includes(r.status) && (
        <Alert variant="light" color="teal" title="Pre-filled from your last accepted answers" data-testid="request-prefilled">
          <Text size="sm">
            {r.prefilledFrom.answers} answer{r.prefilledFrom.answers === 1 ? ' is' : 's are'} pre-filled from the accepted answers of{' '}
            {formatDate(r.prefilledFrom.acceptedAt)}. Confirm them or change what is no longer true, then submit.
          </Text>
        </Alert>
      )}
      {r.message && (
        <Alert variant="light" color="blue" title="Message from the organization" data-testid="request-message">
          <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
            {r.message}
          </Text>
        </Alert>
      )}
      {r.status === 'changes_requested' && (
        <Alert color="orange" title="Changes requested" data-testid="request-changes-requested">
          The reviewer sent back {r.reopenedKeys?.length ?? 0} answer{r.reopenedKeys?.length === 1 ? '' : 's'} with questions next to{' '}
          {r.reopenedKeys?.length === 1 ? 'it' : 'them'}. Change {r.reopenedKeys?.length === 1 ? 'it' : 'them'} and submit again; the other
          answers were accepted as they are.
        </Alert>
      )}
      {!answering && (
        <Alert color="gray" data-testid="request-readonly">
          {r.status === 'cancelled'
            ? `This questionnaire was cancelled${r.cancelReason ? `: ${r.cancelReason}` : ''}.`
            : r.status === 'accepted'
              ? 'Your answers were reviewed and accepted. Thank you.'
              : 'Your answers were submitted and are being reviewed. You will be told if anything needs to change.'}
        </Alert>
      )}

      <Paper withBorder p="sm" radius="md" style={{ position: 'sticky', top: 64, zIndex: 3 }} data-testid="request-toolbar">
        <Group justify="space-between" wrap="wrap">
          <Stack gap={2}>
            <Text
              size="sm"
              data-testid="request-progress"
              data-required={required}
              data-required-answered={required - p.requiredMissing.length}
            >
              {required - p.requiredMissing.length} of {required} required questions answered · {p.answered} of {p.visible} in all
            </Text>
            <Progress value={required ? ((required - p.requiredMissing.length) / required) * 100 : 100} w={280} size="sm" aria-hidden />
          </Stack>
          <Group gap="md">
            {answering && (
              <Group gap={6} data-testid="autosave-status" data-state={autosave.overall} aria-live="polite">
                {autosave.overall === 'saving' && <Loader size="xs" />}
                <Text size="sm" c={STATE_COLOR[autosave.overall]}>
                  {autosave.overall === 'saved'
                    ? 'All answers saved'
                    : autosave.overall === 'saving'
                      ? 'Saving…'
                      : autosave.overall === 'dirty'
                        ? 'Saving soon (kept in this browser)'
                        : autosave.overall === 'conflict'
                          ? 'An answer was changed by someone else: choose which to keep'
                          : 'Some answers are not saved'}
                </Text>
              </Group>
            )}
            {answering && (
              <Button onClick={() => void onSubmit()} loading={submitting} data-testid="request-submit">
                Submit for review
              </Button>
            )}
          </Group>
        </Group>
      </Paper>

      <RequestSpreadsheet r={r} canImport={answering} />

      {missing.length > 0 && (
        <Alert color="red" title="Some required questions are not answered" data-testid="submit-missing">
          <List size="sm">
            {missing.map((k) => (
              <List.Item key={k}>
                <Anchor href={`#q-${k}`} data-testid={`missing-${k}`}>
                  {questions.get(k)?.text ?? k}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </Alert>
      )}

      {r.content.sections.map((section) => {
        const visible = section.questions.filter((q) => shown.has(q.key));
        if (!visible.length) return null;
        return (
          <Paper
            key={section.key}
            withBorder
            p="md"
            radius="md"
            component="section"
            aria-labelledby={`s-${section.key}`}
            data-testid="request-section"
          >
            <Stack gap="lg">
              <div>
                <Title order={3} size="h4" id={`s-${section.key}`}>
                  {section.title}
                </Title>
                {section.description && (
                  <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-line' }}>
                    {section.description}
                  </Text>
                )}
              </div>
              {visible.map((q) => {
                n += 1;
                const server = serverAnswers.get(q.key);
                const local = autosave.local[q.key];
                const editable = answering && (server?.editable ?? !r.reopenedKeys);
                return (
                  <Question
                    key={q.key}
                    n={n}
                    q={q}
                    value={autosave.valueOf(q.key)}
                    comment={autosave.commentOf(q.key)}
                    local={local}
                    editable={editable}
                    missing={missing.includes(q.key)}
                    review={server?.review ?? null}
                    updatedByName={server?.updatedByName ?? null}
                    vendorId={r.vendorId}
                    vendorName={r.vendorName}
                    onChange={(patch) => autosave.change(q.key, patch)}
                    onBlur={() => void autosave.flush(q.key)}
                    onKeepTheirs={() => autosave.keepTheirs(q.key)}
                    onOverwrite={() => autosave.overwrite(q.key)}
                  />
                );
              })}
            </Stack>
          </Paper>
        );
      })}

      <Thread
        targetType="questionnaire_request"
        targetId={r.id}
        title="Questions and answers"
        description="Questions about this questionnaire, between you and the organization. The reviewer’s questions on answers appear here too."
      />
    </Stack>
  );
}

function Question({
  n,
  q,
  value,
  comment,
  local,
  editable,
  missing,
  review,
  updatedByName,
  vendorId,
  vendorName,
  onChange,
  onBlur,
  onKeepTheirs,
  onOverwrite,
}: {
  n: number;
  q: TemplateQuestion;
  value: AnswerValue;
  comment: string | null;
  local: LocalAnswer | undefined;
  editable: boolean;
  missing: boolean;
  review: QuestionnaireRequestDetail['answers'][number]['review'];
  updatedByName: string | null;
  vendorId: string;
  vendorName: string;
  onChange: (patch: { value?: AnswerValue; comment?: string | null }) => void;
  onBlur: () => void;
  onKeepTheirs: () => void;
  onOverwrite: () => void;
}) {
  const [commenting, setCommenting] = useState(!!comment);
  const state: SaveState = local?.state ?? 'saved';
  const label = `${n}. ${q.text}`;
  return (
    <Stack
      gap={6}
      id={`q-${q.key}`}
      data-testid="request-question"
      data-question-key={q.key}
      style={missing ? { borderLeft: '3px solid var(--mantine-color-red-6)', paddingLeft: 10 } : undefined}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Text fw={600} style={{ whiteSpace: 'pre-line' }}>
          {label}{' '}
          {q.required && (
            <Text span c="red" aria-label="required">
              *
            </Text>
          )}
        </Text>
        {editable && (local || updatedByName) && (
          <Badge
            variant="light"
            color={STATE_COLOR[state]}
            size="sm"
            data-testid={`answer-state-${q.key}`}
            data-state={state}
            styles={{ label: { overflow: 'visible' } }}
          >
            {STATE_TEXT[state]}
          </Badge>
        )}
      </Group>
      {q.help && (
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-line' }}>
          {q.help}
        </Text>
      )}
      {review?.decision === 'flagged' && (
        <Alert color="orange" variant="light" title="The reviewer asks" data-testid={`review-question-${q.key}`}>
          <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
            {review.comment ?? 'This answer was sent back for a change.'}
          </Text>
        </Alert>
      )}
      {editable ? (
        <RequestAnswerInput
          q={q}
          value={value}
          onChange={(v) => onChange({ value: v })}
          onBlur={onBlur}
          disabled={!editable}
          vendorId={vendorId}
          vendorName={vendorName}
          label={label}
        />
      ) : q.type === 'evidence' && Array.isArray(value) ? (
        <Stack gap={0} data-testid={`answer-${q.key}`}>
          {value.map((id) => (
            <EvidenceRef key={id} id={id} />
          ))}
        </Stack>
      ) : (
        <Text size="sm" data-testid={`answer-${q.key}`}>
          {answerText(q, value)}
          {isNotApplicable(q, value) ? ' (not applicable)' : ''}
        </Text>
      )}
      {local?.state === 'conflict' && local.conflict && (
        <Alert color="orange" title="Someone else saved this answer meanwhile" data-testid={`conflict-${q.key}`}>
          <Stack gap={6}>
            <Text size="sm">
              {local.conflict.updatedByName ?? 'Someone'} answered:{' '}
              <b data-testid={`conflict-theirs-${q.key}`}>{answerText(q, local.conflict.value)}</b>
              {local.conflict.updatedAt ? ` (${formatDateTime(local.conflict.updatedAt)})` : ''}. Yours: <b>{answerText(q, local.value)}</b>
              .
            </Text>
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={onKeepTheirs} data-testid={`conflict-keep-${q.key}`}>
                Keep their answer
              </Button>
              <Button size="xs" color="orange" onClick={onOverwrite} data-testid={`conflict-overwrite-${q.key}`}>
                Save mine over it
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {local?.state === 'error' && local.message && (
        <Text size="sm" c="red" data-testid={`answer-error-${q.key}`}>
          {local.message}
        </Text>
      )}
      {editable &&
        (commenting ? (
          <Textarea
            label="Comment (optional)"
            autosize
            minRows={1}
            maxRows={6}
            value={comment ?? ''}
            onChange={(e) => onChange({ comment: e.currentTarget.value || null })}
            onBlur={onBlur}
            data-testid={`comment-${q.key}`}
          />
        ) : (
          <Anchor component="button" type="button" size="xs" onClick={() => setCommenting(true)} w="fit-content">
            Add a comment
          </Anchor>
        ))}
      {!editable && comment && (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-line' }}>
          Comment: {comment}
        </Text>
      )}
    </Stack>
  );
}
