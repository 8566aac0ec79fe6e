import { Badge, type MantineSize } from '@mantine/core';

import type { BreachStatus, CommitmentStatus, ContractStatus, MonitoringState, NegotiationStatus } from '@bulwark/api-schema';

import { humanize } from '../lib/format';

export const CONTRACT_STATUS_COLORS: Record<ContractStatus, string> = {
  draft: 'gray',
  active: 'teal',
  expired: 'orange',
  terminated: 'dark',
};

/** The one status badge: a light (or filled, or outlined) badge naming the status, with its value in `data-status`. */
function StatusBadge({
  status,
  color,
  label,
  filled = false,
  variant,
  size = 'sm',
  testId,
  title,
}: {
  status: string;
  color: string;
  label: string;
  filled?: boolean;
  variant?: 'outline' | 'default';
  size?: MantineSize;
  testId: string;
  title?: string;
}) {
  return (
    <Badge
      color={color}
      variant={variant ?? (filled ? 'filled' : 'light')}
      title={title}
      size={size}
      data-testid={testId}
      data-status={status}
      style={{ minWidth: 'max-content' }}
    >
      {label}
    </Badge>
  );
}

export function ContractStatusBadge({
  status,
  size = 'sm',
  testId = 'contract-status',
}: {
  status: ContractStatus;
  size?: MantineSize;
  testId?: string;
}) {
  return <StatusBadge status={status} color={CONTRACT_STATUS_COLORS[status]} label={humanize(status)} size={size} testId={testId} />;
}

/** A closed window's verdict, or for the open window a provisional "At risk" / "On track". */
export function BreachBadge({
  breached,
  open,
  atRisk,
  testId = 'attainment-breach',
}: {
  breached: boolean;
  open?: boolean;
  atRisk?: boolean;
  testId?: string;
}) {
  if (open && atRisk) {
    return (
      <Badge
        color="orange"
        variant="light"
        size="sm"
        style={{ minWidth: 'max-content' }}
        data-testid={testId}
        data-breached="false"
        data-at-risk="true"
      >
        At risk
      </Badge>
    );
  }
  if (breached) {
    return (
      <Badge color="red" variant="filled" size="sm" style={{ minWidth: 'max-content' }} data-testid={testId} data-breached="true">
        Breached
      </Badge>
    );
  }
  return (
    <Badge
      color={open ? 'gray' : 'teal'}
      variant="light"
      size="sm"
      style={{ minWidth: 'max-content' }}
      data-testid={testId}
      data-breached="false"
    >
      {open ? 'On track' : 'Met'}
    </Badge>
  );
}

export const NEGOTIATION_STATUS_COLORS: Record<NegotiationStatus, string> = {
  proposed: 'blue',
  countered: 'orange',
  agreed: 'teal',
  signed_off: 'green',
  cancelled: 'gray',
};
const NEGOTIATION_STATUS_LABELS: Record<NegotiationStatus, string> = {
  proposed: 'Proposed',
  countered: 'Countered',
  agreed: 'Agreed',
  signed_off: 'Signed off',
  cancelled: 'Cancelled',
};

export function NegotiationStatusBadge({
  status,
  size = 'sm',
  testId = 'negotiation-status',
}: {
  status: NegotiationStatus;
  size?: MantineSize;
  testId?: string;
}) {
  return (
    <StatusBadge
      status={status}
      color={NEGOTIATION_STATUS_COLORS[status]}
      label={NEGOTIATION_STATUS_LABELS[status]}
      filled={status === 'signed_off'}
      size={size}
      testId={testId}
    />
  );
}

export const BREACH_STATUS_COLORS: Record<BreachStatus, string> = {
  open: 'red',
  disputed: 'orange',
  upheld: 'dark',
  waived: 'teal',
  withdrawn: 'gray',
};

export function BreachStatusBadge({
  status,
  size = 'sm',
  testId = 'breach-status',
}: {
  status: BreachStatus;
  size?: MantineSize;
  testId?: string;
}) {
  return <StatusBadge status={status} color={BREACH_STATUS_COLORS[status]} label={humanize(status)} size={size} testId={testId} />;
}

const COMMITMENT_COLORS: Record<CommitmentStatus, string> = { covered: 'green', contract_gap: 'red', test_gap: 'orange', untested: 'gray' };
const COMMITMENT_LABELS: Record<CommitmentStatus, string> = {
  covered: 'Covered',
  contract_gap: 'Contract gap',
  test_gap: 'Test gap',
  untested: 'Untested',
};

export function CommitmentStatusBadge({ status, testId = 'commitment-status' }: { status: CommitmentStatus; testId?: string }) {
  return (
    <StatusBadge
      status={status}
      color={COMMITMENT_COLORS[status]}
      label={COMMITMENT_LABELS[status]}
      filled={status === 'contract_gap'}
      testId={testId}
    />
  );
}

/**
 * Whether anything watches a vendor or service, drawn apart from the signal levels (which are light or
 * filled): "Not monitored" plain grey, "Stale" amber and "Failing" red outlines, "Awaiting first read" a
 * cyan outline. `monitored` has no badge of its own: the level says it.
 */
export const MONITORING_LABELS: Record<MonitoringState, string> = {
  monitored: 'Monitored',
  pending: 'Awaiting first read',
  failing: 'Failing',
  stale: 'Stale',
  not_monitored: 'Not monitored',
};
const MONITORING_STYLE: Record<MonitoringState, { color: string; variant: 'outline' | 'default' }> = {
  monitored: { color: 'teal', variant: 'outline' },
  pending: { color: 'cyan', variant: 'outline' },
  failing: { color: 'red', variant: 'outline' },
  stale: { color: 'yellow.8', variant: 'outline' },
  not_monitored: { color: 'gray', variant: 'default' },
};
export const MONITORING_HINTS: Record<MonitoringState, string> = {
  monitored: 'A source read its feed recently.',
  pending: 'A source was added and has not read its feed yet.',
  failing: 'The latest polls of its sources failed: what they said before no longer counts.',
  stale: 'No source has read its feed for more than three polling intervals: the status may be out of date.',
  not_monitored: 'No enabled source watches it: nothing is known about its status.',
};

export function MonitoringBadge({
  state,
  size = 'sm',
  testId = 'monitoring-badge',
}: {
  state: MonitoringState;
  size?: MantineSize;
  testId?: string;
}) {
  return (
    <StatusBadge
      status={state}
      color={MONITORING_STYLE[state].color}
      variant={MONITORING_STYLE[state].variant}
      label={MONITORING_LABELS[state]}
      title={MONITORING_HINTS[state]}
      size={size}
      testId={testId}
    />
  );
}
