import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { memo } from 'react';

import {
  CONTROL_FRAMEWORKS,
  controlTitle,
  isChoiceType,
  ISO22301_CLAUSES,
  ISO42001_ANNEX_A,
  ISO42001_CLAUSES,
  QUESTION_TYPE_LABELS,
  QUESTION_TYPES,
  type ControlRef,
  type QuestionOption,
  type QuestionType,
  type TemplateDocument,
  type TemplateQuestion,
} from '@bulwark/api-schema';

import { errorsUnder, keyFromText, moveItem, uniqueKey, withType, type FieldErrors } from '../lib/builder';
import { ConditionEditor } from './ConditionEditor';

const KNOWN_CONTROLS: Record<string, Readonly<Record<string, string>>> = {
  'iso42001-annex-a': ISO42001_ANNEX_A,
  iso42001: ISO42001_CLAUSES,
  iso22301: ISO22301_CLAUSES,
};

const CONTROL_LIST_PREFIX = 'builder-controls-';

/** The known control ids, suggested in the mapping fields (rendered once per builder). */
export const ControlSuggestions = memo(function ControlSuggestions() {
  return (
    <>
      {Object.entries(KNOWN_CONTROLS).map(([fw, table]) => (
        <datalist key={fw} id={`${CONTROL_LIST_PREFIX}${fw}`}>
          {Object.entries(table).map(([id, t]) => (
            <option key={id} value={id} label={`${id} ${t}`} />
          ))}
        </datalist>
      ))}
    </>
  );
});

const num = (raw: string): number | undefined => (raw.trim() === '' || !Number.isFinite(Number(raw)) ? undefined : Number(raw));

function joined(errors: string[]): string | undefined {
  return errors.length ? errors.join(' · ') : undefined;
}

