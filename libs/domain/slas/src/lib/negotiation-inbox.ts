import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { WaitingOn } from '@bulwark/api-schema';
import { Inbox, inboxPage, scoped, type Actor, type InboxPage, type InboxSource } from '@bulwark/platform';

import { Negotiation } from './negotiation.entities.js';

/** Whose move it is in a negotiation, as SQL over the alias `n` (see `allowedActions`). */
const WAITING: Record<WaitingOn, string> = {
  // A round awaits the vendor's answer, or the agreed terms its sign-off.
  vendor: `(n.status = 'proposed' OR (n.status = 'agreed' AND n.vendor_signed_at IS NULL))`,
  // The vendor countered (procurement proposes the next round), or signed and procurement has not.
  us: `(n.status = 'countered' OR (n.status = 'agreed' AND n.vendor_signed_at IS NOT NULL AND n.procurement_signed_at IS NULL))`,
};

/**
 * SLA negotiations in the inbox: waiting on the vendor while a round awaits its answer or the agreed terms
 * its sign-off, on us when the vendor countered or signed first. Due: the date the terms are to take effect.
 */
@Injectable()
export class NegotiationInbox implements InboxSource, OnModuleInit {
  readonly kind = 'negotiation';
  readonly sides = ['vendor', 'us'] as const;
  readonly permission = 'negotiation.read' as const;

  constructor(private readonly inbox: Inbox) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  async items(m: EntityManager, who: Actor, q: { waitingOn: WaitingOn; limit: number }): Promise<InboxPage> {
    const rows = await scoped(m, Negotiation, 'n', who)
      .innerJoin('vendors', 'v', 'v.id = n.vendor_id')
      .select('n.id', 'id')
      .addSelect('n.sla_name', 'sla_name')
      .addSelect('n.status', 'status')
      .addSelect('n.current_round', 'round')
      .addSelect(`to_char(n.effective_from, 'YYYY-MM-DD')`, 'due')
      .addSelect('n.updated_at', 'updated_at')
      .addSelect('n.vendor_id', 'vendor_id')
      .addSelect('v.name', 'vendor_name')
      .addSelect('count(*) OVER ()', 'total')
      .andWhere(WAITING[q.waitingOn])
      .orderBy('n.updated_at', 'DESC')
      .addOrderBy('n.id')
      .limit(q.limit)
      .getRawMany<{
        id: string;
        sla_name: string;
        status: string;
        round: number;
        due: string;
        updated_at: Date;
        vendor_id: string;
        vendor_name: string;
        total: string;
      }>();
    const vendor = who.role === 'vendor_contact';
    return inboxPage(rows, (r) => ({
      kind: this.kind,
      id: r.id,
      title:
        r.status === 'agreed'
          ? `Sign off the agreed SLA terms: ${r.sla_name}`
          : r.status === 'countered'
            ? `Vendor countered round ${r.round}: ${r.sla_name}`
            : `Answer round ${r.round} of the SLA terms: ${r.sla_name}`,
      vendorId: r.vendor_id,
      vendorName: r.vendor_name,
      state: r.status,
      dueDate: r.due,
      updatedAt: new Date(r.updated_at).toISOString(),
      link: vendor ? `/vendor-home/negotiations/${r.id}` : `/negotiations/${r.id}`,
      waitingOn: q.waitingOn,
    }));
  }
}
