import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';

import type { WaitingOn } from '@bulwark/api-schema';
import { Inbox, inboxPage, scoped, type Actor, type InboxPage, type InboxSource } from '@bulwark/platform';

import { Contract } from './contract.entity.js';
import { NOTICE_DATE_SQL } from './renewal-reminders.service.js';

/** How far ahead a renewal-notice date puts its contract in the staff's inbox. */
export const RENEWAL_INBOX_DAYS = 30;

/**
 * Renewal notices in the staff's inbox ("waiting on us"): an active contract whose notice of non-renewal
 * is due within 30 days (from today to the notice date, inclusive; after it the notice can no longer be
 * given). Never shown to vendor contacts: it is our decision.
 */
@Injectable()
export class RenewalInbox implements InboxSource, OnModuleInit {
  readonly kind = 'renewal_notice';
  readonly sides = ['us'] as const;
  readonly permission = 'contract.read' as const;

  constructor(private readonly inbox: Inbox) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  async items(m: EntityManager, who: Actor, q: { waitingOn: WaitingOn; limit: number }): Promise<InboxPage> {
    if (who.role === 'vendor_contact' || q.waitingOn !== 'us') return { items: [], total: 0 };
    const today = DateTime.utc().toISODate()!;
    const rows = await scoped(m, Contract, 'c', who)
      .innerJoin('vendors', 'v', 'v.id = c.vendor_id')
      .select('c.id', 'id')
      .addSelect('c.title', 'title')
      .addSelect(`to_char(c.expiry_date, 'YYYY-MM-DD')`, 'expiry')
      .addSelect(`to_char(${NOTICE_DATE_SQL}, 'YYYY-MM-DD')`, 'due')
      .addSelect('c.vendor_id', 'vendor_id')
      .addSelect('v.name', 'vendor_name')
      // Moved last: when it entered the inbox (30 days before the notice date), or the contract's last change since.
      .addSelect(`GREATEST(c.updated_at, ((${NOTICE_DATE_SQL} - ${RENEWAL_INBOX_DAYS})::timestamp AT TIME ZONE 'UTC'))`, 'updated_at')
      .addSelect('count(*) OVER ()', 'total')
      .andWhere(`c.status = 'active' AND c.expiry_date IS NOT NULL`)
      .andWhere(`${NOTICE_DATE_SQL} BETWEEN CAST(:today AS date) AND CAST(:today AS date) + ${RENEWAL_INBOX_DAYS}`, {
        today,
      })
      .orderBy('updated_at', 'DESC')
      .addOrderBy('c.id')
      .limit(q.limit)
      .getRawMany<{
        id: string;
        title: string;
        expiry: string;
        due: string;
        vendor_id: string;
        vendor_name: string;
        updated_at: Date;
        total: string;
      }>();
    return inboxPage(rows, (r) => ({
      kind: this.kind,
      id: r.id,
      title: `Renewal notice due: ${r.title} (expires ${r.expiry})`,
      vendorId: r.vendor_id,
      vendorName: r.vendor_name,
      state: 'notice_due',
      dueDate: r.due,
      updatedAt: new Date(r.updated_at).toISOString(),
      link: `/contracts/${r.id}`,
      waitingOn: 'us',
    }));
  }
}
