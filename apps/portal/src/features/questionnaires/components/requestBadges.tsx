import { Badge, Group } from '@mantine/core';

import {
  QUESTIONNAIRE_REQUEST_STATUS_LABELS,
  type AnswerValue,
  type QuestionnaireRequestStatus,
  type TemplateQuestion,
} from '@bulwark/api-schema';

import { formatDate } from '../../../shared/lib/format';

const STATUS_COLOR: Record<QuestionnaireRequestStatus, string> = {
  sent: 'blue',
  in_progress: 'cyan',
  submitted: 'violet',
  in_review: 'grape',
  changes_requested: 'orange',
  accepted: 'teal',
  cancelled: 'gray',
};

export function RequestStatusBadge({ status, testId = 'request-status' }: { status: QuestionnaireRequestStatus; testId?: string }) {
  return (
    <Badge
      color={STATUS_COLOR[status]}
      variant="light"
      data-testid={testId}
      data-status={status}
      styles={{ label: { overflow: 'visible' } }}
    >
      {QUESTIONNAIRE_REQUEST_STATUS_LABELS[status]}
    </Badge>
  );
}

/** The due date, red with "overdue" when the vendor is late. */
export function DueDate({ dueDate, overdue }: { dueDate: string; overdue: boolean }) {
  return (
    <Group gap={6} wrap="nowrap">
      <span style={{ color: overdue ? 'var(--mantine-color-red-7)' : undefined, whiteSpace: 'nowrap' }}>{formatDate(dueDate)}</span>
      {overdue && (
        <Badge color="red" size="xs" data-testid="request-overdue">
          overdue
        </Badge>
      )}
    </Group>
  );
}

/** An answer in words (option labels, evidence counted). */
export function answerText(q: TemplateQuestion, value: AnswerValue): string {
  if (value === null || value === undefined || value === '') return '—';
  const label = (v: string) => q.options?.find((o) => o.value === v)?.label ?? v;
  if (q.type === 'evidence' && Array.isArray(value)) return `${value.length} evidence item${value.length === 1 ? '' : 's'}`;
  if (Array.isArray(value)) return value.map(label).join(', ');
  if (typeof value === 'number') return q.unit ? `${value} ${q.unit}` : String(value);
  return q.options ? label(value) : value;
}
