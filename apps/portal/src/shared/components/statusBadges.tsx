import { Badge, type MantineSize } from '@mantine/core';

import type { BreachStatus, CommitmentStatus, ContractStatus, NegotiationStatus } from '@bulwark/api-schema';

import { humanize } from '../lib/format';

export const CONTRACT_STATUS_COLORS: Record<ContractStatus, string> = {
  draft: 'gray',
  active: 'teal',
  expired: 'orange',
  terminated: 'dark',
};

export function ContractStatusBadge({
  status,
  size = 'sm',
  testId = 'contract-status',
}: {
  status: ContractStatus;
  size?: MantineSize;
  testId?: string;
}) {
  return (
    <Badge
      color={CONTRACT_STATUS_COLORS[status]}
      variant="light"
      size={size}
      data-testid={testId}
      data-status={status}
      style={{ minWidth: 'max-content' }}
    >
      {humanize(status)}
    </Badge>
  );
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
    <Badge
      color={NEGOTIATION_STATUS_COLORS[status]}
      variant={status === 'signed_off' ? 'filled' : 'light'}
      size={size}
      data-testid={testId}
      data-status={status}
      style={{ minWidth: 'max-content' }}
    >
      {NEGOTIATION_STATUS_LABELS[status]}
    </Badge>
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
  return (
    <Badge
      color={BREACH_STATUS_COLORS[status]}
      variant="light"
      size={size}
      data-testid={testId}
      data-status={status}
      style={{ minWidth: 'max-content' }}
    >
      {humanize(status)}
    </Badge>
  );
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
    <Badge
      color={COMMITMENT_COLORS[status]}
      variant={status === 'contract_gap' ? 'filled' : 'light'}
      size="sm"
      data-testid={testId}
      data-status={status}
      style={{ minWidth: 'max-content' }}
    >
      {COMMITMENT_LABELS[status]}
    </Badge>
  );
}
