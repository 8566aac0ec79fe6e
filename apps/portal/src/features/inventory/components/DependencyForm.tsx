import { Fieldset, NativeSelect, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';

import { createDependencySchema, CRITICALITIES, type ServiceView } from '@bulwark/api-schema';

import { FormErrorAlert } from '../../../shared/components/feedback';
import { FormActions } from '../../../shared/components/FormActions';
import { blankToNull, enumOptions, formatMinutes, humanize } from '../../../shared/lib/format';
import { fieldBinder, pickError, useFieldErrors, validateBody, type FieldErrors } from '../../../shared/lib/forms';
import { useAllServices } from '../api/services';
import type { DependencyCreate } from '../api/systems';

const PORTABILITY = ['full', 'partial', 'none', 'unknown'] as const;

function groupedServiceOptions(services: ServiceView[], exclude?: string) {
  const byVendor = new Map<string, ServiceView[]>();
  for (const s of services) if (s.id !== exclude) byVendor.set(s.vendorName, [...(byVendor.get(s.vendorName) ?? []), s]);
  return [...byVendor.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, items]) => ({
      group,
      items: items
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((s) => ({ value: s.id, label: `${s.name} — ${s.vendorName} (${humanize(s.kind)})` })),
    }));
}

/** Records that an internal system depends on a vendor service, with its fallback and contingency plan. */
export function DependencyForm({
  systemId,
  pending,
  error,
  onSubmit,
}: {
  systemId: string;
  pending: boolean;
  error: unknown;
  onSubmit: (body: DependencyCreate, reset: () => void) => void;
}) {
  const services = useAllServices();
  const [serviceId, setServiceId] = useState('');
  const [criticality, setCriticality] = useState('');
  const [alternativeServiceId, setAlternative] = useState('');
  const [steps, setSteps] = useState('');
  const [switchMinutes, setSwitchMinutes] = useState('');
  const [dataPortability, setPortability] = useState('unknown');
  const [notes, setNotes] = useState('');
  const { errors, clientErrors, setClientErrors } = useFieldErrors(error);
  const field = fieldBinder(errors);

  const reset = () => {
    setServiceId('');
    setCriticality('');
    setAlternative('');
    setSteps('');
    setSwitchMinutes('');
    setPortability('unknown');
    setNotes('');
    setClientErrors({});
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const stepList = steps
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    const hasPlan = stepList.length > 0 || switchMinutes.trim() !== '' || dataPortability !== 'unknown';
    const body = {
      systemId,
      serviceId: serviceId || undefined,
      criticality: criticality || undefined,
      alternativeServiceId: alternativeServiceId || null,
      contingencyPlan: hasPlan
        ? {
            steps: stepList,
            expectedSwitchMinutes: switchMinutes.trim() === '' ? null : Number(switchMinutes),
            dataPortability,
          }
        : null,
      notes: blankToNull(notes),
    };
    const v = validateBody(createDependencySchema, body);
    const errs: FieldErrors = v.ok ? {} : { ...v.errors };
    if (serviceId && alternativeServiceId && serviceId === alternativeServiceId)
      errs['alternativeServiceId'] = 'The alternative must be a different service';
    setClientErrors(errs);
    if (v.ok && !Object.keys(errs).length) onSubmit(v.body, reset);
  };

  const all = services.data ?? [];
  const placeholder = services.isPending
    ? 'Loading services…'
    : all.length
      ? 'Choose a service…'
      : 'No services yet: add them on a vendor page';
  const switchN = switchMinutes.trim() === '' ? null : Number(switchMinutes);

  return (
    <form onSubmit={submit} noValidate data-testid="dependency-form">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label="Service"
            description="The vendor service this system relies on"
            required
            disabled={services.isPending}
            data={[{ value: '', label: placeholder, disabled: true }, ...groupedServiceOptions(all)]}
            value={serviceId}
            onChange={(e) => setServiceId(e.currentTarget.value)}
            error={pickError(errors, 'serviceId') ?? (services.isError ? 'Could not load services' : undefined)}
            data-testid="dependency-service"
          />
          <NativeSelect
            label="Criticality"
            description="How badly the system is hurt if the service fails"
            required
            data={[{ value: '', label: 'Choose…', disabled: true }, ...enumOptions(CRITICALITIES)]}
            {...field('criticality', criticality, setCriticality, 'dependency-criticality')}
          />
          <NativeSelect
            label="Alternative service"
            description="A fallback you could switch to"
            data={[{ value: '', label: 'None' }, ...groupedServiceOptions(all, serviceId)]}
            {...field('alternativeServiceId', alternativeServiceId, setAlternative, 'dependency-alternative')}
          />
        </SimpleGrid>
        <Fieldset legend="Contingency plan" variant="filled">
          <Stack gap="sm">
            <Textarea
              label="Steps"
              description="One step per line"
              autosize
              minRows={3}
              {...field('contingencyPlan.steps', steps, setSteps, 'dependency-steps')}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="Expected switch time (minutes)"
                description={
                  switchN !== null && Number.isInteger(switchN) && switchN >= 0
                    ? `= ${formatMinutes(switchN)}`
                    : 'How long switching over takes'
                }
                type="number"
                min={0}
                inputMode="numeric"
                {...field('contingencyPlan.expectedSwitchMinutes', switchMinutes, setSwitchMinutes, 'dependency-switch-minutes')}
              />
              <NativeSelect
                label="Data portability"
                data={enumOptions(PORTABILITY)}
                {...field('contingencyPlan.dataPortability', dataPortability, setPortability, 'dependency-portability')}
              />
            </SimpleGrid>
          </Stack>
        </Fieldset>
        <Textarea label="Notes" autosize minRows={2} {...field('notes', notes, setNotes, 'dependency-notes')} />
        <FormErrorAlert
          clientErrors={clientErrors}
          error={error}
          shownFields={['serviceId', 'criticality', 'alternativeServiceId', 'contingencyPlan', 'notes']}
        />
        <FormActions submitLabel="Add dependency" pending={pending} submitTestId="dependency-submit" />
      </Stack>
    </form>
  );
}
