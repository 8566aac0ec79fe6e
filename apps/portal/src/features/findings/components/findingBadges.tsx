import { Badge, type MantineSize } from '@mantine/core';

import type { FindingSeverity, FindingStatus } from '@bulwark/api-schema';

import { TIER_COLORS } from '../../../shared/components/badges';
import { humanize } from '../../../shared/lib/format';

export const FINDING_STATUS_COLORS: Record<FindingStatus, string> = {
  open: 'red',
  plan_proposed: 'blue',
  changes_requested: 'orange',
  plan_accepted: 'indigo',
  in_remediation: 'grape',
  ready_for_verification: 'cyan',
  closed: 'teal',
  risk_accepted: 'gray',
};

export function FindingStatusBadge({ status, size = 'sm' }: { status: FindingStatus; size?: MantineSize }) {
  return (
    <Badge color={FINDING_STATUS_COLORS[status]} variant="light" size={size} data-testid="finding-status" data-status={status}>
      {humanize(status)}
    </Badge>
  );
}

/** Severities read like tiers: the same four words and colours. */
export function SeverityBadge({ severity, size = 'sm' }: { severity: FindingSeverity; size?: MantineSize }) {
  return (
    <Badge color={TIER_COLORS[severity]} variant="filled" size={size} data-testid="finding-severity" data-severity={severity}>
      {severity}
    </Badge>
  );
}

export function OverdueBadge() {
  return (
    <Badge color="red" variant="outline" size="sm" data-testid="finding-overdue">
      Overdue
    </Badge>
  );
}
