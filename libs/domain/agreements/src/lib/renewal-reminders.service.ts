import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { Reminders, whenWording, type DueItem, type ReminderRule, type ReminderSubject } from '@bulwark/platform';

/** A contract's renewal-notice date in SQL (alias `c`): notice of non-renewal must be given by then. */
export const NOTICE_DATE_SQL = 'c.expiry_date - c.renewal_notice_days';

/** Before the renewal-notice date: 30, 7 and 1 days ahead and on the day (after it, the notice can no longer be given). */
export const RENEWAL_NOTICE_RULES: readonly ReminderRule[] = [
  { id: 'due-30d', offsetDays: -30 },
  { id: 'due-7d', offsetDays: -7 },
  { id: 'due-1d', offsetDays: -1 },
  { id: 'on-due', offsetDays: 0 },
];

/**
 * Renewal-notice reminders, a subject of the platform's reminder sweep: an active contract with an
 * expiry date must be given notice of non-renewal by `expiry − renewal notice days`; procurement and
 * the vendor's owner are reminded at each step. A changed expiry or notice period re-arms the steps; a
 * contract that is no longer active gets none.
 */
@Injectable()
export class RenewalReminders implements OnModuleInit, ReminderSubject {
  readonly type = 'contract.renewal_notice';
  readonly rules = RENEWAL_NOTICE_RULES;

  constructor(private readonly reminders: Reminders) {}

  onModuleInit(): void {
    this.reminders.register(this);
  }

  async due(m: EntityManager, window: { from: string; to: string }): Promise<DueItem[]> {
    const rows: { id: string; organization_id: string; vendor_id: string; title: string; expiry_date: string; notice_date: string }[] =
      await m.query(
        `SELECT c.id, c.organization_id, c.vendor_id, c.title, to_char(c.expiry_date, 'YYYY-MM-DD') AS expiry_date,
                to_char(${NOTICE_DATE_SQL}, 'YYYY-MM-DD') AS notice_date
           FROM contracts c
          WHERE c.status = 'active' AND c.expiry_date IS NOT NULL
            AND ${NOTICE_DATE_SQL} BETWEEN $1::date AND $2::date`,
        [window.from, window.to],
      );
    return rows.map((c) => ({
      organizationId: c.organization_id,
      subjectId: c.id,
      dueDate: c.notice_date,
      recipients: { roles: ['procurement'], vendorOwnerOf: c.vendor_id },
      link: `/contracts/${c.id}`,
      notice: (_rule, today) => {
        const when = whenWording(c.notice_date, today);
        return {
          title: `Renewal notice due ${c.notice_date}: ${c.title}`,
          body: `"${c.title}" expires on ${c.expiry_date}. Notice of non-renewal must be given by ${c.notice_date} (${when}).`,
        };
      },
    }));
  }
}
