import { Checkbox, NativeSelect, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';

import { createSystemSchema, CRITICALITIES, RISK_CLASSES, updateSystemSchema, type SystemView } from '@bulwark/api-schema';

import { FormErrorAlert } from '../../../shared/components/feedback';
import { FormActions } from '../../../shared/components/FormActions';
import { blankToNull, enumOptions, formatMinutes } from '../../../shared/lib/format';
import { fieldBinder, useFieldErrors, validateBody } from '../../../shared/lib/forms';
import type { SystemCreate, SystemUpdate } from '../api/systems';

function toInt(s: string): number | undefined {
  if (s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : NaN;
}

/** Create or edit an internal (AI) system with its risk class and recovery objectives. */
export function SystemForm(
  props: (
    { system?: undefined; onSubmit: (body: SystemCreate) => void } | { system: SystemView; onSubmit: (body: SystemUpdate) => void }
  ) & {
    submitLabel: string;
    pending: boolean;
    error: unknown;
    onCancel?: () => void;
  },
) {
  const { system, submitLabel, pending, error, onCancel } = props;
  const [name, setName] = useState(system?.name ?? '');
  const [description, setDescription] = useState(system?.description ?? '');
  const [ownerName, setOwnerName] = useState(system?.ownerName ?? '');
  const [riskClass, setRiskClass] = useState<string>(system?.riskClass ?? '');
  const [criticality, setCriticality] = useState<string>(system?.criticality ?? '');
  const [isAiSystem, setIsAi] = useState(system?.isAiSystem ?? true);
  const [rto, setRto] = useState(system ? String(system.requiredRtoMinutes) : '');
  const [rpo, setRpo] = useState(system ? String(system.requiredRpoMinutes) : '');
  const { errors, clientErrors, check } = useFieldErrors(error);
  const field = fieldBinder(errors);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name: name.trim(),
      description: blankToNull(description),
      ownerName: blankToNull(ownerName),
      riskClass: riskClass || undefined,
      criticality: criticality || undefined,
      isAiSystem,
      requiredRtoMinutes: toInt(rto),
      requiredRpoMinutes: toInt(rpo),
    };
    if (props.system) {
      const v = validateBody(updateSystemSchema, body);
      if (check(v)) props.onSubmit(v.body);
    } else {
      const v = validateBody(createSystemSchema, body);
      if (check(v)) props.onSubmit(v.body);
    }
  };

  const minutesHint = (s: string, fallback: string) => {
    const n = toInt(s);
    return n !== undefined && Number.isInteger(n) && n >= 0 ? `= ${formatMinutes(n)}` : fallback;
  };

  return (
    <form onSubmit={submit} noValidate data-testid={system ? 'system-edit-form' : 'system-form'}>
      <Stack gap="sm">
        <TextInput label="Name" required {...field('name', name, setName, 'system-name')} autoFocus />
        <Textarea label="Description" autosize minRows={2} {...field('description', description, setDescription, 'system-description')} />
        <TextInput
          label="Owner"
          description="Team or person accountable for the system"
          {...field('ownerName', ownerName, setOwnerName, 'system-owner')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label="Risk class"
            description="ISO/IEC 42001 impact-based class"
            required
            data={[{ value: '', label: 'Choose…', disabled: true }, ...enumOptions(RISK_CLASSES)]}
            {...field('riskClass', riskClass, setRiskClass, 'system-risk-class')}
          />
          <NativeSelect
            label="Criticality"
            description="Business impact if the system is down"
            required
            data={[{ value: '', label: 'Choose…', disabled: true }, ...enumOptions(CRITICALITIES)]}
            {...field('criticality', criticality, setCriticality, 'system-criticality')}
          />
          <TextInput
            label="Required RTO (minutes)"
            description={minutesHint(rto, 'Maximum tolerable downtime')}
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            required
            {...field('requiredRtoMinutes', rto, setRto, 'system-rto')}
          />
          <TextInput
            label="Required RPO (minutes)"
            description={minutesHint(rpo, 'Maximum tolerable data loss')}
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            required
            {...field('requiredRpoMinutes', rpo, setRpo, 'system-rpo')}
          />
        </SimpleGrid>
        <Checkbox
          label="This is an AI system"
          checked={isAiSystem}
          onChange={(e) => setIsAi(e.currentTarget.checked)}
          data-testid="system-is-ai"
        />
        <FormErrorAlert
          clientErrors={clientErrors}
          error={error}
          shownFields={['name', 'description', 'ownerName', 'riskClass', 'criticality', 'requiredRtoMinutes', 'requiredRpoMinutes']}
        />
        <FormActions submitLabel={submitLabel} pending={pending} submitTestId="system-submit" onCancel={onCancel} />
      </Stack>
    </form>
  );
}
