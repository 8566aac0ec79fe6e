import { Table } from '@mantine/core';
import type { MouseEvent } from 'react';
import { useNavigate } from 'react-router';

/** A table's header row; `false` entries are columns hidden in this view (e.g. `showVendor && 'Vendor'`). */
export function TableHead({ columns }: { columns: (string | false)[] }) {
  return (
    <Table.Thead>
      <Table.Tr>{columns.map((label) => label !== false && <Table.Th key={label}>{label}</Table.Th>)}</Table.Tr>
    </Table.Thead>
  );
}

/** Props that make a whole table row open `to`, except when the click lands on a link or button inside it. */
export function useRowLink() {
  const navigate = useNavigate();
  return (to: string) => ({
    className: 'clickable-row',
    onClick: (e: MouseEvent) => {
      if ((e.target as HTMLElement).closest('a,button')) return;
      void navigate(to);
    },
  });
}
