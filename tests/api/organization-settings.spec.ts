import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

/**
 * The organization's settings (issue 12): the time zone (validated as IANA, admins only, audit-logged), the public
 * holiday calendar (add many at once, all or none; remove; audit-logged), and the right-to-audit entitlement
 * skipping those holidays in a business-day notice and saying which. Dates derive from the clock.
 */
let t: TestApp;
let ds: DataSource;
let admin: string;
let manager: string;
let auditor: string;
let otherAdmin: string;
let openai: string;
let org: string;

const fieldsOf = (res: { body: { error?: { fields?: { path: string }[] } } }) => (res.body.error?.fields ?? []).map((f) => f.path);
const logOf = async (action: string) =>
  (await ds.query(`SELECT diff FROM audit_log WHERE organization_id = $1 AND action = $2 ORDER BY seq`, [org, action])) as {
    diff: Record<string, unknown>;
  }[];

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, true);
  ds = t.app.get(DataSource);
  [admin, manager, auditor, otherAdmin] = await Promise.all(
    ['admin@demo.bulwark.test', 'manager@demo.bulwark.test', 'auditor@demo.bulwark.test', 'admin@other.bulwark.test'].map((e) =>
      login(t, e),
    ),
  );
  org = ((await ds.query(`SELECT id FROM organizations WHERE slug = 'demo-org'`)) as { id: string }[])[0]!.id;
  openai = ((await ds.query(`SELECT id FROM vendors WHERE organization_id = $1 AND name = 'OpenAI'`, [org])) as { id: string }[])[0]!.id;
});
afterAll(async () => t?.close());

describe('organization settings', () => {
  it('shows the organization to staff, with its time zone (UTC by default)', async () => {
    for (const token of [admin, manager, auditor]) {
      const res = await t.http.get('/api/organization').set(auth(token));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: org, slug: 'demo-org', timeZone: 'UTC', holidayCount: 0 });
      expect(res.body.name.length).toBeGreaterThan(0);
    }
  });

  it('lets an admin set an IANA time zone, refusing anything else naming the field, with an audit entry', async () => {
    const bad = await t.http.patch('/api/organization').set(auth(admin)).send({ timeZone: 'Mars/Olympus_Mons' });
    expect(bad.status).toBe(422);
    expect(fieldsOf(bad)).toEqual(['timeZone']);
    const renamed = await t.http.patch('/api/organization').set(auth(admin)).send({ timeZone: 'UTC', name: 'Renamed' });
    expect(renamed.status).toBe(422);
    expect(fieldsOf(renamed)).toEqual(['name']);
    expect((await t.http.patch('/api/organization').set(auth(manager)).send({ timeZone: 'Europe/Berlin' })).status).toBe(403);
    expect(await logOf('organization.updated')).toEqual([]);

    const ok = await t.http.patch('/api/organization').set(auth(admin)).send({ timeZone: 'Europe/Berlin' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.timeZone).toBe('Europe/Berlin');
    expect(await logOf('organization.updated')).toEqual([{ diff: { timeZone: { from: 'UTC', to: 'Europe/Berlin' } } }]);
    // Setting the same zone again changes nothing and logs nothing.
    await t.http.patch('/api/organization').set(auth(admin)).send({ timeZone: 'Europe/Berlin' });
    expect(await logOf('organization.updated')).toHaveLength(1);
    // The other organization is untouched.
    expect((await t.http.get('/api/organization').set(auth(otherAdmin))).body.timeZone).toBe('UTC');
    // The entitlement counts in it.
    const ent = await t.http
      .get(`/api/audits/entitlement?vendorId=${openai}&mode=remote&proposedStart=${DateTime.utc().plus({ days: 90 }).toISODate()}`)
      .set(auth(manager));
    expect(ent.body.timeZone).toBe('Europe/Berlin');
  });
});

