import { Alert, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';

import type {
  QuestionnaireImportRejection,
  QuestionnaireImportResult,
  QuestionnaireRequestDetail,
  TemplateQuestion,
} from '@bulwark/api-schema';

import { errorMessage, isApiError, request } from '../../../shared/api/client';
import { notifySuccess } from '../../../shared/lib/notify';
import { refreshRequest } from '../api/requests';
import { answerText } from './requestBadges';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const exportHref = (id: string, format: 'xlsx' | 'csv') => `/api/questionnaire-requests/${encodeURIComponent(id)}/export?format=${format}`;

/** "Download spreadsheet (XLSX / CSV)": both sides export; the file holds the visible questions and their answers. */
export function SpreadsheetDownloads({ id, size = 'sm' }: { id: string; size?: 'xs' | 'sm' }) {
  return (
    <Group gap="xs" data-testid="spreadsheet-downloads">
      <Button component="a" href={exportHref(id, 'xlsx')} download variant="default" size={size} data-testid="spreadsheet-download-xlsx">
        Download spreadsheet (XLSX)
      </Button>
      <Button component="a" href={exportHref(id, 'csv')} download variant="default" size={size} data-testid="spreadsheet-download-csv">
        CSV
      </Button>
    </Group>
  );
}

type Preview =
  | { kind: 'ok'; file: File; result: QuestionnaireImportResult }
  | { kind: 'rejected'; file: File; message: string; details: QuestionnaireImportRejection }
  | { kind: 'failed'; file: File; message: string };

/**
 * The vendor's offline round trip: download, then upload the answered file. The upload is checked first (a dry
 * run): what will change, or every row error with its row and column; nothing is saved until confirmed.
 */
export function RequestSpreadsheet({ r, canImport }: { r: QuestionnaireRequestDetail; canImport: boolean }) {
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const questions = new Map<string, TemplateQuestion>();
  for (const s of r.content.sections) for (const q of s.questions) if (!questions.has(q.key)) questions.set(q.key, q);

  const send = (file: File, dryRun: boolean) =>
    request<QuestionnaireImportResult>('POST', `/questionnaire-requests/${encodeURIComponent(r.id)}/import`, {
      rawBody: file,
      contentType: /\.csv$/i.test(file.name) || file.type === 'text/csv' ? 'text/csv' : XLSX_TYPE,
      query: { dryRun: dryRun ? 'true' : undefined },
    });

  const check = async (file: File) => {
    setBusy(true);
    try {
      setPreview({ kind: 'ok', file, result: await send(file, true) });
    } catch (e) {
      const details = isApiError(e) ? (e.payload as { error?: { details?: QuestionnaireImportRejection } })?.error?.details : undefined;
      if (isApiError(e) && e.code === 'questionnaire_import.rejected' && details?.errors)
        setPreview({ kind: 'rejected', file, message: e.message, details });
      else setPreview({ kind: 'failed', file, message: errorMessage(e) });
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  const confirm = async () => {
    if (preview?.kind !== 'ok') return;
    setBusy(true);
    try {
      const result = await send(preview.file, false);
      await refreshRequest(qc, result.request ?? undefined);
      setPreview(null);
      notifySuccess(
        `${result.changes.length} answer${result.changes.length === 1 ? '' : 's'} saved from ${preview.file.name}.`,
        'Spreadsheet imported',
      );
    } catch (e) {
      const details = isApiError(e) ? (e.payload as { error?: { details?: QuestionnaireImportRejection } })?.error?.details : undefined;
      if (isApiError(e) && e.code === 'questionnaire_import.rejected' && details?.errors)
        setPreview({ kind: 'rejected', file: preview.file, message: e.message, details });
      else setPreview({ kind: 'failed', file: preview.file, message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const text = (key: string, v: QuestionnaireImportResult['changes'][number]['to']) => {
    const q = questions.get(key);
    return q ? answerText(q, v) : String(v ?? '—');
  };

  return (
    <Paper withBorder p="md" radius="md" data-testid="request-spreadsheet">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <div>
            <Title order={3} size="h5">
              Answer offline in a spreadsheet
            </Title>
            <Text size="sm" c="dimmed">
              Download the questions with your answers so far, fill in the Answer, N/A and Comment columns, and upload the file. You will
              see what changes before anything is saved.
            </Text>
          </div>
          <Group gap="xs">
            <SpreadsheetDownloads id={r.id} />
            {canImport && (
              <>
                <input
                  ref={input}
                  type="file"
                  accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  hidden
                  data-testid="spreadsheet-file"
                  onChange={(e) => {
                    const f = e.currentTarget.files?.[0];
                    if (f) void check(f);
                  }}
                />
                <Button size="sm" onClick={() => input.current?.click()} loading={busy && !preview} data-testid="spreadsheet-upload">
                  Upload answered spreadsheet
                </Button>
              </>
            )}
          </Group>
        </Group>

        {preview?.kind === 'failed' && (
          <Alert
            color="red"
            title={`${preview.file.name} could not be read`}
            data-testid="spreadsheet-failed"
            withCloseButton
            onClose={() => setPreview(null)}
          >
            {preview.message}
          </Alert>
        )}

        {preview?.kind === 'rejected' && (
          <Alert
            color="red"
            title={`${preview.file.name}: ${preview.details.errors.length} problem${preview.details.errors.length === 1 ? '' : 's'}, nothing was saved`}
            data-testid="spreadsheet-errors"
            withCloseButton
            onClose={() => setPreview(null)}
          >
            <Stack gap="xs">
              <Text size="sm">Fix these rows in the file and upload it again.</Text>
              <Table striped withTableBorder fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Row</Table.Th>
                    <Table.Th>Column</Table.Th>
                    <Table.Th>Problem</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.details.errors.map((e, i) => (
                    <Table.Tr key={i} data-testid="spreadsheet-error" data-row={e.row} data-column={e.column ?? ''} data-code={e.code}>
                      <Table.Td>
                        {e.sheet === 'csv' ? '' : `${e.sheet} `}
                        {e.row || '—'}
                      </Table.Td>
                      <Table.Td>{e.column ?? '—'}</Table.Td>
                      <Table.Td>{e.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Stack>
          </Alert>
        )}

        {preview?.kind === 'ok' && (
          <Alert color="blue" variant="light" title={`${preview.file.name}: what will change`} data-testid="spreadsheet-preview">
            <Stack gap="xs">
              {preview.result.changes.length === 0 ? (
                <Text size="sm" data-testid="spreadsheet-no-changes">
                  The file holds the answers already saved: nothing to change.
                </Text>
              ) : (
                <Table striped withTableBorder fz="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Row</Table.Th>
                      <Table.Th>Question</Table.Th>
                      <Table.Th>Now</Table.Th>
                      <Table.Th>From the file</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {preview.result.changes.map((c) => (
                      <Table.Tr key={c.questionKey} data-testid="spreadsheet-change" data-question-key={c.questionKey}>
                        <Table.Td>{c.row}</Table.Td>
                        <Table.Td>{c.question}</Table.Td>
                        <Table.Td c="dimmed">
                          {text(c.questionKey, c.from)}
                          {c.fromComment !== c.toComment && c.fromComment ? ` (comment: ${c.fromComment})` : ''}
                        </Table.Td>
                        <Table.Td fw={600}>
                          {text(c.questionKey, c.to)}
                          {c.fromComment !== c.toComment ? ` (comment: ${c.toComment ?? 'removed'})` : ''}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              <Text size="sm" c="dimmed">
                {preview.result.unchanged} row{preview.result.unchanged === 1 ? '' : 's'} unchanged
                {preview.result.ignored.length
                  ? `, ${preview.result.ignored.length} of questions that do not show for your answers left as they are`
                  : ''}
                .
                {preview.result.newlyVisible.length
                  ? ` ${preview.result.newlyVisible.length} more question${preview.result.newlyVisible.length === 1 ? '' : 's'} will show once saved: answer ${preview.result.newlyVisible.length === 1 ? 'it' : 'them'} here or download the spreadsheet again.`
                  : ''}
              </Text>
              <Group gap="xs">
                <Button
                  onClick={() => void confirm()}
                  loading={busy}
                  disabled={!preview.result.changes.length}
                  data-testid="spreadsheet-confirm"
                >
                  Save {preview.result.changes.length} change{preview.result.changes.length === 1 ? '' : 's'}
                </Button>
                <Button variant="default" onClick={() => setPreview(null)} disabled={busy} data-testid="spreadsheet-discard">
                  Discard
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
