import {
  Anchor,
  Badge,
  Button,
  Code,
  Drawer,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Timeline,
  Title,
  UnstyledButton,
} from '@mantine/core';

import type { SignalChangeView, SignalView } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { ErrorAlert } from '../../../shared/components/feedback';
import { formatDateTime, humanize } from '../../../shared/lib/format';
import { isInternal } from '../../identity/lib/permissions';
import { signalRawUrl, useSignal, useSignalHistory } from '../api/signals';
import { LevelBadge, levelColor } from './LevelBadge';

/** A signal's title as a button that opens its detail drawer (keyboard: Tab, then Enter or Space). */
export function SignalTitleButton({ signal: s, onOpen, testId }: { signal: SignalView; onOpen: (s: SignalView) => void; testId: string }) {
  return (
    <UnstyledButton
      onClick={() => onOpen(s)}
      data-testid={testId}
      aria-haspopup="dialog"
      aria-label={`Open details of ${s.title}`}
      className="signal-title-button"
    >
      <Text size="sm" fw={500} c="blue.8" td="underline" style={{ textUnderlineOffset: 3 }} data-testid="signal-title">
        {s.title}
      </Text>
    </UnstyledButton>
  );
}

function Field({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" data-testid={testId} style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Stack>
  );
}

/**
 * One signal in a drawer: what it says, its recorded states as a timeline, and (for internal roles)
 * the raw body it was read from, with a download checked against its SHA-256 by the server.
 * The drawer traps focus, closes with Escape and returns focus to the row that opened it.
 */
export function SignalDrawer({
  signalId,
  initial,
  onClose,
}: {
  signalId: string | null;
  initial?: SignalView | null;
  onClose: () => void;
}) {
  const detail = useSignal(signalId);
  const s = detail.data ?? initial ?? null;
  return (
    <Drawer
      opened={!!signalId}
      onClose={onClose}
      position="right"
      size="lg"
      title={
        <Title order={2} size="h4">
          Signal detail
        </Title>
      }
      data-testid="signal-drawer"
      closeButtonProps={{ 'aria-label': 'Close signal detail' }}
    >
      {detail.isError && !s ? (
        <ErrorAlert error={detail.error} title="Could not load the signal" onRetry={() => void detail.refetch()} />
      ) : !s ? (
        <Stack>
          <Skeleton h={24} />
          <Skeleton h={120} />
        </Stack>
      ) : (
        <SignalDetail signal={s} />
      )}
    </Drawer>
  );
}

/**
 * When it started: an incident's or maintenance's start; for what has no start (a component's status,
 * a source's marker, a score), when its current level began, from its history (`stateSince`, only on
 * the loaded detail: "…" until then).
 */
function StartField({ signal: s }: { signal: SignalView & { stateSince?: string | null } }) {
  const started = s.startedAt ?? s.scheduledFor;
  if (started) {
    return (
      <Field label="Started" testId="signal-detail-started">
        {formatDateTime(started)}
      </Field>
    );
  }
  return (
    <Field label="In this state since" testId="signal-detail-since">
      {s.stateSince === undefined ? '…' : s.stateSince ? <time dateTime={s.stateSince}>{formatDateTime(s.stateSince)}</time> : '—'}
    </Field>
  );
}

function SignalDetail({ signal: s }: { signal: SignalView & { stateSince?: string | null } }) {
  const user = useCurrentUser();
  return (
    <Stack gap="lg" data-testid="signal-detail" data-signal-id={s.id}>
      <Stack gap={6}>
        <Text fw={600} size="lg" data-testid="signal-detail-title">
          {s.title}
        </Text>
        <Group gap="xs">
          <LevelBadge level={s.level} size="md" testId="signal-detail-level" />
          {s.lifecycle && (
            <Badge variant="outline" color="gray" data-testid="signal-detail-lifecycle">
              {humanize(s.lifecycle)}
            </Badge>
          )}
          <Badge variant="default">{humanize(s.signalType)}</Badge>
        </Group>
        {s.detail && (
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
            {s.detail}
          </Text>
        )}
      </Stack>

      <SimpleGrid cols={2} spacing="sm">
        <StartField signal={s} />
        <Field label="Last update">{formatDateTime(s.updatedAt)}</Field>
        <Field label="Resolved">{s.resolvedAt ? formatDateTime(s.resolvedAt) : 'Not resolved'}</Field>
        <Field label="Component / region">{[s.component, s.region].filter(Boolean).join(' · ') || '—'}</Field>
        <Field label="Link">
          {s.url ? (
            <Anchor href={s.url} target="_blank" rel="noopener noreferrer" data-testid="signal-detail-link">
              Provider page ↗
            </Anchor>
          ) : (
            '—'
          )}
        </Field>
        <Field label="External id">{s.externalId}</Field>
      </SimpleGrid>

      <HistorySection id={s.id} />
      {isInternal(user.role) && <EvidenceSection signal={s} />}
    </Stack>
  );
}

