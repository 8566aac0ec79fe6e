import { Button, Checkbox, Group, Input, NativeSelect, NumberInput, PasswordInput, Stack, Text, Textarea, TextInput } from '@mantine/core';

import { pickError, type FieldErrors } from '../../../shared/lib/forms';
import type { ConfigField, ConfigValue, ConfigValues, SecretAction } from '../lib/configSchema';

function numberHint(f: ConfigField): string | undefined {
  const parts: string[] = [];
  if (f.min !== undefined) parts.push(`${f.minExclusive ? '>' : '≥'} ${f.min}`);
  if (f.max !== undefined) parts.push(`${f.maxExclusive ? '<' : '≤'} ${f.max}`);
  return parts.length ? parts.join(', ') : undefined;
}

function describe(f: ConfigField, extra?: string): string | undefined {
  const parts = [f.description, extra].filter(Boolean);
  return parts.length ? parts.join(' ') : undefined;
}

/**
 * The config inputs of a plugin, rendered from its JSON Schema. Test ids are
 * `<prefix>-<key>` (e.g. `source-config-baseUrl`) on the input itself; errors for `config.<key>`
 * appear under the matching input.
 */
export function ConfigFields({
  fields,
  values,
  onChange,
  errors,
  prefix,
  secretsSet = [],
  secretActions = {},
  onSecretAction,
}: {
  fields: ConfigField[];
  values: ConfigValues;
  onChange: (key: string, value: ConfigValue) => void;
  errors: FieldErrors;
  prefix: string;
  /** Edit mode: secrets with a stored value (shown as "stored ••••" with Replace). */
  secretsSet?: readonly string[];
  secretActions?: Record<string, SecretAction>;
  onSecretAction?: (key: string, action: SecretAction) => void;
}) {
  if (fields.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid={`${prefix}-none`}>
        This plugin has no settings.
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      {fields.map((f) => {
        const testId = `${prefix}-${f.key}`;
        const error = pickError(errors, `config.${f.key}`);
        const text = typeof values[f.key] === 'string' ? (values[f.key] as string) : '';
        const setText = (v: string) => onChange(f.key, v);

        if (f.secret && secretsSet.includes(f.key)) {
          const action = secretActions[f.key] ?? 'keep';
          if (action !== 'replace') {
            return (
              <Input.Wrapper key={f.key} label={f.label} required={f.required} description={f.description} error={error}>
                <Group gap="sm" mt={4} data-testid={`${testId}-stored`} data-action={action}>
                  <Text size="sm" c={action === 'clear' ? 'red' : 'dimmed'} className="mono">
                    {action === 'clear' ? 'will be cleared on save' : 'stored ••••'}
                  </Text>
                  <Button
                    size="compact-xs"
                    variant="light"
                    onClick={() => onSecretAction?.(f.key, 'replace')}
                    data-testid={`${testId}-replace`}
                  >
                    Replace
                  </Button>
                  {action === 'clear' ? (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() => onSecretAction?.(f.key, 'keep')}
                      data-testid={`${testId}-keep`}
                    >
                      Keep stored value
                    </Button>
                  ) : (
                    !f.required && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        onClick={() => onSecretAction?.(f.key, 'clear')}
                        data-testid={`${testId}-clear`}
                      >
                        Clear
                      </Button>
                    )
                  )}
                </Group>
              </Input.Wrapper>
            );
          }
          return (
            <Stack key={f.key} gap={4}>
              <PasswordInput
                label={f.label}
                required={f.required}
                description={describe(f, 'Enter the new value; it replaces the stored one when you save.')}
                autoComplete="new-password"
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                error={error}
                data-testid={testId}
              />
              <Group>
                <Button size="compact-xs" variant="subtle" onClick={() => onSecretAction?.(f.key, 'keep')} data-testid={`${testId}-keep`}>
                  Keep the stored value
                </Button>
              </Group>
            </Stack>
          );
        }

        switch (f.kind) {
          case 'secret':
            return (
              <PasswordInput
                key={f.key}
                label={f.label}
                required={f.required}
                description={describe(f, 'Stored encrypted; never shown again.')}
                autoComplete="new-password"
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                error={error}
                data-testid={testId}
              />
            );
          case 'boolean':
            return (
              <Checkbox
                key={f.key}
                label={f.label}
                description={f.description}
                checked={values[f.key] === true}
                onChange={(e) => onChange(f.key, e.currentTarget.checked)}
                error={error}
                data-testid={testId}
              />
            );
          case 'number':
          case 'integer':
            return (
              <NumberInput
                key={f.key}
                label={f.label}
                required={f.required}
                description={describe(f, numberHint(f) ? `(${numberHint(f)})` : undefined)}
                value={text}
                onChange={(v) => setText(String(v))}
                allowDecimal={f.kind === 'number'}
                min={f.min}
                max={f.max}
                clampBehavior="none"
                error={error}
                data-testid={testId}
              />
            );
          case 'enum':
            return (
              <NativeSelect
                key={f.key}
                label={f.label}
                required={f.required}
                description={f.description}
                data={[
                  ...(f.hasDefault ? [] : [{ value: '', label: f.required ? 'Choose…' : '— not set —', disabled: f.required }]),
                  ...f.enumValues.map((v) => ({ value: v, label: v })),
                ]}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                error={error}
                data-testid={testId}
              />
            );
          case 'stringArray':
            return (
              <TextInput
                key={f.key}
                label={f.label}
                required={f.required}
                description={describe(f, 'Separate entries with commas.')}
                placeholder={f.required ? undefined : 'empty = all'}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                error={error}
                data-testid={testId}
              />
            );
          case 'json':
            return (
              <Textarea
                key={f.key}
                label={f.label}
                required={f.required}
                description={describe(f, 'JSON.')}
                autosize
                minRows={3}
                maxRows={14}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                error={error}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
                data-testid={testId}
              />
            );
          default:
            return (
              <TextInput
                key={f.key}
                label={f.label}
                required={f.required}
                description={f.description}
                type={f.format === 'uri' || f.format === 'url' ? 'url' : f.format === 'email' ? 'email' : 'text'}
                placeholder={f.format === 'uri' || f.format === 'url' ? 'https://…' : undefined}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                error={error}
                data-testid={testId}
              />
            );
        }
      })}
    </Stack>
  );
}
