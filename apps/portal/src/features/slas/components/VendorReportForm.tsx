import { Group, NativeSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';

import { vendorReportSchema, type SlaView } from '@bulwark/api-schema';

import { FormErrorAlert } from '../../../shared/components/feedback';
import { FormActions } from '../../../shared/components/FormActions';
import { blankToNull } from '../../../shared/lib/format';
import { fieldBinder, useFieldErrors, validate } from '../../../shared/lib/forms';
import { notifySuccess } from '../../../shared/lib/notify';
import { addMonths, currentMonth, toNumber } from '../../agreements/lib/agreements';
import { useFileVendorReport } from '../api/slas';

/** Window labels newest first: the last 12 months (`YYYY-MM`) or the last 8 quarters (`YYYY-Qn`), the current one included. */
export function recentWindows(kind: 'month' | 'quarter'): string[] {
  const now = currentMonth();
  if (kind === 'month') return Array.from({ length: 12 }, (_, i) => addMonths(now, -i));
  const out: string[] = [];
  for (let i = 0; out.length < 8; i += 3) {
    const m = addMonths(now, -i);
    const label = `${m.slice(0, 4)}-Q${Math.floor((Number(m.slice(5, 7)) - 1) / 3) + 1}`;
    if (!out.includes(label)) out.push(label);
  }
  return out;
}

/** The vendor's own availability figure for one SLA window (`POST /api/slas/:id/vendor-reports`). */
export function VendorReportForm({ sla }: { sla: SlaView }) {
  const windows = recentWindows(sla.current.terms.window);
  // Default: the last complete window (the current one is still running).
  const [windowLabel, setWindowLabel] = useState(windows[1] ?? windows[0] ?? '');
  const [availability, setAvailability] = useState('');
  const [note, setNote] = useState('');
  const file = useFileVendorReport(sla.id);
  const { errors, clientErrors, setClientErrors } = useFieldErrors(file.error);
  const field = fieldBinder(errors);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = { window: windowLabel, availability: toNumber(availability, undefined), note: blankToNull(note) };
    const v = validate(vendorReportSchema, body);
    const errs = v.ok ? {} : v.errors;
    setClientErrors(errs);
    if (!v.ok) return;
    file.mutate(v.data, {
      onSuccess: () => {
        setAvailability('');
        setNote('');
        file.reset();
        notifySuccess(`Your figure for ${v.data.window} (${v.data.availability} %) was recorded for ${sla.name}.`, 'Figure filed');
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="vendor-report-form" data-sla-id={sla.id}>
      <Stack gap="sm">
        <Group align="flex-start" gap="sm" grow>
          <NativeSelect
            label="Window"
            data={windows.map((w, i) => ({ value: w, label: i === 0 ? `${w} (in progress)` : w }))}
            {...field('window', windowLabel, setWindowLabel, 'vendor-report-window')}
          />
          <TextInput
            label="Availability (%)"
            type="number"
            min={0}
            max={100}
            step="any"
            inputMode="decimal"
            placeholder="99.95"
            required
            {...field('availability', availability, setAvailability, 'vendor-report-availability')}
          />
        </Group>
        <Textarea
          label="Note"
          autosize
          minRows={1}
          placeholder="How you measured it, known incidents…"
          {...field('note', note, setNote, 'vendor-report-note')}
        />
        <FormErrorAlert clientErrors={clientErrors} error={file.error} shownFields={['window', 'availability', 'note']} />
        <FormActions submitLabel="File figure" pending={file.isPending} submitTestId="vendor-report-submit" />
      </Stack>
    </form>
  );
}
