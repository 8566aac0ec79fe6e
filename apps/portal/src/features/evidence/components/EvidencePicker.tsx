import { Button, Group, Modal, MultiSelect, Stack, Text } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useEffect, useState } from 'react';

import { can, type EvidenceView } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { formatDate } from '../../../shared/lib/format';
import { useEvidenceList } from '../api/evidence';
import { KIND_LABELS } from './evidenceLabels';
import { EvidenceUploadForm } from './EvidenceUploadForm';

/** How an item reads in the picker: its title, kind and validity (an expired item says so before it is chosen). */
function optionLabel(e: EvidenceView): string {
  const validity =
    e.status === 'expired'
      ? `expired ${formatDate(e.validUntil)}`
      : e.status === 'no_expiry'
        ? 'no expiry'
        : `valid until ${formatDate(e.validUntil)}`;
  return `${e.title} · ${KIND_LABELS[e.kind]} · ${validity}`;
}

export interface EvidencePickerProps {
  vendorId: string;
  /** Vendor's name, for the upload dialog's title. */
  vendorName?: string;
  value: string[];
  onChange: (ids: string[]) => void;
  label: string;
  description?: string;
  error?: string;
  testId: string;
  /** At most this many items (the API's limit for the record). */
  max?: number;
}

/**
 * Choose evidence from the vendor's library (searched by title or file name on the server), or upload a
 * new item on the spot: upload once, link many. The chosen items stay chosen while the search changes.
 */
export function EvidencePicker({
  vendorId,
  vendorName,
  value,
  onChange,
  label,
  description,
  error,
  testId,
  max = 20,
}: EvidencePickerProps) {
  const user = useCurrentUser();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [uploading, upload] = useDisclosure(false);
  const list = useEvidenceList({ vendorId, pageSize: 50, ...(debounced ? { search: debounced } : {}) });
  // Labels of every item seen, so a chosen item keeps its name when a later search no longer returns it.
  const [known, setKnown] = useState<Record<string, string>>({});
  const results = list.data?.items;
  useEffect(() => {
    if (results?.length) setKnown((k) => ({ ...k, ...Object.fromEntries(results.map((e) => [e.id, optionLabel(e)])) }));
  }, [results]);

  const shown = new Set<string>();
  const data: { value: string; label: string }[] = [];
  for (const id of value) {
    shown.add(id);
    data.push({ value: id, label: known[id] ?? `Evidence ${id.slice(0, 8)}…` });
  }
  for (const e of results ?? []) if (!shown.has(e.id)) data.push({ value: e.id, label: optionLabel(e) });

  return (
    <Stack gap={6}>
      <MultiSelect
        label={label}
        description={description}
        placeholder={value.length ? undefined : 'Search the evidence library by title or file name'}
        searchable
        clearable
        searchValue={search}
        onSearchChange={setSearch}
        // The server searched already: every option it returned is a match.
        filter={({ options }) => options}
        data={data}
        value={value}
        onChange={onChange}
        maxValues={max}
        nothingFoundMessage={list.isFetching ? 'Searching…' : debounced ? 'No evidence matches' : 'The library is empty: upload a file'}
        error={error}
        data-testid={testId}
        comboboxProps={{ withinPortal: true }}
      />
      {can(user.role, 'evidence.write') && (
        <Group gap="xs">
          <Button variant="subtle" size="compact-sm" onClick={upload.open} data-testid={`${testId}-upload`}>
            Upload new evidence…
          </Button>
          <Text size="xs" c="dimmed">
            It goes to the evidence library and is chosen here.
          </Text>
        </Group>
      )}
      <Modal opened={uploading} onClose={upload.close} title={`Upload evidence${vendorName ? ` for ${vendorName}` : ''}`} size="lg">
        <EvidenceUploadForm
          vendorId={vendorId}
          onDone={(item) => {
            setKnown((k) => ({ ...k, [item.id]: optionLabel(item) }));
            onChange([...value.filter((id) => id !== item.id), item.id]);
            upload.close();
          }}
        />
      </Modal>
    </Stack>
  );
}
