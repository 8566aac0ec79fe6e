import { Badge } from '@mantine/core';

import type { TemplateStatus, WarningSeverity } from '@bulwark/api-schema';

const STATUS: Record<TemplateStatus, { color: string; label: string }> = {
  draft: { color: 'blue', label: 'Draft' },
  published: { color: 'teal', label: 'Published' },
  archived: { color: 'gray', label: 'Archived' },
};

export function TemplateStatusBadge({ status, testId = 'template-status' }: { status: TemplateStatus; testId?: string }) {
  const s = STATUS[status];
  return (
    <Badge color={s.color} variant="light" data-testid={testId} data-status={status}>
      {s.label}
    </Badge>
  );
}

export const SEVERITY_COLOR: Record<WarningSeverity, string> = {
  info: 'blue',
  low: 'gray',
  medium: 'yellow',
  high: 'orange',
  critical: 'red',
};
