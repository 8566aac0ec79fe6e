import { Badge } from '@mantine/core';

import type { WaitingOn } from '@bulwark/api-schema';

import { useInboxCount } from '../api/inbox';

/** The navigation badge: how many items wait on `waitingOn` (nothing while loading; a grey 0 when none). */
export function InboxCountBadge({ waitingOn, testId }: { waitingOn: WaitingOn; testId: string }) {
  const count = useInboxCount(waitingOn);
  if (!count.data) return null;
  const n = count.data.count;
  return (
    <Badge
      size="sm"
      circle={n < 10}
      color={n ? 'red' : 'gray'}
      variant={n ? 'filled' : 'light'}
      data-testid={testId}
      aria-label={`${n} waiting`}
    >
      {n}
    </Badge>
  );
}
