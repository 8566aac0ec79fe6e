import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { WaitingOn } from '@bulwark/api-schema';
import { Inbox, inboxPage, scoped, todayUtc, type Actor, type InboxPage, type InboxSource } from '@bulwark/platform';

import { effectiveStatusSql } from './finding-policy.js';
import { Finding } from './finding.entities.js';

/** The state a finding is really in today: a risk acceptance that has run out reopens it (as every read shows it). */
const EFFECTIVE_STATUS = effectiveStatusSql('f');
/** A risk acceptance asked for and not yet approved. */
const ACCEPTANCE_PENDING = `EXISTS (SELECT 1 FROM finding_risk_acceptances r WHERE r.finding_id = f.id AND r.approved_at IS NULL)`;

/**
 * Findings in the inbox. Waiting on the vendor: open (including a lapsed risk acceptance), sent back
 * (`changes_requested`), plan accepted or in remediation (the vendor does the work). Waiting on us: a
 * proposed plan to accept, a remediation ready to verify, or a risk acceptance asked for and not yet
 * approved. Due date: the finding's.
 */
@Injectable()
export class FindingInbox implements InboxSource, OnModuleInit {
  readonly kind = 'finding';
  readonly sides = ['vendor', 'us'] as const;
  readonly permission = 'finding.read' as const;

  constructor(private readonly inbox: Inbox) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  async items(m: EntityManager, who: Actor, q: { waitingOn: WaitingOn; limit: number }): Promise<InboxPage> {
    const today = todayUtc();
    const qb = scoped(m, Finding, 'f', who)
      .innerJoin('vendors', 'v', 'v.id = f.vendor_id')
      .select('f.id', 'id')
      .addSelect('f.title', 'title')
      .addSelect('f.severity', 'severity')
      .addSelect(EFFECTIVE_STATUS, 'state')
      .addSelect(`to_char(f.due_date, 'YYYY-MM-DD')`, 'due')
      .addSelect('f.vendor_id', 'vendor_id')
      .addSelect('v.name', 'vendor_name')
      .addSelect('f.updated_at', 'updated_at')
      .addSelect(ACCEPTANCE_PENDING, 'acceptance_pending')
      .addSelect('count(*) OVER ()', 'total')
      .setParameter('today', today);
    if (q.waitingOn === 'vendor') qb.andWhere(`${EFFECTIVE_STATUS} IN ('open', 'changes_requested', 'plan_accepted', 'in_remediation')`);
    else qb.andWhere(`(${EFFECTIVE_STATUS} IN ('plan_proposed', 'ready_for_verification') OR ${ACCEPTANCE_PENDING})`);
    const rows = await qb.orderBy('updated_at', 'DESC').addOrderBy('f.id').limit(q.limit).getRawMany<{
      id: string;
      title: string;
      severity: string;
      state: string;
      due: string;
      vendor_id: string;
      vendor_name: string;
      updated_at: Date;
      acceptance_pending: boolean;
      total: string;
    }>();
    const vendor = who.role === 'vendor_contact';
    return inboxPage(rows, (r) => ({
      kind: this.kind,
      id: r.id,
      title:
        q.waitingOn === 'us' && r.acceptance_pending && !['plan_proposed', 'ready_for_verification'].includes(r.state)
          ? `Risk acceptance to approve: ${r.title}`
          : `${r.severity[0]!.toUpperCase()}${r.severity.slice(1)} finding: ${r.title}`,
      vendorId: r.vendor_id,
      vendorName: r.vendor_name,
      state: r.state,
      dueDate: r.due,
      updatedAt: new Date(r.updated_at).toISOString(),
      link: vendor ? `/vendor-home/findings/${r.id}` : `/findings/${r.id}`,
      waitingOn: q.waitingOn,
    }));
  }
}
