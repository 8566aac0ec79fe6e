import { Badge, type MantineSize } from '@mantine/core';

import { SIGNAL_LEVEL_VALUES, type SignalLevelValue } from '@bulwark/api-schema';

/** One colour per signal level, used by every badge, chart and legend. */
export const LEVEL_COLORS: Record<SignalLevelValue, string> = {
  operational: 'green',
  info: 'blue',
  degraded: 'yellow',
  partial_outage: 'orange',
  major_outage: 'red',
  maintenance: 'grape',
  unknown: 'gray',
};

export const LEVEL_LABELS: Record<SignalLevelValue, string> = {
  operational: 'Operational',
  info: 'Info',
  degraded: 'Degraded',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  maintenance: 'Maintenance',
  unknown: 'Unknown',
};

/** Worst first, for sorting and chart stacking: outages, degraded, unknown, maintenance, info, operational. */
export const LEVEL_ORDER: readonly SignalLevelValue[] = [
  'major_outage',
  'partial_outage',
  'degraded',
  'unknown',
  'maintenance',
  'info',
  'operational',
];

export function isSignalLevel(v: unknown): v is SignalLevelValue {
  return typeof v === 'string' && (SIGNAL_LEVEL_VALUES as readonly string[]).includes(v);
}

export function levelLabel(level: string | null | undefined): string {
  if (!level) return LEVEL_LABELS.operational;
  return isSignalLevel(level) ? LEVEL_LABELS[level] : level;
}

export function levelColor(level: string | null | undefined): string {
  if (!level) return LEVEL_COLORS.operational;
  return isSignalLevel(level) ? LEVEL_COLORS[level] : 'gray';
}

/** Rank for "worst of": higher is worse; unknown sits between degraded and maintenance. */
export function levelRank(level: SignalLevelValue): number {
  return LEVEL_ORDER.length - LEVEL_ORDER.indexOf(level);
}

/**
 * A signal level as a coloured badge with a human label ("Partial outage"). `null` (no open
 * signal) reads "Operational". `data-level` carries the enum value.
 */
export function LevelBadge({
  level,
  size = 'sm',
  variant = 'light',
  testId = 'level-badge',
}: {
  level: SignalLevelValue | null | undefined;
  size?: MantineSize;
  variant?: 'light' | 'filled' | 'outline' | 'dot';
  testId?: string;
}) {
  const value: SignalLevelValue = level ?? 'operational';
  return (
    <Badge
      color={LEVEL_COLORS[value]}
      variant={variant}
      size={size}
      data-testid={testId}
      data-level={value}
      autoContrast
      style={{ minWidth: 'max-content' }}
    >
      {LEVEL_LABELS[value]}
    </Badge>
  );
}
