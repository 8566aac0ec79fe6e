import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { WaitingOn } from '@bulwark/api-schema';
import { Inbox, inboxPage, scoped, type Actor, type InboxPage, type InboxSource } from '@bulwark/platform';

import { AuditRequest } from './audit.entities.js';

const ITEMS_OPEN = `a.status IN ('acknowledged', 'scheduled', 'fieldwork')`;
const ITEMS_TO_ANSWER = `EXISTS (SELECT 1 FROM audit_request_items i WHERE i.audit_id = a.id AND i.status IN ('requested', 'returned'))`;
const ITEMS_TO_DECIDE = `EXISTS (SELECT 1 FROM audit_request_items i WHERE i.audit_id = a.id AND i.status = 'delivered')`;
/** The earliest due date of the items still open, else the window's start. */
const DUE = `to_char(COALESCE((SELECT min(i.due_date) FROM audit_request_items i WHERE i.audit_id = a.id AND i.status <> 'accepted'), a.window_start), 'YYYY-MM-DD')`;

/**
 * Audits in the inbox. Waiting on the vendor: an issued audit to acknowledge (or refuse), and an audit under way
 * with items to answer (requested or returned). Waiting on us: a counter-proposed window to decide, a refusal to
 * escalate (or cancel), and delivered items to accept or return.
 */
@Injectable()
export class AuditInbox implements InboxSource, OnModuleInit {
  readonly kind = 'audit';
  readonly sides = ['vendor', 'us'] as const;
  readonly permission = 'audit_request.read' as const;

  constructor(private readonly inbox: Inbox) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  async items(m: EntityManager, who: Actor, q: { waitingOn: WaitingOn; limit: number }): Promise<InboxPage> {
    const qb = scoped(m, AuditRequest, 'a', who)
      .innerJoin('vendors', 'v', 'v.id = a.vendor_id')
      .select('a.id', 'id')
      .addSelect('a.title', 'title')
      .addSelect('a.status', 'state')
      .addSelect(DUE, 'due')
      .addSelect('a.vendor_id', 'vendor_id')
      .addSelect('v.name', 'vendor_name')
      .addSelect('a.updated_at', 'updated_at')
      .addSelect('a.counter_start IS NOT NULL', 'counter')
      .addSelect('count(*) OVER ()', 'total');
    if (q.waitingOn === 'vendor') qb.andWhere(`(a.status = 'issued' OR (${ITEMS_OPEN} AND ${ITEMS_TO_ANSWER}))`);
    else qb.andWhere(`(a.counter_start IS NOT NULL OR a.status = 'refused' OR (${ITEMS_OPEN} AND ${ITEMS_TO_DECIDE}))`);
    const rows = await qb.orderBy('updated_at', 'DESC').addOrderBy('a.id').limit(q.limit).getRawMany<{
      id: string;
      title: string;
      state: string;
      due: string;
      vendor_id: string;
      vendor_name: string;
      updated_at: Date;
      counter: boolean;
      total: string;
    }>();
    const vendor = who.role === 'vendor_contact';
    return inboxPage(rows, (r) => ({
      kind: this.kind,
      id: r.id,
      title:
        q.waitingOn === 'vendor'
          ? r.state === 'issued'
            ? `Audit to acknowledge: ${r.title}`
            : `Audit items to answer: ${r.title}`
          : r.counter
            ? `Audit window proposed: ${r.title}`
            : r.state === 'refused'
              ? `Audit refused: ${r.title}`
              : `Audit items to review: ${r.title}`,
      vendorId: r.vendor_id,
      vendorName: r.vendor_name,
      state: r.state,
      dueDate: r.due,
      updatedAt: new Date(r.updated_at).toISOString(),
      link: vendor ? `/vendor-home/audits/${r.id}` : `/audits/${r.id}`,
      waitingOn: q.waitingOn,
    }));
  }
}
