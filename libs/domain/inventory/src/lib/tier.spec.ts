import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { CRITICALITIES, DATA_SENSITIVITIES, FINANCIAL_HEALTH, SUBSTITUTABILITIES, type TierIntake } from '@bulwark/api-schema';

import { computeTier, TIER_RANK } from './tier.js';

const base: TierIntake = {
  servedCriticality: 'low',
  dataSensitivity: 'public',
  aiModelProvider: false,
  substitutability: 'easy',
  financialHealth: 'healthy',
};

const intakeArb = fc.record({
  servedCriticality: fc.constantFrom(...CRITICALITIES),
  dataSensitivity: fc.constantFrom(...DATA_SENSITIVITIES),
  aiModelProvider: fc.boolean(),
  substitutability: fc.constantFrom(...SUBSTITUTABILITIES),
  financialHealth: fc.constantFrom(...FINANCIAL_HEALTH),
});

describe('computeTier', () => {
  it('rates a replaceable, low-stakes supplier low with a reason per factor', () => {
    const r = computeTier(base);
    expect(r.tier).toBe('low');
    expect(r.score).toBe(5);
    expect(r.reasons.map((x) => x.factor)).toEqual([
      'Criticality of what it serves',
      'Data sensitivity',
      'AI model provider',
      'Substitutability',
      'Financial signal',
    ]);
  });

  it('rates an irreplaceable AI provider of a critical system critical', () => {
    const r = computeTier({
      servedCriticality: 'critical',
      dataSensitivity: 'confidential',
      aiModelProvider: true,
      substitutability: 'none',
      financialHealth: 'unknown',
    });
    expect(r.tier).toBe('critical');
    expect(r.score).toBe(40 + 18 + 10 + 20 + 4);
  });

  it('applies the floor: serving a critical system is at least high, and records why', () => {
    const r = computeTier({ ...base, servedCriticality: 'critical' });
    expect(r.score).toBe(40);
    expect(r.tier).toBe('high');
    expect(r.reasons.at(-1)?.factor).toBe('Floor');
    expect(computeTier({ ...base, servedCriticality: 'critical', substitutability: 'none' }).tier).toBe('critical');
  });

  it('score equals the sum of the reasons and the tier never falls when a factor worsens', () => {
    fc.assert(
      fc.property(intakeArb, (intake) => {
        const r = computeTier(intake);
        expect(r.score).toBe(r.reasons.reduce((s, x) => s + x.points, 0));
        const worse = computeTier({ ...intake, financialHealth: 'distressed' });
        expect(TIER_RANK[worse.tier]).toBeGreaterThanOrEqual(TIER_RANK[r.tier]);
        const harder = computeTier({ ...intake, substitutability: 'none' });
        expect(TIER_RANK[harder.tier]).toBeGreaterThanOrEqual(TIER_RANK[r.tier]);
      }),
    );
  });
});
