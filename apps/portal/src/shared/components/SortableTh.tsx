import { Table, UnstyledButton } from '@mantine/core';
import type { ReactNode } from 'react';

/** A column header that toggles `key` / `-key` sorting; announces the order to screen readers. */
export function SortableTh({
  children,
  sortKey,
  sort,
  onSort,
  testId,
}: {
  children: ReactNode;
  sortKey: string;
  sort: string;
  onSort: (next: string) => void;
  testId?: string;
}) {
  const active = sort === sortKey || sort === `-${sortKey}`;
  const desc = sort === `-${sortKey}`;
  return (
    <Table.Th aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton
        onClick={() => onSort(active && !desc ? `-${sortKey}` : sortKey)}
        fw={700}
        fz="sm"
        data-testid={testId ?? `sort-${sortKey}`}
        style={{ display: 'inline-flex', gap: 4, alignItems: 'center' }}
      >
        {children}
        <span aria-hidden style={{ opacity: active ? 1 : 0.3 }}>
          {active ? (desc ? '▼' : '▲') : '⇅'}
        </span>
      </UnstyledButton>
    </Table.Th>
  );
}

/** The props every sortable header of a list shares: the current sort and how to change it. */
export function sortProps(sort: string, onSort: (next: string) => void): { sort: string; onSort: (next: string) => void } {
  return { sort, onSort };
}
