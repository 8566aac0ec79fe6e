import { Badge, Group, Paper, Text, Timeline, Title } from '@mantine/core';
import type { ReactNode } from 'react';

import { formatDateTime, humanize } from '../lib/format';

/** One step in a workflow's history (a finding's, an audit's): what happened, who did it, from which side. */
export interface WorkflowEvent {
  id: string;
  kind: string;
  toStatus: string | null;
  actorSide: 'vendor' | 'internal' | 'system';
  actorName: string | null;
  at: string;
  note: string | null;
}

const SIDE_COLOR = { vendor: 'orange', internal: 'blue', system: 'gray' } as const;

/**
 * A workflow's history as a timeline, oldest first: each step named (a transition by the status it reached),
 * its side, time, actor and note; `extra` adds what a step carries besides (a finding's evidence).
 * Test ids: `<testId>-history` on the panel, `<testId>-event` (with `data-kind`) on each step.
 */
export function WorkflowHistory<E extends WorkflowEvent>({
  events,
  testId,
  extra,
}: {
  events: readonly E[];
  testId: string;
  extra?: (event: E) => ReactNode;
}) {
  return (
    <Paper withBorder p="lg" radius="md" data-testid={`${testId}-history`}>
      <Title order={3} size="h4" mb="sm">
        History
      </Title>
      <Timeline bulletSize={14} lineWidth={2}>
        {events.map((e) => (
          <Timeline.Item
            key={e.id}
            data-testid={`${testId}-event`}
            data-kind={e.kind}
            title={
              <Group gap={6}>
                <Text size="sm" fw={600}>
                  {e.kind === 'transition' && e.toStatus ? humanize(e.toStatus) : humanize(e.kind)}
                </Text>
                <Badge size="xs" variant="light" color={SIDE_COLOR[e.actorSide]}>
                  {e.actorSide}
                </Badge>
              </Group>
            }
          >
            <Text size="xs" c="dimmed">
              {formatDateTime(e.at)}
              {e.actorName ? ` · ${e.actorName}` : ''}
            </Text>
            {e.note && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {e.note}
              </Text>
            )}
            {extra?.(e)}
          </Timeline.Item>
        ))}
      </Timeline>
    </Paper>
  );
}
