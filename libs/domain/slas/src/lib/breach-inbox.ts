import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { WaitingOn } from '@bulwark/api-schema';
import { Inbox, inboxPage, scoped, type Actor, type InboxPage, type InboxSource } from '@bulwark/platform';

import { SlaBreach } from './breach.entities.js';

/**
 * Breaches in the inbox. An `open` breach (a credit claimed, nobody has contested it) waits on the vendor:
 * it reviews the claim and disputes it if it contests it. A `disputed` one waits on us: we answer the
 * dispute and decide (upheld or waived). Decided and withdrawn breaches wait on nobody. No due date: the
 * breach model has no dispute deadline.
 */
@Injectable()
export class BreachInbox implements InboxSource, OnModuleInit {
  readonly kind = 'breach';
  readonly sides = ['vendor', 'us'] as const;
  readonly permission = 'breach.read' as const;

  constructor(private readonly inbox: Inbox) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  async items(m: EntityManager, who: Actor, q: { waitingOn: WaitingOn; limit: number }): Promise<InboxPage> {
    const rows = await scoped(m, SlaBreach, 'b', who)
      .innerJoin('slas', 's', 's.id = b.sla_id')
      .innerJoin('vendors', 'v', 'v.id = b.vendor_id')
      .select('b.id', 'id')
      .addSelect('b.status', 'status')
      .addSelect('b.window_label', 'window')
      .addSelect('s.name', 'sla_name')
      .addSelect('b.vendor_id', 'vendor_id')
      .addSelect('v.name', 'vendor_name')
      // Moved last: detected, or the newest vendor-visible comment on its dispute thread (internal notes move nothing the vendor sees).
      .addSelect(
        `GREATEST(b.detected_at, (SELECT max(c.created_at) FROM thread_comments c
           WHERE c.target_type = 'breach' AND c.target_id = b.id AND c.audience = 'vendor'))`,
        'updated_at',
      )
      .addSelect('count(*) OVER ()', 'total')
      .andWhere('b.status = :inboxStatus', { inboxStatus: q.waitingOn === 'vendor' ? 'open' : 'disputed' })
      .orderBy('updated_at', 'DESC')
      .addOrderBy('b.id')
      .limit(q.limit)
      .getRawMany<{
        id: string;
        status: string;
        window: string;
        sla_name: string;
        vendor_id: string;
        vendor_name: string;
        updated_at: Date;
        total: string;
      }>();
    const vendor = who.role === 'vendor_contact';
    return inboxPage(rows, (r) => ({
      kind: this.kind,
      id: r.id,
      title:
        r.status === 'disputed'
          ? `Disputed breach to decide: ${r.sla_name} · ${r.window}`
          : `Breach to review (dispute if you contest it): ${r.sla_name} · ${r.window}`,
      vendorId: r.vendor_id,
      vendorName: r.vendor_name,
      state: r.status,
      dueDate: null,
      updatedAt: new Date(r.updated_at).toISOString(),
      link: vendor ? `/vendor-home/breaches/${r.id}` : `/breaches/${r.id}`,
      waitingOn: q.waitingOn,
    }));
  }
}
