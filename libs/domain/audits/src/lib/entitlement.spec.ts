import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';

import {
  busiestWindow,
  computeEntitlement,
  earliestStart,
  issueDateIn,
  noticeEnd,
  rollingWindow,
  type ContractForEntitlement,
  type EntitlementRequest,
  type PriorAudit,
  type RightToAudit,
} from './entitlement.js';

const clause = (over: Partial<RightToAudit> = {}): RightToAudit => ({
  scope: 'Hosting and data handling',
  noticeDays: 30,
  noticeBasis: 'calendar',
  auditsPer12Months: 1,
  mode: 'either',
  costBearer: 'customer',
  regulatorAccess: true,
  ...over,
});

const contract = (over: Partial<ContractForEntitlement> = {}): ContractForEntitlement => ({
  id: '00000000-0000-4000-8000-00000000000c',
  title: 'Master services agreement',
  reference: 'MSA-1',
  status: 'active',
  effectiveDate: '2024-01-01',
  expiryDate: null,
  rightToAudit: clause(),
  ...over,
});

// Fixed instants: the pure function takes its "now" as an argument.
const MON_2026_06_01 = new Date('2026-06-01T10:00:00Z');

const req = (over: Partial<EntitlementRequest> = {}): EntitlementRequest => ({
  mode: 'remote',
  proposedStart: '2026-07-15',
  regulator: false,
  issuedAt: MON_2026_06_01,
  timeZone: 'UTC',
  ...over,
});

const prior = (over: Partial<PriorAudit>): PriorAudit => ({
  id: '00000000-0000-4000-8000-0000000000a1',
  title: 'Earlier audit',
  contractId: contract().id,
  status: 'closed',
  start: '2026-01-10',
  regulator: false,
  ...over,
});

const rules = (e: ReturnType<typeof computeEntitlement>) => e.reasons.map((r) => `${r.field}:${r.rule}`);

describe('earliest start', () => {
  it('is allowed exactly on the notice boundary and refused the day before', () => {
    const e = computeEntitlement(req({ proposedStart: '2026-07-01' }), [contract()], []);
    expect(e.earliestStart).toBe('2026-07-01');
    expect(e.allowed).toBe(true);
    const early = computeEntitlement(req({ proposedStart: '2026-06-30' }), [contract()], []);
    expect(early.allowed).toBe(false);
    expect(rules(early)).toEqual(['proposedStart:notice_period']);
  });

  it('skips weekends in business days', () => {
    // Friday 2026-06-05 + 1 business day = Monday 2026-06-08; + 5 = Friday 2026-06-12.
    expect(earliestStart('2026-06-05', 1, 'business')).toBe('2026-06-08');
    expect(earliestStart('2026-06-05', 5, 'business')).toBe('2026-06-12');
    // Issued on a Saturday: the notice starts counting on Monday.
    expect(earliestStart('2026-06-06', 1, 'business')).toBe('2026-06-08');
    expect(earliestStart('2026-06-05', 1, 'calendar')).toBe('2026-06-06');
    const c = contract({ rightToAudit: clause({ noticeDays: 10, noticeBasis: 'business' }) });
    const e = computeEntitlement(req({ issuedAt: new Date('2026-06-05T12:00:00Z'), proposedStart: '2026-06-19' }), [c], []);
    expect(e.earliestStart).toBe('2026-06-19');
    expect(e.allowed).toBe(true);
    expect(computeEntitlement(req({ issuedAt: new Date('2026-06-05T12:00:00Z'), proposedStart: '2026-06-18' }), [c], []).allowed).toBe(
      false,
    );
  });

  it('takes the issue date in the organization’s zone across a daylight-saving change', () => {
    // New York springs forward on 2026-03-08 at 07:00Z. 04:30Z on the 9th is 00:30 EDT on the 9th (a fixed
    // EST offset would say 23:30 on the 8th); 04:30Z on the 8th is 23:30 EST on the 7th.
    expect(issueDateIn(new Date('2026-03-09T04:30:00Z'), 'America/New_York')).toBe('2026-03-09');
    expect(issueDateIn(new Date('2026-03-08T04:30:00Z'), 'America/New_York')).toBe('2026-03-07');
    const e = computeEntitlement(
      req({ issuedAt: new Date('2026-03-09T04:30:00Z'), timeZone: 'America/New_York', proposedStart: '2026-04-08' }),
      [contract()],
      [],
    );
    expect(e.issueDate).toBe('2026-03-09');
    expect(e.earliestStart).toBe('2026-04-08');
    expect(e.allowed).toBe(true);
    // Europe/London falls back on 2026-10-25: 30 calendar days from the 10th are still the 9th of November.
    expect(
      computeEntitlement(
        req({ issuedAt: new Date('2026-10-10T23:30:00Z'), timeZone: 'Europe/London', proposedStart: '2026-11-10' }),
        [contract()],
        [],
      ).earliestStart,
    ).toBe('2026-11-10'); // 23:30Z on the 10th is 00:30 BST on the 11th
  });
});

