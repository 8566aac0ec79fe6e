import { Badge, Group, type MantineSize } from '@mantine/core';

import { SIGNAL_LEVEL_VALUES, type MonitoringState, type SignalLevelValue } from '@bulwark/api-schema';

import { MonitoringBadge } from '../../../shared/components/statusBadges';
import { statusParts } from '../lib/status';

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

export function levelLabel(level: string): string {
  return isSignalLevel(level) ? LEVEL_LABELS[level] : level;
}

export function levelColor(level: string): string {
  return isSignalLevel(level) ? LEVEL_COLORS[level] : 'gray';
}

/** Rank for "worst of": higher is worse; unknown sits between degraded and maintenance. */
export function levelRank(level: SignalLevelValue): number {
  return LEVEL_ORDER.length - LEVEL_ORDER.indexOf(level);
}

/**
 * A signal level as a coloured badge with a human label ("Partial outage"). `data-level` carries the
 * enum value. For a vendor's or service's status (where the level may be null), use `StatusBadges`.
 */
export function LevelBadge({
  level,
  size = 'sm',
  variant = 'light',
  testId = 'level-badge',
}: {
  level: SignalLevelValue;
  size?: MantineSize;
  variant?: 'light' | 'filled' | 'outline' | 'dot';
  testId?: string;
}) {
  const value = level;
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

/**
 * A vendor's or service's status: its level and whether anything watches it (`statusParts`): "Not
 * monitored", "Stale", "Failing" or "Awaiting first read" in their own badges, the level only when it
 * tells something; "Operational" only when a working source watches. The wrapper carries the shown
 * level in `data-level` (empty when none) and the monitoring state in `data-monitoring`.
 */
export function StatusBadges({
  level,
  monitoring,
  size = 'sm',
  filled = false,
  testId = 'status-badges',
}: {
  level: SignalLevelValue | null;
  monitoring: MonitoringState;
  size?: MantineSize;
  filled?: boolean;
  testId?: string;
}) {
  const parts = statusParts(level, monitoring);
  return (
    <Group gap={4} wrap="nowrap" data-testid={testId} data-level={parts.level ?? ''} data-monitoring={monitoring}>
      {parts.level && <LevelBadge level={parts.level} size={size} variant={filled ? 'filled' : 'light'} testId={`${testId}-level`} />}
      {parts.monitoring && <MonitoringBadge state={parts.monitoring} size={size} testId={`${testId}-monitoring`} />}
    </Group>
  );
}
