import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { dueWording, Reminders, STANDARD_RULES, type DueItem, type ReminderSubject } from '@bulwark/platform';

/**
 * Due-date reminders of findings, a subject of the platform's reminder sweep with the standard rules (30,
 * 7 and 1 days before, on the day, overdue at +1 and +7 days escalated to the vendor managers). They go to
 * the vendor's owner (internal) and the finding's vendor-side owner, or every contact of the vendor when it
 * has none. A finding that is closed or validly risk-accepted is no longer listed, so its reminders stop; a
 * reopened one gets a new due date, which re-arms them.
 */
@Injectable()
export class FindingReminders implements OnModuleInit, ReminderSubject {
  readonly type = 'finding.due';
  readonly rules = STANDARD_RULES;

  constructor(private readonly reminders: Reminders) {}

  onModuleInit(): void {
    this.reminders.register(this);
  }

  async due(m: EntityManager, window: { from: string; to: string }): Promise<DueItem[]> {
    const rows: {
      id: string;
      organization_id: string;
      vendor_id: string;
      vendor_owner_id: string | null;
      title: string;
      severity: string;
      due_date: string;
      vendor_name: string;
    }[] = await m.query(
      `SELECT f.id, f.organization_id, f.vendor_id, f.vendor_owner_id, f.title, f.severity, to_char(f.due_date, 'YYYY-MM-DD') AS due_date,
              v.name AS vendor_name
         FROM findings f JOIN vendors v ON v.id = f.vendor_id
        WHERE f.due_date BETWEEN $1::date AND $2::date
          AND f.status <> 'closed'
          AND NOT (f.status = 'risk_accepted' AND f.risk_accepted_until >= $3::date)`,
      [window.from, window.to, new Date().toISOString().slice(0, 10)],
    );
    return rows.map((f) => ({
      organizationId: f.organization_id,
      subjectId: f.id,
      dueDate: f.due_date,
      recipients: {
        vendorOwnerOf: f.vendor_id,
        ...(f.vendor_owner_id ? { userIds: [f.vendor_owner_id] } : { vendorContactsOf: f.vendor_id }),
      },
      escalation: { roles: ['vendor_manager'] },
      link: `/findings/${f.id}`,
      notice: (_rule, today) => {
        const when = dueWording(f.due_date, today);
        return {
          title: `Finding ${when}: ${f.title}`,
          body: `The ${f.severity} finding "${f.title}" of ${f.vendor_name} is due on ${f.due_date} (${when}).`,
        };
      },
    }));
  }
}
