import { describe, expect, it } from 'vitest';

import { addMonths, campaignFilterSummary, createCampaignSchema, RECURRENCE_MONTHS } from './questionnaire-campaigns.js';

describe('addMonths', () => {
  it('adds calendar months, the 31st becoming the month’s last day, across years and leap years', () => {
    expect(addMonths('2026-12-06', 12)).toBe('2027-12-06');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-10-15', RECURRENCE_MONTHS.quarterly)).toBe('2027-01-15');
    expect(addMonths('2026-07-01', RECURRENCE_MONTHS.half_yearly)).toBe('2027-01-01');
  });
});

describe('campaign filter', () => {
  it('reads in words, and an empty filter is every vendor', () => {
    expect(campaignFilterSummary({})).toBe('every vendor');
    expect(campaignFilterSummary({ tiers: ['critical', 'high'], serviceKinds: ['ai_model_api'], lifecycles: ['active'] })).toBe(
      'tier critical or high · providing ai model api · lifecycle active',
    );
  });

  it('refuses unknown notions and out-of-range due days, naming the field', () => {
    const bad = createCampaignSchema.safeParse({
      templateVersionId: '00000000-0000-4000-8000-000000000000',
      filter: { tiers: ['urgent'] },
      dueInDays: 0,
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['dueInDays', 'filter.tiers.0']);
  });
});
