import '@mantine/charts/styles.css';

import { BarChart, type ChartReferenceLineProps } from '@mantine/charts';

import type { AttainmentEntry } from '@bulwark/api-schema';

/*
 * Loaded lazily (recharts is large). Animations are off so screenshots show the bars.
 */

/** Availability per window as bars (breached windows red, an open window at risk orange) against the target line(s). */
export function AttainmentChart({ entries }: { entries: AttainmentEntry[] }) {
  const data = entries.map((e) => ({
    window: e.open ? `${e.window} (open)` : e.window,
    availability: Number(e.availability.toFixed(4)),
    color: e.breached ? 'red.6' : e.atRisk ? 'orange.5' : e.open ? 'gray.5' : 'teal.6',
  }));
  const targets = [...new Set(entries.map((e) => e.target))];
  const low = Math.min(...entries.map((e) => e.availability), ...targets);
  // Zoom in on the interesting band (availability is usually 99.x %), but keep some headroom below.
  const spread = Math.max(0.05, 100 - low);
  const min = Math.max(0, Math.floor((low - spread * 0.5) * 100) / 100);
  const referenceLines: ChartReferenceLineProps[] = targets.map((t) => ({
    y: t,
    label: `target ${t} %`,
    color: 'orange.7',
    strokeDasharray: '6 4',
    labelPosition: 'insideTopRight',
  }));
  return (
    <BarChart
      h={260}
      data={data}
      dataKey="window"
      series={[{ name: 'availability', label: 'Availability', color: 'teal.6' }]}
      referenceLines={referenceLines}
      tickLine="y"
      gridAxis="y"
      maxBarWidth={36}
      barProps={{ isAnimationActive: false }}
      yAxisProps={{ domain: [min, 100], width: 60, allowDataOverflow: true, tickFormatter: (v: number) => `${Number(v.toFixed(2))}%` }}
      xAxisProps={{ minTickGap: 8 }}
      valueFormatter={(v) => `${v.toFixed(4)} %`}
      tooltipAnimationDuration={0}
    />
  );
}