describe('the rolling 12 months', () => {
  const start = '2027-03-15';
  const at = (s: string) => prior({ start: s });
  it('holds its first and last day and nothing outside', () => {
    expect(rollingWindow(start)).toEqual({ from: '2026-03-16', to: '2027-03-15' });
    const first = computeEntitlement(req({ proposedStart: start }), [contract()], [at('2026-03-16')]);
    expect(first.auditsInWindow).toBe(1);
    expect(rules(first)).toEqual(['proposedStart:allowance_exceeded']);
    const last = computeEntitlement(req({ proposedStart: start }), [contract()], [at('2027-03-15')]);
    expect(last.auditsInWindow).toBe(1);
    expect(last.allowed).toBe(false);
    const before = computeEntitlement(req({ proposedStart: start }), [contract()], [at('2026-03-15')]);
    expect(before.auditsInWindow).toBe(0);
    expect(before.allowed).toBe(true);
  });

  it('ignores cancelled, refused, escalated and draft audits, the audit itself, other contracts and regulators with access', () => {
    const ignored = [
      prior({ id: 'a1', status: 'cancelled' }),
      prior({ id: 'a2', status: 'refused' }),
      prior({ id: 'a3', status: 'escalated' }),
      prior({ id: 'a4', status: 'draft' }),
      prior({ id: 'self', status: 'scheduled' }),
      prior({ id: 'a5', status: 'closed', contractId: 'another-contract' }),
      prior({ id: 'a6', status: 'closed', regulator: true }),
    ];
    const e = computeEntitlement(req({ auditId: 'self' }), [contract()], ignored);
    expect(e.auditsInWindow).toBe(0);
    expect(e.allowed).toBe(true);
    const counted = computeEntitlement(
      req({ auditId: 'self' }),
      [contract({ rightToAudit: clause({ auditsPer12Months: 2 }) })],
      [...ignored, prior({ id: 'b1', status: 'issued' }), prior({ id: 'b2', status: 'fieldwork' })],
    );
    expect(counted.countedAudits.map((a) => a.id)).toEqual(['b1', 'b2']);
    expect(rules(counted)).toEqual(['proposedStart:allowance_exceeded']);
  });
});

