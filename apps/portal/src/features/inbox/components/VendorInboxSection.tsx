import { Title } from '@mantine/core';

import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { useInbox } from '../api/inbox';
import { InboxTable } from './InboxTable';

/** Vendor home, at the top: everything waiting on the contact's vendor, across kinds, newest first. */
export function VendorInboxSection() {
  const inbox = useInbox('vendor');
  const data = inbox.data;
  return (
    <section id="inbox" aria-labelledby="vendor-inbox-title" data-testid="vendor-home-inbox">
      <Title order={3} size="h4" mb="sm" id="vendor-inbox-title">
        Waiting on you{data ? ` (${data.total})` : ''}
      </Title>
      {inbox.isError && !data ? (
        <ErrorAlert error={inbox.error} title="Could not load what is waiting on you" onRetry={() => void inbox.refetch()} />
      ) : !data ? (
        <TableSkeleton rows={2} />
      ) : data.items.length === 0 ? (
        <EmptyState title="Nothing is waiting on you" testId="vendor-inbox-empty">
          Proposed SLA terms, breaches to review and other requests appear here as soon as they need your answer.
        </EmptyState>
      ) : (
        <InboxTable items={data.items} showVendor={false} testId="vendor-inbox-table" />
      )}
      {data && data.total > data.items.length && (
        <Title order={6} c="dimmed" mt="xs">
          Showing the {data.items.length} newest of {data.total}.
        </Title>
      )}
    </section>
  );
}
