import { Checkbox, Fieldset, Group, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';

import { CONTRACT_STATUSES, createContractSchema, updateContractSchema, type ContractView } from '@bulwark/api-schema';

import { FormErrorAlert } from '../../../shared/components/feedback';
import { FormActions } from '../../../shared/components/FormActions';
import { blankToNull, enumOptions, humanize } from '../../../shared/lib/format';
import { fieldBinder, pickError, useFieldErrors, validateBody, type FieldErrors } from '../../../shared/lib/forms';
import { useServices } from '../../inventory/api/services';
import { useAllVendors } from '../../inventory/api/vendors';
import type { ContractCreate, ContractUpdate } from '../api/contracts';
import { numberText, toNumber } from '../lib/agreements';
import { ServiceMultiSelect } from './ServiceMultiSelect';

const AUDIT_MODES = ['remote', 'on_site', 'either'] as const;
const COST_BEARERS = ['customer', 'vendor', 'shared'] as const;

const SHOWN_FIELDS = [
  'vendorId',
  'title',
  'reference',
  'status',
  'effectiveDate',
  'expiryDate',
  'renewalNoticeDays',
  'annualValue',
  'currency',
  'serviceIds',
  'serviceFees',
  'clauses.rightToAudit',
  'clauses.breachNotificationHours',
  'clauses.dataIntegrity',
  'clauses.encryption',
  'clauses.accessControl',
  'clauses.exitAssistance',
];

/**
 * Create or edit a contract with its structured clauses. Create: `contract-form`; edit (dialog):
 * `contract-edit-form` with the same field ids (the vendor cannot change once created).
 */
export function ContractForm(
  props: (
    | { contract?: undefined; onSubmit: (body: ContractCreate) => void }
    | { contract: ContractView; onSubmit: (body: ContractUpdate) => void }
  ) & {
    defaultVendorId?: string;
    submitLabel: string;
    pending: boolean;
    error: unknown;
    onCancel?: () => void;
  },
) {
  const { contract, defaultVendorId, submitLabel, pending, error, onCancel } = props;
  const c = contract;
  const cl = c?.clauses;
  const vendors = useAllVendors(!c);
  const [vendorId, setVendorId] = useState(c?.vendorId ?? defaultVendorId ?? '');
  const [title, setTitle] = useState(c?.title ?? '');
  const [reference, setReference] = useState(c?.reference ?? '');
  const [status, setStatus] = useState<string>(c?.status ?? 'draft');
  const [effectiveDate, setEffectiveDate] = useState(c?.effectiveDate ?? '');
  const [expiryDate, setExpiryDate] = useState(c?.expiryDate ?? '');
  const [renewalNoticeDays, setRenewalNoticeDays] = useState(numberText(c?.renewalNoticeDays ?? 90));
  const [annualValue, setAnnualValue] = useState(numberText(c?.annualValue));
  const [currency, setCurrency] = useState(c?.currency ?? 'USD');
  const [serviceIds, setServiceIds] = useState<string[]>(c?.services.map((s) => s.id) ?? []);
  // The fee per year of each covered service: the credit base of the SLAs covering it.
  const [fees, setFees] = useState<Record<string, string>>(
    Object.fromEntries((c?.services ?? []).map((s) => [s.id, numberText(s.annualFee)])),
  );
  // Clauses
  const [rtaOn, setRtaOn] = useState(!!cl?.rightToAudit);
  const [rtaScope, setRtaScope] = useState(cl?.rightToAudit?.scope ?? '');
  const [rtaNotice, setRtaNotice] = useState(numberText(cl?.rightToAudit?.noticeDays ?? 30));
  const [rtaBasis, setRtaBasis] = useState<string>(cl?.rightToAudit?.noticeBasis ?? 'calendar');
  const [rtaAudits, setRtaAudits] = useState(numberText(cl?.rightToAudit?.auditsPer12Months ?? 1));
  const [rtaMode, setRtaMode] = useState<string>(cl?.rightToAudit?.mode ?? 'either');
  const [rtaCost, setRtaCost] = useState<string>(cl?.rightToAudit?.costBearer ?? 'customer');
  const [rtaRegulator, setRtaRegulator] = useState(cl?.rightToAudit?.regulatorAccess ?? true);
  const [breachHours, setBreachHours] = useState(numberText(cl?.breachNotificationHours));
  const [dataIntegrity, setDataIntegrity] = useState(cl?.dataIntegrity ?? '');
  const [encryption, setEncryption] = useState(cl?.encryption ?? '');
  const [accessControl, setAccessControl] = useState(cl?.accessControl ?? '');
  const [exitMonths, setExitMonths] = useState(numberText(cl?.exitAssistance?.months));
  const [exitFormat, setExitFormat] = useState(cl?.exitAssistance?.dataReturnFormat ?? '');
  const [exitIncluded, setExitIncluded] = useState(cl?.exitAssistance?.included ?? true);
  const { errors, clientErrors, setClientErrors, check } = useFieldErrors(error);
  const field = fieldBinder(errors);

  const services = useServices({ vendorId: vendorId || undefined, pageSize: 200 });
  const vendorServices = vendorId ? (services.data?.items.filter((s) => s.vendorId === vendorId) ?? []) : [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const clauses = {
      rightToAudit: rtaOn
        ? {
            scope: rtaScope.trim(),
            noticeDays: toNumber(rtaNotice, undefined),
            noticeBasis: rtaBasis,
            auditsPer12Months: toNumber(rtaAudits, undefined),
            mode: rtaMode,
            costBearer: rtaCost,
            regulatorAccess: rtaRegulator,
          }
        : null,
      breachNotificationHours: toNumber(breachHours, null),
      dataIntegrity: blankToNull(dataIntegrity),
      encryption: blankToNull(encryption),
      accessControl: blankToNull(accessControl),
      exitAssistance:
        exitMonths.trim() === '' && exitFormat.trim() === ''
          ? null
          : { months: toNumber(exitMonths, undefined), dataReturnFormat: exitFormat.trim(), included: exitIncluded },
    };
    const body = {
      title: title.trim(),
      reference: blankToNull(reference),
      status,
      effectiveDate: effectiveDate || undefined,
      expiryDate: expiryDate || null,
      renewalNoticeDays: toNumber(renewalNoticeDays, undefined),
      annualValue: toNumber(annualValue, null),
      currency: currency.trim().toUpperCase(),
      serviceIds,
      serviceFees: serviceIds.map((serviceId) => ({ serviceId, annualFee: toNumber(fees[serviceId] ?? '', null) })),
      clauses,
    };
    if (props.contract) {
      const v = validateBody(updateContractSchema, { ...body, version: props.contract.version });
      const errs: FieldErrors = v.ok ? {} : v.errors;
      if (!errs['expiryDate'] && expiryDate && effectiveDate && expiryDate <= effectiveDate)
        errs['expiryDate'] = 'Must be after the effective date';
      setClientErrors(errs);
      if (v.ok && !Object.keys(errs).length) props.onSubmit(v.body);
    } else {
      const v = validateBody(createContractSchema, { ...body, vendorId: vendorId || undefined });
      if (check(v)) props.onSubmit(v.body);
    }
  };

  const vendorOptions = (vendors.data ?? []).map((v) => ({ value: v.id, label: v.name }));
  const vendorPlaceholder = vendors.isPending ? 'Loading vendors…' : vendorOptions.length ? 'Choose a vendor…' : 'No vendors yet';

  return (
    <form onSubmit={submit} noValidate data-testid={c ? 'contract-edit-form' : 'contract-form'}>
      <Stack gap="sm">
        {c ? (
          <TextInput label="Vendor" value={c.vendorName} readOnly disabled data-testid="contract-vendor" />
        ) : (
          <NativeSelect
            label="Vendor"
            required
            disabled={vendors.isPending}
            data={[{ value: '', label: vendorPlaceholder, disabled: true }, ...vendorOptions]}
            value={vendorId}
            onChange={(e) => {
              setVendorId(e.currentTarget.value);
              setServiceIds([]);
            }}
            error={pickError(errors, 'vendorId') ?? (vendors.isError ? 'Could not load vendors' : undefined)}
            data-testid="contract-vendor"
          />
        )}
        <TextInput label="Title" required {...field('title', title, setTitle, 'contract-title-input')} autoFocus />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Reference"
            description="Your contract number"
            {...field('reference', reference, setReference, 'contract-reference')}
          />
          <NativeSelect
            label="Status"
            data={enumOptions(CONTRACT_STATUSES)}
            {...field('status', status, setStatus, 'contract-status-select')}
          />
          <TextInput
            label="Effective date"
            type="date"
            required
            {...field('effectiveDate', effectiveDate, setEffectiveDate, 'contract-effective-date')}
          />
          <TextInput
            label="Expiry date"
            type="date"
            description="Leave empty if open-ended"
            {...field('expiryDate', expiryDate, setExpiryDate, 'contract-expiry-date')}
          />
          <TextInput
            label="Renewal notice (days)"
            description="Notice of non-renewal required before expiry"
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            {...field('renewalNoticeDays', renewalNoticeDays, setRenewalNoticeDays, 'contract-renewal-notice-days')}
          />
          <Group grow align="flex-start" gap="xs">
            <TextInput
              label="Annual value"
              type="number"
              min={0}
              step="any"
              inputMode="decimal"
              {...field('annualValue', annualValue, setAnnualValue, 'contract-annual-value')}
            />
            <TextInput
              label="Currency"
              description="ISO 4217"
              maxLength={3}
              value={currency}
              onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
              error={pickError(errors, 'currency')}
              data-testid="contract-currency"
            />
          </Group>
        </SimpleGrid>
        <ServiceMultiSelect
          label="Covered services"
          services={vendorServices.map((s) => ({ id: s.id, name: s.name, detail: humanize(s.kind) }))}
          value={serviceIds}
          onChange={setServiceIds}
          error={pickError(errors, 'serviceIds') ?? (services.isError ? 'Could not load services' : undefined)}
          placeholder={vendorId ? (services.isPending ? 'Loading services…' : 'This vendor has no services') : 'Choose a vendor first'}
          testId="contract-services"
        />
        {serviceIds.length > 0 && (
          <Fieldset
            legend={`Fees of the covered services (${currency || 'USD'} per year)`}
            variant="filled"
            data-testid="contract-service-fees"
          >
            <Text size="sm" c="dimmed" mb="xs">
              In the contract&apos;s currency. A breach credits a percentage of the fees of the services its SLA covers for the window;
              without them its credit amount is unknown.
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
              {serviceIds.map((id, i) => (
                <TextInput
                  key={id}
                  label={vendorServices.find((s) => s.id === id)?.name ?? c?.services.find((s) => s.id === id)?.name ?? 'Service'}
                  type="number"
                  min={0}
                  step="any"
                  inputMode="decimal"
                  {...field(
                    `serviceFees.${i}.annualFee`,
                    fees[id] ?? '',
                    (v: string) => setFees((f) => ({ ...f, [id]: v })),
                    'contract-service-fee',
                  )}
                />
              ))}
            </SimpleGrid>
          </Fieldset>
        )}

        <Fieldset legend="Right to audit" variant="filled">
          <Stack gap="sm">
            <Checkbox
              label="The contract grants a right to audit"
              checked={rtaOn}
              onChange={(e) => setRtaOn(e.currentTarget.checked)}
              data-testid="contract-rta-enabled"
            />
            {rtaOn && (
              <>
                <Textarea
                  label="Scope"
                  autosize
                  minRows={2}
                  {...field('clauses.rightToAudit.scope', rtaScope, setRtaScope, 'contract-rta-scope')}
                />
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label="Notice (days)"
                    type="number"
                    min={0}
                    step={1}
                    {...field('clauses.rightToAudit.noticeDays', rtaNotice, setRtaNotice, 'contract-rta-notice-days')}
                  />
                  <NativeSelect
                    label="Notice counted in"
                    data={[
                      { value: 'calendar', label: 'Calendar days' },
                      { value: 'business', label: 'Business days (weekends skipped)' },
                    ]}
                    {...field('clauses.rightToAudit.noticeBasis', rtaBasis, setRtaBasis, 'contract-rta-notice-basis')}
                  />
                  <TextInput
                    label="Audits per 12 months"
                    type="number"
                    min={0}
                    step={1}
                    {...field('clauses.rightToAudit.auditsPer12Months', rtaAudits, setRtaAudits, 'contract-rta-audits')}
                  />
                  <NativeSelect
                    label="Mode"
                    data={enumOptions(AUDIT_MODES)}
                    {...field('clauses.rightToAudit.mode', rtaMode, setRtaMode, 'contract-rta-mode')}
                  />
                  <NativeSelect
                    label="Cost borne by"
                    data={enumOptions(COST_BEARERS)}
                    {...field('clauses.rightToAudit.costBearer', rtaCost, setRtaCost, 'contract-rta-cost-bearer')}
                  />
                </SimpleGrid>
                <Checkbox
                  label="Regulators may audit too"
                  checked={rtaRegulator}
                  onChange={(e) => setRtaRegulator(e.currentTarget.checked)}
                  data-testid="contract-rta-regulator-access"
                />
              </>
            )}
          </Stack>
        </Fieldset>

        <Fieldset legend="Security and data" variant="filled">
          <Stack gap="sm">
            <TextInput
              label="Breach notification (hours)"
              description="Maximum time for the vendor to notify you of a security breach"
              type="number"
              min={0}
              step={1}
              {...field('clauses.breachNotificationHours', breachHours, setBreachHours, 'contract-breach-hours')}
            />
            <Textarea
              label="Data integrity"
              autosize
              minRows={2}
              {...field('clauses.dataIntegrity', dataIntegrity, setDataIntegrity, 'contract-data-integrity')}
            />
            <Textarea
              label="Encryption"
              autosize
              minRows={2}
              {...field('clauses.encryption', encryption, setEncryption, 'contract-encryption')}
            />
            <Textarea
              label="Access control"
              autosize
              minRows={2}
              {...field('clauses.accessControl', accessControl, setAccessControl, 'contract-access-control')}
            />
          </Stack>
        </Fieldset>

        <Fieldset legend="Exit assistance" variant="filled">
          <Stack gap="sm">
            <Text size="xs" c="dimmed">
              Leave both fields empty if the contract has no exit-assistance clause.
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="Assistance period (months)"
                type="number"
                min={0}
                step={1}
                value={exitMonths}
                onChange={(e) => setExitMonths(e.currentTarget.value)}
                error={pickError(errors, 'clauses.exitAssistance.months') ?? (errors['clauses.exitAssistance'] || undefined)}
                data-testid="contract-exit-months"
              />
              <TextInput
                label="Data return format"
                placeholder="CSV and JSON exports"
                {...field('clauses.exitAssistance.dataReturnFormat', exitFormat, setExitFormat, 'contract-exit-format')}
              />
            </SimpleGrid>
            <Checkbox
              label="Included in the fees"
              checked={exitIncluded}
              onChange={(e) => setExitIncluded(e.currentTarget.checked)}
              data-testid="contract-exit-included"
            />
          </Stack>
        </Fieldset>

        <FormErrorAlert clientErrors={clientErrors} error={error} shownFields={SHOWN_FIELDS} />
        <FormActions submitLabel={submitLabel} pending={pending} submitTestId="contract-submit" onCancel={onCancel} />
      </Stack>
    </form>
  );
}
