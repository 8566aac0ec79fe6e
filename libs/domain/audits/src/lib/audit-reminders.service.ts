import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { dueWording, Reminders, STANDARD_RULES, type DueItem, type ReminderSubject } from '@bulwark/platform';

/**
 * Due-date reminders of requested audit items, a subject of the platform's reminder sweep with the standard rules
 * (30, 7 and 1 days before, on the day; overdue at +1 and +7 days escalated to the vendor managers). They go to
 * the item's vendor-side owner (or every contact of the vendor) and the vendor's internal owner. An item answered
 * (delivered or accepted), or of an audit no longer under way, is not listed, so its reminders stop; a returned
 * item is listed again.
 */
@Injectable()
export class AuditItemReminders implements OnModuleInit, ReminderSubject {
  readonly type = 'audit_item.due';
  readonly rules = STANDARD_RULES;

  constructor(private readonly reminders: Reminders) {}

  onModuleInit(): void {
    this.reminders.register(this);
  }

  async due(m: EntityManager, window: { from: string; to: string }): Promise<DueItem[]> {
    const rows: {
      id: string;
      audit_id: string;
      organization_id: string;
      vendor_id: string;
      owner_id: string | null;
      reference: string;
      title: string;
      due_date: string;
      vendor_name: string;
    }[] = await m.query(
      `SELECT i.id, i.audit_id, i.organization_id, i.vendor_id, i.owner_id, i.reference, a.title,
              to_char(i.due_date, 'YYYY-MM-DD') AS due_date, v.name AS vendor_name
         FROM audit_request_items i
         JOIN audit_requests a ON a.id = i.audit_id
         JOIN vendors v ON v.id = i.vendor_id
        WHERE i.due_date BETWEEN $1::date AND $2::date
          AND i.status IN ('requested', 'returned')
          AND a.status IN ('issued', 'acknowledged', 'scheduled', 'fieldwork')`,
      [window.from, window.to],
    );
    return rows.map((i) => ({
      organizationId: i.organization_id,
      subjectId: i.id,
      dueDate: i.due_date,
      recipients: { vendorOwnerOf: i.vendor_id, ...(i.owner_id ? { userIds: [i.owner_id] } : { vendorContactsOf: i.vendor_id }) },
      escalation: { roles: ['vendor_manager'] },
      link: `/audits/${i.audit_id}`,
      notice: (_rule, today) => {
        const when = dueWording(i.due_date, today);
        return {
          title: `Audit item ${i.reference} ${when}: ${i.title}`,
          body: `Item ${i.reference} of the audit "${i.title}" of ${i.vendor_name} is due on ${i.due_date} (${when}).`,
        };
      },
    }));
  }
}
