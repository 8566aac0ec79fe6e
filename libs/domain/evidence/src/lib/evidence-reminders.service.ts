import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { Reminders, whenWording, type DueItem, type ReminderRule, type ReminderSubject } from '@bulwark/platform';

/** Before a piece of evidence expires: 30, 7 and 1 days ahead, and on the day. */
export const EVIDENCE_EXPIRY_RULES: readonly ReminderRule[] = [
  { id: 'due-30d', offsetDays: -30 },
  { id: 'due-7d', offsetDays: -7 },
  { id: 'due-1d', offsetDays: -1 },
  { id: 'on-due', offsetDays: 0 },
];

/**
 * Evidence-expiry reminders, a subject of the platform's reminder sweep: the current revision's
 * valid-until is the due date; the vendor's contacts, the vendor's internal owner and the evidence's
 * owner are reminded at each step. A new revision with a later valid-until re-arms the steps.
 */
@Injectable()
export class EvidenceExpiryReminders implements OnModuleInit, ReminderSubject {
  readonly type = 'evidence.expiry';
  readonly rules = EVIDENCE_EXPIRY_RULES;

  constructor(private readonly reminders: Reminders) {}

  onModuleInit(): void {
    this.reminders.register(this);
  }

  async due(m: EntityManager, window: { from: string; to: string }): Promise<DueItem[]> {
    const rows: {
      id: string;
      organization_id: string;
      vendor_id: string;
      vendor_name: string;
      title: string;
      owner_id: string | null;
      valid_until: string;
    }[] = await m.query(
      `SELECT e.id, e.organization_id, e.vendor_id, v.name AS vendor_name, e.title, e.owner_id, to_char(e.valid_until, 'YYYY-MM-DD') AS valid_until
           FROM evidence_items e JOIN vendors v ON v.id = e.vendor_id
          WHERE e.valid_until BETWEEN $1::date AND $2::date`,
      [window.from, window.to],
    );
    return rows.map((e) => ({
      organizationId: e.organization_id,
      subjectId: e.id,
      dueDate: e.valid_until,
      recipients: { vendorContactsOf: e.vendor_id, vendorOwnerOf: e.vendor_id, userIds: [e.owner_id] },
      link: `/vendors/${e.vendor_id}/evidence`,
      notice: (_rule, today) => {
        const when = whenWording(e.valid_until, today);
        return {
          title: `Evidence expires ${e.valid_until}: ${e.title}`,
          body: `"${e.title}" of ${e.vendor_name} is valid until ${e.valid_until} (${when}). Upload a new revision to keep it current.`,
        };
      },
    }));
  }
}
