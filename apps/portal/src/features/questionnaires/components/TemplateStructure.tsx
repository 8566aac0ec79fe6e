import { Alert, Badge, Code, Group, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';

import {
  CONTROL_FRAMEWORKS,
  controlTitle,
  describeCondition,
  QUESTION_TYPE_LABELS,
  type ControlRef,
  type TemplateDocument,
  type TemplateQuestion,
  type TemplateWarning,
} from '@bulwark/api-schema';

import { SEVERITY_COLOR } from './templateBadges';

function ControlBadges({ controls }: { controls: ControlRef[] }) {
  if (!controls.length) return null;
  return (
    <Group gap={4} data-testid="question-controls">
      {controls.map((c) => {
        const framework = CONTROL_FRAMEWORKS[c.framework as keyof typeof CONTROL_FRAMEWORKS] ?? c.framework;
        const title = controlTitle(c.framework, c.id);
        return (
          <Tooltip key={`${c.framework}:${c.id}`} label={`${framework} ${c.id}${title ? `: ${title}` : ''}`} withArrow>
            <Badge variant="outline" color={c.framework === 'iso22301' ? 'grape' : 'indigo'} size="sm" data-testid="question-control">
              {c.framework === 'iso22301' ? `ISO 22301 ${c.id}` : c.framework === 'iso42001' ? `42001 cl. ${c.id}` : c.id}
            </Badge>
          </Tooltip>
        );
      })}
    </Group>
  );
}

function WarningList({ warnings, doc }: { warnings: TemplateWarning[] | undefined; doc: TemplateDocument }) {
  if (!warnings?.length) return null;
  return (
    <Stack gap={6}>
      {warnings.map((w) => (
        <Alert
          key={w.key}
          color={SEVERITY_COLOR[w.severity]}
          variant="light"
          p="xs"
          title={
            <Group gap={6}>
              <Badge size="xs" color={SEVERITY_COLOR[w.severity]}>
                {w.severity}
              </Badge>
              <span>{w.title ?? (w.severity === 'info' ? 'Advice' : 'Warning')}</span>
            </Group>
          }
          data-testid="template-warning"
          data-warning-key={w.key}
        >
          <Text size="sm" style={{ whiteSpace: 'pre-line' }} lineClamp={6}>
            {w.text}
          </Text>
          {w.showWhen && (
            <Text size="xs" c="dimmed" mt={4}>
              Shown when {describeCondition(w.showWhen, doc)}
            </Text>
          )}
        </Alert>
      ))}
    </Stack>
  );
}

function QuestionCard({ q, n, doc }: { q: TemplateQuestion; n: number; doc: TemplateDocument }) {
  const scored = q.weight > 0 && !!q.options?.some((o) => o.points !== undefined);
  return (
    <Paper withBorder radius="sm" p="sm" data-testid="template-question" data-question-key={q.key}>
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Text fw={600} style={{ whiteSpace: 'pre-line' }}>
            {n}. {q.text}
          </Text>
          <Group gap={4} wrap="nowrap">
            <Badge variant="light" data-testid="question-type">
              {QUESTION_TYPE_LABELS[q.type]}
            </Badge>
            {q.required && (
              <Badge color="red" variant="light" data-testid="question-required">
                Required
              </Badge>
            )}
            <Badge color="gray" variant="light" data-testid="question-weight">
              Weight {q.weight}
            </Badge>
          </Group>
        </Group>
        <Code style={{ alignSelf: 'flex-start' }}>{q.key}</Code>
        {q.help && (
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-line' }} lineClamp={5}>
            {q.help}
          </Text>
        )}
        {q.showWhen && (
          <Text size="sm" data-testid="question-condition">
            <Text span fw={600} size="sm">
              Shown when{' '}
            </Text>
            {describeCondition(q.showWhen, doc)}
          </Text>
        )}
        {q.options && (
          <Table withTableBorder verticalSpacing={4} fz="sm" data-testid="question-options">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Option</Table.Th>
                <Table.Th w={110}>{scored ? 'Points' : 'Not scored'}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.options.map((o) => (
                <Table.Tr key={o.value} data-testid="question-option" data-value={o.value}>
                  <Table.Td>
                    {o.label}{' '}
                    {o.na && (
                      <Badge size="xs" color="gray" variant="outline">
                        n/a: not scored
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td data-testid="question-option-points">{o.na || !scored ? '—' : (o.points ?? 0)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {!q.options && (
          <Text size="xs" c="dimmed">
            {q.type === 'number' && q.unit ? `Answered in ${q.unit}. ` : ''}
            {q.type === 'evidence' && q.evidenceKinds?.length ? `Evidence: ${q.evidenceKinds.join(', ').replace(/_/g, ' ')}. ` : ''}
            {q.points !== undefined ? `Earns ${q.points} point${q.points === 1 ? '' : 's'} once answered.` : 'Not scored.'}
          </Text>
        )}
        <ControlBadges controls={q.controls} />
        <WarningList warnings={q.warnings} doc={doc} />
      </Stack>
    </Paper>
  );
}

/** A template version as its reviewers read it: sections, questions, options and points, conditions in words, controls. */
export function TemplateStructure({ doc }: { doc: TemplateDocument }) {
  let n = 0;
  return (
    <Stack gap="lg" data-testid="template-structure">
      {doc.sections.map((s) => (
        <Stack key={s.key} gap="sm" data-testid="template-section" data-section-key={s.key}>
          <div>
            <Title order={4}>{s.title}</Title>
            {s.description && (
              <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-line' }}>
                {s.description}
              </Text>
            )}
            {s.showWhen && (
              <Text size="sm" data-testid="section-condition">
                <Text span fw={600} size="sm">
                  The section is shown when{' '}
                </Text>
                {describeCondition(s.showWhen, doc)}
              </Text>
            )}
          </div>
          <WarningList warnings={s.warnings} doc={doc} />
          {s.questions.map((q) => (
            <QuestionCard key={q.key} q={q} n={++n} doc={doc} />
          ))}
        </Stack>
      ))}
    </Stack>
  );
}
