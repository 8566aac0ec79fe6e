import { Fieldset, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';

import { createSlaSchema, newSlaVersionSchema, type SlaVersionView } from '@bulwark/api-schema';

import { isApiError } from '../../../shared/api/client';
import { FormErrorAlert } from '../../../shared/components/feedback';
import { FormActions } from '../../../shared/components/FormActions';
import { apiFieldErrors, fieldBinder, pickError, validateBody, type FieldErrors } from '../../../shared/lib/forms';
import { ServiceMultiSelect, type ServiceOption } from '../../agreements/components/ServiceMultiSelect';
import { splitList, today } from '../../agreements/lib/agreements';
import type { SlaCreate, SlaVersionCreate } from '../api/slas';
import { draftToTerms, termsToDraft, type TermsDraft } from '../lib/terms';
import { TermsFields } from './TermsFields';

const SHOWN_FIELDS = ['name', 'effectiveFrom', 'terms', 'scope'];

/**
 * New SLA (`sla-form`, with a name, on a contract) or new version of an SLA's terms
 * (`sla-version-form`, prefilled with the current terms). Field ids are the same in both.
 * The negotiation dialogs reuse it with their own form / submit test ids.
 */
export function SlaForm(
  props: (
    | {
        /** Set for a new SLA; absent for a new version. */
        contractId: string;
        onSubmit: (body: SlaCreate) => void;
      }
    | { contractId?: undefined; onSubmit: (body: SlaVersionCreate) => void }
  ) &
    SlaFormOptions,
) {
  const {
    contractId,
    initial,
    services,
    defaultServiceIds = [],
    submitLabel,
    pending,
    error,
    onCancel,
    defaultEffectiveFrom,
    formTestId,
    submitTestId = 'sla-submit',
  } = props;
  const isVersion = !contractId;
  const [name, setName] = useState('');
  const [effectiveFrom, setEffectiveFrom] = useState(defaultEffectiveFrom ?? (isVersion ? '' : today()));
  const [draft, setDraft] = useState<TermsDraft>(() => termsToDraft(initial?.terms));
  const [serviceIds, setServiceIds] = useState<string[]>(initial?.scope.serviceIds ?? defaultServiceIds);
  const [components, setComponents] = useState(initial?.scope.components.join(', ') ?? '');
  const [regions, setRegions] = useState(initial?.scope.regions.join(', ') ?? '');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const apiErrors = apiFieldErrors(error);
  // The API answers 409 when the new version does not start after the current one.
  if (isApiError(error) && error.status === 409 && !error.code.startsWith('negotiation.') && !apiErrors['effectiveFrom'])
    apiErrors['effectiveFrom'] = error.message;
  const errors = { ...apiErrors, ...clientErrors };
  const field = fieldBinder(errors);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const terms = draftToTerms(draft);
    const scope = { serviceIds, components: splitList(components), regions: splitList(regions) };
    if (props.contractId === undefined) {
      const v = validateBody(newSlaVersionSchema, { effectiveFrom: effectiveFrom || undefined, terms, scope });
      const errs: FieldErrors = v.ok ? {} : { ...v.errors };
      if (initial && effectiveFrom && effectiveFrom <= initial.effectiveFrom && !errs['effectiveFrom']) {
        errs['effectiveFrom'] = `Must be after ${initial.effectiveFrom} (the current version's start)`;
      }
      setClientErrors(errs);
      if (v.ok && !Object.keys(errs).length) props.onSubmit(v.body);
    } else {
      const v = validateBody(createSlaSchema, {
        contractId: props.contractId,
        name: name.trim(),
        effectiveFrom: effectiveFrom || undefined,
        terms,
        scope,
      });
      setClientErrors(v.ok ? {} : { ...v.errors });
      if (v.ok) props.onSubmit(v.body);
    }
  };

  return (
    <form onSubmit={submit} noValidate data-testid={formTestId ?? (isVersion ? 'sla-version-form' : 'sla-form')}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {!isVersion && <TextInput label="Name" required {...field('name', name, setName, 'sla-name')} autoFocus />}
          <TextInput
            label="Effective from"
            type="date"
            required
            description={isVersion && initial ? `Must be after ${initial.effectiveFrom}` : undefined}
            {...field('effectiveFrom', effectiveFrom, setEffectiveFrom, 'sla-effective-from')}
          />
        </SimpleGrid>

        <TermsFields draft={draft} onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))} errors={errors} />

        <Fieldset legend="Scope" variant="filled">
          <Stack gap="sm">
            <ServiceMultiSelect
              label="Services"
              description="Whose signals count towards availability. Ctrl/⌘-click to choose several"
              required
              services={services}
              value={serviceIds}
              onChange={setServiceIds}
              error={pickError(errors, 'scope.serviceIds')}
              placeholder="This vendor has no services"
              testId="sla-services"
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="Components"
                description="Comma-separated; empty = all components"
                {...field('scope.components', components, setComponents, 'sla-components')}
              />
              <TextInput
                label="Regions"
                description="Comma-separated; empty = all regions"
                {...field('scope.regions', regions, setRegions, 'sla-regions')}
              />
            </SimpleGrid>
          </Stack>
        </Fieldset>

        <FormErrorAlert clientErrors={clientErrors} error={error} shownFields={SHOWN_FIELDS} />
        <FormActions submitLabel={submitLabel} pending={pending} submitTestId={submitTestId} onCancel={onCancel} />
      </Stack>
    </form>
  );
}

interface SlaFormOptions {
  initial?: SlaVersionView;
  services: ServiceOption[];
  defaultServiceIds?: string[];
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onCancel?: () => void;
  /** Prefill for "Effective from" (a new SLA defaults to today, a new version to empty). */
  defaultEffectiveFrom?: string;
  formTestId?: string;
  submitTestId?: string;
}
