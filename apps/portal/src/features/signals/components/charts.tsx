import '@mantine/charts/styles.css';

import { BarChart, LineChart, type ChartReferenceLineProps } from '@mantine/charts';

import type { SignalLevelValue } from '@bulwark/api-schema';

import type { DayBucket } from '../lib/signals';
import { LEVEL_COLORS, LEVEL_LABELS, LEVEL_ORDER } from './LevelBadge';

/*
 * The charts pull in recharts: this module is loaded lazily (see SignalsTab) so pages without a
 * chart do not pay for it. Animations are off: the data refreshes every minute, and screenshots
 * should show the bars, not a frame of their entrance.
 */

/** Incidents active per day, stacked by level (worst on top). */
export function IncidentChart({ days, levels }: { days: DayBucket[]; levels: SignalLevelValue[] }) {
  const series = [...LEVEL_ORDER]
    .reverse()
    .filter((l) => levels.includes(l))
    .map((l) => ({ name: l, label: LEVEL_LABELS[l], color: `${LEVEL_COLORS[l]}.6` }));
  return (
    <BarChart
      h={220}
      data={days}
      dataKey="label"
      type="stacked"
      series={series}
      withLegend
      legendProps={{ verticalAlign: 'bottom', height: 40 }}
      tickLine="y"
      gridAxis="y"
      maxBarWidth={14}
      barProps={{ isAnimationActive: false }}
      yAxisProps={{ allowDecimals: false, width: 32 }}
      xAxisProps={{ minTickGap: 24 }}
      yAxisLabel="Incidents"
      valueFormatter={(v) => String(v)}
      tooltipAnimationDuration={0}
    />
  );
}

export interface ScorePoint {
  label: string;
  [model: string]: string | number | null;
}

/** Score history, one line per model, with the model's zone thresholds when a single model is shown. */
export function ScoreHistoryChart({
  data,
  models,
  zones,
}: {
  data: ScorePoint[];
  models: { key: string; label: string }[];
  zones?: { distress: number; safe: number };
}) {
  const palette = ['blue.6', 'teal.6', 'violet.6', 'cyan.6', 'indigo.6'];
  const referenceLines: ChartReferenceLineProps[] = zones
    ? [
        { y: zones.distress, label: `distress < ${zones.distress}`, color: 'red.6', labelPosition: 'insideBottomLeft' },
        { y: zones.safe, label: `safe > ${zones.safe}`, color: 'green.6', labelPosition: 'insideTopLeft' },
      ]
    : [];
  return (
    <LineChart
      h={220}
      data={data}
      dataKey="label"
      series={models.map((m, i) => ({ name: m.key, label: m.label, color: palette[i % palette.length]! }))}
      referenceLines={referenceLines}
      withLegend={models.length > 1}
      connectNulls
      lineProps={{ isAnimationActive: false }}
      curveType="linear"
      yAxisProps={{
        width: 40,
        domain: zones
          ? [(min: number) => Math.floor(Math.min(min, zones.distress) - 0.5), (max: number) => Math.ceil(Math.max(max, zones.safe) + 0.5)]
          : ['auto', 'auto'],
      }}
      valueFormatter={(v) => v.toFixed(2)}
      tooltipAnimationDuration={0}
    />
  );
}
