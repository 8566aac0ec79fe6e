import { describe, expect, it } from 'vitest';

import { commitmentRow, slasInForce, verdict } from './commitment.js';

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

describe('the commitment verdict (DOMAIN.md)', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const required = { rto: 240, rpo: 60 };
  it('is a contract gap whenever the contract falls short, tested or not', () => {
    expect(verdict(['the SLA sets no RTO'], required, null)).toBe('contract_gap');
    expect(verdict(['the SLA sets no RTO'], required, { rtoMinutes: 10, rpoMinutes: 5 })).toBe('contract_gap');
  });
  it('is untested when the contract covers the requirement but nothing was measured', () => {
    expect(verdict([], required, null)).toBe('untested');
    expect(verdict([], required, { rtoMinutes: null, rpoMinutes: null })).toBe('untested');
  });
  it('is a test gap when a measured recovery misses the requirement, and covered only when it meets it', () => {
    expect(verdict([], required, { rtoMinutes: 300, rpoMinutes: 30 })).toBe('test_gap');
    expect(verdict([], required, { rtoMinutes: 200, rpoMinutes: 61 })).toBe('test_gap');
    expect(verdict([], required, { rtoMinutes: 200, rpoMinutes: null })).toBe('test_gap');
    expect(verdict([], required, { rtoMinutes: 240, rpoMinutes: 60 })).toBe('covered');
  });
  it('gives a dependency whose contract covers it, with no joint test, the verdict untested', () => {
    const d = {
      id: 'd',
      system_id: 's',
      system_name: 'S',
      service_id: 'svc',
      service_name: 'Svc',
      vendor_id: 'v',
      vendor_name: 'V',
      criticality: 'critical' as const,
      rto: 240,
      rpo: 60,
    };
    const slas = slasInForce([row({ scope: { serviceIds: ['svc'] }, terms: { rtoMinutes: 60, rpoMinutes: 15 } })], now);
    expect(commitmentRow(d, slas)).toMatchObject({ status: 'untested', gaps: [], measuredRtoMinutes: null });
    expect(commitmentRow(d, slas, { rtoMinutes: 90, rpoMinutes: 10 })).toMatchObject({ status: 'covered', measuredRtoMinutes: 90 });
  });
});
