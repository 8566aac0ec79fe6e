import { ActionIcon, Button, Fieldset, Group, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';

import { createServiceSchema, SERVICE_KINDS, updateServiceSchema, type ServiceView } from '@bulwark/api-schema';

import { FormErrorAlert } from '../../../shared/components/feedback';
import { FormActions } from '../../../shared/components/FormActions';
import { blankToNull, enumOptions } from '../../../shared/lib/format';
import { pickError, useFieldErrors, validateBody } from '../../../shared/lib/forms';
import type { ServiceCreate, ServiceUpdate } from '../api/services';

interface ModelRow {
  key: number;
  model: string;
  version: string;
  deprecationDate: string;
}

let nextKey = 1;
const emptyRow = (): ModelRow => ({ key: nextKey++, model: '', version: '', deprecationDate: '' });

/** Create or edit a service: kind, regions and the AI models (with versions and deprecation dates) it exposes. */
export function ServiceForm(
  props: (
    | { service?: undefined; onSubmit: (body: ServiceCreate, reset: () => void) => void }
    | { service: ServiceView; onSubmit: (body: ServiceUpdate, reset: () => void) => void }
  ) & {
    vendorId: string;
    submitLabel: string;
    pending: boolean;
    error: unknown;
    onCancel?: () => void;
  },
) {
  const { vendorId, service, submitLabel, pending, error, onCancel } = props;
  const [name, setName] = useState(service?.name ?? '');
  const [kind, setKind] = useState<string>(service?.kind ?? '');
  const [regions, setRegions] = useState(service?.regions.join(', ') ?? '');
  const [description, setDescription] = useState(service?.description ?? '');
  const [models, setModels] = useState<ModelRow[]>(
    service?.models.map((m) => ({ key: nextKey++, model: m.model, version: m.version, deprecationDate: m.deprecationDate ?? '' })) ?? [],
  );
  const { errors, clientErrors, setClientErrors, check } = useFieldErrors(error);
  const prefix = service ? 'svc-edit' : 'service';

  const reset = () => {
    setName('');
    setKind('');
    setRegions('');
    setDescription('');
    setModels([]);
    setClientErrors({});
  };

  const setModel = (key: number, patch: Partial<ModelRow>) =>
    setModels((rows) => rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name: name.trim(),
      kind: kind || undefined,
      description: blankToNull(description),
      regions: regions
        .split(/[,;\s]+/)
        .map((r) => r.trim())
        .filter(Boolean),
      models: models
        .filter((m) => m.model.trim() || m.version.trim() || m.deprecationDate)
        .map((m) => ({ model: m.model.trim(), version: m.version.trim(), deprecationDate: m.deprecationDate || null })),
    };
    if (props.service) {
      const v = validateBody(updateServiceSchema, body);
      if (check(v)) props.onSubmit(v.body, reset);
    } else {
      const v = validateBody(createServiceSchema, { ...body, vendorId });
      if (check(v)) props.onSubmit(v.body, reset);
    }
  };

  return (
    <form onSubmit={submit} noValidate data-testid={service ? 'service-edit-form' : 'service-form'}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Service name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={pickError(errors, 'name')}
            data-testid={`${prefix}-name`}
          />
          <NativeSelect
            label="Kind"
            required
            data={[{ value: '', label: 'Choose a kind…', disabled: true }, ...enumOptions(SERVICE_KINDS)]}
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value)}
            error={pickError(errors, 'kind')}
            data-testid={`${prefix}-kind`}
          />
        </SimpleGrid>
        <TextInput
          label="Regions"
          description="Comma-separated region codes, e.g. eu-west-1, us-east-1"
          value={regions}
          onChange={(e) => setRegions(e.currentTarget.value)}
          error={pickError(errors, 'regions')}
          data-testid={`${prefix}-regions`}
        />
        <Textarea
          label="Internal notes"
          description="Only your organization sees these; never shown to the vendor"
          autosize
          minRows={2}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={pickError(errors, 'description')}
          data-testid={`${prefix}-description`}
        />
        <Fieldset legend="AI models" variant="filled">
          <Stack gap="xs">
            {models.length === 0 && (
              <Text size="sm" c="dimmed">
                No models. Add the AI models this service exposes so deprecations can be tracked.
              </Text>
            )}
            {models.map((m, i) => (
              <Group key={m.key} align="flex-start" gap="xs" wrap="nowrap" data-testid={`${prefix}-model-row`}>
                <TextInput
                  label="Model"
                  placeholder="gpt-4o"
                  value={m.model}
                  onChange={(e) => setModel(m.key, { model: e.currentTarget.value })}
                  error={pickError(errors, `models.${i}.model`)}
                  data-testid={`${prefix}-model-name`}
                  style={{ flex: 2 }}
                />
                <TextInput
                  label="Version"
                  placeholder="2024-08-06"
                  value={m.version}
                  onChange={(e) => setModel(m.key, { version: e.currentTarget.value })}
                  error={pickError(errors, `models.${i}.version`)}
                  data-testid={`${prefix}-model-version`}
                  style={{ flex: 1 }}
                />
                <TextInput
                  label="Deprecation date"
                  type="date"
                  value={m.deprecationDate}
                  onChange={(e) => setModel(m.key, { deprecationDate: e.currentTarget.value })}
                  error={pickError(errors, `models.${i}.deprecationDate`)}
                  data-testid={`${prefix}-model-deprecation`}
                  style={{ flex: 1 }}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  mt={26}
                  aria-label={`Remove model ${m.model || i + 1}`}
                  onClick={() => setModels((rows) => rows.filter((r) => r.key !== m.key))}
                >
                  ✕
                </ActionIcon>
              </Group>
            ))}
            <Group>
              <Button
                variant="subtle"
                size="xs"
                onClick={() => setModels((rows) => [...rows, emptyRow()])}
                data-testid={`${prefix}-add-model`}
              >
                + Add model
              </Button>
            </Group>
          </Stack>
        </Fieldset>
        <FormErrorAlert clientErrors={clientErrors} error={error} shownFields={['name', 'kind', 'regions', 'description', 'models']} />
        <FormActions submitLabel={submitLabel} pending={pending} submitTestId={`${prefix}-submit`} onCancel={onCancel} />
      </Stack>
    </form>
  );
}
