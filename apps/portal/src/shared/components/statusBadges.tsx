import { Badge, type MantineSize } from '@mantine/core';

import type { BreachStatus, CommitmentStatus, ContractStatus, NegotiationStatus } from '@bulwark/api-schema';

import { humanize } from '../lib/format';

export const CONTRACT_STATUS_COLORS: Record<ContractStatus, string> = {
  draft: 'gray',
  active: 'teal',
  expired: 'orange',
  terminated: 'dark',
};

/** The one status badge: a light (or filled) badge naming the status, with its value in `data-status`. */
function StatusBadge({
  status,
  color,
  label,
  filled = false,
  size = 'sm',
  testId,
}: {
  status: string;
  color: string;
  label: string;
  filled?: boolean;
  size?: MantineSize;
  testId: string;
}) {
  return (
    <Badge
      color={color}
      variant={filled ? 'filled' : 'light'}
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
