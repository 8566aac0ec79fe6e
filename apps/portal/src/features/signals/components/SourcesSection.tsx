import { Alert, Badge, Button, Code, CopyButton, Group, Modal, Stack, Table, Text, Tooltip, type MantineSpacing } from '@mantine/core';
import { Fragment, useState, type FormEvent } from 'react';

import type { PluginInfo, SignalSourceView, VendorDetail } from '@bulwark/api-schema';

import { ConfirmButton } from '../../../shared/components/ConfirmButton';
import { CsvInput } from '../../../shared/components/CsvInput';
import { ErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { formatDateTime } from '../../../shared/lib/format';
import { notifyError, notifySuccess } from '../../../shared/lib/notify';
import { useCsvText } from '../../../shared/lib/useCsvText';
import { useDeleteSource, usePollSource, useUpdateSource, useUploadSource, type UploadResult } from '../api/signals';
import { formatSchedule, timeAgo } from '../lib/signals';
import { SourceForm } from './SourceForm';

const STATUS_COLORS: Record<SignalSourceView['status'], string> = {
  pending: 'blue',
  ok: 'green',
  failing: 'red',
  invalid_config: 'orange',
  disabled: 'gray',
  stale: 'yellow',
};

const STATUS_LABELS: Record<SignalSourceView['status'], string> = {
  pending: 'Pending',
  ok: 'OK',
  failing: 'Failing',
  invalid_config: 'Invalid config',
  disabled: 'Disabled',
  stale: 'Stale',
};

const STATUS_HINTS: Partial<Record<SignalSourceView['status'], string>> = {
  failing: 'The last poll failed: what this source said before no longer counts (its part of the status is unknown).',
  stale: 'No successful read for more than three polling intervals: the feed is down or nothing polls it.',
};

export function SourceStatusBadge({ status }: { status: SignalSourceView['status'] }) {
  return (
    <Badge
      color={STATUS_COLORS[status] ?? 'gray'}
      variant="light"
      size="sm"
      data-testid="source-status"
      data-status={status}
      title={STATUS_HINTS[status]}
      style={{ minWidth: 'max-content' }}
    >
      {STATUS_LABELS[status] ?? status}
    </Badge>
  );
}

/**
 * Next to a vendor's current status: the sources that are not reading their feed (failing, stale,
 * misconfigured), so a status they no longer feed is not taken for current.
 */
export function SourceHealthNotice({ sources, mb }: { sources: readonly SignalSourceView[]; mb?: MantineSpacing }) {
  const behind = sources.filter((s) => s.status === 'failing' || s.status === 'stale' || s.status === 'invalid_config');
  if (behind.length === 0) return null;
  return (
    <Alert
      color="yellow"
      variant="light"
      data-testid="signals-source-notice"
      mb={mb}
      title={
        behind.length === 1
          ? '1 source is not reading its feed: this status may be incomplete or out of date'
          : `${behind.length} sources are not reading their feeds: this status may be incomplete or out of date`
      }
    >
      <Stack gap={4}>
        {behind.map((s) => (
          <Group key={s.id} gap="xs" wrap="nowrap" data-testid="signals-source-notice-row" data-status={s.status}>
            <SourceStatusBadge status={s.status} />
            <Text size="sm" lineClamp={1}>
              {s.name}
            </Text>
            <Text size="xs" c="dimmed" style={{ flexShrink: 0 }} title={formatDateTime(s.lastSuccessAt)}>
              last read {timeAgo(s.lastSuccessAt)}
            </Text>
          </Group>
        ))}
      </Stack>
    </Alert>
  );
}

/** The table of a vendor's signal sources, with the writers' actions (poll, enable/disable, edit, delete, upload). */
export function SourcesTable({
  vendor,
  sources,
  plugins,
  canManage,
  onPolled,
}: {
  vendor: VendorDetail;
  sources: SignalSourceView[];
  /** undefined while the plugin list is loading (the edit dialog waits for it). */
  plugins: PluginInfo[] | undefined;
  canManage: boolean;
  /** Called after a poll was queued (the tab then refreshes quickly for a while). */
  onPolled: (sourceId: string) => void;
}) {
  const [editing, setEditing] = useState<SignalSourceView | null>(null);
  const [uploading, setUploading] = useState<SignalSourceView | null>(null);
  const poll = usePollSource();
  const update = useUpdateSource();
  const del = useDeleteSource();
  const isPush = (s: SignalSourceView) => plugins?.find((p) => p.id === s.plugin)?.push ?? !!s.webhookUrl;
  const cols = canManage ? 9 : 8;

  return (
    <>
      <Table.ScrollContainer minWidth={canManage ? 1080 : 900}>
        <Table verticalSpacing="xs" fz="sm" data-testid="source-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Plugin</Table.Th>
              <Table.Th>Service</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Last poll</Table.Th>
              <Table.Th>Last success</Table.Th>
              <Table.Th ta="right">Failures</Table.Th>
              <Table.Th>Last error</Table.Th>
              {canManage && <Table.Th>Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sources.map((s) => {
              const push = isPush(s);
              return (
                <Fragment key={s.id}>
                  <Table.Tr
                    data-testid="source-row"
                    data-source-id={s.id}
                    data-status={s.status}
                    data-plugin={s.plugin}
                    data-enabled={String(s.enabled)}
                  >
                    <Table.Td>
                      <Text size="sm" fw={600} data-testid="source-row-name">
                        {s.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{s.pluginName}</Text>
                      {push ? (
                        <Badge size="xs" variant="light" color="grape">
                          push
                        </Badge>
                      ) : (
                        <Text size="xs" c="dimmed" data-testid="source-interval">
                          {formatSchedule(s.scheduleSeconds)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {s.serviceName ?? (
                        <Text span size="sm" c="dimmed">
                          Whole vendor
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <SourceStatusBadge status={s.status} />
                    </Table.Td>
                    <Table.Td title={formatDateTime(s.lastPollAt)} data-testid="source-last-poll">
                      {timeAgo(s.lastPollAt)}
                    </Table.Td>
                    <Table.Td title={formatDateTime(s.lastSuccessAt)} data-testid="source-last-success">
                      {timeAgo(s.lastSuccessAt)}
                    </Table.Td>
                    <Table.Td ta="right" data-testid="source-failures">
                      <Text
                        span
                        size="sm"
                        c={s.consecutiveFailures > 0 ? 'red' : undefined}
                        fw={s.consecutiveFailures > 0 ? 600 : undefined}
                      >
                        {s.consecutiveFailures}
                      </Text>
                    </Table.Td>
                    <Table.Td maw={240}>
                      {s.lastError ? (
                        <Tooltip label={s.lastError} multiline w={420} withinPortal>
                          <Text size="xs" c="red" lineClamp={2} data-testid="source-last-error" style={{ overflowWrap: 'anywhere' }}>
                            {s.lastError}
                          </Text>
                        </Tooltip>
                      ) : (
                        <Text span size="sm" c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                    {canManage && (
                      <Table.Td w={190}>
                        <Group gap={4} wrap="wrap">
                          {push ? (
                            <Button size="compact-xs" variant="light" onClick={() => setUploading(s)} data-testid="source-upload">
                              Upload CSV
                            </Button>
                          ) : (
                            <Tooltip label="Enable the source to poll it" disabled={s.enabled}>
                              <Button
                                size="compact-xs"
                                variant="light"
                                disabled={!s.enabled}
                                loading={poll.isPending && poll.variables === s.id}
                                data-testid="source-poll"
                                onClick={() =>
                                  poll.mutate(s.id, {
                                    onSuccess: () => {
                                      notifySuccess(`${s.name}: the result shows here in a moment.`, 'Poll queued');
                                      onPolled(s.id);
                                    },
                                    onError: (e) => notifyError(e, 'Could not queue the poll'),
                                  })
                                }
                              >
                                Poll now
                              </Button>
                            </Tooltip>
                          )}
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            color={s.enabled ? 'orange' : 'teal'}
                            loading={
                              update.isPending &&
                              update.variables?.id === s.id &&
                              update.variables.body.enabled !== undefined &&
                              Object.keys(update.variables.body).length === 1
                            }
                            data-testid="source-toggle"
                            data-enabled={String(s.enabled)}
                            onClick={() =>
                              update.mutate(
                                { id: s.id, body: { enabled: !s.enabled } },
                                {
                                  onSuccess: (v) =>
                                    notifySuccess(
                                      `${v.name} is now ${v.enabled ? 'enabled' : 'disabled'}.`,
                                      v.enabled ? 'Source enabled' : 'Source disabled',
                                    ),
                                  onError: (e) => notifyError(e, 'Could not change the source'),
                                },
                              )
                            }
                          >
                            {s.enabled ? 'Disable' : 'Enable'}
                          </Button>
                          <Button size="compact-xs" variant="subtle" onClick={() => setEditing(s)} data-testid="source-edit">
                            Edit
                          </Button>
                          <ConfirmButton
                            size="compact-xs"
                            title={`Delete ${s.name}?`}
                            message="The source stops being polled and is removed. Signals it already recorded stay in the history; the ones still open are closed as of now."
                            loading={del.isPending}
                            testId="source-delete"
                            onConfirm={() =>
                              del.mutateAsync(s.id).then(
                                () => notifySuccess(`${s.name} was deleted.`, 'Signal source deleted'),
                                (e: unknown) => notifyError(e, 'Could not delete the source'),
                              )
                            }
                          >
                            Delete
                          </ConfirmButton>
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                  {push && s.webhookUrl && (
                    <Table.Tr data-testid="source-push-info">
                      <Table.Td colSpan={cols} bg="var(--mantine-color-gray-0)">
                        <PushInfo url={s.webhookUrl} />
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Modal opened={!!editing} onClose={() => setEditing(null)} title={editing ? `Edit ${editing.name}` : ''} size="xl">
        {editing &&
          (plugins ? (
            <SourceForm
              key={editing.id}
              vendor={vendor}
              plugins={plugins}
              source={editing}
              onCancel={() => setEditing(null)}
              onDone={() => setEditing(null)}
            />
          ) : (
            <PageLoader label="Loading the plugin settings…" />
          ))}
      </Modal>
      <Modal opened={!!uploading} onClose={() => setUploading(null)} title={uploading ? `Upload CSV to ${uploading.name}` : ''} size="lg">
        {uploading && <UploadForm key={uploading.id} source={uploading} onClose={() => setUploading(null)} />}
      </Modal>
    </>
  );
}

/** Where and how to push data to a push source (webhook URL and signature scheme). */
function PushInfo({ url }: { url: string }) {
  return (
    <Stack gap={6}>
      <Group gap="xs" wrap="nowrap">
        <Text size="sm" fw={600} style={{ flexShrink: 0 }}>
          Webhook URL
        </Text>
        <Code data-testid="source-webhook-url" style={{ overflowWrap: 'anywhere' }}>
          {url}
        </Code>
        <CopyButton value={url}>
          {({ copied, copy }) => (
            <Button
              size="compact-xs"
              variant={copied ? 'filled' : 'light'}
              color={copied ? 'teal' : undefined}
              onClick={copy}
              data-testid="source-webhook-copy"
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="xs" c="dimmed">
        POST the JSON payload with two headers: <Code>X-Bulwark-Timestamp</Code> = the current time in unix seconds, and{' '}
        <Code>X-Bulwark-Signature</Code> = hex HMAC-SHA256 of <Code>{'<timestamp>.<raw body>'}</Code> keyed with this source&apos;s signing
        secret. Requests outside the replay window or with a wrong signature are refused.
      </Text>
    </Stack>
  );
}

function UploadForm({ source, onClose }: { source: SignalSourceView; onClose: () => void }) {
  const upload = useUploadSource();
  const csvText = useCsvText(() => upload.reset());
  const { csv } = csvText;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!csv.trim()) return;
    upload.mutate(
      { id: source.id, csv },
      {
        onSuccess: (res) => {
          if (res.ok)
            notifySuccess(`${res.received} row${res.received === 1 ? '' : 's'} received, ${res.changed} changed.`, 'CSV uploaded');
        },
      },
    );
  };

  return (
    <form onSubmit={submit} data-testid="source-upload-form">
      <Stack gap="sm">
        <CsvInput
          csv={csvText}
          fileTestId="source-upload-file"
          textTestId="source-upload-csv"
          minRows={6}
          maxRows={16}
          onEdit={() => {
            if (upload.data || upload.error) upload.reset();
          }}
        />
        {upload.isError && <ErrorAlert error={upload.error} title="The upload failed" />}
        {upload.data && <UploadOutcome result={upload.data} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {upload.data?.ok ? 'Close' : 'Cancel'}
          </Button>
          <Button type="submit" loading={upload.isPending} disabled={!csv.trim()} data-testid="source-upload-submit">
            Upload
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function UploadOutcome({ result }: { result: UploadResult }) {
  if (result.ok) {
    return (
      <Alert color="teal" variant="light" title="Upload complete" data-testid="source-upload-result" data-ok="true">
        {result.received} row{result.received === 1 ? '' : 's'} received, {result.changed} changed.
      </Alert>
    );
  }
  return (
    <Stack gap="xs">
      <Alert
        color="red"
        variant="light"
        title={result.message || 'Some rows are invalid'}
        data-testid="source-upload-result"
        data-ok="false"
      >
        Fix the rows below and upload again.
      </Alert>
      {result.errors.length > 0 && (
        <Table striped verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Row</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.errors.map((e, i) => (
              <Table.Tr key={`${e.row}-${i}`} data-testid="source-upload-error-row">
                <Table.Td>{e.row}</Table.Td>
                <Table.Td>{e.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
