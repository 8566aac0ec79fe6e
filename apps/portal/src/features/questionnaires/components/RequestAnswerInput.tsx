import { Checkbox, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';

import type { AnswerValue, TemplateQuestion } from '@bulwark/api-schema';

import { EvidencePicker } from '../../evidence/components/EvidencePicker';

export interface RequestAnswerInputProps {
  q: TemplateQuestion;
  value: AnswerValue;
  onChange: (v: AnswerValue) => void;
  /** Leaving the field (saves at once). */
  onBlur: () => void;
  disabled: boolean;
  vendorId: string;
  vendorName: string;
  /** Accessible name: the question's number and text. */
  label: string;
}

/** One answer's input by question type; choices save as soon as they are picked, text after a pause or on leaving. */
export function RequestAnswerInput({ q, value, onChange, onBlur, disabled, vendorId, vendorName, label }: RequestAnswerInputProps) {
  const id = `answer-${q.key}`;
  switch (q.type) {
    case 'yes_no':
    case 'single_choice':
      return (
        <Radio.Group
          value={typeof value === 'string' ? value : null}
          onChange={(v) => onChange(v)}
          name={id}
          aria-label={label}
          onBlur={onBlur}
          data-testid={id}
        >
          <Stack gap={6} mt={4}>
            {(q.options ?? []).map((o) => (
              <Radio key={o.value} value={o.value} label={o.label} disabled={disabled} data-testid={`option-${q.key}-${o.value}`} />
            ))}
          </Stack>
        </Radio.Group>
      );
    case 'multi_choice':
      return (
        <Checkbox.Group
          value={Array.isArray(value) ? value : []}
          onChange={(v) => onChange(v.length ? v : null)}
          aria-label={label}
          data-testid={id}
        >
          <Stack gap={6} mt={4}>
            {(q.options ?? []).map((o) => (
              <Checkbox
                key={o.value}
                value={o.value}
                label={o.label}
                disabled={disabled}
                onBlur={onBlur}
                data-testid={`option-${q.key}-${o.value}`}
              />
            ))}
          </Stack>
        </Checkbox.Group>
      );
    case 'text':
      return q.multiline ? (
        <Textarea
          autosize
          minRows={3}
          maxRows={14}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value)}
          onBlur={onBlur}
          disabled={disabled}
          aria-label={label}
          data-testid={id}
        />
      ) : (
        <TextInput
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value)}
          onBlur={onBlur}
          disabled={disabled}
          aria-label={label}
          data-testid={id}
        />
      );
    case 'number':
      return (
        <TextInput
          type="number"
          w={240}
          rightSection={q.unit ? <Text size="xs">{q.unit}</Text> : undefined}
          rightSectionWidth={q.unit ? 70 : undefined}
          value={typeof value === 'number' ? String(value) : ''}
          onChange={(e) => {
            const raw = e.currentTarget.value;
            onChange(raw === '' || !Number.isFinite(Number(raw)) ? null : Number(raw));
          }}
          onBlur={onBlur}
          disabled={disabled}
          aria-label={label}
          data-testid={id}
        />
      );
    case 'date':
      return (
        <TextInput
          type="date"
          w={240}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value || null)}
          onBlur={onBlur}
          disabled={disabled}
          aria-label={label}
          data-testid={id}
        />
      );
    case 'evidence':
      return disabled ? (
        <Text size="sm" data-testid={id}>
          {Array.isArray(value) && value.length
            ? `${value.length} evidence item${value.length === 1 ? '' : 's'} attached`
            : 'No evidence attached'}
        </Text>
      ) : (
        <EvidencePicker
          vendorId={vendorId}
          vendorName={vendorName}
          value={Array.isArray(value) ? value : []}
          onChange={(ids) => {
            onChange(ids.length ? ids : null);
          }}
          label="Evidence from your library"
          description={q.evidenceKinds?.length ? `For example: ${q.evidenceKinds.join(', ').replace(/_/g, ' ')}` : undefined}
          testId={id}
        />
      );
  }
}
