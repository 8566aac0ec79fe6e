import { describe, expect, it } from 'vitest';

import { SEVERITY, type SignalLevel } from '@bulwark/plugin-sdk';

import { currentSignals, rollup, rollupRank, worstSignal, type RollupSignal } from './rollup.js';

const sig = (level: SignalLevel, sourceId: string | null = 'a', signalType = 'component_status'): RollupSignal & { id: string } => ({
  id: `${sourceId}:${level}:${signalType}`,
  level,
  severity: SEVERITY[level],
  sourceId,
  signalType,
});
const marker = (sourceId: string) => sig('unknown', sourceId, 'source_status');

describe('vendor rollup', () => {
  it('is null without open signals, and the worst severity otherwise', () => {
    expect(rollup([])).toBeNull();
    expect(rollup([sig('operational'), sig('degraded', 'b'), sig('info', 'c')])?.level).toBe('degraded');
    expect(rollup([sig('operational'), sig('major_outage', 'b'), sig('partial_outage', 'c')])?.level).toBe('major_outage');
  });

  it('a source whose latest poll failed to parse counts as unknown, not as its old operational rows', () => {
    const before = [sig('operational', 'a'), sig('operational', 'a'), sig('maintenance', 'a')];
    expect(rollup(before)?.level).toBe('operational');
    expect(rollup([...before, marker('a')])?.level).toBe('unknown');
  });

  it("hides even a failing source's old outage: its part is unknown", () => {
    expect(rollup([sig('major_outage', 'a'), marker('a')])?.level).toBe('unknown');
    expect(currentSignals([sig('major_outage', 'a'), marker('a'), sig('degraded', 'b')]).map((s) => s.id)).toEqual([
      'a:unknown:source_status',
      'b:degraded:component_status',
    ]);
  });

  it('a known degradation elsewhere is worse than unknown; operational and info are not', () => {
    expect(rollup([marker('a'), sig('degraded', 'b')])?.level).toBe('degraded');
    expect(rollup([marker('a'), sig('info', 'b')])?.level).toBe('unknown');
    expect(rollup([marker('a'), sig('operational', 'b')])?.level).toBe('unknown');
  });

  it('keeps signals of deleted sources (no source id) and does not mask them', () => {
    expect(rollup([sig('partial_outage', null), marker('a')])?.level).toBe('partial_outage');
  });

  it('ranks unknown between info and degraded, and takes the first of equals', () => {
    expect([sig('operational'), sig('maintenance'), sig('info'), sig('unknown'), sig('degraded')].map(rollupRank)).toEqual([
      0, 0, 1, 1.5, 2,
    ]);
    expect(worstSignal([sig('operational', 'x'), sig('maintenance', 'y')])?.sourceId).toBe('x');
  });
});
