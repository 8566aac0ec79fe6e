import { Alert, Button, Group, NativeSelect, Paper, Progress, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useRef, useState, type DragEvent, type FormEvent } from 'react';

import { canWriteEvidenceKind, EVIDENCE_KINDS, type EvidenceKind, type EvidenceView } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { errorMessage, fieldErrorMap, isApiError } from '../../../shared/api/client';
import { formatBytes } from '../../../shared/lib/format';
import { notifySuccess } from '../../../shared/lib/notify';
import { useAddRevision, useUploadEvidence } from '../api/evidence';
import { KIND_LABELS } from './evidenceLabels';

const ACCEPT = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.zip,.txt,.csv';

function uploadErrorTitle(error: unknown): string {
  if (isApiError(error)) {
    if (error.status === 413) return 'File too large';
    if (error.code === 'file.empty') return 'Empty file';
    if (error.code === 'evidence.type_not_allowed') return 'File type not accepted';
    if (error.code === 'evidence.infected') return 'File refused by the malware scanner';
  }
  return 'Could not upload the file';
}

/** A file input that also takes a file dropped on it. */
function FileDrop({
  file,
  onFile,
  disabled,
  testId,
}: {
  file: File | null;
  onFile: (f: File | null) => void;
  disabled: boolean;
  testId: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (disabled || !e.dataTransfer.files[0]) return;
    if (input.current) input.current.value = ''; // the dropped file replaces any chosen one
    onFile(e.dataTransfer.files[0]);
  };
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      onDragOver={(e: DragEvent) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      style={{ borderStyle: 'dashed', background: over ? 'var(--mantine-color-blue-light)' : undefined }}
      data-testid={`${testId}-dropzone`}
    >
      <Stack gap={6} align="flex-start">
        <Text size="sm" fw={500} component="label" htmlFor={`${testId}-input`}>
          File
        </Text>
        <input
          id={`${testId}-input`}
          ref={input}
          type="file"
          accept={ACCEPT}
          disabled={disabled}
          onChange={(e) => onFile(e.currentTarget.files?.[0] ?? null)}
          data-testid={`${testId}-input`}
          style={{ maxWidth: '100%' }}
        />
        <Text size="xs" c="dimmed">
          {file
            ? `Selected: ${file.name} (${formatBytes(file.size)})`
            : 'Choose a file or drop it here: PDF, PNG, JPEG, Word, Excel, PowerPoint, ZIP, text or CSV. The type is checked from the content.'}
        </Text>
      </Stack>
    </Paper>
  );
}

function UploadProgress({ name, percent }: { name: string; percent: number }) {
  return (
    <Stack gap={4} role="status" data-testid="evidence-upload-progress">
      <Text size="xs" c="dimmed">
        Uploading {name}… {percent}%
      </Text>
      <Progress value={percent} size="sm" aria-label={`Uploading ${name}`} />
    </Stack>
  );
}

function DateFields({
  errors,
  values,
  set,
}: {
  errors: Record<string, string>;
  values: Record<string, string>;
  set: (k: string, v: string) => void;
}) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      <TextInput
        type="date"
        label="Effective date"
        description="The date it speaks for (report period end, issue date)"
        value={values.effectiveDate ?? ''}
        onChange={(e) => set('effectiveDate', e.currentTarget.value)}
        error={errors.effectiveDate}
        data-testid="evidence-effective-date"
      />
      <TextInput
        type="date"
        label="Valid from"
        value={values.validFrom ?? ''}
        onChange={(e) => set('validFrom', e.currentTarget.value)}
        error={errors.validFrom}
        data-testid="evidence-valid-from"
      />
      <TextInput
        type="date"
        label="Valid until"
        description="Expiry: reminders go out 30, 7 and 1 days before"
        value={values.validUntil ?? ''}
        onChange={(e) => set('validUntil', e.currentTarget.value)}
        error={errors.validUntil}
        data-testid="evidence-valid-until"
      />
    </SimpleGrid>
  );
}

