import { Group, NativeSelect, Pagination, Paper, Text } from '@mantine/core';
import type { ReactNode } from 'react';

import { enumOptions } from '../lib/format';
import { EmptyState, ErrorAlert, TableSkeleton } from './feedback';

/** The filter bar above a list: a bordered panel of inputs aligned on their baseline. */
export function FilterBar({ children }: { children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" mb="md">
      <Group align="flex-end" gap="md" wrap="wrap">
        {children}
      </Group>
    </Paper>
  );
}

/** What a list needs of its query (a TanStack Query result). */
export interface ListQuery<T> {
  data: T | undefined;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

/**
 * A list's states in one place: the error (with "Try again") when nothing was loaded, skeleton rows
 * while loading, the empty state when `isEmpty`, else the content. Data kept from a previous page stays
 * on screen while the next one loads.
 */
export function ListStates<T>({
  query,
  rows,
  isEmpty,
  empty,
  errorTitle,
  children,
}: {
  query: ListQuery<T>;
  rows: number;
  isEmpty: (data: T) => boolean;
  empty: ReactNode;
  errorTitle?: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isError && !query.data) return <ErrorAlert error={query.error} title={errorTitle} onRetry={() => void query.refetch()} />;
  if (!query.data) return <TableSkeleton rows={rows} />;
  if (isEmpty(query.data)) return <>{empty}</>;
  return <>{children(query.data)}</>;
}

/** An empty list: "No … match these filters" when filtered, else the first-use explanation (and action). */
export function ListEmpty({
  filtered,
  testId,
  title,
  filteredTitle,
  filteredHint = 'Try a different search term or clear the filters.',
  action,
  children,
}: {
  filtered: boolean;
  testId: string;
  title: string;
  filteredTitle: string;
  filteredHint?: string;
  action?: ReactNode;
  children: ReactNode;
}) {
  return (
    <EmptyState title={filtered ? filteredTitle : title} testId={testId} action={filtered ? undefined : action}>
      {filtered ? filteredHint : children}
    </EmptyState>
  );
}

/** How many pages a paged API answer spans (at least one). */
export function pageCount(page: { total: number; pageSize: number } | undefined): number {
  return page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1;
}

/** The current page number from the URL state (`1` when absent or invalid). */
export function pageParam(value: string): number {
  return Math.max(1, Number(value) || 1);
}

/** Under a paged list: the count ("25 vendors") and, when there is more than one page, the pagination. */
export function ListFooter({
  summary,
  summaryTestId,
  page,
  totalPages,
  onPage,
  paginationTestId,
  paginationLabel,
}: {
  summary: ReactNode;
  summaryTestId?: string;
  page: number;
  totalPages: number;
  onPage: (page: number) => void;
  paginationTestId: string;
  paginationLabel?: string;
}) {
  return (
    <Group justify="space-between">
      <Text size="sm" c="dimmed" data-testid={summaryTestId}>
        {summary}
      </Text>
      {totalPages > 1 && (
        <Pagination total={totalPages} value={page} onChange={onPage} data-testid={paginationTestId} aria-label={paginationLabel} />
      )}
    </Group>
  );
}

/** "1 vendor", "25 vendors" (`plural` for irregular nouns: "breaches", "entries"). */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** A list filter over an enum: "All …" (empty value) then the enum's values, humanized. */
export function EnumFilter({
  label,
  allLabel,
  values,
  value,
  onChange,
  testId,
}: {
  label: string;
  allLabel: string;
  values: readonly string[];
  value: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <NativeSelect
      label={label}
      data={[{ value: '', label: allLabel }, ...enumOptions(values)]}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      data-testid={testId}
    />
  );
}
