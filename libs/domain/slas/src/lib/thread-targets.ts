import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { afterCommit, AuditLogService, ThreadTargets, type ThreadCommentEvent, type ThreadTarget } from '@bulwark/platform';

import { BreachNotices } from './breach-notices.js';

const CLOSED = ['upheld', 'waived', 'withdrawn'];

/**
 * The SLA area's thread targets: a breach (its dispute thread: the vendor contests with a comment, the
 * customer answers; decided or withdrawn, it closes) and a negotiation.
 */
@Injectable()
export class SlaThreadTargets implements OnModuleInit {
  constructor(
    private readonly targets: ThreadTargets,
    private readonly audit: AuditLogService,
    private readonly notices: BreachNotices,
  ) {}

  onModuleInit(): void {
    this.targets.register({
      type: 'breach',
      resolve: (m, id, { lock }) => this.breach(m, id, lock),
      onComment: (m, e) => this.onBreachComment(m, e),
    });
    this.targets.register({
      type: 'negotiation',
      resolve: async (m, id) => {
        const [n]: { organization_id: string; vendor_id: string; sla_name: string }[] = await m.query(
          `SELECT organization_id, vendor_id, sla_name FROM negotiations WHERE id = $1`,
          [id],
        );
        if (!n) return null;
        return {
          organizationId: n.organization_id,
          vendorId: n.vendor_id,
          title: `SLA negotiation: ${n.sla_name}`,
          link: `/negotiations/${id}`,
          vendorLink: `/vendor-home/negotiations/${id}`,
          internalRecipients: { roles: ['procurement'], vendorOwnerOf: n.vendor_id },
        };
      },
    });
  }

  private async breach(m: EntityManager, id: string, lock: boolean): Promise<(ThreadTarget & { status: string; stateSeq: number }) | null> {
    const [b]: { organization_id: string; vendor_id: string; status: string; state_seq: number; window_label: string; sla_name: string }[] =
      await m.query(
        `SELECT b.organization_id, b.vendor_id, b.status, b.state_seq, b.window_label, s.name AS sla_name
           FROM sla_breaches b JOIN slas s ON s.id = b.sla_id WHERE b.id = $1 ${lock ? 'FOR UPDATE OF b' : ''}`,
        [id],
      );
    if (!b) return null;
    return {
      organizationId: b.organization_id,
      vendorId: b.vendor_id,
      title: `SLA breach ${b.window_label}: ${b.sla_name}`,
      link: `/breaches/${id}`,
      vendorLink: `/vendor-home/breaches/${id}`,
      closedReason: CLOSED.includes(b.status) ? `This breach is ${b.status}; the thread is closed` : null,
      internalRecipients: { roles: ['procurement'], vendorOwnerOf: b.vendor_id },
      status: b.status,
      stateSeq: b.state_seq,
    };
  }

  /** The vendor's first comment for both sides on an open breach disputes it; the notice goes through the breach outbox. */
  private async onBreachComment(m: EntityManager, { targetId, target, comment }: ThreadCommentEvent): Promise<{ notified?: boolean }> {
    const b = target as ThreadTarget & { status: string; stateSeq: number };
    if (comment.authorSide !== 'vendor' || comment.audience !== 'vendor' || b.status !== 'open') return {};
    await m.query(`UPDATE sla_breaches SET status = 'disputed', state_seq = $2 WHERE id = $1`, [targetId, b.stateSeq + 1]);
    await this.audit.append(m, {
      action: 'sla.breach_disputed',
      entityType: 'sla_breach',
      entityId: targetId,
      diff: { side: 'vendor', commentId: comment.id, evidenceIds: comment.evidenceIds, evidenceLinks: comment.links },
    });
    await afterCommit(m, () => this.notices.sendPendingLater(b.organizationId, b.vendorId!));
    return { notified: true };
  }
}
