import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { Notifier, type Recipients } from '../notifications/notifier.js';
import { JobSchedules } from '../queue/job-schedules.js';
import { JobRegistry } from '../queue/queue.port.js';
import { dueWindow, rulesAt, type ReminderRule } from './reminder-rules.js';

/** One piece of work with a due date that reminders are about (a contract's renewal notice, an evidence expiry…). */
export interface DueItem {
  organizationId: string;
  subjectId: string;
  /** `YYYY-MM-DD` (UTC). A changed due date re-arms every rule; an item the subject stops listing (done) gets none. */
  dueDate: string;
  recipients: Recipients;
  /** Added for the rules marked `escalate` (overdue steps): the people above the owner. */
  escalation?: Recipients;
  /** Portal path the notice links to. */
  link: string;
  /** The notice for one step, worded from today (an item created late says "in 5 days", not "in 7"). */
  notice(rule: ReminderRule, today: string): { title: string; body: string };
}

/** A kind of due work an area registers: its rules and how to find its open items. */
export interface ReminderSubject {
  /** Stable, stored in the ledger: e.g. `contract.renewal_notice`. */
  type: string;
  rules: readonly ReminderRule[];
  /** The open items (work not yet done) due between `from` and `to` inclusive, across organizations. */
  due(m: EntityManager, window: { from: string; to: string }): Promise<DueItem[]>;
}

export interface SweepResult {
  sent: number;
  skipped: number;
}

/** An item and the step of its rules due today (`superseded`: earlier steps whose day also passed). */
interface Step {
  item: DueItem;
  due: ReminderRule;
  superseded: ReminderRule[];
}

const ledgerKey = (subjectId: string, dueDate: string, rule: string) => `${subjectId}|${dueDate}|${rule}`;
/** Items whose recorded steps are looked up in one query. */
const LOOKUP_CHUNK = 1_000;
/** Steps recorded and sent in one transaction (retried one by one if the chunk fails). */
const WRITE_CHUNK = 100;

/** How long after its last rule's day a missed step is still caught up (a sweep down for longer loses nothing silently: the ledger shows it). */
const CATCH_UP_DAYS = 30;

/**
 * Reminders that are never lost or doubled. A periodic sweep (`reminders.sweep`, hourly, and at once
 * on demand) computes from the stored due dates which step of each subject's rules is due today and
 * records it in `reminder_ledger`, unique per (subject, due date, rule), in the same transaction as its
 * notifications (themselves unique per recipient and key, with their e-mails in the job outbox). So a
 * restart, a missed sweep or a lost delayed job never loses a step (the next sweep catches up), two
 * sweeps at once or one run twice never send one twice, a changed due date re-arms the rules, and
 * finished work (no longer listed by its subject) stops them. The same in embedded mode and with
 * BullMQ workers: nothing depends on a job being delivered at a given time.
 */
