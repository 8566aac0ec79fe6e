import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { ANSWERING_STATUSES, REVIEW_STATUSES, type WaitingOn } from '@bulwark/api-schema';
import { Inbox, inboxPage, scoped, type Actor, type InboxPage, type InboxSource } from '@bulwark/platform';

import { QuestionnaireRequest } from './questionnaire-request.entities.js';
import { requestLinks } from './questionnaire-request.service.js';

/**
 * Questionnaire requests in the inbox. Waiting on the vendor: sent, in progress, changes requested (it answers);
 * waiting on us: submitted, in review (we review). Due date: the request's.
 */
@Injectable()
export class QuestionnaireRequestInbox implements InboxSource, OnModuleInit {
  readonly kind = 'questionnaire_request';
  readonly sides = ['vendor', 'us'] as const;
  readonly permission = 'questionnaire_request.read' as const;

  constructor(private readonly inbox: Inbox) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  async items(m: EntityManager, who: Actor, q: { waitingOn: WaitingOn; limit: number }): Promise<InboxPage> {
    const rows = await scoped(m, QuestionnaireRequest, 'r', who)
      .innerJoin('vendors', 'v', 'v.id = r.vendor_id')
      .select('r.id', 'id')
      .addSelect('r.template_name', 'title')
      .addSelect('r.status', 'state')
      .addSelect(`to_char(r.due_date, 'YYYY-MM-DD')`, 'due')
      .addSelect('r.vendor_id', 'vendor_id')
      .addSelect('v.name', 'vendor_name')
      .addSelect('r.updated_at', 'updated_at')
      .addSelect('count(*) OVER ()', 'total')
      .andWhere('r.status = ANY(:states)', { states: [...(q.waitingOn === 'vendor' ? ANSWERING_STATUSES : REVIEW_STATUSES)] })
      .orderBy('updated_at', 'DESC')
      .addOrderBy('r.id')
      .limit(q.limit)
      .getRawMany<{
        id: string;
        title: string;
        state: string;
        due: string;
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
        q.waitingOn === 'vendor'
          ? `${r.state === 'changes_requested' ? 'Questionnaire to correct' : 'Questionnaire to answer'}: ${r.title}`
          : `Questionnaire to review: ${r.title}`,
      vendorId: r.vendor_id,
      vendorName: r.vendor_name,
      state: r.state,
      dueDate: r.due,
      updatedAt: new Date(r.updated_at).toISOString(),
      link: vendor ? requestLinks(r.id).vendor : requestLinks(r.id).internal,
      waitingOn: q.waitingOn,
    }));
  }
}
