import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { ANSWERING_STATUSES } from '@bulwark/api-schema';
import { dueWording, Reminders, STANDARD_RULES, type DueItem, type ReminderSubject } from '@bulwark/platform';

import { requestLinks } from './questionnaire-request.service.js';

/**
 * Due-date reminders of questionnaire requests, a subject of the platform's reminder sweep with the standard rules
 * (30, 7 and 1 days before, on the day; overdue at +1 and +7 days escalated to the vendor's owner and the vendor
 * managers). They go to the request's recipients. Only requests the vendor still has to answer are listed, so
 * submitting (or cancelling) stops them; a request sent back with changes requested is reminded again.
 */
@Injectable()
export class QuestionnaireRequestReminders implements OnModuleInit, ReminderSubject {
  readonly type = 'questionnaire_request.due';
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
      recipient_ids: string[];
      template_name: string;
      due_date: string;
      vendor_name: string;
    }[] = await m.query(
      `SELECT r.id, r.organization_id, r.vendor_id, r.recipient_ids, r.template_name, to_char(r.due_date, 'YYYY-MM-DD') AS due_date,
              v.name AS vendor_name
         FROM questionnaire_requests r JOIN vendors v ON v.id = r.vendor_id
        WHERE r.due_date BETWEEN $1::date AND $2::date AND r.status = ANY($3::text[])`,
      [window.from, window.to, [...ANSWERING_STATUSES]],
    );
    return rows.map((r) => ({
      organizationId: r.organization_id,
      subjectId: r.id,
      dueDate: r.due_date,
      // Sent with an invitation and no recipient yet: the vendor's contacts (the invitee, once signed in).
      recipients: r.recipient_ids.length ? { userIds: r.recipient_ids } : { vendorContactsOf: r.vendor_id },
      escalation: { vendorOwnerOf: r.vendor_id, roles: ['vendor_manager'] },
      // The portal sends a vendor contact from the organization's path to its own (`/vendor-home/...`).
      link: requestLinks(r.id).internal,
      notice: (_rule, today) => {
        const when = dueWording(r.due_date, today);
        return {
          title: `Questionnaire ${when}: ${r.template_name}`,
          body: `The questionnaire "${r.template_name}" for ${r.vendor_name} is due on ${r.due_date} (${when}). Answers are saved as you go; submit once the required questions are answered.`,
        };
      },
    }));
  }
}
