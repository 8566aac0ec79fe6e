import { NativeSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';

import { createFindingSchema, FINDING_DUE_DAYS, FINDING_SEVERITIES } from '@bulwark/api-schema';

import { FormErrorAlert } from '../../../shared/components/feedback';
import { FormActions } from '../../../shared/components/FormActions';
import { fieldBinder, useFieldErrors, validate } from '../../../shared/lib/forms';
import { notifySuccess } from '../../../shared/lib/notify';
import { useAllVendors } from '../../inventory/api/vendors';
import { useRaiseFinding } from '../api/findings';

/** Raises a manual finding (other sources raise theirs themselves); the due date follows the severity policy. */
export function RaiseFindingForm({ onCancel }: { onCancel: () => void }) {
  const raise = useRaiseFinding();
  const navigate = useNavigate();
  const vendors = useAllVendors();
  const [vendorId, setVendorId] = useState('');
  const [title, setTitle] = useState('');
  const [details, setDetails] = useState('');
  const [severity, setSeverity] = useState('medium');
  const { errors, clientErrors, setClientErrors } = useFieldErrors(raise.error);
  const field = fieldBinder(errors);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = validate(createFindingSchema, { vendorId, title, details, severity });
    if (!v.ok) {
      setClientErrors(vendorId ? v.errors : { ...v.errors, vendorId: 'Choose the vendor' });
      return;
    }
    setClientErrors({});
    raise.mutate(v.data, {
      onSuccess: (f) => {
        notifySuccess(`Due on ${f.dueDate}.`, 'Finding raised');
        void navigate(`/findings/${f.id}`);
      },
    });
  };
  return (
    <form onSubmit={submit} noValidate data-testid="finding-raise-form">
      <Stack gap="sm">
        <NativeSelect
          label="Vendor"
          required
          data={[{ value: '', label: 'Choose a vendor…' }, ...(vendors.data ?? []).map((v) => ({ value: v.id, label: v.name }))]}
          {...field('vendorId', vendorId, setVendorId, 'finding-raise-vendor')}
        />
        <TextInput label="Title" required {...field('title', title, setTitle, 'finding-raise-title')} />
        <Textarea label="Details" autosize minRows={3} {...field('details', details, setDetails, 'finding-raise-details')} />
        <NativeSelect
          label="Severity"
          description="Sets the due date"
          data={FINDING_SEVERITIES.map((s) => ({ value: s, label: `${s} — due in ${FINDING_DUE_DAYS[s]} days` }))}
          {...field('severity', severity, setSeverity, 'finding-raise-severity')}
        />
        <FormErrorAlert clientErrors={clientErrors} error={raise.error} shownFields={['vendorId', 'title', 'details', 'severity']} />
        <FormActions submitLabel="Raise finding" pending={raise.isPending} submitTestId="finding-raise-submit" onCancel={onCancel} />
      </Stack>
    </form>
  );
}
