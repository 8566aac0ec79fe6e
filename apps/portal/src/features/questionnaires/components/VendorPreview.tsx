import { Alert, Badge, Button, Checkbox, Group, Paper, Progress, Radio, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';

import {
  progress,
  score,
  visibleQuestions,
  visibleWarnings,
  type AnswerValue,
  type TemplateDocument,
  type TemplateQuestion,
  type TemplateWarning,
} from '@bulwark/api-schema';

import { SEVERITY_COLOR } from './templateBadges';

type Answers = Record<string, AnswerValue>;

function AnswerInput({ q, value, onChange }: { q: TemplateQuestion; value: AnswerValue | undefined; onChange: (v: AnswerValue) => void }) {
  const id = `preview-answer-${q.key}`;
  switch (q.type) {
    case 'yes_no':
    case 'single_choice':
      return (
        <Radio.Group value={typeof value === 'string' ? value : null} onChange={(v) => onChange(v)} name={id}>
          <Stack gap={6} mt={4}>
            {(q.options ?? []).map((o) => (
              <Radio key={o.value} value={o.value} label={o.label} data-testid={`preview-option-${q.key}-${o.value}`} />
            ))}
          </Stack>
        </Radio.Group>
      );
    case 'multi_choice':
      return (
        <Checkbox.Group value={Array.isArray(value) ? value : []} onChange={(v) => onChange(v)}>
          <Stack gap={6} mt={4}>
            {(q.options ?? []).map((o) => (
              <Checkbox key={o.value} value={o.value} label={o.label} data-testid={`preview-option-${q.key}-${o.value}`} />
            ))}
          </Stack>
        </Checkbox.Group>
      );
    case 'text':
      return q.multiline ? (
        <Textarea
          autosize
          minRows={2}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value)}
          aria-label={q.text}
          data-testid={id}
        />
      ) : (
        <TextInput
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value)}
          aria-label={q.text}
          data-testid={id}
        />
      );
    case 'number':
      return (
        <TextInput
          type="number"
          w={220}
          rightSection={q.unit ? <Text size="xs">{q.unit}</Text> : undefined}
          rightSectionWidth={q.unit ? 70 : undefined}
          value={typeof value === 'number' ? String(value) : ''}
          onChange={(e) => onChange(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}
          aria-label={q.text}
          data-testid={id}
        />
      );
    case 'date':
      return (
        <TextInput
          type="date"
          w={220}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value || null)}
          aria-label={q.text}
          data-testid={id}
        />
      );
    case 'evidence':
      return (
        <Checkbox
          mt={4}
          label="Evidence attached (in the preview nothing is uploaded)"
          checked={Array.isArray(value) && value.length > 0}
          onChange={(e) => onChange(e.currentTarget.checked ? ['preview'] : [])}
          data-testid={id}
        />
      );
  }
}

function WarningAlert({ w }: { w: TemplateWarning }) {
  return (
    <Alert
      mt={4}
      color={SEVERITY_COLOR[w.severity]}
      variant="light"
      title={
        <Group gap={6}>
          <Badge size="xs" color={SEVERITY_COLOR[w.severity]}>
            {w.severity}
          </Badge>
          <span>{w.title ?? (w.severity === 'info' ? 'Advice' : 'Warning')}</span>
        </Group>
      }
      data-testid="preview-warning"
      data-warning-key={w.key}
    >
      <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
        {w.text}
      </Text>
    </Alert>
  );
}

/**
 * The template as a vendor will answer it: only the questions whose conditions hold are shown, and answering one
 * shows or hides those that depend on it (the same `visibleQuestions` the API uses). Nothing is saved.
 */
export function VendorPreview({ doc }: { doc: TemplateDocument }) {
  const [answers, setAnswers] = useState<Answers>({});
  const shown = useMemo(() => visibleQuestions(doc, answers), [doc, answers]);
  const warnings = useMemo(() => visibleWarnings(doc, answers), [doc, answers]);
  const p = useMemo(() => progress(doc, answers), [doc, answers]);
  const s = useMemo(() => score(doc, answers), [doc, answers]);
  const set = (key: string, v: AnswerValue) => setAnswers((a) => ({ ...a, [key]: v }));
  let n = 0;
  return (
    <Stack gap="md" data-testid="template-preview">
      <Paper withBorder p="sm" radius="md" style={{ position: 'sticky', top: 70, zIndex: 2 }}>
        <Group justify="space-between" wrap="wrap">
          <Stack gap={2}>
            <Text size="sm" data-testid="preview-progress" data-visible={p.visible} data-answered={p.answered}>
              {p.answered} of {p.visible} questions answered
              {p.requiredMissing.length ? ` · ${p.requiredMissing.length} required still open` : ''}
            </Text>
            <Progress value={p.visible ? (p.answered / p.visible) * 100 : 0} w={260} size="sm" />
          </Stack>
          <Group gap="sm">
            <Text size="sm" data-testid="preview-score" title={s.rule}>
              {s.max > 0 || s.earned > 0
                ? `Score ${s.earned} / ${s.max}${s.percent !== null ? ` (${s.percent} %)` : ''}`
                : 'Nothing scored yet (no points apply)'}
            </Text>
            <Button variant="subtle" size="xs" onClick={() => setAnswers({})} data-testid="preview-reset">
              Clear answers
            </Button>
          </Group>
        </Group>
      </Paper>
      {doc.sections.map((section) => {
        const questions = section.questions.filter((q) => shown.has(q.key));
        const sectionWarnings = warnings.filter((w) => w.sectionKey === section.key && w.questionKey === null);
        if (!questions.length && !sectionWarnings.length) return null;
        return (
          <Paper key={section.key} withBorder p="md" radius="md" data-testid="preview-section" data-section-key={section.key}>
            <Stack gap="md">
              <div>
                <Title order={4}>{section.title}</Title>
                {section.description && (
                  <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-line' }}>
                    {section.description}
                  </Text>
                )}
              </div>
              {sectionWarnings.map(({ warning: w }) => (
                <Alert
                  key={w.key}
                  color={SEVERITY_COLOR[w.severity]}
                  variant="light"
                  title={w.title}
                  data-testid="preview-warning"
                  data-warning-key={w.key}
                >
                  <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                    {w.text}
                  </Text>
                </Alert>
              ))}
              {questions.map((q) => (
                <Stack key={q.key} gap={4} data-testid="preview-question" data-question-key={q.key}>
                  <Text fw={600} style={{ whiteSpace: 'pre-line' }}>
                    {++n}. {q.text}{' '}
                    {q.required && (
                      <Text span c="red" aria-label="required">
                        *
                      </Text>
                    )}
                  </Text>
                  {q.help && (
                    <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-line' }}>
                      {q.help}
                    </Text>
                  )}
                  {/* A warning that always comes with its question (a VSAQ tip asking for a clarification) reads before the answer. */}
                  {warnings
                    .filter((w) => w.questionKey === q.key && !w.warning.showWhen)
                    .map(({ warning: w }) => (
                      <WarningAlert key={w.key} w={w} />
                    ))}
                  <AnswerInput q={q} value={answers[q.key]} onChange={(v) => set(q.key, v)} />
                  {warnings
                    .filter((w) => w.questionKey === q.key && w.warning.showWhen)
                    .map(({ warning: w }) => (
                      <WarningAlert key={w.key} w={w} />
                    ))}
                </Stack>
              ))}
            </Stack>
          </Paper>
        );
      })}
    </Stack>
  );
}