describe('public holidays', () => {
  const h = (date: string, name: string) => ({ date, name });
  it('a business-day notice skips a holiday on the notice boundary, and says so', () => {
    // Issued Monday 2026-06-01, 5 business days: Monday 2026-06-08. A holiday that Monday moves it to Tuesday.
    expect(earliestStart('2026-06-01', 5, 'business')).toBe('2026-06-08');
    const holidays = [h('2026-06-08', 'Whit Monday')];
    expect(noticeEnd('2026-06-01', 5, 'business', holidays)).toEqual({ earliest: '2026-06-09', skipped: holidays });
    const c = contract({ rightToAudit: clause({ noticeDays: 5, noticeBasis: 'business' }) });
    const on = computeEntitlement(req({ proposedStart: '2026-06-09', holidays }), [c], []);
    expect(on.earliestStart).toBe('2026-06-09');
    expect(on.holidaysSkipped).toEqual(holidays);
    expect(on.allowed).toBe(true);
    const before = computeEntitlement(req({ proposedStart: '2026-06-08', holidays }), [c], []);
    expect(rules(before)).toEqual(['proposedStart:notice_period']);
    expect(before.reasons[0]!.message).toContain('2026-06-08 Whit Monday');
  });

  it('counts a holiday on a weekend once (as the weekend), and calendar days ignore holidays', () => {
    // Saturday 2026-06-06 is a holiday: Friday 2026-06-05 + 1 business day is still Monday the 8th.
    const holidays = [h('2026-06-06', 'Saturday holiday')];
    expect(noticeEnd('2026-06-05', 1, 'business', holidays)).toEqual({ earliest: '2026-06-08', skipped: [] });
    expect(noticeEnd('2026-06-05', 1, 'calendar', [h('2026-06-06', 'x')])).toEqual({ earliest: '2026-06-06', skipped: [] });
    // A holiday on the issue date itself moves nothing: the notice counts from the day after.
    expect(noticeEnd('2026-06-01', 1, 'business', [h('2026-06-01', 'Issue-day holiday')])).toEqual({
      earliest: '2026-06-02',
      skipped: [],
    });
    // Holidays back to back with a weekend: Fri 2026-12-25 and Mon 2026-12-28 are skipped, Tuesday ends the notice.
    expect(noticeEnd('2026-12-24', 1, 'business', [h('2026-12-25', 'Christmas Day'), h('2026-12-28', 'Boxing Day (substitute)')])).toEqual({
      earliest: '2026-12-29',
      skipped: [h('2026-12-25', 'Christmas Day'), h('2026-12-28', 'Boxing Day (substitute)')],
    });
  });
});

describe('the allowance over any 12 months containing the audit', () => {
  const start = '2027-03-15';
  const at = (s: string, id = s) => prior({ id, start: s, status: 'scheduled' });
  it('re-judges a request placed before an audit already booked later', () => {
    // The allowance is 1: an audit booked for 2027-09-01 shares a 12-month window with one starting 2027-03-15.
    const e = computeEntitlement(req({ proposedStart: start }), [contract()], [at('2027-09-01')]);
    expect(rules(e)).toEqual(['proposedStart:allowance_exceeded']);
    expect(e.auditsInWindow).toBe(1);
    expect(e.windowFrom).toBe('2026-09-02');
    expect(e.windowTo).toBe('2027-09-01');
    expect(e.countedAudits.map((a) => a.start)).toEqual(['2027-09-01']);
  });

  it('has its boundaries a year to the day on both sides', () => {
    // The last day of a window that starts on the proposed start: 2028-03-14 is inside, 2028-03-15 outside.
    expect(rules(computeEntitlement(req({ proposedStart: start }), [contract()], [at('2028-03-14')]))).toEqual([
      'proposedStart:allowance_exceeded',
    ]);
    const yearLater = computeEntitlement(req({ proposedStart: start }), [contract()], [at('2028-03-15')]);
    expect(yearLater.allowed).toBe(true);
    expect(yearLater.auditsInWindow).toBe(0);
    // Nothing counted: the window is the one ending on the proposed start.
    expect([yearLater.windowFrom, yearLater.windowTo]).toEqual(['2026-03-16', start]);
  });

  it('takes the busiest window: two audits a year apart around the new one fit an allowance of 2 only when no window holds both', () => {
    const two = contract({ rightToAudit: clause({ auditsPer12Months: 2 }) });
    // 2026-04-01 and 2028-03-01 never share a window, with or without the new audit on 2027-03-15: allowed.
    const apart = computeEntitlement(req({ proposedStart: start }), [two], [at('2026-04-01'), at('2028-03-01')]);
    expect(apart.allowed).toBe(true);
    expect(apart.auditsInWindow).toBe(1);
    // 2027-06-01 and 2027-12-01 share a window with the new audit: three in 12 months.
    const crowded = computeEntitlement(req({ proposedStart: start }), [two], [at('2026-04-01'), at('2027-06-01'), at('2027-12-01')]);
    expect(rules(crowded)).toEqual(['proposedStart:allowance_exceeded']);
    expect(crowded.countedAudits.map((a) => a.start)).toEqual(['2027-06-01', '2027-12-01']);
  });

  it('still ignores what does not count when it lies after the proposed start', () => {
    const e = computeEntitlement(
      req({ proposedStart: start, auditId: 'self' }),
      [contract()],
      [
        prior({ id: 'c', start: '2027-06-01', status: 'cancelled' }),
        prior({ id: 'self', start: '2027-06-01', status: 'scheduled' }),
        prior({ id: 'r', start: '2027-06-01', status: 'scheduled', regulator: true }),
      ],
    );
    expect(e.allowed).toBe(true);
  });

  it('busiestWindow prefers the window ending on the start on a tie', () => {
    const w = busiestWindow('2027-03-15', [{ start: '2026-06-01' }, { start: '2027-06-01' }]);
    expect([w.from, w.to, w.within.length]).toEqual(['2026-03-16', '2027-03-15', 1]);
  });
});

