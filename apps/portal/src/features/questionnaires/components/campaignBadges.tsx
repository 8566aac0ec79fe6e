import { Badge } from '@mantine/core';

import { CAMPAIGN_RECURRENCE_LABELS, type CampaignRecurrence, type CampaignStatus } from '@bulwark/api-schema';

const STATUS_COLOR: Record<CampaignStatus, string> = { active: 'teal', paused: 'yellow', completed: 'gray', cancelled: 'red' };
const STATUS_LABEL: Record<CampaignStatus, string> = { active: 'Active', paused: 'Paused', completed: 'Completed', cancelled: 'Cancelled' };

export function CampaignStatusBadge({ status, testId = 'campaign-status' }: { status: CampaignStatus; testId?: string }) {
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-testid={testId} data-status={status}>
      {STATUS_LABEL[status]}
    </Badge>
  );
}

/** "Yearly", "Quarterly"… or "Once". */
export function recurrenceLabel(r: CampaignRecurrence | null): string {
  return r ? CAMPAIGN_RECURRENCE_LABELS[r] : 'Once';
}
