import { Anchor, Badge, Paper, Stack, Table, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router';

import type { InboxItem } from '@bulwark/api-schema';

import { TableHead, useRowLink } from '../../../shared/components/DataTable';
import { daysUntil, formatDate, formatDateTime, humanize } from '../../../shared/lib/format';

/** How each kind reads in the list; kinds registered later without an entry show by name. */
const KINDS: Record<string, { label: string; icon: string; color: string }> = {
  negotiation: { label: 'Negotiation', icon: '⇆', color: 'indigo' },
  breach: { label: 'Breach', icon: '⚠', color: 'red' },
  renewal_notice: { label: 'Renewal notice', icon: '§', color: 'grape' },
  finding: { label: 'Finding', icon: '✎', color: 'orange' },
  audit: { label: 'Audit', icon: '⌕', color: 'violet' },
  evidence: { label: 'Evidence', icon: '▣', color: 'teal' },
  questionnaire_request: { label: 'Questionnaire', icon: '☑', color: 'blue' },
};

export function kindOf(kind: string) {
  return KINDS[kind] ?? { label: humanize(kind), icon: '•', color: 'gray' };
}

/** Badges and dates keep to one line; the title takes the room left. */
const NOWRAP = { whiteSpace: 'nowrap' } as const;
/** A badge's label never truncated (Mantine clips it when the table squeezes the column). */
const WHOLE = { label: { overflow: 'visible' } } as const;

/** The due date, red when overdue and orange within a week. */
function DueDate({ date }: { date: string | null }) {
  if (!date) return <Text c="dimmed">—</Text>;
  const days = daysUntil(date);
  const overdue = days < 0;
  const soon = !overdue && days <= 7;
  return (
    <Stack gap={2} align="flex-start">
      <Text size="sm" c={overdue ? 'red' : soon ? 'orange' : undefined} fw={overdue ? 600 : undefined}>
        {formatDate(date)}
      </Text>
      {overdue ? (
        <Badge color="red" size="sm" variant="filled" styles={WHOLE} data-testid="inbox-overdue">
          Overdue {-days} d
        </Badge>
      ) : days === 0 ? (
        <Badge color="orange" size="sm" variant="light" styles={WHOLE}>
          Today
        </Badge>
      ) : soon ? (
        <Badge color="orange" size="sm" variant="light" styles={WHOLE}>
          in {days} d
        </Badge>
      ) : null}
    </Stack>
  );
}

/** One list of work across kinds, newest first: kind, title (opens the record), vendor, state, due date, last change. */
export function InboxTable({ items, showVendor, testId = 'inbox-table' }: { items: InboxItem[]; showVendor: boolean; testId?: string }) {
  const rowLink = useRowLink();
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={640}>
        <Table highlightOnHover verticalSpacing="sm" data-testid={testId}>
          <TableHead columns={['Kind', 'What', showVendor && 'Vendor', 'State', 'Due', 'Updated']} />
          <Table.Tbody>
            {items.map((i) => {
              const k = kindOf(i.kind);
              return (
                <Table.Tr key={`${i.kind}:${i.id}`} {...rowLink(i.link)} data-testid="inbox-row" data-kind={i.kind} data-id={i.id}>
                  <Table.Td style={NOWRAP}>
                    <Badge color={k.color} variant="light" styles={WHOLE} leftSection={<span aria-hidden>{k.icon}</span>}>
                      {k.label}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={i.link} size="sm" fw={500}>
                      {i.title}
                    </Anchor>
                  </Table.Td>
                  {showVendor && <Table.Td>{i.vendorName}</Table.Td>}
                  <Table.Td style={NOWRAP}>
                    <Badge variant="outline" color="gray" styles={WHOLE} data-testid="inbox-state">
                      {humanize(i.state)}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={NOWRAP}>
                    <DueDate date={i.dueDate} />
                  </Table.Td>
                  <Table.Td style={NOWRAP}>
                    <Tooltip label={formatDateTime(i.updatedAt)}>
                      <Text size="sm" c="dimmed">
                        {formatDate(i.updatedAt)}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