function HistorySection({ id }: { id: string }) {
  const history = useSignalHistory(id);
  return (
    <Stack gap="xs" data-testid="signal-history">
      <Title order={3} size="h5">
        State history
      </Title>
      {history.isError ? (
        <ErrorAlert error={history.error} title="Could not load the history" onRetry={() => void history.refetch()} />
      ) : !history.data ? (
        <Skeleton h={80} />
      ) : history.data.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="signal-history-empty">
          No changes recorded yet.
        </Text>
      ) : (
        <Timeline active={history.data.length - 1} bulletSize={14} lineWidth={2} aria-label="State changes, oldest first">
          {history.data.map((h: SignalChangeView, i) => (
            <Timeline.Item key={`${h.stateAt}-${i}`} color={levelColor(h.level)}>
              <Group gap="xs" data-testid="signal-history-item" data-level={h.level} data-lifecycle={h.lifecycle ?? ''}>
                <LevelBadge level={h.level} size="xs" />
                {h.lifecycle && (
                  <Text size="sm" fw={500}>
                    {humanize(h.lifecycle)}
                  </Text>
                )}
                {h.severity !== null && (
                  <Text size="xs" c="dimmed">
                    severity {h.severity}
                  </Text>
                )}
              </Group>
              <Text size="xs" c="dimmed">
                As of {formatDateTime(h.stateAt)} · recorded {formatDateTime(h.recordedAt)}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Stack>
  );
}

function EvidenceSection({ signal: s }: { signal: SignalView }) {
  const ref = s.rawRef;
  return (
    <Stack gap="xs" data-testid="signal-evidence">
      <Title order={3} size="h5">
        Raw evidence
      </Title>
      {!ref ? (
        <Text size="sm" c="dimmed" data-testid="signal-evidence-empty">
          No raw evidence: this signal was stored (polled or pushed) before provenance was recorded, or its feed names no source body.
        </Text>
      ) : (
        <Paper withBorder p="sm" radius="md">
          <Stack gap="xs">
            <Field label={ref.fetchUrl ? 'Fetch URL' : 'Delivered as'} testId="signal-evidence-url">
              {ref.fetchUrl ?? (ref.origin === 'upload' ? 'Uploaded CSV file' : 'Signed webhook delivery')}
            </Field>
            <SimpleGrid cols={2} spacing="xs">
              <Field label={ref.fetchUrl ? 'Fetched at' : 'Received at'} testId="signal-evidence-fetched">
                {formatDateTime(ref.fetchedAt)}
              </Field>
              <Field label="Pointer" testId="signal-evidence-pointer">
                {ref.pointer ? <Code>{ref.pointer}</Code> : 'Whole body'}
              </Field>
            </SimpleGrid>
            <Field label="SHA-256" testId="signal-evidence-sha">
              <Code style={{ wordBreak: 'break-all' }}>{ref.sha256}</Code>
            </Field>
            <Group justify="space-between" align="center">
              <Text size="xs" c="dimmed">
                {ref.contentType ?? 'unknown type'} · {ref.sizeBytes.toLocaleString()} bytes · checked against the hash before download
              </Text>
              <Button
                component="a"
                href={signalRawUrl(s.id)}
                download
                size="compact-sm"
                variant="light"
                data-testid="signal-evidence-download"
                aria-label="Download the raw body"
              >
                Download
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
