import { Badge, Group, Tooltip } from '@mantine/core';

import type { Criticality, Lifecycle, Tier } from '@bulwark/api-schema';

import { humanize } from '../lib/format';

export const TIER_COLORS: Record<Tier, string> = { critical: 'red', high: 'orange', medium: 'yellow', low: 'green' };
const LIFECYCLE_COLORS: Record<Lifecycle, string> = {
  prospect: 'gray',
  onboarding: 'blue',
  active: 'teal',
  exiting: 'orange',
  terminated: 'dark',
};

export function TierBadge({
  tier,
  overridden = false,
  size = 'md',
}: {
  tier: Tier;
  overridden?: boolean;
  size?: 'xs' | 'sm' | 'md' | 'lg';
}) {
  return (
    <Group gap={4} wrap="nowrap" display="inline-flex">
      <Badge
        color={TIER_COLORS[tier]}
        variant="filled"
        size={size}
        data-testid="tier-badge"
        data-tier={tier}
        autoContrast
        style={{ minWidth: 'max-content' }}
      >
        {humanize(tier)}
      </Badge>
      {overridden && (
        <Tooltip label="Tier set manually (override)">
          <Badge color={TIER_COLORS[tier]} variant="outline" size={size === 'lg' ? 'md' : 'xs'} data-testid="tier-override-mark">
            override
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}

export function CriticalityBadge({ value, size = 'sm' }: { value: Criticality; size?: 'xs' | 'sm' | 'md' }) {
  return (
    <Badge
      color={TIER_COLORS[value]}
      variant="light"
      size={size}
      data-testid="criticality-badge"
      data-criticality={value}
      style={{ minWidth: 'max-content' }}
    >
      {humanize(value)}
    </Badge>
  );
}

export function LifecycleBadge({ value, size = 'sm' }: { value: Lifecycle; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  return (
    <Badge
      color={LIFECYCLE_COLORS[value]}
      variant="light"
      size={size}
      data-testid="lifecycle-badge"
      data-lifecycle={value}
      style={{ minWidth: 'max-content' }}
    >
      {humanize(value)}
    </Badge>
  );
}

export function SpofBadge() {
  return (
    <Tooltip label="Single point of failure: no alternative service or contingency">
      <Badge color="red" variant="filled" size="sm" data-testid="spof-badge">
        SPOF
      </Badge>
    </Tooltip>
  );
}
