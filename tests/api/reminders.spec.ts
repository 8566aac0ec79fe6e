import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RenewalReminders } from '@bulwark/agreements';
import { JobRegistry, JobSchedules, Notifier, Reminders, type ReminderSubject } from '@bulwark/platform';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

/**
 * The reminder sweep on the real database, with the contract renewal notice as its subject: each step
 * once however often (or however concurrently) the sweep runs, caught up after a missed sweep, across a
 * restart, re-armed by a changed due date, stopped by finished work.
 */
let t: TestApp;
let ds: DataSource;
let procurement: string;
let vendorId: string;

const start = DateTime.utc().startOf('day').plus({ hours: 9 });
/** A sweep on day `d` after the start (at 09:00 UTC). */
const on = (d: number) => start.plus({ days: d }).toJSDate();

async function contract(noticeInDays: number, title: string): Promise<string> {
  const res = await t.http
    .post('/api/contracts')
    .set(auth(procurement))
    .send({
      vendorId,
      title,
      status: 'active',
      effectiveDate: start.minus({ years: 1 }).toISODate(),
      expiryDate: start.plus({ days: noticeInDays + 60 }).toISODate(),
      renewalNoticeDays: 60,
    });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const ledger = async (id: string) =>
  (
    await ds.query(
      `SELECT rule, outcome, to_char(due_date, 'YYYY-MM-DD') AS due FROM reminder_ledger WHERE subject_id = $1 ORDER BY recorded_at, rule`,
      [id],
    )
  ).map((r: { rule: string; outcome: string; due: string }) => `${r.due} ${r.rule} ${r.outcome}`);

/** The reminders procurement received about one contract, one per step however often the sweep ran. */
const notices = async (id: string) =>
  (
    await ds.query(
      `SELECT n.dedupe_key FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'procurement@demo.bulwark.test' AND n.link = $1 ORDER BY n.created_at`,
      [`/contracts/${id}`],
    )
  ).map((r: { dedupe_key: string }) => r.dedupe_key.split(':').slice(-2).join(' '));

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  procurement = await login(t, 'procurement@demo.bulwark.test');
  [{ id: vendorId }] = await ds.query(`SELECT id FROM vendors WHERE name = 'Bloomberg'`);
});
afterAll(async () => t?.close());

describe('the reminder sweep', () => {
  it('sends each step once however often the sweep runs, and catches up a missed step without a burst', async () => {
    const id = await contract(20, 'Reminder steps');
    const due = start.plus({ days: 20 }).toISODate()!;
    const reminders = t.app.get(Reminders);
    for (let i = 0; i < 3; i++) await reminders.sweep(on(0));
    expect(await ledger(id)).toEqual([`${due} due-30d sent`]);
    await reminders.sweep(on(13)); // 7 days before
    await reminders.sweep(on(13));
    // Day 19 (1 day before) is missed; the sweep on the day sends the on-due step and records the missed one as skipped.
    await reminders.sweep(on(20));
    await reminders.sweep(on(21));
    expect(await ledger(id)).toEqual([`${due} due-30d sent`, `${due} due-7d sent`, `${due} due-1d skipped`, `${due} on-due sent`]);
    expect(await notices(id)).toEqual([`${due} due-30d`, `${due} due-7d`, `${due} on-due`]);
    const [mail] = await ds.query(`SELECT body FROM notifications WHERE link = $1 AND dedupe_key LIKE '%:due-7d'`, [`/contracts/${id}`]);
    expect(mail.body).toContain('(in 7 days)');
  });

  it('sweeps running at once, and a restarted application, never send a step twice', async () => {
    const id = await contract(5, 'Concurrent sweeps');
    const reminders = t.app.get(Reminders);
    await Promise.all([reminders.sweep(on(0)), reminders.sweep(on(0)), reminders.sweep(on(0))]);
    expect(await ledger(id)).toHaveLength(2); // due-30d skipped (created late), due-7d sent
    expect(await notices(id)).toHaveLength(1);

    // A restarted process: a sweeper with nothing in memory but the registered subjects, on the same database.
    const fresh = new Reminders(ds, t.app.get(Notifier), new JobRegistry(), new JobSchedules());
    fresh.register(t.app.get(RenewalReminders));
    expect(await fresh.sweep(on(0))).toMatchObject({ sent: 0 });
    expect(await notices(id)).toHaveLength(1);
  });

  it('a changed due date re-arms the steps; finished work stops them', async () => {
    const id = await contract(3, 'Moved and ended');
    const reminders = t.app.get(Reminders);
    await reminders.sweep(on(0));
    const first = start.plus({ days: 3 }).toISODate()!;
    expect(await notices(id)).toEqual([`${first} due-7d`]);

    // Extended by 40 days: the notice date moves, and its 30-day step comes when it is due, not now.
    const later = start.plus({ days: 103 });
    const moved = await t.http.patch(`/api/contracts/${id}`).set(auth(procurement)).send({ expiryDate: later.toISODate() });
    expect(moved.status).toBe(200);
    await reminders.sweep(on(0));
    expect(await notices(id)).toEqual([`${first} due-7d`]);
    await reminders.sweep(on(13));
    const second = start.plus({ days: 43 }).toISODate()!;
    expect(await notices(id)).toEqual([`${first} due-7d`, `${second} due-30d`]);

    const ended = await t.http.patch(`/api/contracts/${id}`).set(auth(procurement)).send({ status: 'terminated' });
    expect(ended.status).toBe(200);
    await reminders.sweep(on(36));
    await reminders.sweep(on(43));
    expect(await notices(id)).toEqual([`${first} due-7d`, `${second} due-30d`]);
  });

  it("one item's failure neither stops the others in its chunk nor marks it sent; the next sweep retries it", async () => {
    const [{ organization_id: org }] = await ds.query(`SELECT organization_id FROM vendors WHERE id = $1`, [vendorId]);
    const ids: string[] = (await ds.query(`SELECT gen_random_uuid() AS id FROM generate_series(1, 5)`)).map((r: { id: string }) => r.id);
    const broken = ids[2]!;
    let fixed = false;
    const due = start.plus({ days: 7 }).toISODate()!;
    const subject: ReminderSubject = {
      type: 'test.chunk',
      rules: [{ id: 'due-7d', offsetDays: -7 }],
      due: async () =>
        ids.map((id) => ({
          organizationId: org,
          subjectId: id,
          dueDate: due,
          // Not a uuid: the recipients query fails, and with it the transaction it runs in.
          recipients: { roles: ['procurement'], userIds: [id === broken && !fixed ? 'not-a-uuid' : null] },
          link: `/test/${id}`,
          notice: () => ({ title: `Test ${id}`, body: 'Due soon' }),
        })),
    };
    const sweeper = new Reminders(ds, t.app.get(Notifier), new JobRegistry(), new JobSchedules());
    sweeper.register(subject);
    expect(await sweeper.sweep(on(0))).toEqual({ sent: 4, skipped: 0 });
    const sentTo = async () =>
      (await ds.query(`SELECT subject_id FROM reminder_ledger WHERE subject_type = 'test.chunk'`)).map(
        (r: { subject_id: string }) => r.subject_id,
      );
    expect((await sentTo()).sort()).toEqual(ids.filter((id) => id !== broken).sort());
    fixed = true;
    expect(await sweeper.sweep(on(0))).toEqual({ sent: 1, skipped: 0 });
    expect((await sentTo()).sort()).toEqual([...ids].sort());
    expect(await sweeper.sweep(on(0))).toEqual({ sent: 0, skipped: 0 });
  });
});
