import { Checkbox, Fieldset, NativeSelect, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';

import {
  createVendorSchema,
  CRITICALITIES,
  DATA_SENSITIVITIES,
  FINANCIAL_HEALTH,
  LIFECYCLES,
  SUBSTITUTABILITIES,
  updateVendorSchema,
  type VendorDetail,
} from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { FormErrorAlert } from '../../../shared/components/feedback';
import { FormActions } from '../../../shared/components/FormActions';
import { blankToNull, enumOptions, humanize } from '../../../shared/lib/format';
import { pickError, useFieldErrors, validateBody } from '../../../shared/lib/forms';
import { useUsers } from '../../identity/api/users';
import { isInternal } from '../../identity/lib/permissions';
import type { VendorCreate, VendorUpdate } from '../api/vendors';

interface Values {
  name: string;
  legalName: string;
  website: string;
  country: string;
  description: string;
  sharedSummary: string;
  lifecycle: string;
  ownerId: string;
  lei: string;
  cik: string;
  companyNumber: string;
  duns: string;
  servedCriticality: string;
  dataSensitivity: string;
  aiModelProvider: boolean;
  substitutability: string;
  financialHealth: string;
}

function initialValues(v: VendorDetail | undefined, defaultOwner: string): Values {
  return {
    name: v?.name ?? '',
    legalName: v?.legalName ?? '',
    website: v?.website ?? '',
    country: v?.country ?? '',
    description: v?.description ?? '',
    sharedSummary: v?.sharedSummary ?? '',
    lifecycle: v?.lifecycle ?? 'prospect',
    ownerId: v ? (v.ownerId ?? '') : defaultOwner,
    lei: v?.identifiers.lei ?? '',
    cik: v?.identifiers.cik ?? '',
    companyNumber: v?.identifiers.companyNumber ?? '',
    duns: v?.identifiers.duns ?? '',
    servedCriticality: v?.intake.servedCriticality ?? '',
    dataSensitivity: v?.intake.dataSensitivity ?? '',
    aiModelProvider: v?.intake.aiModelProvider ?? false,
    substitutability: v?.intake.substitutability ?? '',
    financialHealth: v?.intake.financialHealth ?? 'unknown',
  };
}

const FIELDS = ['name', 'legalName', 'website', 'country', 'description', 'sharedSummary', 'lifecycle', 'ownerId', 'identifiers', 'intake'];

function selectData(values: readonly string[], placeholder?: string) {
  return [...(placeholder ? [{ value: '', label: placeholder, disabled: true }] : []), ...enumOptions(values)];
}

/** Create and edit form for a vendor, including identifiers and the tier intake questions. */
export function VendorForm(
  props: (
    { vendor?: undefined; onSubmit: (body: VendorCreate) => void } | { vendor: VendorDetail; onSubmit: (body: VendorUpdate) => void }
  ) & {
    submitLabel: string;
    pending: boolean;
    error: unknown;
    onCancel?: () => void;
  },
) {
  const { vendor, submitLabel, pending, error, onCancel } = props;
  const me = useCurrentUser();
  const users = useUsers();
  const [values, setValues] = useState<Values>(() => initialValues(vendor, me.id));
  const { errors, clientErrors, check } = useFieldErrors(error);
  const set = <K extends keyof Values>(k: K, v: Values[K]) => setValues((s) => ({ ...s, [k]: v }));

  const ownerOptions = [
    { value: '', label: 'No owner' },
    ...(users.data ?? []).filter((u) => isInternal(u.role)).map((u) => ({ value: u.id, label: `${u.name} (${humanize(u.role)})` })),
  ];
  if (values.ownerId && !ownerOptions.some((o) => o.value === values.ownerId)) {
    ownerOptions.push({ value: values.ownerId, label: vendor?.ownerName ?? (values.ownerId === me.id ? me.name : 'Current owner') });
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name: values.name.trim(),
      legalName: blankToNull(values.legalName),
      website: blankToNull(values.website),
      country: blankToNull(values.country.toUpperCase()),
      description: blankToNull(values.description),
      sharedSummary: blankToNull(values.sharedSummary),
      ownerId: blankToNull(values.ownerId),
      identifiers: {
        lei: blankToNull(values.lei.toUpperCase()),
        cik: blankToNull(values.cik),
        companyNumber: blankToNull(values.companyNumber.toUpperCase()),
        duns: blankToNull(values.duns),
      },
      intake: {
        servedCriticality: values.servedCriticality || undefined,
        dataSensitivity: values.dataSensitivity || undefined,
        aiModelProvider: values.aiModelProvider,
        substitutability: values.substitutability || undefined,
        financialHealth: values.financialHealth || 'unknown',
      },
    };
    if (props.vendor) {
      const v = validateBody(updateVendorSchema, { ...body, version: props.vendor.version });
      if (check(v)) props.onSubmit(v.body);
    } else {
      const v = validateBody(createVendorSchema, { ...body, lifecycle: values.lifecycle });
      if (check(v)) props.onSubmit(v.body);
    }
  };

  const err = (path: string) => pickError(errors, path);
  const hasClientErrors = Object.keys(clientErrors).length > 0;

  return (
    <form onSubmit={submit} noValidate data-testid="vendor-form">
      <Stack gap="lg">
        <Fieldset legend="Company">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Name"
              required
              value={values.name}
              onChange={(e) => set('name', e.currentTarget.value)}
              error={err('name')}
              data-testid="vendor-name"
              autoFocus
            />
            <TextInput
              label="Legal name"
              value={values.legalName}
              onChange={(e) => set('legalName', e.currentTarget.value)}
              error={err('legalName')}
              data-testid="vendor-legal-name"
            />
            <TextInput
              label="Website"
              type="url"
              placeholder="https://example.com"
              value={values.website}
              onChange={(e) => set('website', e.currentTarget.value)}
              error={err('website')}
              data-testid="vendor-website"
            />
            <TextInput
              label="Country"
              description="ISO 3166-1 alpha-2 code, e.g. US, DE"
              maxLength={2}
              value={values.country}
              onChange={(e) => set('country', e.currentTarget.value.toUpperCase())}
              error={err('country')}
              data-testid="vendor-country"
            />
            {!vendor && (
              <NativeSelect
                label="Lifecycle"
                data={enumOptions(LIFECYCLES)}
                value={values.lifecycle}
                onChange={(e) => set('lifecycle', e.currentTarget.value)}
                error={err('lifecycle')}
                data-testid="vendor-lifecycle"
              />
            )}
            <NativeSelect
              label="Owner"
              description="The internal person accountable for this vendor"
              data={ownerOptions}
              value={values.ownerId}
              onChange={(e) => set('ownerId', e.currentTarget.value)}
              error={err('ownerId') ?? (users.isError ? 'Could not load users' : undefined)}
              data-testid="vendor-owner"
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="sm">
            <Textarea
              label="Internal notes"
              description="Only your organization sees these; never shown to the vendor"
              autosize
              minRows={2}
              maxRows={8}
              value={values.description}
              onChange={(e) => set('description', e.currentTarget.value)}
              error={err('description')}
              data-testid="vendor-description"
            />
            <Textarea
              label="Shown to the vendor"
              description="The vendor's contacts see this on their home page"
              autosize
              minRows={2}
              maxRows={8}
              maxLength={2000}
              value={values.sharedSummary}
              onChange={(e) => set('sharedSummary', e.currentTarget.value)}
              error={err('sharedSummary')}
              data-testid="vendor-shared-summary"
            />
          </SimpleGrid>
        </Fieldset>

        <Fieldset legend="Identifiers">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="LEI"
              description="20 characters"
              maxLength={20}
              value={values.lei}
              onChange={(e) => set('lei', e.currentTarget.value.toUpperCase())}
              error={err('identifiers.lei')}
              data-testid="vendor-lei"
            />
            <TextInput
              label="CIK"
              description="SEC Central Index Key, up to 10 digits"
              inputMode="numeric"
              maxLength={10}
              value={values.cik}
              onChange={(e) => set('cik', e.currentTarget.value)}
              error={err('identifiers.cik')}
              data-testid="vendor-cik"
            />
            <TextInput
              label="Company number"
              description="UK Companies House, 8 characters"
              maxLength={8}
              value={values.companyNumber}
              onChange={(e) => set('companyNumber', e.currentTarget.value.toUpperCase())}
              error={err('identifiers.companyNumber')}
              data-testid="vendor-company-number"
            />
            <TextInput
              label="DUNS"
              description="9 digits"
              inputMode="numeric"
              maxLength={9}
              value={values.duns}
              onChange={(e) => set('duns', e.currentTarget.value)}
              error={err('identifiers.duns')}
              data-testid="vendor-duns"
            />
          </SimpleGrid>
        </Fieldset>

        <Fieldset legend="Tier intake">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              label="Criticality of what the vendor serves"
              required
              data={selectData(CRITICALITIES, 'Choose…')}
              value={values.servedCriticality}
              onChange={(e) => set('servedCriticality', e.currentTarget.value)}
              error={err('intake.servedCriticality')}
              data-testid="intake-served-criticality"
            />
            <NativeSelect
              label="Most sensitive data shared"
              required
              data={selectData(DATA_SENSITIVITIES, 'Choose…')}
              value={values.dataSensitivity}
              onChange={(e) => set('dataSensitivity', e.currentTarget.value)}
              error={err('intake.dataSensitivity')}
              data-testid="intake-data-sensitivity"
            />
            <NativeSelect
              label="Substitutability"
              description="How hard is it to replace this vendor?"
              required
              data={selectData(SUBSTITUTABILITIES, 'Choose…')}
              value={values.substitutability}
              onChange={(e) => set('substitutability', e.currentTarget.value)}
              error={err('intake.substitutability')}
              data-testid="intake-substitutability"
            />
            <NativeSelect
              label="Financial health"
              data={selectData(FINANCIAL_HEALTH)}
              value={values.financialHealth}
              onChange={(e) => set('financialHealth', e.currentTarget.value)}
              error={err('intake.financialHealth')}
              data-testid="intake-financial-health"
            />
          </SimpleGrid>
          <Checkbox
            mt="md"
            label="AI model provider (the vendor supplies AI models or model APIs)"
            checked={values.aiModelProvider}
            onChange={(e) => set('aiModelProvider', e.currentTarget.checked)}
            error={err('intake.aiModelProvider')}
            data-testid="intake-ai-model-provider"
          />
        </Fieldset>

        <FormErrorAlert
          clientErrors={hasClientErrors ? clientErrors : undefined}
          error={hasClientErrors ? undefined : error}
          shownFields={FIELDS}
        />

        <FormActions submitLabel={submitLabel} pending={pending} submitTestId="vendor-submit" onCancel={onCancel} />
      </Stack>
    </form>
  );
}
