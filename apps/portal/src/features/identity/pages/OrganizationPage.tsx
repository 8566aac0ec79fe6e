import { ActionIcon, Button, Group, NativeSelect, Paper, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';

import { addHolidaysSchema, updateOrganizationSchema } from '@bulwark/api-schema';

import { EmptyState, ErrorAlert, FormErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { PageHeader } from '../../../shared/components/PageHeader';
import { formatDate } from '../../../shared/lib/format';
import { useFieldErrors, validateBody } from '../../../shared/lib/forms';
import { notifySuccess } from '../../../shared/lib/notify';
import { useAddHolidays, useHolidays, useOrganization, useRemoveHoliday, useUpdateOrganization } from '../api/organization';
import { parseHolidayCsv } from '../lib/holidayCsv';

/** Every IANA zone the browser knows (the API validates with the same Intl), UTC first. */
const ZONES = (() => {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...known.filter((z) => z !== 'UTC')];
})();

/**
 * `/admin/organization`: the organization's settings for admins. The time zone is where notice periods of
 * right-to-audit requests are counted; the holiday calendar lists the days a business-day notice skips.
 */
export function OrganizationPage() {
  const org = useOrganization();
  if (org.isPending) return <PageLoader />;
  if (org.isError) return <ErrorAlert error={org.error} onRetry={() => void org.refetch()} />;
  return (
    <>
      <PageHeader
        title="Organization"
        testId="organization-title"
        description="Settings that the whole organization shares. Changes are recorded in the audit log."
      />
      <Stack gap="lg">
        <SettingsForm key={org.data.timeZone} name={org.data.name} timeZone={org.data.timeZone} />
        <HolidayCalendar />
      </Stack>
    </>
  );
}

function SettingsForm({ name, timeZone: saved }: { name: string; timeZone: string }) {
  const update = useUpdateOrganization();
  const [timeZone, setTimeZone] = useState(saved);
  const { errors, clientErrors, check } = useFieldErrors(update.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = { timeZone };
    if (!check(validateBody(updateOrganizationSchema, body))) return;
    update.mutate(body, { onSuccess: (o) => notifySuccess(`Notice periods are now counted in ${o.timeZone}.`, 'Time zone saved') });
  };
  return (
    <Paper withBorder p="lg" radius="md" component="form" onSubmit={submit} noValidate data-testid="organization-settings">
      <Title order={3} size="h4" mb="sm">
        Settings
      </Title>
      <Stack gap="sm" maw={520}>
        <TextInput
          label="Name"
          value={name}
          readOnly
          description="Set when the organization was created."
          data-testid="organization-name"
        />
        <Select
          label="Time zone"
          description="The issue date of a right-to-audit request, and so its notice period, is counted in this zone."
          searchable
          required
          allowDeselect={false}
          data={ZONES.includes(timeZone) ? ZONES : [timeZone, ...ZONES]}
          value={timeZone}
          onChange={(v) => setTimeZone(v ?? '')}
          nothingFoundMessage="No such time zone"
          limit={50}
          error={errors['timeZone']}
          data-testid="organization-timezone"
        />
        <FormErrorAlert error={update.error} clientErrors={clientErrors} shownFields={['timeZone']} />
        <Group>
          <Button type="submit" loading={update.isPending} disabled={timeZone === saved} data-testid="organization-save">
            Save
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function HolidayCalendar() {
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(String(thisYear));
  const holidays = useHolidays(Number(year));
  const add = useAddHolidays();
  const remove = useRemoveHoliday();
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const [csv, setCsv] = useState('');
  const [mode, setMode] = useState<'one' | 'csv'>('one');
  const { errors, clientErrors, check, setClientErrors } = useFieldErrors(mode === 'one' ? add.error : null);
  const csvErrors = useFieldErrors(mode === 'csv' ? add.error : null);

  const addOne = (e: FormEvent) => {
    e.preventDefault();
    setMode('one');
    const body = { holidays: [{ date, name }] };
    const v = validateBody(addHolidaysSchema, body);
    if (
      !check(
        v.ok
          ? v
          : { ok: false, errors: Object.fromEntries(Object.entries(v.errors).map(([k, m]) => [k.replace(/^holidays\.0\./, ''), m])) },
      )
    )
      return;
    add.mutate(body, {
      onSuccess: () => {
        notifySuccess(`${name} (${formatDate(date)}) added.`, 'Holiday added');
        setDate('');
        setName('');
        setYear(date.slice(0, 4));
      },
    });
  };
  const addCsv = (e: FormEvent) => {
    e.preventDefault();
    setMode('csv');
    setClientErrors({});
    const parsed = parseHolidayCsv(csv);
    if (Object.keys(parsed.errors).length) return void csvErrors.setClientErrors(parsed.errors);
    const body = { holidays: parsed.holidays };
    if (!csvErrors.check(validateBody(addHolidaysSchema, body))) return;
    add.mutate(body, {
      onSuccess: (r) => {
        notifySuccess(`${r.items.length} holiday${r.items.length === 1 ? '' : 's'} added.`, 'Holidays added');
        setCsv('');
        if (r.items[0]) setYear(r.items[0].date.slice(0, 4));
      },
    });
  };
  // One-off errors for the single form come back as `holidays.0.date`: show them at the inputs.
  const oneError = (f: 'date' | 'name') => errors[f] ?? errors[`holidays.0.${f}`];

  return (
    <Paper withBorder p="lg" radius="md" data-testid="organization-holidays">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          Public holidays
        </Title>
        <NativeSelect
          aria-label="Year"
          data={[thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map(String)}
          value={year}
          onChange={(e) => setYear(e.currentTarget.value)}
          data-testid="organization-holidays-year"
        />
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        A right-to-audit clause counted in business days skips Saturdays, Sundays and these days. Enter the holidays of the jurisdiction
        your contracts are under.
      </Text>
      {holidays.isError ? (
        <ErrorAlert error={holidays.error} onRetry={() => void holidays.refetch()} />
      ) : holidays.isPending ? (
        <Text size="sm">Loading…</Text>
      ) : holidays.data.length === 0 ? (
        <EmptyState title={`No holidays in ${year}`} testId="organization-holidays-empty">
          Add them one by one below, or paste a year of them as CSV.
        </EmptyState>
      ) : (
        <Table striped withTableBorder data-testid="organization-holidays-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={160}>Date</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th w={60} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {holidays.data.map((h) => (
              <Table.Tr key={h.id} data-testid="organization-holiday" data-date={h.date}>
                <Table.Td>{formatDate(h.date)}</Table.Td>
                <Table.Td>{h.name}</Table.Td>
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Remove ${h.name}`}
                    loading={remove.isPending && remove.variables === h.id}
                    onClick={() => remove.mutate(h.id, { onSuccess: () => notifySuccess(`${h.name} removed.`, 'Holiday removed') })}
                    data-testid="organization-holiday-remove"
                  >
                    ×
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {remove.isError && <ErrorAlert error={remove.error} />}

      <Group align="flex-start" mt="md" gap="xl" grow>
        <form onSubmit={addOne} noValidate data-testid="organization-holiday-form">
          <Stack gap="xs">
            <Text fw={600} size="sm">
              Add a holiday
            </Text>
            <Group align="flex-start" gap="xs" wrap="nowrap">
              <TextInput
                aria-label="Date"
                type="date"
                w={160}
                value={date}
                onChange={(e) => setDate(e.currentTarget.value)}
                error={oneError('date')}
                data-testid="organization-holiday-date"
              />
              <TextInput
                aria-label="Name"
                placeholder="Name, e.g. Christmas Day"
                style={{ flex: 1 }}
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                error={oneError('name')}
                data-testid="organization-holiday-name"
              />
              <Button type="submit" loading={add.isPending && mode === 'one'} data-testid="organization-holiday-add">
                Add
              </Button>
            </Group>
            {mode === 'one' && (
              <FormErrorAlert error={add.error} clientErrors={clientErrors} shownFields={['date', 'name', 'holidays.0']} />
            )}
          </Stack>
        </form>
        <form onSubmit={addCsv} noValidate data-testid="organization-holiday-csv-form">
          <Stack gap="xs">
            <Textarea
              label="Paste a list"
              description="One holiday a line: YYYY-MM-DD,Name. All are added, or none if one is wrong or already listed."
              placeholder={`${thisYear + 1}-01-01,New Year's Day\n${thisYear + 1}-12-25,Christmas Day`}
              autosize
              minRows={3}
              value={csv}
              onChange={(e) => setCsv(e.currentTarget.value)}
              data-testid="organization-holiday-csv"
            />
            <Group>
              <Button
                type="submit"
                variant="light"
                loading={add.isPending && mode === 'csv'}
                disabled={!csv.trim()}
                data-testid="organization-holiday-csv-add"
              >
                Add all
              </Button>
            </Group>
            {mode === 'csv' && <FormErrorAlert error={add.error} clientErrors={csvErrors.clientErrors} />}
          </Stack>
        </form>
      </Group>
    </Paper>
  );
}