describe('holiday calendar', () => {
  it('adds holidays all or none, refusing a date already taken naming the row; lists by year; removes; logs each change', async () => {
    const year = DateTime.utc().year + 2;
    const day = (md: string) => `${year}-${md}`;
    const added = await t.http
      .post('/api/organization/holidays')
      .set(auth(admin))
      .send({
        holidays: [
          { date: day('12-25'), name: 'Christmas Day' },
          { date: day('01-01'), name: "New Year's Day" },
        ],
      });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.items.map((h: { date: string }) => h.date)).toEqual([day('01-01'), day('12-25')]);

    const dup = await t.http
      .post('/api/organization/holidays')
      .set(auth(admin))
      .send({
        holidays: [
          { date: day('05-01'), name: 'Labour Day' },
          { date: day('12-25'), name: 'Christmas again' },
        ],
      });
    expect(dup.status).toBe(422);
    expect(fieldsOf(dup)).toEqual(['holidays.1.date']);
    const twice = await t.http
      .post('/api/organization/holidays')
      .set(auth(admin))
      .send({
        holidays: [
          { date: day('05-01'), name: 'Labour Day' },
          { date: day('05-01'), name: 'May Day' },
        ],
      });
    expect(fieldsOf(twice)).toEqual(['holidays']);
    const noName = await t.http
      .post('/api/organization/holidays')
      .set(auth(admin))
      .send({ holidays: [{ date: day('05-01'), name: ' ' }] });
    expect(fieldsOf(noName)).toEqual(['holidays.0.name']);
    expect((await t.http.post('/api/organization/holidays').set(auth(manager)).send({ holidays: [] })).status).toBe(403);

    const list = await t.http.get(`/api/organization/holidays?year=${year}`).set(auth(manager));
    expect(list.status).toBe(200);
    expect(list.body.items.map((h: { name: string }) => h.name)).toEqual(["New Year's Day", 'Christmas Day']); // Labour Day never added
    expect((await t.http.get(`/api/organization/holidays?year=${year + 1}`).set(auth(manager))).body.items).toEqual([]);
    expect((await t.http.get('/api/organization/holidays').set(auth(otherAdmin))).body.items).toEqual([]);

    const christmas = list.body.items[1].id as string;
    expect((await t.http.delete(`/api/organization/holidays/${christmas}`).set(auth(otherAdmin))).status).toBe(404);
    expect((await t.http.delete(`/api/organization/holidays/${christmas}`).set(auth(admin))).status).toBe(204);
    expect((await t.http.delete(`/api/organization/holidays/${christmas}`).set(auth(admin))).status).toBe(404);
    expect((await t.http.get(`/api/organization/holidays?year=${year}`).set(auth(admin))).body.items).toHaveLength(1);
    expect((await logOf('organization.holidays_added')).map((e) => e.diff)).toEqual([
      {
        holidays: [
          { date: day('01-01'), name: "New Year's Day" },
          { date: day('12-25'), name: 'Christmas Day' },
        ],
      },
    ]);
    expect((await logOf('organization.holiday_removed')).map((e) => e.diff)).toEqual([
      { holiday: { id: christmas, date: day('12-25'), name: 'Christmas Day' } },
    ]);
  });

  it('a business-day notice skips the holidays on weekdays, and the entitlement says which', async () => {
    // The OpenAI clause counted in business days (10), in the organization's zone (Europe/Berlin, set above).
    await ds.query(
      `UPDATE contracts SET clauses = jsonb_set(jsonb_set(clauses, '{rightToAudit,noticeBasis}', '"business"'), '{rightToAudit,noticeDays}', '10')
        WHERE vendor_id = $1 AND jsonb_typeof(clauses->'rightToAudit') = 'object'`,
      [openai],
    );
    const zone = 'Europe/Berlin';
    const issue = DateTime.now().setZone(zone).startOf('day');
    const weekday = (d: DateTime) => d.weekday < 6;
    // A holiday on the third weekday after the issue date, and one on the first Saturday after it.
    let d = issue;
    for (let n = 0; n < 3;) if (weekday((d = d.plus({ days: 1 })))) n++;
    const onWeekday = { date: d.toISODate()!, name: 'Test weekday holiday' };
    let sat = issue.plus({ days: 1 });
    while (sat.weekday !== 6) sat = sat.plus({ days: 1 });
    const onSaturday = { date: sat.toISODate()!, name: 'Test Saturday holiday' };
    const res = await t.http
      .post('/api/organization/holidays')
      .set(auth(admin))
      .send({ holidays: [onWeekday, onSaturday] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const ent = await t.http
      .get(`/api/audits/entitlement?vendorId=${openai}&mode=remote&proposedStart=${DateTime.utc().plus({ days: 200 }).toISODate()}`)
      .set(auth(manager));
    expect(ent.status).toBe(200);
    // Ten business days from the issue date (today in Berlin) without the weekday holiday: it is skipped once, the
    // Saturday one not at all (counted from the answer's issue date, so a run across midnight still agrees).
    const expected = (() => {
      let e = DateTime.fromISO(ent.body.issueDate as string, { zone });
      for (let n = 0; n < 10;) {
        e = e.plus({ days: 1 });
        if (weekday(e) && e.toISODate() !== onWeekday.date) n++;
      }
      return e.toISODate()!;
    })();
    expect([issue.toISODate(), issue.plus({ days: 1 }).toISODate()]).toContain(ent.body.issueDate);
    expect(ent.body).toMatchObject({ earliestStart: expected, holidaysSkipped: [onWeekday] });
    expect(ent.body.clause.text).toContain('10 business days');
    // The day before the earliest start is refused for notice, naming the skipped holiday.
    const dayBefore = DateTime.fromISO(expected).minus({ days: 1 }).toISODate();
    const early = await t.http.get(`/api/audits/entitlement?vendorId=${openai}&mode=remote&proposedStart=${dayBefore}`).set(auth(manager));
    const notice = (early.body.reasons as { rule: string; message: string }[]).find((r) => r.rule === 'notice_period');
    expect(notice?.message).toContain(onWeekday.date);
  });
});
