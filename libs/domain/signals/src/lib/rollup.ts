import type { SignalLevel } from '@bulwark/plugin-sdk';

/*
 * The rollup rules, on signals in memory. The vendor summary and the degraded list apply them in the
 * database (`vendor-rollup.ts`), so their cost does not grow with what a source recorded.
 */

/** What the rollup needs of a signal. */
export interface RollupSignal {
  level: SignalLevel;
  severity: number | null;
  sourceId: string | null;
  signalType: string;
}

/**
 * How bad a level is for the rollup: severity (operational and maintenance 0 … major outage 4),
 * and `unknown` between info and degraded: not knowing is worse than "all clear" or an
 * informational note, but better than a known degradation.
 */
export function rollupRank(s: Pick<RollupSignal, 'level' | 'severity'>): number {
  if (s.severity !== null) return s.severity;
  return s.level === 'unknown' ? 1.5 : -1;
}

/** The open `unknown` marker a source records when its latest poll failed (unreadable, unreachable, over a limit). */
export const isFailedParseMarker = (s: RollupSignal) => s.signalType === 'source_status' && s.level === 'unknown';

/**
 * The signals that speak for the present. A source whose latest poll failed contributes only its
 * `unknown` marker: its other open signals are what it said before it stopped being readable, so
 * they cannot say the vendor is operational now.
 */
export function currentSignals<T extends RollupSignal>(signals: T[]): T[] {
  const blind = new Set(signals.filter(isFailedParseMarker).map((s) => s.sourceId));
  return signals.filter((s) => isFailedParseMarker(s) || s.sourceId === null || !blind.has(s.sourceId));
}

/** The worst signal by `rollupRank` (the first of equals), or null for none. */
export function worstSignal<T extends RollupSignal>(signals: T[]): T | null {
  let w: T | null = null;
  for (const s of signals) if (!w || rollupRank(s) > rollupRank(w)) w = s;
  return w;
}

/** The rollup of open signals: the worst of the current ones (see `currentSignals`). */
export function rollup<T extends RollupSignal>(open: T[]): T | null {
  return worstSignal(currentSignals(open));
}