function OptionsEditor({
  q,
  onChange,
  errors,
  testId,
}: {
  q: TemplateQuestion;
  onChange: (options: QuestionOption[]) => void;
  errors: FieldErrors | undefined;
  testId: string;
}) {
  const options = q.options ?? [];
  const yesNo = q.type === 'yes_no';
  const set = (i: number, o: Partial<QuestionOption>) => onChange(options.map((x, j) => (j === i ? { ...x, ...o } : x)));
  const hasNa = options.some((o) => o.na);
  const listError = joined(errors?.['options'] ?? []);
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        Options
      </Text>
      <Table withTableBorder verticalSpacing={4} fz="sm" data-testid={`${testId}-options`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Label</Table.Th>
            <Table.Th w={150}>Value (key)</Table.Th>
            <Table.Th w={90}>Points</Table.Th>
            <Table.Th w={60}>n/a</Table.Th>
            <Table.Th w={110}>
              <VisuallyHidden>Move or remove</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {options.map((o, i) => {
            const fixed = yesNo && (o.value === 'yes' || o.value === 'no');
            return (
              <Table.Tr key={i} data-testid={`${testId}-option`} data-value={o.value}>
                <Table.Td>
                  <TextInput
                    size="xs"
                    aria-label={`Option ${i + 1} label`}
                    value={o.label}
                    onChange={(e) => set(i, { label: e.currentTarget.value })}
                    error={joined(errorsUnder(errors, `options.${i}.label`))}
                    data-testid={`${testId}-option-label-${i}`}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    size="xs"
                    aria-label={`Option ${i + 1} value`}
                    value={o.value}
                    readOnly={fixed}
                    onChange={(e) => set(i, { value: e.currentTarget.value })}
                    error={joined(errorsUnder(errors, `options.${i}.value`))}
                    data-testid={`${testId}-option-value-${i}`}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    size="xs"
                    type="number"
                    min={0}
                    aria-label={`Option ${i + 1} points`}
                    value={o.na ? '' : o.points === undefined ? '' : String(o.points)}
                    disabled={o.na}
                    placeholder={o.na ? '—' : '0'}
                    onChange={(e) => set(i, { points: num(e.currentTarget.value) })}
                    error={joined(errorsUnder(errors, `options.${i}.points`))}
                    data-testid={`${testId}-option-points-${i}`}
                  />
                </Table.Td>
                <Table.Td>
                  <Checkbox
                    aria-label={`Option ${i + 1} is “not applicable”`}
                    checked={!!o.na}
                    disabled={fixed}
                    onChange={(e) => {
                      const { points: _p, na: _n, ...rest } = o;
                      set(i, e.currentTarget.checked ? { ...rest, na: true, points: undefined } : { ...rest, na: undefined });
                    }}
                    data-testid={`${testId}-option-na-${i}`}
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap={2} wrap="nowrap">
                    <ActionIcon
                      size="sm"
                      variant="subtle"
                      disabled={i === 0}
                      onClick={() => onChange(moveItem(options, i, i - 1))}
                      aria-label={`Move option ${i + 1} up`}
                    >
                      ↑
                    </ActionIcon>
                    <ActionIcon
                      size="sm"
                      variant="subtle"
                      disabled={i === options.length - 1}
                      onClick={() => onChange(moveItem(options, i, i + 1))}
                      aria-label={`Move option ${i + 1} down`}
                    >
                      ↓
                    </ActionIcon>
                    <ActionIcon
                      size="sm"
                      variant="subtle"
                      color="red"
                      disabled={fixed}
                      onClick={() => onChange(options.filter((_, j) => j !== i))}
                      aria-label={`Remove option ${i + 1}`}
                      data-testid={`${testId}-option-remove-${i}`}
                    >
                      ✕
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {listError && (
        <Text size="xs" c="red" data-testid={`${testId}-options-error`}>
          {listError}
        </Text>
      )}
      <Group gap="xs">
        {!yesNo && (
          <Button
            size="compact-sm"
            variant="light"
            onClick={() => {
              const n = options.length + 1;
              const value = uniqueKey(
                `option_${n}`,
                options.map((o) => o.value),
              );
              onChange([...options, { value, label: `Option ${n}`, points: 0 }]);
            }}
            data-testid={`${testId}-option-add`}
          >
            Add an option
          </Button>
        )}
        {!hasNa && (
          <Button
            size="compact-sm"
            variant="subtle"
            onClick={() =>
              onChange([
                ...options,
                {
                  value: uniqueKey(
                    'na',
                    options.map((o) => o.value),
                  ),
                  label: 'Not applicable',
                  na: true,
                },
              ])
            }
            data-testid={`${testId}-option-add-na`}
          >
            Add “not applicable”
          </Button>
        )}
      </Group>
    </Stack>
  );
}

function ControlsEditor({
  controls,
  onChange,
  errors,
  testId,
}: {
  controls: ControlRef[];
  onChange: (c: ControlRef[]) => void;
  errors: FieldErrors | undefined;
  testId: string;
}) {
  const set = (i: number, c: Partial<ControlRef>) => onChange(controls.map((x, j) => (j === i ? { ...x, ...c } : x)));
  const frameworks = Object.entries(CONTROL_FRAMEWORKS).map(([value, label]) => ({ value, label }));
  return (
    <Stack gap={4} data-testid={`${testId}-controls`}>
      <Text size="sm" fw={600}>
        Mapped controls
      </Text>
      {!controls.length && (
        <Text size="xs" c="dimmed">
          Not mapped to any control yet.
        </Text>
      )}
      {controls.map((c, i) => {
        const known = KNOWN_CONTROLS[c.framework];
        const isOther = !(c.framework in CONTROL_FRAMEWORKS);
        const title = controlTitle(c.framework, c.id);
        return (
          <Group key={i} gap="xs" align="flex-start" wrap="wrap" data-testid={`${testId}-control`} data-control={`${c.framework}:${c.id}`}>
            <NativeSelect
              size="xs"
              aria-label={`Control ${i + 1} framework`}
              data={[...frameworks, { value: '__other', label: 'Other framework…' }]}
              value={isOther ? '__other' : c.framework}
              onChange={(e) => set(i, { framework: e.currentTarget.value === '__other' ? '' : e.currentTarget.value })}
              w={200}
              data-testid={`${testId}-control-framework-${i}`}
            />
            {isOther && (
              <TextInput
                size="xs"
                aria-label={`Control ${i + 1} framework id`}
                placeholder="nist-csf, dora…"
                value={c.framework}
                onChange={(e) => set(i, { framework: e.currentTarget.value })}
                error={joined(errorsUnder(errors, `controls.${i}.framework`))}
                w={140}
                data-testid={`${testId}-control-framework-id-${i}`}
              />
            )}
            <Stack gap={0}>
              <TextInput
                size="xs"
                aria-label={`Control ${i + 1} id`}
                placeholder={c.framework === 'iso42001-annex-a' ? 'A.10.3' : 'Control id'}
                value={c.id}
                list={known ? `${CONTROL_LIST_PREFIX}${c.framework}` : undefined}
                onChange={(e) => set(i, { id: e.currentTarget.value })}
                error={joined(errorsUnder(errors, `controls.${i}.id`))}
                w={140}
                data-testid={`${testId}-control-id-${i}`}
              />
              {title && (
                <Text size="xs" c="dimmed" data-testid={`${testId}-control-title-${i}`}>
                  {title}
                </Text>
              )}
            </Stack>
            <ActionIcon
              variant="subtle"
              color="red"
              mt={4}
              onClick={() => onChange(controls.filter((_, j) => j !== i))}
              aria-label={`Remove control ${i + 1}`}
            >
              ✕
            </ActionIcon>
          </Group>
        );
      })}
      <Group>
        <Button
          size="compact-sm"
          variant="light"
          onClick={() => onChange([...controls, { framework: 'iso42001-annex-a', id: '' }])}
          data-testid={`${testId}-control-add`}
        >
          Add a mapping
        </Button>
      </Group>
    </Stack>
  );
}

/** Edits one question in place: text, key, type, help, required, weight, options and points, condition, controls. */
export function QuestionEditor({
  q,
  autoKey,
  onChange,
  doc,
  otherKeys,
  keyError,
  errors,
  testId,
}: {
  q: TemplateQuestion;
  autoKey: boolean;
  onChange: (q: TemplateQuestion, autoKey?: boolean) => void;
  doc: TemplateDocument;
  otherKeys: string[];
  keyError: string | null;
  errors: FieldErrors | undefined;
  testId: string;
}) {
  const keyErrors = [...(keyError ? [keyError] : []), ...(errors?.['key'] ?? [])];
  const other = Object.entries(errors ?? {})
    .filter(([f]) => !/^(key|text|help|type|weight|points|unit|options|showWhen|controls)(\.|$)/.test(f) && f !== '')
    .map(([f, m]) => `${f}: ${m.join(', ')}`);
  return (
    <Stack gap="sm" data-testid={`${testId}-editor`}>
      <Textarea
        label="Question"
        autosize
        minRows={1}
        required
        value={q.text}
        onChange={(e) => {
          const text = e.currentTarget.value;
          onChange(autoKey ? { ...q, text, key: uniqueKey(keyFromText(text), otherKeys) } : { ...q, text });
        }}
        error={joined([...(errors?.['text'] ?? []), ...(errors?.[''] ?? [])])}
        data-testid={`${testId}-text`}
      />
      <Group gap="sm" align="flex-start" wrap="wrap">
        <TextInput
          label="Key"
          description={autoKey ? 'Follows the text until you type one' : 'Answers are stored under it'}
          value={q.key}
          onChange={(e) => onChange({ ...q, key: e.currentTarget.value.trim() }, false)}
          error={joined(keyErrors)}
          w={260}
          data-testid={`${testId}-key`}
        />
        <NativeSelect
          label="Type"
          data={QUESTION_TYPES.map((t) => ({ value: t, label: QUESTION_TYPE_LABELS[t] }))}
          value={q.type}
          onChange={(e) => onChange(withType(q, e.currentTarget.value as QuestionType))}
          error={joined(errors?.['type'] ?? [])}
          w={170}
          data-testid={`${testId}-type`}
        />
        <TextInput
          label="Weight"
          type="number"
          min={0}
          value={String(q.weight)}
          onChange={(e) => onChange({ ...q, weight: num(e.currentTarget.value) ?? 0 })}
          error={joined(errors?.['weight'] ?? [])}
          w={90}
          data-testid={`${testId}-weight`}
        />
        {!isChoiceType(q.type) && (
          <TextInput
            label="Points"
            type="number"
            min={0}
            placeholder="not scored"
            title="Points earned once answered (text, number, date and evidence questions)"
            value={q.points === undefined ? '' : String(q.points)}
            onChange={(e) => {
              const { points: _p, ...rest } = q;
              const p = num(e.currentTarget.value);
              onChange(p === undefined ? rest : { ...rest, points: p });
            }}
            error={joined(errors?.['points'] ?? [])}
            w={110}
            data-testid={`${testId}-points`}
          />
        )}
        {q.type === 'number' && (
          <TextInput
            label="Unit"
            placeholder="hours, %"
            value={q.unit ?? ''}
            onChange={(e) => {
              const { unit: _u, ...rest } = q;
              onChange(e.currentTarget.value ? { ...rest, unit: e.currentTarget.value } : rest);
            }}
            error={joined(errors?.['unit'] ?? [])}
            w={110}
            data-testid={`${testId}-unit`}
          />
        )}
        <Stack gap={6} pt={26}>
          <Checkbox
            label="Required"
            checked={q.required}
            onChange={(e) => onChange({ ...q, required: e.currentTarget.checked })}
            data-testid={`${testId}-required`}
          />
          {q.type === 'text' && (
            <Checkbox
              label="Multi-line answer"
              checked={!!q.multiline}
              onChange={(e) => {
                const { multiline: _m, ...rest } = q;
                onChange(e.currentTarget.checked ? { ...rest, multiline: true } : rest);
              }}
            />
          )}
        </Stack>
      </Group>
      <Textarea
        label="Help text"
        description="Shown under the question to the vendor"
        autosize
        minRows={1}
        value={q.help ?? ''}
        onChange={(e) => {
          const { help: _h, ...rest } = q;
          onChange(e.currentTarget.value ? { ...rest, help: e.currentTarget.value } : rest);
        }}
        error={joined(errors?.['help'] ?? [])}
        data-testid={`${testId}-help`}
      />
      {isChoiceType(q.type) && <OptionsEditor q={q} onChange={(options) => onChange({ ...q, options })} errors={errors} testId={testId} />}
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          Condition
        </Text>
        <ConditionEditor
          value={q.showWhen}
          onChange={(c) => {
            const { showWhen: _s, ...rest } = q;
            onChange(c ? { ...rest, showWhen: c } : rest);
          }}
          doc={doc}
          selfKeys={[q.key]}
          errors={errorsUnder(errors, 'showWhen')}
          testId={`${testId}-condition`}
        />
      </Stack>
      <ControlsEditor controls={q.controls} onChange={(controls) => onChange({ ...q, controls })} errors={errors} testId={testId} />
      {!!q.warnings?.length && (
        <Text size="xs" c="dimmed">
          {q.warnings.length} warning{q.warnings.length === 1 ? '' : 's'} (imported) kept as they are.
        </Text>
      )}
      {other.length > 0 && (
        <Text size="xs" c="red">
          {other.join(' · ')}
        </Text>
      )}
    </Stack>
  );
}

/** The one-line summary of a question in the builder's list. */
export function QuestionSummary({ q, n }: { q: TemplateQuestion; n: number }) {
  return (
    <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
      <Text fw={600} size="sm" truncate="end" style={{ minWidth: 0 }}>
        {n}. {q.text || <i>New question</i>}
      </Text>
      <Badge size="xs" variant="light" style={{ flexShrink: 0 }}>
        {QUESTION_TYPE_LABELS[q.type]}
      </Badge>
      {q.required && (
        <Badge size="xs" color="red" variant="light" style={{ flexShrink: 0 }}>
          Required
        </Badge>
      )}
      {q.showWhen && (
        <Badge size="xs" color="orange" variant="light" style={{ flexShrink: 0 }}>
          Conditional
        </Badge>
      )}
    </Group>
  );
}
