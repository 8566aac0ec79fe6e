import type { Tier, TierIntake, TierReason } from '@bulwark/api-schema';

const POINTS = {
  servedCriticality: { critical: 40, high: 28, medium: 15, low: 5 },
  dataSensitivity: { restricted: 25, confidential: 18, internal: 8, public: 0 },
  substitutability: { none: 20, difficult: 14, moderate: 7, easy: 0 },
  financialHealth: { distressed: 15, watch: 8, unknown: 4, healthy: 0 },
} as const;
const AI_PROVIDER_POINTS = 10;

/** Score bands, highest first. The maximum score is 110. */
export const TIER_BANDS: readonly { tier: Tier; min: number }[] = [
  { tier: 'critical', min: 70 },
  { tier: 'high', min: 45 },
  { tier: 'medium', min: 25 },
  { tier: 'low', min: 0 },
];

const ORDER: Tier[] = ['low', 'medium', 'high', 'critical'];
const atLeast = (a: Tier, b: Tier): Tier => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);

export interface TierResult {
  tier: Tier;
  score: number;
  reasons: TierReason[];
}

/**
 * Computes a vendor's tier from its intake: each factor adds points, the total falls in a band,
 * and two floors apply (a supplier of something critical is at least `high`; one that is also
 * irreplaceable is `critical`). Every factor is returned as a reason, so the tier is explainable.
 */
export function computeTier(intake: TierIntake): TierResult {
  const reasons: TierReason[] = [
    {
      factor: 'Criticality of what it serves',
      value: intake.servedCriticality,
      points: POINTS.servedCriticality[intake.servedCriticality],
    },
    { factor: 'Data sensitivity', value: intake.dataSensitivity, points: POINTS.dataSensitivity[intake.dataSensitivity] },
    { factor: 'AI model provider', value: intake.aiModelProvider ? 'yes' : 'no', points: intake.aiModelProvider ? AI_PROVIDER_POINTS : 0 },
    { factor: 'Substitutability', value: intake.substitutability, points: POINTS.substitutability[intake.substitutability] },
    { factor: 'Financial signal', value: intake.financialHealth, points: POINTS.financialHealth[intake.financialHealth] },
  ];
  const score = reasons.reduce((s, r) => s + r.points, 0);
  let tier = TIER_BANDS.find((b) => score >= b.min)!.tier;
  if (intake.servedCriticality === 'critical') {
    const floor: Tier = intake.substitutability === 'none' ? 'critical' : 'high';
    if (atLeast(tier, floor) !== tier) {
      tier = floor;
      reasons.push({
        factor: 'Floor',
        value: `serves a critical system${floor === 'critical' ? ' and cannot be substituted' : ''}: at least ${floor}`,
        points: 0,
      });
    }
  }
  return { tier, score, reasons };
}

export const TIER_RANK: Record<Tier, number> = { critical: 4, high: 3, medium: 2, low: 1 };
