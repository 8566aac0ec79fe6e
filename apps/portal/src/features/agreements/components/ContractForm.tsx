import { CONTRACT_STATUSES, createContractSchema, updateContractSchema, type ContractView } from '@bulwark/api-schema';
import { Button, Checkbox, Fieldset, Group, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useAllVendors } from '../../inventory/api/vendors';
import { useServices } from '../../inventory/api/services';
import { numberText, toNumber } from '../lib/agreements';
import { blankToNull, enumOptions, humanize } from '../../../shared/lib/format';
import { pickError, useFieldErrors, validateBody, type FieldErrors } from '../../../shared/lib/forms';
import type { ContractCreate, ContractUpdate } from '../api/contracts';
import { FormErrorAlert } from '../../../shared/components/feedback';
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
  props: ({ contract?: undefined; onSubmit: (body: ContractCreate) => void } | { contract: ContractView; onSubmit: (body: ContractUpdate) => void }) & {
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
  // Clauses
  const [rtaOn, setRtaOn] = useState(!!cl?.rightToAudit);
  const [rtaScope, setRtaScope] = useState(cl?.rightToAudit?.scope ?? '');
  const [rtaNotice, setRtaNotice] = useState(numberText(cl?.rightToAudit?.noticeDays ?? 30));
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

  const services = useServices({ vendorId: vendorId || undefined, pageSize: 200 });
  const vendorServices = vendorId ? (services.data?.items.filter((s) => s.vendorId === vendorId) ?? []) : [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const clauses = {
      rightToAudit: rtaOn
        ? {
            scope: rtaScope.trim(),
            noticeDays: toNumber(rtaNotice, undefined),
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
      clauses,
    };
    if (props.contract) {
      const v = validateBody(updateContractSchema, { ...body, version: props.contract.version });
      const errs: FieldErrors = v.ok ? {} : v.errors;
      if (!errs['expiryDate'] && expiryDate && effectiveDate && expiryDate <= effectiveDate) errs['expiryDate'] = 'Must be after the effective date';
      setClientErrors(errs);
      if (v.ok && !Object.keys(errs).length) props.onSubmit(v.body);
    } else {
      const v = validateBody(createContractSchema, { ...body, vendorId: vendorId || undefined });
      if (check(v)) props.onSubmit(v.body);
    }
  };

  const hasClient = Object.keys(clientErrors).length > 0;
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
        <TextInput label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={pickError(errors, 'title')} data-testid="contract-title-input" autoFocus />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Reference" description="Your contract number" value={reference} onChange={(e) => setReference(e.currentTarget.value)} error={pickError(errors, 'reference')} data-testid="contract-reference" />
          <NativeSelect label="Status" data={enumOptions(CONTRACT_STATUSES)} value={status} onChange={(e) => setStatus(e.currentTarget.value)} error={pickError(errors, 'status')} data-testid="contract-status-select" />
          <TextInput label="Effective date" type="date" required value={effectiveDate} onChange={(e) => setEffectiveDate(e.currentTarget.value)} error={pickError(errors, 'effectiveDate')} data-testid="contract-effective-date" />
          <TextInput label="Expiry date" type="date" description="Leave empty if open-ended" value={expiryDate} onChange={(e) => setExpiryDate(e.currentTarget.value)} error={pickError(errors, 'expiryDate')} data-testid="contract-expiry-date" />
          <TextInput
            label="Renewal notice (days)"
            description="Notice of non-renewal required before expiry"
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            value={renewalNoticeDays}
            onChange={(e) => setRenewalNoticeDays(e.currentTarget.value)}
            error={pickError(errors, 'renewalNoticeDays')}
            data-testid="contract-renewal-notice-days"
          />
          <Group grow align="flex-start" gap="xs">
            <TextInput
              label="Annual value"
              type="number"
              min={0}
              step="any"
              inputMode="decimal"
              value={annualValue}
              onChange={(e) => setAnnualValue(e.currentTarget.value)}
              error={pickError(errors, 'annualValue')}
              data-testid="contract-annual-value"
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

        <Fieldset legend="Right to audit" variant="filled">
          <Stack gap="sm">
            <Checkbox label="The contract grants a right to audit" checked={rtaOn} onChange={(e) => setRtaOn(e.currentTarget.checked)} data-testid="contract-rta-enabled" />
            {rtaOn && (
              <>
                <Textarea label="Scope" autosize minRows={2} value={rtaScope} onChange={(e) => setRtaScope(e.currentTarget.value)} error={pickError(errors, 'clauses.rightToAudit.scope')} data-testid="contract-rta-scope" />
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label="Notice (days)"
                    type="number"
                    min={0}
                    step={1}
                    value={rtaNotice}
                    onChange={(e) => setRtaNotice(e.currentTarget.value)}
                    error={pickError(errors, 'clauses.rightToAudit.noticeDays')}
                    data-testid="contract-rta-notice-days"
                  />
                  <TextInput
                    label="Audits per 12 months"
                    type="number"
                    min={0}
                    step={1}
                    value={rtaAudits}
                    onChange={(e) => setRtaAudits(e.currentTarget.value)}
                    error={pickError(errors, 'clauses.rightToAudit.auditsPer12Months')}
                    data-testid="contract-rta-audits"
                  />
                  <NativeSelect label="Mode" data={enumOptions(AUDIT_MODES)} value={rtaMode} onChange={(e) => setRtaMode(e.currentTarget.value)} error={pickError(errors, 'clauses.rightToAudit.mode')} data-testid="contract-rta-mode" />
                  <NativeSelect
                    label="Cost borne by"
                    data={enumOptions(COST_BEARERS)}
                    value={rtaCost}
                    onChange={(e) => setRtaCost(e.currentTarget.value)}
                    error={pickError(errors, 'clauses.rightToAudit.costBearer')}
                    data-testid="contract-rta-cost-bearer"
                  />
                </SimpleGrid>
                <Checkbox label="Regulators may audit too" checked={rtaRegulator} onChange={(e) => setRtaRegulator(e.currentTarget.checked)} data-testid="contract-rta-regulator-access" />
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
              value={breachHours}
              onChange={(e) => setBreachHours(e.currentTarget.value)}
              error={pickError(errors, 'clauses.breachNotificationHours')}
              data-testid="contract-breach-hours"
            />
            <Textarea label="Data integrity" autosize minRows={2} value={dataIntegrity} onChange={(e) => setDataIntegrity(e.currentTarget.value)} error={pickError(errors, 'clauses.dataIntegrity')} data-testid="contract-data-integrity" />
            <Textarea label="Encryption" autosize minRows={2} value={encryption} onChange={(e) => setEncryption(e.currentTarget.value)} error={pickError(errors, 'clauses.encryption')} data-testid="contract-encryption" />
            <Textarea label="Access control" autosize minRows={2} value={accessControl} onChange={(e) => setAccessControl(e.currentTarget.value)} error={pickError(errors, 'clauses.accessControl')} data-testid="contract-access-control" />
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
                value={exitFormat}
                onChange={(e) => setExitFormat(e.currentTarget.value)}
                error={pickError(errors, 'clauses.exitAssistance.dataReturnFormat')}
                data-testid="contract-exit-format"
              />
            </SimpleGrid>
            <Checkbox label="Included in the fees" checked={exitIncluded} onChange={(e) => setExitIncluded(e.currentTarget.checked)} data-testid="contract-exit-included" />
          </Stack>
        </Fieldset>

        <FormErrorAlert clientErrors={hasClient ? clientErrors : undefined} error={hasClient ? undefined : error} shownFields={SHOWN_FIELDS} />
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={pending} data-testid="contract-submit">
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