/** New evidence: title, kind, dates and the file (input or drag and drop), with upload progress. */
export function EvidenceUploadForm({ vendorId, onDone }: { vendorId: string; onDone?: (item: EvidenceView) => void }) {
  const upload = useUploadEvidence();
  const { role } = useCurrentUser();
  // Contract documents (kind `contract`) are uploaded by those who write contracts, on the contract's page or here.
  const kinds = EVIDENCE_KINDS.filter((k) => canWriteEvidenceKind(role, k));
  const [percent, setPercent] = useState(0);
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<EvidenceKind>('soc2_type2');
  const [dates, setDates] = useState<Record<string, string>>({});
  const [file, setFile] = useState<File | null>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const errors = { ...fieldErrorMap(upload.error), ...clientErrors };
  /** A field's message goes once the user changes that field. */
  const clear = (key: string) => setClientErrors(({ [key]: _gone, ...rest }) => rest);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    // Opened from another form (a finding's step, a comment): React sends a submit up the component tree, past the dialog.
    e.stopPropagation();
    const missing: Record<string, string> = {};
    if (!title.trim()) missing.title = 'Give the evidence a title.';
    if (!file) missing.file = 'Choose a file to upload.';
    setClientErrors(missing);
    if (Object.keys(missing).length || !file) return;
    setPercent(0);
    upload.mutate(
      { fields: { vendorId, kind, title: title.trim(), ...dates }, file, onProgress: setPercent },
      {
        onSuccess: (item) => {
          notifySuccess(
            `${item.current.fileName} (${formatBytes(item.current.sizeBytes)}) was added to the evidence library.`,
            'Evidence uploaded',
          );
          setTitle('');
          setDates({});
          setFile(null);
          onDone?.(item);
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate data-testid="evidence-upload-form" aria-busy={upload.isPending}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Title"
            required
            value={title}
            onChange={(e) => {
              setTitle(e.currentTarget.value);
              clear('title');
            }}
            error={errors.title}
            placeholder="e.g. ISO 27001 certificate 2026"
            data-testid="evidence-title"
          />
          <NativeSelect
            label="Kind"
            required
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as EvidenceKind)}
            data={kinds.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
            error={errors.kind}
            data-testid="evidence-kind"
          />
        </SimpleGrid>
        <DateFields errors={errors} values={dates} set={(k, v) => setDates((d) => ({ ...d, [k]: v }))} />
        <FileDrop
          file={file}
          onFile={(f) => {
            setFile(f);
            clear('file');
          }}
          disabled={upload.isPending}
          testId="evidence-file"
        />
        {errors.file && (
          <Text size="sm" c="red" data-testid="evidence-file-error">
            {errors.file}
          </Text>
        )}
        {upload.isPending && file && <UploadProgress name={file.name} percent={percent} />}
        {upload.isError && (
          <Alert color="red" variant="light" title={uploadErrorTitle(upload.error)} role="alert" data-testid="evidence-upload-error">
            {errorMessage(upload.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={upload.isPending} data-testid="evidence-upload-submit">
            Upload evidence
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A new revision of an item: its dates and the file. */
export function RevisionUploadForm({ evidence, onDone }: { evidence: EvidenceView; onDone?: () => void }) {
  const upload = useAddRevision(evidence.id);
  const [percent, setPercent] = useState(0);
  const [dates, setDates] = useState<Record<string, string>>({});
  const [file, setFile] = useState<File | null>(null);
  const [clientError, setClientError] = useState<string | null>(null);
  const errors = { ...fieldErrorMap(upload.error), ...(clientError ? { file: clientError } : {}) };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return setClientError('Choose a file to upload.');
    setClientError(null);
    setPercent(0);
    upload.mutate(
      { fields: dates, file, onProgress: setPercent },
      {
        onSuccess: (item) => {
          notifySuccess(`Revision ${item.current.number} of "${item.title}" uploaded.`, 'New revision');
          onDone?.();
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate data-testid="revision-upload-form" aria-busy={upload.isPending}>
      <Stack gap="sm">
        <DateFields errors={errors} values={dates} set={(k, v) => setDates((d) => ({ ...d, [k]: v }))} />
        <FileDrop
          file={file}
          onFile={(f) => {
            setFile(f);
            setClientError(null);
          }}
          disabled={upload.isPending}
          testId="revision-file"
        />
        {errors.file && (
          <Text size="sm" c="red">
            {errors.file}
          </Text>
        )}
        {upload.isPending && file && <UploadProgress name={file.name} percent={percent} />}
        {upload.isError && (
          <Alert color="red" variant="light" title={uploadErrorTitle(upload.error)} role="alert">
            {errorMessage(upload.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={upload.isPending} data-testid="revision-upload-submit">
            Upload revision
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