@Injectable()
export class Reminders implements OnModuleInit {
  private readonly logger = new Logger('Reminders');
  private readonly subjects = new Map<string, ReminderSubject>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifier: Notifier,
    private readonly jobs: JobRegistry,
    private readonly schedules: JobSchedules,
  ) {}

  onModuleInit(): void {
    this.jobs.register('reminders.sweep', async () => {
      await this.sweep();
    });
    this.schedules.declare('reminders:', () => [{ key: 'reminders:sweep', everyMs: 3600_000, name: 'reminders.sweep', data: {} }]);
  }

  /** Registers a subject (in its module's constructor or `onModuleInit`). */
  register(subject: ReminderSubject): void {
    if (this.subjects.has(subject.type)) throw new Error(`Reminder subject ${subject.type} is registered twice`);
    if (new Set(subject.rules.map((r) => r.id)).size !== subject.rules.length)
      throw new Error(`Reminder rules of ${subject.type} repeat an id`);
    this.subjects.set(subject.type, subject);
  }

  /** One pass over every subject: sends each step due by `now` that the ledger does not have yet. */
  async sweep(now = new Date()): Promise<SweepResult> {
    const today = now.toISOString().slice(0, 10);
    const total: SweepResult = { sent: 0, skipped: 0 };
    for (const subject of this.subjects.values()) {
      const items = await subject.due(this.dataSource.manager, dueWindow(subject.rules, today, CATCH_UP_DAYS));
      // Which step each item is at today (pure); the steps the ledger already holds are done, found in one query per chunk.
      const steps: Step[] = [];
      for (const item of items) {
        const { due, superseded } = rulesAt(subject.rules, item.dueDate, today);
        if (due) steps.push({ item, due, superseded });
      }
      const open: Step[] = [];
      for (let i = 0; i < steps.length; i += LOOKUP_CHUNK) {
        const chunk = steps.slice(i, i + LOOKUP_CHUNK);
        const recorded = await this.recorded(subject.type, chunk);
        for (const s of chunk) if (!recorded.has(ledgerKey(s.item.subjectId, s.item.dueDate, s.due.id))) open.push(s);
      }
      for (let i = 0; i < open.length; i += WRITE_CHUNK) {
        const r = await this.remindAll(subject, open.slice(i, i + WRITE_CHUNK), today);
        total.sent += r.sent;
        total.skipped += r.skipped;
      }
    }
    return total;
  }

  /** The (subject, due date, rule) keys the ledger holds for these items. */
  private async recorded(type: string, steps: Step[]): Promise<Set<string>> {
    if (!steps.length) return new Set();
    const rows: { subject_id: string; due_date: string; rule: string }[] = await this.dataSource.query(
      `SELECT subject_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, rule FROM reminder_ledger
        WHERE subject_type = $1 AND subject_id = ANY($2::uuid[])`,
      [type, [...new Set(steps.map((s) => s.item.subjectId))]],
    );
    return new Set(rows.map((r) => ledgerKey(r.subject_id, r.due_date, r.rule)));
  }

  /**
   * Records and sends a chunk of steps in one transaction. If the chunk fails, each step is retried in
   * its own transaction, so one item's failure (a bad recipient list) neither stops the others nor marks
   * it sent.
   */
  private async remindAll(subject: ReminderSubject, steps: Step[], today: string): Promise<SweepResult> {
    try {
      return await this.dataSource.transaction(async (m) => {
        const total: SweepResult = { sent: 0, skipped: 0 };
        for (const step of steps) {
          const r = await this.remind(m, subject, step, today);
          total.sent += r.sent;
          total.skipped += r.skipped;
        }
        return total;
      });
    } catch (err) {
      if (steps.length === 1) {
        this.logger.warn(`reminder ${subject.type} ${steps[0]!.item.subjectId}: ${(err as Error).message}`);
        return { sent: 0, skipped: 0 };
      }
      const total: SweepResult = { sent: 0, skipped: 0 };
      for (const step of steps) {
        const r = await this.remindAll(subject, [step], today);
        total.sent += r.sent;
        total.skipped += r.skipped;
      }
      return total;
    }
  }

  private async remind(m: EntityManager, subject: ReminderSubject, { item, due, superseded }: Step, today: string): Promise<SweepResult> {
    // The missed earlier steps (skipped) and today's (sent), in one statement; a step another sweep recorded first is left out.
    const rules = [...superseded.map((r) => [r.id, 'skipped']), [due.id, 'sent']];
    const recorded: { rule: string }[] = await m.query(
      `INSERT INTO reminder_ledger (organization_id, subject_type, subject_id, due_date, rule, outcome)
       SELECT $1, $2, $3, $4, r.rule, r.outcome FROM unnest($5::text[], $6::text[]) AS r(rule, outcome)
       ON CONFLICT (subject_type, subject_id, due_date, rule) DO NOTHING RETURNING rule`,
      [item.organizationId, subject.type, item.subjectId, item.dueDate, rules.map((r) => r[0]), rules.map((r) => r[1])],
    );
    const skipped = recorded.filter((r) => r.rule !== due.id).length;
    // Another sweep recorded today's step first (two at once): it sent it, this one does not.
    if (!recorded.some((r) => r.rule === due.id)) return { sent: 0, skipped };
    const { title, body } = item.notice(due, today);
    const recipients: Recipients = due.escalate && item.escalation ? mergeRecipients(item.recipients, item.escalation) : item.recipients;
    await this.notifier.notify(
      item.organizationId,
      recipients,
      { title, body, link: item.link, key: `reminder:${subject.type}:${item.subjectId}:${item.dueDate}:${due.id}` },
      m,
    );
    return { sent: 1, skipped };
  }
}

function mergeRecipients(a: Recipients, b: Recipients): Recipients {
  return {
    roles: [...(a.roles ?? []), ...(b.roles ?? [])],
    vendorContactsOf: a.vendorContactsOf ?? b.vendorContactsOf,
    vendorOwnerOf: a.vendorOwnerOf ?? b.vendorOwnerOf,
    userIds: [...(a.userIds ?? []), ...(b.userIds ?? [])],
    except: [...(a.except ?? []), ...(b.except ?? [])],
  };
}