describe('clause rules', () => {
  it('refuses without a clause, naming the rule', () => {
    const none = computeEntitlement(req(), [contract({ rightToAudit: null })], []);
    expect(none.allowed).toBe(false);
    expect(rules(none)).toEqual(['contractId:no_clause']);
    expect(computeEntitlement(req(), [], []).reasons[0]!.rule).toBe('no_clause');
  });

  it('checks the mode, the regulator flag and that the contract is in force', () => {
    const onSiteOnly = contract({ rightToAudit: clause({ mode: 'on_site', regulatorAccess: false }) });
    expect(rules(computeEntitlement(req({ mode: 'remote' }), [onSiteOnly], []))).toEqual(['mode:mode_not_allowed']);
    expect(rules(computeEntitlement(req({ mode: 'on_site', regulator: true }), [onSiteOnly], []))).toEqual([
      'auditorKind:regulator_access',
    ]);
    const expired = contract({ expiryDate: '2026-07-01' });
    expect(rules(computeEntitlement(req({ contractId: expired.id }), [expired], []))).toEqual(['contractId:contract_not_in_force']);
    // Without a chosen contract, only contracts in force are considered.
    expect(rules(computeEntitlement(req(), [expired], []))).toEqual(['contractId:no_clause']);
  });

  it('lets a regulator with access past the allowance, never past the notice', () => {
    const e = computeEntitlement(req({ regulator: true }), [contract()], [prior({ start: '2026-07-01', status: 'scheduled' })]);
    expect(e.allowance).toBeNull();
    expect(e.allowed).toBe(true);
    expect(rules(computeEntitlement(req({ regulator: true, proposedStart: '2026-06-10' }), [contract()], []))).toEqual([
      'proposedStart:notice_period',
    ]);
  });

  it('picks the contract in force that took effect last and names its clause', () => {
    const older = contract({ id: '1', title: 'Old MSA', effectiveDate: '2023-01-01' });
    const newer = contract({ id: '2', title: 'New MSA', effectiveDate: '2025-01-01', rightToAudit: clause({ noticeDays: 10 }) });
    const e = computeEntitlement(req(), [older, newer], []);
    expect(e.contractId).toBe('2');
    expect(e.clause!.name).toContain('New MSA');
    expect(e.clause!.text).toContain('10 calendar days');
    expect(e.costBearer).toBe('customer');
  });
});

