import { Alert, Anchor, Button, Checkbox, Code, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { Fragment, useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import type { AuditEntryView, AuditVerifyStatus } from '@bulwark/api-schema';

import { toQueryString } from '../../../shared/api/client';
import { EmptyState, ErrorAlert } from '../../../shared/components/feedback';
import { countOf, ListFooter, ListStates, pageCount, pageParam } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { SortableTh } from '../../../shared/components/SortableTh';
import { formatDateTime } from '../../../shared/lib/format';
import { useUrlState } from '../../../shared/lib/useUrlState';
import { useAuditLog, useVerifyAuditChain } from '../api/audit';

const PAGE_SIZE = 50;

const VERIFY_TITLES: Record<AuditVerifyStatus, string> = {
  ok: 'Chain intact',
  tampered: 'Chain broken: tampered',
  truncated: 'Chain broken: entries missing at the end',
  deleted: 'Chain broken: every entry deleted',
};

const ENTITY_LINKS: Record<string, (id: string) => string> = {
  vendor: (id) => `/vendors/${id}`,
  system: (id) => `/systems/${id}`,
  internal_system: (id) => `/systems/${id}`,
  contract: (id) => `/contracts/${id}`,
  sla: (id) => `/slas/${id}`,
  negotiation: (id) => `/negotiations/${id}`,
  sla_breach: (id) => `/breaches/${id}`,
};
// Signal sources are shown by name; they have no page of their own (they live on their vendor's Signals tab).

function summarizeDiff(diff: Record<string, unknown> | null): string {
  if (!diff) return '—';
  const keys = Object.keys(diff);
  if (keys.length === 0) return '—';
  const shown = keys.slice(0, 3).join(', ');
  return keys.length > 3 ? `${shown} +${keys.length - 3} more` : shown;
}

export function AuditLogPage() {
  const [state, setState] = useUrlState({ entityType: '', action: '', from: '', to: '', hideSignIns: '', page: '1', sort: '-seq' });
  const [draft, setDraft] = useState({ entityType: state.entityType, action: state.action, from: state.from, to: state.to });
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const page = pageParam(state.page);
  const filters = {
    entityType: state.entityType || undefined,
    action: state.action || undefined,
    from: state.from || undefined,
    to: state.to || undefined,
    hideSignIns: state.hideSignIns === 'true' ? ('true' as const) : undefined,
  };
  const log = useAuditLog({ ...filters, page, pageSize: PAGE_SIZE, sort: state.sort || '-seq' });
  const onSort = (sort: string) => setState({ sort, page: '1' });
  const verify = useVerifyAuditChain();
  const data = log.data;
  const totalPages = pageCount(data);
  const exportHref = `/api/audit-log/export${toQueryString(filters)}`;

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setState({ entityType: draft.entityType.trim(), action: draft.action.trim(), from: draft.from, to: draft.to });
  };

  const toggle = (id: string) =>
    setExpanded((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  return (
    <>
      <PageHeader
        title="Audit log"
        testId="audit-title"
        description="Every change, hash-chained and sealed with a key, so tampering and deletion are detectable."
        actions={
          <>
            <Button variant="light" onClick={() => verify.mutate()} loading={verify.isPending} data-testid="audit-verify">
              Verify chain
            </Button>
            <Button component="a" href={exportHref} download="audit-log.csv" variant="default" data-testid="audit-export">
              Export CSV
            </Button>
          </>
        }
      />
      {verify.isError && <ErrorAlert error={verify.error} title="Verification failed to run" />}
      {verify.data &&
        (verify.data.ok ? (
          <Alert
            color="teal"
            variant="light"
            mb="md"
            title="Chain intact"
            data-testid="audit-verify-result"
            data-ok="true"
            data-status={verify.data.status}
            withCloseButton
            onClose={() => verify.reset()}
          >
            {verify.data.detail}
          </Alert>
        ) : (
          <Alert
            color="red"
            variant="light"
            mb="md"
            title={VERIFY_TITLES[verify.data.status]}
            data-testid="audit-verify-result"
            data-ok="false"
            data-status={verify.data.status}
            withCloseButton
            onClose={() => verify.reset()}
          >
            {verify.data.detail} {verify.data.checked} entries verified before that.
          </Alert>
        ))}

      <Paper withBorder p="md" radius="md" mb="md">
        <form onSubmit={apply} data-testid="audit-filters">
          <Group align="flex-end" gap="md" wrap="wrap">
            <TextInput
              label="Entity type"
              placeholder="e.g. vendor"
              value={draft.entityType}
              onChange={(e) => setDraft({ ...draft, entityType: e.currentTarget.value })}
              data-testid="audit-filter-entity-type"
            />
            <TextInput
              label="Action"
              placeholder="e.g. vendor.updated"
              value={draft.action}
              onChange={(e) => setDraft({ ...draft, action: e.currentTarget.value })}
              data-testid="audit-filter-action"
            />
            <TextInput
              label="From"
              type="date"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
              data-testid="audit-filter-from"
            />
            <TextInput
              label="To"
              type="date"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
              data-testid="audit-filter-to"
            />
            <Checkbox
              label="Hide sign-ins"
              mb={8}
              checked={state.hideSignIns === 'true'}
              onChange={(e) => setState({ hideSignIns: e.currentTarget.checked ? 'true' : '', page: '1' })}
              data-testid="audit-filter-hide-sign-ins"
            />
            <Button type="submit" data-testid="audit-filter-apply">
              Apply
            </Button>
            <Button
              variant="subtle"
              onClick={() => {
                setDraft({ entityType: '', action: '', from: '', to: '' });
                setState({ entityType: '', action: '', from: '', to: '' });
              }}
            >
              Reset
            </Button>
          </Group>
        </form>
      </Paper>

      <ListStates
        query={log}
        rows={10}
        isEmpty={(d) => d.items.length === 0}
        empty={
          <EmptyState title="No audit entries" testId="audit-empty">
            No recorded change matches these filters.
          </EmptyState>
        }
      >
        {(data) => (
          <Stack gap="sm">
            <Paper withBorder radius="md">
              <Table.ScrollContainer minWidth={900}>
                <Table verticalSpacing="xs" data-testid="audit-table" style={{ opacity: log.isPlaceholderData ? 0.6 : 1 }}>
                  <Table.Thead>
                    <Table.Tr>
                      <SortableTh sortKey="seq" sort={state.sort} onSort={onSort}>
                        #
                      </SortableTh>
                      <SortableTh sortKey="at" sort={state.sort} onSort={onSort}>
                        Time
                      </SortableTh>
                      <SortableTh sortKey="actorEmail" sort={state.sort} onSort={onSort}>
                        Actor
                      </SortableTh>
                      <SortableTh sortKey="action" sort={state.sort} onSort={onSort}>
                        Action
                      </SortableTh>
                      <SortableTh sortKey="entityType" sort={state.sort} onSort={onSort}>
                        Entity
                      </SortableTh>
                      <Table.Th>Changes</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((e) => (
                      <AuditRow key={e.id} entry={e} expanded={expanded.has(e.id)} onToggle={() => toggle(e.id)} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
            <ListFooter
              summary={countOf(data.total, 'entry', 'entries')}
              page={page}
              totalPages={totalPages}
              onPage={(p) => setState({ page: String(p) })}
              paginationTestId="audit-pagination"
            />
          </Stack>
        )}
      </ListStates>
    </>
  );
}

function AuditRow({ entry: e, expanded, onToggle }: { entry: AuditEntryView; expanded: boolean; onToggle: () => void }) {
  const link = e.entityId ? ENTITY_LINKS[e.entityType]?.(e.entityId) : undefined;
  const hasDiff = !!e.diff && Object.keys(e.diff).length > 0;
  return (
    <Fragment>
      <Table.Tr data-testid="audit-row" data-seq={e.seq} data-action={e.action}>
        <Table.Td>
          <Text size="sm" className="mono">
            {e.seq}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{formatDateTime(e.at)}</Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{e.actorEmail ?? (e.actorId ? e.actorId.slice(0, 8) : 'system')}</Text>
        </Table.Td>
        <Table.Td>
          <Code>{e.action}</Code>
        </Table.Td>
        <Table.Td>
          <Text size="sm" data-testid="audit-entity">
            <Text span size="xs" c="dimmed">
              {e.entityType.replace(/_/g, ' ')}
            </Text>{' '}
            {e.entityId &&
              (link ? (
                <Anchor component={Link} to={link} size="sm" title={e.entityId}>
                  {e.entityName ?? e.entityId.slice(0, 8)}
                </Anchor>
              ) : (
                <Text span size="sm" className={e.entityName ? undefined : 'mono'} title={e.entityId}>
                  {e.entityName ?? e.entityId.slice(0, 8)}
                </Text>
              ))}
          </Text>
        </Table.Td>
        <Table.Td>
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" c={hasDiff ? undefined : 'dimmed'} lineClamp={1}>
              {summarizeDiff(e.diff)}
            </Text>
            {hasDiff && (
              <Button size="compact-xs" variant="subtle" onClick={onToggle} aria-expanded={expanded} data-testid="audit-diff-toggle">
                {expanded ? 'Hide' : 'Show'}
              </Button>
            )}
          </Group>
        </Table.Td>
      </Table.Tr>
      {expanded && hasDiff && (
        <Table.Tr>
          <Table.Td colSpan={6} bg="var(--mantine-color-gray-0)">
            <Code block data-testid="audit-diff">
              {JSON.stringify(e.diff, null, 2)}
            </Code>
            <Text size="xs" c="dimmed" mt={4} className="mono">
              hash {e.hash}
            </Text>
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}
