import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';

import { EVIDENCE_EXPIRING_DAYS, type WaitingOn } from '@bulwark/api-schema';
import { Inbox, inboxPage, scoped, type Actor, type InboxPage, type InboxSource } from '@bulwark/platform';

import { EvidenceItem } from './evidence.entity.js';

/**
 * Evidence in the inbox, waiting on the vendor: an item that has expired or expires within 30 days needs
 * a new revision (a renewed certificate, this year's SOC 2 report). Its due date is the valid-until date.
 */
@Injectable()
export class EvidenceInbox implements InboxSource, OnModuleInit {
  readonly kind = 'evidence';
  readonly sides = ['vendor'] as const;
  readonly permission = 'evidence.read' as const;

  constructor(private readonly inbox: Inbox) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  async items(m: EntityManager, who: Actor, q: { waitingOn: WaitingOn; limit: number }): Promise<InboxPage> {
    if (q.waitingOn !== 'vendor') return { items: [], total: 0 };
    const today = DateTime.utc().toISODate()!;
    const rows = await scoped(m, EvidenceItem, 'e', who)
      .innerJoin('vendors', 'v', 'v.id = e.vendor_id')
      .select('e.id', 'id')
      .addSelect('e.title', 'title')
      .addSelect(`to_char(e.valid_until, 'YYYY-MM-DD')`, 'until')
      .addSelect('e.vendor_id', 'vendor_id')
      .addSelect('v.name', 'vendor_name')
      // Moved last: when it entered the inbox (30 days before it expires), or its last change since.
      .addSelect(`GREATEST(e.updated_at, ((e.valid_until - ${EVIDENCE_EXPIRING_DAYS})::timestamp AT TIME ZONE 'UTC'))`, 'updated_at')
      .addSelect('count(*) OVER ()', 'total')
      .andWhere(`e.valid_until IS NOT NULL AND e.valid_until <= CAST(:today AS date) + ${EVIDENCE_EXPIRING_DAYS}`, { today })
      .orderBy('updated_at', 'DESC')
      .addOrderBy('e.id')
      .limit(q.limit)
      .getRawMany<{ id: string; title: string; until: string; vendor_id: string; vendor_name: string; updated_at: Date; total: string }>();
    const vendor = who.role === 'vendor_contact';
    return inboxPage(rows, (r) => {
      const expired = r.until < today;
      return {
        kind: this.kind,
        id: r.id,
        title: `${expired ? 'Expired' : 'Expiring'} evidence, upload a new revision: ${r.title}`,
        vendorId: r.vendor_id,
        vendorName: r.vendor_name,
        state: expired ? 'expired' : 'expiring',
        dueDate: r.until,
        updatedAt: new Date(r.updated_at).toISOString(),
        link: vendor ? '/vendor-home/evidence' : `/vendors/${r.vendor_id}/evidence`,
        waitingOn: 'vendor',
      };
    });
  }
}
