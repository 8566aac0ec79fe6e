import { Alert, Button, Center, Group, List, Loader, Paper, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import type { ReactNode } from 'react';

import { errorMessage, isApiError } from '../api/client';
import type { FieldErrors } from '../lib/forms';

export function PageLoader({ fullScreen = false, label = 'Loading…' }: { fullScreen?: boolean; label?: string }) {
  return (
    <Center mih={fullScreen ? '100vh' : 240} data-testid="page-loader">
      <Stack align="center" gap="xs">
        <Loader aria-label={label} />
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Stack>
    </Center>
  );
}

export function TableSkeleton({ rows = 5 }: { rows?: number }) {
  return (
    <Stack gap="xs" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={32} radius="sm" />
      ))}
    </Stack>
  );
}

/** An error from a query or mutation, with the API message and an optional retry. */
export function ErrorAlert({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const status = isApiError(error) ? error.status : undefined;
  return (
    <Alert
      color="red"
      variant="light"
      title={title ?? (status === 409 ? 'Changed by someone else' : 'Something went wrong')}
      role="alert"
      data-testid="error-alert"
    >
      <Stack gap="xs">
        <Text size="sm">{errorMessage(error)}</Text>
        {onRetry && (
          <Group>
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              Try again
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

/**
 * Summary of a failed form submission. Messages for fields that have an input are shown next
 * to the input; any other field messages are listed here so nothing is lost.
 */
export function FormErrorAlert({
  error,
  clientErrors,
  shownFields = [],
}: {
  error?: unknown;
  clientErrors?: FieldErrors;
  shownFields?: readonly string[];
}) {
  const shown = (path: string) => shownFields.some((f) => path === f || path.startsWith(`${f}.`));
  if (clientErrors && Object.keys(clientErrors).length > 0) {
    const rest = Object.entries(clientErrors).filter(([p]) => !shown(p));
    return (
      <Alert color="red" variant="light" title="Please check the highlighted fields" role="alert" data-testid="form-error">
        {rest.length === 0 ? (
          <Text size="sm">Correct the fields marked in red, then submit again.</Text>
        ) : (
          <List size="sm">
            {rest.map(([p, m]) => (
              <List.Item key={p}>
                {p}: {m}
              </List.Item>
            ))}
          </List>
        )}
      </Alert>
    );
  }
  if (!error) return null;
  const fields = isApiError(error) ? error.fields.filter((f) => !shown(f.path)) : [];
  return (
    <Alert
      color="red"
      variant="light"
      title={isApiError(error) && error.status === 409 ? 'Changed by someone else' : 'Could not save'}
      role="alert"
      data-testid="form-error"
    >
      <Stack gap={4}>
        <Text size="sm">{errorMessage(error)}</Text>
        {fields.length > 0 && (
          <List size="sm">
            {fields.map((f) => (
              <List.Item key={f.path}>
                {f.path}: {f.message}
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Alert>
  );
}

export function EmptyState({
  title,
  children,
  action,
  testId = 'empty-state',
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  testId?: string;
}) {
  return (
    <Paper withBorder radius="md" p="xl" data-testid={testId}>
      <Stack align="center" gap="xs" ta="center">
        <ThemeIcon variant="light" size="xl" radius="xl" aria-hidden>
          ∅
        </ThemeIcon>
        <Text fw={600}>{title}</Text>
        {children && (
          <Text size="sm" c="dimmed" maw={520}>
            {children}
          </Text>
        )}
        {action}
      </Stack>
    </Paper>
  );
}
