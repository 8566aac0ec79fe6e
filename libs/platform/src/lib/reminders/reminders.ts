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
      for (const item of items) {
        try {
          const r = await this.remind(subject, item, today);
          total.sent += r.sent;
          total.skipped += r.skipped;
        } catch (err) {
          // One item's failure (a bad recipient list, a lost connection) neither stops the others nor marks it sent.
          this.logger.warn(`reminder ${subject.type} ${item.subjectId}: ${(err as Error).message}`);
        }
      }
    }
    return total;
  }

  private async remind(subject: ReminderSubject, item: DueItem, today: string): Promise<SweepResult> {
    const { due, superseded } = rulesAt(subject.rules, item.dueDate, today);
    if (!due) return { sent: 0, skipped: 0 };
    return this.dataSource.transaction(async (m) => {
      const record = async (rule: ReminderRule, outcome: 'sent' | 'skipped'): Promise<boolean> => {
        const rows: unknown[] = await m.query(
          `INSERT INTO reminder_ledger (organization_id, subject_type, subject_id, due_date, rule, outcome)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (subject_type, subject_id, due_date, rule) DO NOTHING RETURNING id`,
          [item.organizationId, subject.type, item.subjectId, item.dueDate, rule.id, outcome],
        );
        return rows.length > 0;
      };
      let skipped = 0;
      for (const rule of superseded) if (await record(rule, 'skipped')) skipped++;
      if (!(await record(due, 'sent'))) return { sent: 0, skipped };
      const { title, body } = item.notice(due, today);
      const recipients: Recipients = due.escalate && item.escalation ? mergeRecipients(item.recipients, item.escalation) : item.recipients;
      await this.notifier.notify(
        item.organizationId,
        recipients,
        { title, body, link: item.link, key: `reminder:${subject.type}:${item.subjectId}:${item.dueDate}:${due.id}` },
        m,
      );
      return { sent: 1, skipped };
    });
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
