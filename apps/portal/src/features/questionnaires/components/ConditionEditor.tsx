import { ActionIcon, Button, Checkbox, Group, NativeSelect, Paper, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';

import { describeCondition, isChoiceType, type Condition, type TemplateDocument, type TemplateQuestion } from '@bulwark/api-schema';

import { conditionToModel, modelToCondition, type Clause, type ClauseKind, type ConditionModel } from '../lib/builder';

const KIND_LABELS: Record<ClauseKind, string> = { equals: 'is', oneOf: 'is one of', answered: 'is answered' };

function ClauseRow({
  clause,
  index,
  questions,
  onChange,
  onRemove,
  testId,
}: {
  clause: Clause;
  index: number;
  questions: TemplateQuestion[];
  onChange: (c: Clause) => void;
  onRemove: () => void;
  testId: string;
}) {
  const target = questions.find((q) => q.key === clause.key);
  const choice = target ? isChoiceType(target.type) : false;
  const options = target?.options ?? [];
  const kinds: ClauseKind[] = target?.type === 'evidence' ? ['answered'] : ['equals', 'oneOf', 'answered'];
  const questionData = [
    ...(target || !clause.key ? [] : [{ value: clause.key, label: `⚠ missing question “${clause.key}”` }]),
    ...(clause.key ? [] : [{ value: '', label: 'Choose a question…' }]),
    ...questions.map((q) => ({ value: q.key, label: `${q.text.length > 60 ? `${q.text.slice(0, 59)}…` : q.text} (${q.key})` })),
  ];
  const setKey = (key: string) => {
    const q = questions.find((x) => x.key === key);
    const kind: ClauseKind = q?.type === 'evidence' ? 'answered' : clause.kind;
    const first = q?.options?.[0]?.value;
    onChange({
      ...clause,
      key,
      kind,
      values: kind === 'answered' ? [] : q && isChoiceType(q.type) && first !== undefined ? [first] : [],
    });
  };
  const label = `Condition ${index + 1}`;
  return (
    <Group gap="xs" align="flex-end" wrap="wrap" data-testid={`${testId}-clause`} data-clause={index}>
      <Checkbox
        label="not"
        checked={clause.not}
        onChange={(e) => onChange({ ...clause, not: e.currentTarget.checked })}
        aria-label={`${label}: negate`}
        mb={8}
        data-testid={`${testId}-not-${index}`}
      />
      <NativeSelect
        label={index === 0 ? 'Question' : undefined}
        aria-label={`${label}: question`}
        data={questionData}
        value={clause.key}
        onChange={(e) => setKey(e.currentTarget.value)}
        w={300}
        error={clause.key && !target ? true : undefined}
        data-testid={`${testId}-key-${index}`}
      />
      <NativeSelect
        label={index === 0 ? 'Test' : undefined}
        aria-label={`${label}: test`}
        data={kinds.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
        value={clause.kind}
        onChange={(e) => {
          const kind = e.currentTarget.value as ClauseKind;
          onChange({ ...clause, kind, values: kind === 'answered' ? [] : kind === 'equals' ? clause.values.slice(0, 1) : clause.values });
        }}
        w={130}
        data-testid={`${testId}-kind-${index}`}
      />
      {clause.kind === 'equals' &&
        (choice ? (
          <NativeSelect
            label={index === 0 ? 'Answer' : undefined}
            aria-label={`${label}: answer`}
            data={[
              ...(options.some((o) => o.value === String(clause.values[0] ?? ''))
                ? []
                : [{ value: String(clause.values[0] ?? ''), label: '…' }]),
              ...options.map((o) => ({ value: o.value, label: o.label })),
            ]}
            value={String(clause.values[0] ?? '')}
            onChange={(e) => onChange({ ...clause, values: [e.currentTarget.value] })}
            w={200}
            data-testid={`${testId}-value-${index}`}
          />
        ) : (
          <TextInput
            label={index === 0 ? 'Answer' : undefined}
            aria-label={`${label}: answer`}
            value={String(clause.values[0] ?? '')}
            onChange={(e) => {
              const raw = e.currentTarget.value;
              const v = target?.type === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
              onChange({ ...clause, values: [v] });
            }}
            w={200}
            data-testid={`${testId}-value-${index}`}
          />
        ))}
      {clause.kind === 'oneOf' &&
        (choice ? (
          <Checkbox.Group
            label={index === 0 ? 'Answers' : undefined}
            aria-label={`${label}: answers`}
            value={clause.values.map(String)}
            onChange={(v) => onChange({ ...clause, values: options.map((o) => o.value).filter((x) => v.includes(x)) })}
          >
            <Group gap="xs" mb={8}>
              {options.map((o) => (
                <Checkbox key={o.value} value={o.value} label={o.label} data-testid={`${testId}-oneof-${index}-${o.value}`} />
              ))}
            </Group>
          </Checkbox.Group>
        ) : (
          <TextInput
            label={index === 0 ? 'Answers (comma-separated)' : undefined}
            aria-label={`${label}: answers, comma-separated`}
            value={clause.values.join(', ')}
            onChange={(e) =>
              onChange({
                ...clause,
                values: e.currentTarget.value
                  .split(',')
                  .map((x) => x.trim())
                  .filter(Boolean)
                  .map((x) => (target?.type === 'number' && Number.isFinite(Number(x)) ? Number(x) : x)),
              })
            }
            w={240}
            data-testid={`${testId}-value-${index}`}
          />
        ))}
      <ActionIcon
        variant="subtle"
        color="red"
        onClick={onRemove}
        aria-label={`Remove condition ${index + 1}`}
        mb={4}
        data-testid={`${testId}-remove-${index}`}
      >
        ✕
      </ActionIcon>
    </Group>
  );
}

/**
 * Edits when a question (or a section) shows: clauses "question is / is one of / is answered", each maybe
 * negated, combined with and or or. A condition nested deeper than that is shown in words, read-only, and can
 * only be removed here.
 */
export function ConditionEditor({
  value,
  onChange,
  doc,
  selfKeys,
  errors,
  testId,
  readOnly,
}: {
  value: Condition | undefined;
  onChange: (c: Condition | undefined) => void;
  doc: TemplateDocument;
  /** Keys the condition may not name (the question itself, or a section's own questions). */
  selfKeys: string[];
  errors: string[];
  testId: string;
  readOnly?: boolean;
}) {
  const model = conditionToModel(value);
  const questions = doc.sections.flatMap((s) => s.questions).filter((q) => !selfKeys.includes(q.key));
  const errorText = errors.length ? (
    <Text size="xs" c="red" data-testid={`${testId}-error`}>
      {errors.join(' · ')}
    </Text>
  ) : null;
  if (readOnly || !model) {
    return (
      <Stack gap={4} data-testid={testId}>
        <Text size="sm" data-testid={`${testId}-words`}>
          {value ? `Shown when ${describeCondition(value, doc)}` : 'Always shown'}
        </Text>
        {!model && !readOnly && (
          <Group gap="xs">
            <Text size="xs" c="dimmed">
              This condition nests deeper than the editor shows (and/or of clauses); it is kept as it is.
            </Text>
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange(undefined)} data-testid={`${testId}-clear`}>
              Remove it
            </Button>
          </Group>
        )}
        {errorText}
      </Stack>
    );
  }
  const set = (m: ConditionModel) => onChange(modelToCondition(m));
  const addClause = () => {
    const first = questions.find((q) => isChoiceType(q.type)) ?? questions[0];
    const clause: Clause = first
      ? {
          not: false,
          key: first.key,
          kind: first.type === 'evidence' ? 'answered' : 'equals',
          values: isChoiceType(first.type) && first.options?.[0] ? [first.options[0].value] : [],
        }
      : { not: false, key: '', kind: 'answered', values: [] };
    set({ ...model, clauses: [...model.clauses, clause] });
  };
  return (
    <Paper withBorder p="xs" radius="sm" data-testid={testId} data-clauses={model.clauses.length}>
      <Stack gap={6}>
        <Group gap="xs" justify="space-between">
          <Text size="sm" fw={600}>
            {model.clauses.length ? 'Shown only when' : 'Always shown'}
          </Text>
          {model.clauses.length > 1 && (
            <SegmentedControl
              size="xs"
              value={model.join}
              onChange={(j) => set({ ...model, join: j as 'all' | 'any' })}
              data={[
                { value: 'all', label: 'all of these (and)' },
                { value: 'any', label: 'any of these (or)' },
              ]}
              aria-label="How the conditions combine"
              data-testid={`${testId}-join`}
            />
          )}
        </Group>
        {model.clauses.map((c, i) => (
          <ClauseRow
            key={i}
            clause={c}
            index={i}
            questions={questions}
            onChange={(x) => set({ ...model, clauses: model.clauses.map((y, j) => (j === i ? x : y)) })}
            onRemove={() => set({ ...model, clauses: model.clauses.filter((_, j) => j !== i) })}
            testId={testId}
          />
        ))}
        {value && (
          <Text size="xs" c="dimmed" data-testid={`${testId}-words`}>
            Shown when {describeCondition(value, doc)}
          </Text>
        )}
        {errorText}
        <Group>
          <Button size="compact-sm" variant="light" onClick={addClause} disabled={!questions.length} data-testid={`${testId}-add`}>
            {model.clauses.length ? 'Add a clause' : 'Add a condition'}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
