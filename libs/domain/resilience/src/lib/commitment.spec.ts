import { describe, expect, it } from 'vitest';

import { slasInForce } from './commitment.js';

const row = (over: Partial<Parameters<typeof slasInForce>[0][number]>) => ({
  sla_id: 's1',
  name: 'Availability',
  contract_title: 'MSA',
  contract_status: 'active',
  expiry_date: null,
  version: 1,
  effective_from: '2026-01-01',
  terms: { rtoMinutes: 240, rpoMinutes: 30, timeZone: 'UTC' },
  scope: { serviceIds: ['svc'] },
  ...over,
});

describe('which SLA version is in force', () => {
  const now = new Date('2026-11-22T12:00:00Z');

  it('takes the latest version effective today and keeps the next one aside', () => {
    const [s] = slasInForce(
      [row({}), row({ version: 2, effective_from: '2026-06-01' }), row({ version: 3, effective_from: '2027-01-01' })],
      now,
    );
    expect(s).toMatchObject({ contractInForce: true, current: { version: 2 }, next: { version: 3 } });
  });

  it('has no current version before the first one takes effect', () => {
    const [s] = slasInForce([row({ effective_from: '2026-12-01' })], now);
    expect(s).toMatchObject({ current: null, next: { version: 1 } });
  });

  it("uses the SLA's time zone for today", () => {
    // 2026-11-22T23:30Z is already the 23rd in Tokyo.
    const late = new Date('2026-11-22T23:30:00Z');
    expect(
      slasInForce([row({ effective_from: '2026-11-23', terms: { rtoMinutes: 1, rpoMinutes: 1, timeZone: 'Asia/Tokyo' } })], late)[0]!
        .current?.version,
    ).toBe(1);
    expect(slasInForce([row({ effective_from: '2026-11-23' })], late)[0]!.current).toBeNull();
  });

  it('a draft, terminated or expired contract is not in force, and says why', () => {
    expect(slasInForce([row({ contract_status: 'draft' })], now)[0]).toMatchObject({
      contractInForce: false,
      contractProblem: 'is still a draft',
    });
    expect(slasInForce([row({ contract_status: 'terminated' })], now)[0]!.contractProblem).toBe('was terminated');
    expect(slasInForce([row({ expiry_date: '2026-11-21' })], now)[0]).toMatchObject({
      contractInForce: false,
      contractProblem: 'expired on 2026-11-21',
    });
    expect(slasInForce([row({ expiry_date: '2026-11-22' })], now)[0]!.contractInForce).toBe(true);
  });
});