describe('property', () => {
  const zones = ['UTC', 'Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Pacific/Chatham'];
  it('the earliest start never violates the notice, in any zone, for either basis', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 120 }),
        fc.constantFrom('calendar' as const, 'business' as const),
        fc.integer({ min: -10, max: 10 }),
        (issuedAt, timeZone, noticeDays, noticeBasis, offset) => {
          const c = contract({ effectiveDate: '2019-01-01', rightToAudit: clause({ noticeDays, noticeBasis, auditsPer12Months: 5 }) });
          const probe = computeEntitlement(req({ issuedAt, timeZone, proposedStart: '2040-01-01' }), [c], []);
          const issue = DateTime.fromISO(probe.issueDate, { zone: 'UTC' });
          const earliest = DateTime.fromISO(probe.earliestStart!, { zone: 'UTC' });
          // The issue date is the issue instant's date in the organization's zone.
          expect(probe.issueDate).toBe(DateTime.fromJSDate(issuedAt, { zone: timeZone }).toISODate());
          // The notice between the issue date and the earliest start is exactly the clause's.
          const days = earliest.diff(issue, 'days').days;
          if (noticeBasis === 'calendar') expect(days).toBe(noticeDays);
          else {
            let business = 0;
            for (let d = issue.plus({ days: 1 }); d <= earliest; d = d.plus({ days: 1 })) if (d.weekday < 6) business++;
            expect(business).toBe(noticeDays);
            if (noticeDays > 0) expect(earliest.weekday).toBeLessThan(6);
          }
          // Any proposed start is allowed by the notice exactly when it is on or after the earliest start.
          const proposedStart = earliest.plus({ days: offset }).toISODate()!;
          const e = computeEntitlement(req({ issuedAt, timeZone, proposedStart }), [c], []);
          expect(e.reasons.some((r) => r.rule === 'notice_period')).toBe(offset < 0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('with random holidays, a business-day earliest start never violates the notice and is never a weekend or holiday', () => {
    const day = fc.integer({ min: 0, max: 400 }).map((n) => DateTime.fromISO('2026-01-01', { zone: 'UTC' }).plus({ days: n }).toISODate()!);
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2026-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        fc.integer({ min: 1, max: 60 }),
        fc.uniqueArray(day, { maxLength: 60 }),
        fc.integer({ min: -10, max: 10 }),
        (issuedAt, timeZone, noticeDays, dates, offset) => {
          const holidays = dates.map((date) => ({ date, name: `Holiday ${date}` }));
          const isHoliday = new Set(dates);
          const c = contract({
            effectiveDate: '2019-01-01',
            rightToAudit: clause({ noticeDays, noticeBasis: 'business', auditsPer12Months: 5 }),
          });
          const probe = computeEntitlement(req({ issuedAt, timeZone, proposedStart: '2040-01-01', holidays }), [c], []);
          const issue = DateTime.fromISO(probe.issueDate, { zone: 'UTC' });
          const earliest = DateTime.fromISO(probe.earliestStart!, { zone: 'UTC' });
          expect(earliest.weekday).toBeLessThan(6);
          expect(isHoliday.has(earliest.toISODate()!)).toBe(false);
          // Exactly the notice's business days (weekdays that are not holidays) lie after the issue date up to it.
          let business = 0;
          const skipped: string[] = [];
          for (let d = issue.plus({ days: 1 }); d <= earliest; d = d.plus({ days: 1 }))
            if (d.weekday < 6) {
              if (isHoliday.has(d.toISODate()!)) skipped.push(d.toISODate()!);
              else business++;
            }
          expect(business).toBe(noticeDays);
          expect(probe.holidaysSkipped.map((h) => h.date)).toEqual(skipped);
          const proposedStart = earliest.plus({ days: offset }).toISODate()!;
          const e = computeEntitlement(req({ issuedAt, timeZone, proposedStart, holidays }), [c], []);
          expect(e.reasons.some((r) => r.rule === 'notice_period')).toBe(offset < 0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
