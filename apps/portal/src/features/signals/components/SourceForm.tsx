import { Badge, Button, Checkbox, Fieldset, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';

import {
  createSourceSchema,
  testSourceSchema,
  updateSourceSchema,
  type PluginInfo,
  type SignalSourceView,
  type TestSourceResult,
  type VendorDetail,
} from '@bulwark/api-schema';

import { isApiError } from '../../../shared/api/client';
import { FormErrorAlert } from '../../../shared/components/feedback';
import { pickError, useFieldErrors, validate, type FieldErrors } from '../../../shared/lib/forms';
import { notifySuccess } from '../../../shared/lib/notify';
import { useCreateSource, useTestSource, useUpdateSource, type SourceCreate, type SourceUpdate } from '../api/signals';
import {
  buildConfig,
  configFields,
  initialConfigValues,
  type ConfigValue,
  type ConfigValues,
  type SecretAction,
} from '../lib/configSchema';
import { formatSchedule } from '../lib/signals';
import { ConfigFields } from './ConfigFields';
import { TestResultView } from './TestResultView';

const MAX_SCHEDULE_MINUTES = 7 * 24 * 60;

function defaultMinutes(plugin: PluginInfo | undefined): string {
  return plugin ? String(Math.max(1, Math.round(plugin.defaultScheduleSeconds / 60))) : '';
}

/** Schedule in minutes (text) → seconds, or an error message. */
function scheduleSeconds(text: string): { seconds?: number; error?: string } {
  if (text.trim() === '') return {};
  const n = Number(text);
  if (!Number.isFinite(n) || n < 1 || n > MAX_SCHEDULE_MINUTES)
    return { error: `Between 1 minute and ${MAX_SCHEDULE_MINUTES} minutes (7 days)` };
  return { seconds: Math.round(n * 60) };
}

export function pluginOptions(plugins: PluginInfo[]) {
  const group = (kind: PluginInfo['kind'], label: string) => ({
    group: label,
    items: plugins
      .filter((p) => p.kind === kind)
      .sort((a, b) => a.displayName.localeCompare(b.displayName))
      .map((p) => ({ value: p.id, label: `${p.displayName}${p.push ? ' (push)' : ''}` })),
  });
  return [group('health', 'Service health'), group('financial', 'Financial and entity')].filter((g) => g.items.length > 0);
}

/**
 * Add (or edit) a signal source: plugin, optional service, name, schedule and the plugin's
 * settings rendered from its JSON Schema. "Test" runs the plugin once and shows what would be
 * ingested without storing anything. Test ids use `source-` (add) or `source-edit-` (edit).
 */
export function SourceForm({
  vendor,
  plugins,
  source,
  onDone,
  onCancel,
}: {
  vendor: VendorDetail;
  plugins: PluginInfo[];
  source?: SignalSourceView;
  onDone?: (source: SignalSourceView) => void;
  onCancel?: () => void;
}) {
  const editing = !!source;
  const prefix = editing ? 'source-edit' : 'source';
  const [pluginId, setPluginId] = useState(source?.plugin ?? '');
  const plugin = plugins.find((p) => p.id === pluginId);
  const fields = useMemo(() => (plugin ? configFields(plugin) : []), [plugin]);
  const [serviceId, setServiceId] = useState(source?.serviceId ?? '');
  const [name, setName] = useState(source?.name ?? '');
  const [minutes, setMinutes] = useState(source ? String(source.scheduleSeconds / 60) : '');
  const [enabled, setEnabled] = useState(source?.enabled ?? true);
  const [values, setValues] = useState<ConfigValues>(() => (plugin ? initialConfigValues(configFields(plugin), source?.config) : {}));
  const [secretActions, setSecretActions] = useState<Record<string, SecretAction>>({});
  const [serverError, setServerError] = useState<{ error: unknown; from: 'save' | 'test' } | null>(null);
  const [testOutcome, setTestOutcome] = useState<{ result?: TestSourceResult; error?: unknown } | null>(null);

  const create = useCreateSource();
  const update = useUpdateSource();
  const test = useTestSource();
  const saving = create.isPending || update.isPending;

  const { errors, clientErrors, setClientErrors } = useFieldErrors(serverError?.error);
  const secretsSet = source?.secretsSet ?? [];
  const keptSecrets = fields.filter((f) => f.secret && secretsSet.includes(f.key) && (secretActions[f.key] ?? 'keep') !== 'replace');
  const isPush = plugin?.push ?? false;

  const reset = () => {
    setPluginId('');
    setServiceId('');
    setName('');
    setMinutes('');
    setEnabled(true);
    setValues({});
    setSecretActions({});
    setClientErrors({});
    setServerError(null);
    setTestOutcome(null);
  };

  const choosePlugin = (id: string) => {
    const next = plugins.find((p) => p.id === id);
    setPluginId(id);
    setValues(next ? initialConfigValues(configFields(next)) : {});
    setMinutes(defaultMinutes(next));
    setClientErrors({});
    setServerError(null);
    setTestOutcome(null);
    test.reset();
  };

  const setValue = (key: string, value: ConfigValue) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (clientErrors[`config.${key}`]) setClientErrors(({ [`config.${key}`]: _gone, ...rest }) => rest);
  };

  const setSecretAction = (key: string, action: SecretAction) => {
    setSecretActions((a) => ({ ...a, [key]: action }));
    if (action !== 'replace') setValues((v) => ({ ...v, [key]: '' }));
  };

  const runTest = () => {
    const errs: FieldErrors = {};
    if (!plugin) errs['plugin'] = 'Choose a plugin';
    const built = buildConfig(fields, values, { mode: 'create' });
    Object.assign(errs, built.errors);
    const v = validate(testSourceSchema, { plugin: pluginId, config: built.config });
    if (!v.ok) Object.assign(errs, v.errors);
    setClientErrors(errs);
    setServerError(null);
    if (Object.keys(errs).length) return;
    setTestOutcome(null);
    test.mutate(
      { plugin: pluginId, config: built.config },
      {
        onSuccess: (result) => setTestOutcome({ result }),
        onError: (e) => {
          if (isApiError(e) && e.fields.length) setServerError({ error: e, from: 'test' });
          setTestOutcome({ error: e });
        },
      },
    );
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: FieldErrors = {};
    if (!plugin) errs['plugin'] = 'Choose a plugin';
    const schedule = isPush ? {} : scheduleSeconds(minutes);
    if (schedule.error) errs['scheduleSeconds'] = schedule.error;
    const built = buildConfig(fields, values, editing ? { mode: 'edit', secretsSet, secretActions } : { mode: 'create' });
    Object.assign(errs, built.errors);

    if (editing) {
      const body: SourceUpdate = {
        name: name.trim() || undefined,
        serviceId: serviceId || null,
        config: built.config,
        ...(schedule.seconds !== undefined ? { scheduleSeconds: schedule.seconds } : {}),
        enabled,
      };
      const v = validate(updateSourceSchema, body);
      if (!v.ok) Object.assign(errs, v.errors);
      setClientErrors(errs);
      if (Object.keys(errs).length) return;
      setServerError(null);
      update.mutate(
        { id: source.id, body },
        {
          onSuccess: (s) => {
            notifySuccess(`${s.name} was saved.`, 'Signal source saved');
            onDone?.(s);
          },
          onError: (err) => setServerError({ error: err, from: 'save' }),
        },
      );
      return;
    }

    const body: SourceCreate = {
      vendorId: vendor.id,
      serviceId: serviceId || null,
      plugin: pluginId,
      name: name.trim() || undefined,
      config: built.config,
      ...(schedule.seconds !== undefined ? { scheduleSeconds: schedule.seconds } : {}),
      enabled,
    };
    const v = validate(createSourceSchema, body);
    if (!v.ok) Object.assign(errs, v.errors);
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    setServerError(null);
    create.mutate(body, {
      onSuccess: (s) => {
        reset();
        create.reset();
        notifySuccess(
          s.webhookUrl
            ? `${s.name} was added. Send its data to the webhook URL shown in the sources table.`
            : `${s.name} was added; the first poll is queued.`,
          'Signal source added',
        );
        onDone?.(s);
      },
      onError: (err) => setServerError({ error: err, from: 'save' }),
    });
  };

  const hasClient = Object.keys(clientErrors).length > 0;
  const shownFields = ['plugin', 'serviceId', 'name', 'scheduleSeconds', 'enabled', ...fields.map((f) => `config.${f.key}`)];

  return (
    <form onSubmit={submit} noValidate data-testid={`${prefix}-form`}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {editing ? (
            <TextInput label="Plugin" value={plugin?.displayName ?? source.pluginName} readOnly disabled data-testid={`${prefix}-plugin`} />
          ) : (
            <NativeSelect
              label="Plugin"
              required
              data={[{ value: '', label: 'Choose a plugin…', disabled: true }, ...pluginOptions(plugins)]}
              value={pluginId}
              onChange={(e) => choosePlugin(e.currentTarget.value)}
              error={pickError(errors, 'plugin')}
              data-testid={`${prefix}-plugin`}
            />
          )}
          <NativeSelect
            label="Service"
            description="Optional: the service of this vendor the signals belong to"
            data={[
              { value: '', label: 'Whole vendor (no specific service)' },
              ...vendor.services.map((s) => ({ value: s.id, label: s.name })),
            ]}
            value={serviceId}
            onChange={(e) => setServiceId(e.currentTarget.value)}
            error={pickError(errors, 'serviceId')}
            data-testid={`${prefix}-service`}
          />
        </SimpleGrid>
        {plugin && (
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Badge variant="light" color={plugin.kind === 'financial' ? 'teal' : 'blue'} style={{ flexShrink: 0 }}>
              {plugin.kind === 'financial' ? 'Financial' : 'Health'}
            </Badge>
            {plugin.push && (
              <Badge variant="light" color="grape" style={{ flexShrink: 0 }}>
                Push
              </Badge>
            )}
            <Text size="sm" c="dimmed" data-testid={`${prefix}-plugin-description`}>
              {plugin.description}
              {plugin.push && ' Data is pushed to a signed webhook or uploaded as CSV; this source is never polled.'}
            </Text>
          </Group>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Name"
            placeholder={plugin ? `${vendor.name} — ${plugin.displayName}` : 'Defaults to vendor — plugin'}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={pickError(errors, 'name')}
            data-testid={`${prefix}-name`}
          />
          {!isPush && (
            <NumberInput
              label="Poll every (minutes)"
              description={plugin ? `Default for this plugin: ${formatSchedule(plugin.defaultScheduleSeconds)}` : undefined}
              min={1}
              max={MAX_SCHEDULE_MINUTES}
              allowNegative={false}
              clampBehavior="none"
              value={minutes}
              onChange={(v) => setMinutes(String(v))}
              error={pickError(errors, 'scheduleSeconds')}
              data-testid={`${prefix}-schedule`}
            />
          )}
        </SimpleGrid>
        <Checkbox
          label={isPush ? 'Enabled (accept pushed data)' : 'Enabled (poll on the schedule)'}
          checked={enabled}
          onChange={(e) => setEnabled(e.currentTarget.checked)}
          data-testid={`${prefix}-enabled`}
        />
        {plugin && (
          <Fieldset legend={`${plugin.displayName} settings`} variant="filled" data-testid={`${prefix}-settings`}>
            <ConfigFields
              fields={fields}
              values={values}
              onChange={setValue}
              errors={errors}
              prefix={`${prefix}-config`}
              secretsSet={secretsSet}
              secretActions={secretActions}
              onSecretAction={setSecretAction}
            />
          </Fieldset>
        )}
        {testOutcome && (
          <TestResultView
            result={testOutcome.result}
            error={testOutcome.error}
            testId={`${prefix}-test-result`}
            rowTestId={`${prefix}-test-signal`}
          />
        )}
        <FormErrorAlert
          clientErrors={hasClient ? clientErrors : undefined}
          error={hasClient || serverError?.from !== 'save' ? undefined : serverError.error}
          shownFields={shownFields}
        />
        {keptSecrets.length > 0 && (
          <Text size="xs" c="dimmed">
            Testing needs every secret in the form: replace {keptSecrets.map((f) => f.label).join(', ')} to test with a new value.
          </Text>
        )}
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button
            variant="light"
            onClick={runTest}
            loading={test.isPending}
            disabled={!plugin || keptSecrets.length > 0 || saving}
            data-testid={`${prefix}-test`}
          >
            Test
          </Button>
          <Button type="submit" loading={saving} disabled={test.isPending} data-testid={`${prefix}-submit`}>
            {editing ? 'Save source' : 'Add source'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
