import { Alert, Button, Group, Input, List, NativeSelect, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';

import type { TemplateImportFormat } from '@bulwark/api-schema';

import { errorMessage, isApiError } from '../../../shared/api/client';
import { notifySuccess } from '../../../shared/lib/notify';
import { useImportTemplate } from '../api/templates';

const FORMATS: { value: TemplateImportFormat | ''; label: string }[] = [
  { value: '', label: 'Find out from the file' },
  { value: 'vsaq', label: 'Google VSAQ questionnaire' },
  { value: 'bulwark', label: 'Bulwark template (JSON export)' },
];

/** Imports a template file: a Bulwark export or a Google VSAQ questionnaire. Problems are listed by item id. */
export function ImportTemplateForm({ onCancel }: { onCancel: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<TemplateImportFormat | ''>('');
  const [missing, setMissing] = useState(false);
  const importing = useImportTemplate();
  const navigate = useNavigate();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setMissing(true);
      return;
    }
    const text = await file.text();
    importing.mutate(
      { text, format, fileName: file.name },
      {
        onSuccess: (t) => {
          notifySuccess(`${t.name}: ${t.questionCount} questions, imported as a draft.`, 'Template imported');
          void navigate(`/questionnaires/${t.id}`);
        },
      },
    );
  };

  const error = importing.error;
  const problems = isApiError(error) ? error.fields : [];
  return (
    <form onSubmit={(e) => void submit(e)} data-testid="template-import-form">
      <Stack gap="md">
        <Input.Wrapper
          label="Template file"
          description="A VSAQ questionnaire (.json, comments allowed) or a Bulwark template export"
          error={missing ? 'Choose a file to import.' : undefined}
        >
          <input
            type="file"
            accept=".json,.js,.txt,application/json,text/plain"
            aria-label="Template file"
            data-testid="template-import-file"
            style={{ display: 'block', marginTop: 6 }}
            onChange={(e) => {
              setFile(e.currentTarget.files?.[0] ?? null);
              setMissing(false);
              importing.reset();
            }}
          />
        </Input.Wrapper>
        <NativeSelect
          label="Format"
          data={FORMATS}
          value={format}
          onChange={(e) => setFormat(e.currentTarget.value as TemplateImportFormat | '')}
          data-testid="template-import-format"
        />
        {error && (
          <Alert color="red" variant="light" title="The file cannot be imported" data-testid="template-import-error">
            <Text size="sm">{errorMessage(error)}</Text>
            {problems.length > 1 && (
              <List size="sm" mt="xs" spacing={2}>
                {problems.slice(0, 20).map((p, i) => (
                  <List.Item key={i} data-testid="template-import-problem" data-item={p.path}>
                    <Text span fw={600} size="sm">
                      {p.path}
                    </Text>
                    : {p.message}
                  </List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={importing.isPending} data-testid="template-import-submit">
            Import
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
