import { Badge, Stack, Tabs, Text } from '@mantine/core';

import type { WaitingOn } from '@bulwark/api-schema';

import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { PageHeader } from '../../../shared/components/PageHeader';
import { useUrlState } from '../../../shared/lib/useUrlState';
import { useInbox } from '../api/inbox';
import { InboxTable } from '../components/InboxTable';

const EMPTY: Record<WaitingOn, { title: string; body: string }> = {
  us: {
    title: 'Nothing is waiting on us',
    body: 'Counter-proposals, disputed breaches, renewal notices due within 30 days and other work for your team appear here.',
  },
  vendor: {
    title: 'Nothing is waiting on vendors',
    body: 'Proposed SLA terms, breaches for vendors to review and other requests appear here while a vendor has to answer.',
  },
};

function InboxTab({ waitingOn }: { waitingOn: WaitingOn }) {
  const inbox = useInbox(waitingOn);
  const data = inbox.data;
  if (inbox.isError && !data)
    return <ErrorAlert error={inbox.error} title="Could not load the inbox" onRetry={() => void inbox.refetch()} />;
  if (!data) return <TableSkeleton rows={3} />;
  if (!data.items.length)
    return (
      <EmptyState title={EMPTY[waitingOn].title} testId={`inbox-empty-${waitingOn}`}>
        {EMPTY[waitingOn].body}
      </EmptyState>
    );
  return (
    <Stack gap="xs">
      <InboxTable items={data.items} showVendor testId={`inbox-table-${waitingOn}`} />
      {data.total > data.items.length && (
        <Text size="sm" c="dimmed">
          Showing the {data.items.length} newest of {data.total}.
        </Text>
      )}
    </Stack>
  );
}

function TabCount({ waitingOn }: { waitingOn: WaitingOn }) {
  const inbox = useInbox(waitingOn);
  return inbox.data ? (
    <Badge size="sm" variant="light" color={inbox.data.total ? 'blue' : 'gray'} data-testid={`inbox-tab-count-${waitingOn}`}>
      {inbox.data.total}
    </Badge>
  ) : null;
}

/** Staff inbox: what waits on us and what waits on vendors, across kinds, newest first. */
export function InboxPage() {
  const [state, set] = useUrlState({ tab: 'us' });
  const side: WaitingOn = state.tab === 'vendor' ? 'vendor' : 'us';
  return (
    <>
      <PageHeader
        title="Inbox"
        testId="inbox-title"
        description="Open work across negotiations, breaches, contracts and vendor requests, newest first. Open a row to act on it."
      />
      <Tabs value={side} onChange={(v) => set({ tab: v === 'vendor' ? 'vendor' : 'us' })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="us" rightSection={<TabCount waitingOn="us" />} data-testid="inbox-tab-us">
            Waiting on us
          </Tabs.Tab>
          <Tabs.Tab value="vendor" rightSection={<TabCount waitingOn="vendor" />} data-testid="inbox-tab-vendor">
            Waiting on vendors
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="us">
          <InboxTab waitingOn="us" />
        </Tabs.Panel>
        <Tabs.Panel value="vendor">
          <InboxTab waitingOn="vendor" />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
