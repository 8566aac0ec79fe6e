import { Badge, type MantineSize } from '@mantine/core';

import type { AuditItemStatus, AuditStatus } from '@bulwark/api-schema';

import { humanize } from '../../../shared/lib/format';

export const AUDIT_STATUS_COLORS: Record<AuditStatus, string> = {
  draft: 'gray',
  issued: 'blue',
  acknowledged: 'indigo',
  scheduled: 'violet',
  fieldwork: 'grape',
  report_issued: 'cyan',
  closed: 'teal',
  refused: 'red',
  escalated: 'red',
  cancelled: 'gray',
};

export function AuditStatusBadge({ status, size = 'sm' }: { status: AuditStatus; size?: MantineSize }) {
  return (
    <Badge color={AUDIT_STATUS_COLORS[status]} variant="light" size={size} data-testid="audit-status" data-status={status}>
      {humanize(status)}
    </Badge>
  );
}

const ITEM_COLORS: Record<AuditItemStatus, string> = { requested: 'gray', delivered: 'blue', returned: 'orange', accepted: 'teal' };

export function AuditItemStatusBadge({ status }: { status: AuditItemStatus }) {
  return (
    <Badge color={ITEM_COLORS[status]} variant="light" size="sm" data-testid="audit-item-status" data-status={status}>
      {humanize(status)}
    </Badge>
  );
}
