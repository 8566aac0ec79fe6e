import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { AuditDetail, AuditItemDecisionInput, AuditItemResponseInput } from '@bulwark/api-schema';
import { assertEvidenceOf, linkCurrentRevisions } from '@bulwark/evidence';
import { AuditLogService, Conflict, findScoped, NotFound, Notifier, RequestContext, ThreadComment } from '@bulwark/platform';

import { ITEMS_OPEN_STATUSES } from './audit-policy.js';
import { AuditItem, type AuditRequest } from './audit.entities.js';
import { AuditService } from './audit.service.js';

/**
 * The requested items ("provided by client"): the vendor answers each with evidence from its library (or just
 * uploaded) or a not-applicable reason; the organization accepts it or returns it with a question on the item's
 * thread. An item is never accepted without evidence or an accepted not-applicable reason (also a database check).
 */
@Injectable()
export class AuditItems {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audits: AuditService,
    private readonly audit: AuditLogService,
    private readonly notifier: Notifier,
  ) {}

  private async load(m: EntityManager, auditId: string, itemId: string): Promise<{ a: AuditRequest; item: AuditItem }> {
    const a = await this.audits.load(m, auditId, { lock: true });
    const item = await findScoped(m, AuditItem, itemId, 'audit_item', { lock: true });
    if (item.auditId !== a.id) throw new NotFound('audit_item', itemId);
    return { a, item };
  }

  async respond(auditId: string, itemId: string, input: AuditItemResponseInput): Promise<AuditDetail> {
    const actor = RequestContext.actor();
    await this.dataSource.transaction(async (m) => {
      const { a, item } = await this.load(m, auditId, itemId);
      if (!(ITEMS_OPEN_STATUSES as readonly string[]).includes(a.status))
        throw new Conflict(
          'audit.items_closed',
          `Items are answered once the audit is acknowledged and until fieldwork ends (it is ${a.status.replace(/_/g, ' ')})`,
        );
      if (item.status === 'accepted') throw new Conflict('audit_item.accepted', `Item ${item.reference} is accepted already`);
      const evidenceIds = [...new Set(input.evidenceIds ?? [])];
      await assertEvidenceOf(m, a.vendorId, evidenceIds, {
        code: 'audit_item.invalid_evidence',
        message: 'Evidence must be items of the audit’s vendor in the evidence vault',
      });
      const from = item.status;
      item.status = 'delivered';
      item.evidenceIds = evidenceIds;
      item.notApplicableReason = input.notApplicableReason ?? null;
      item.responseNote = input.note ?? null;
      item.respondedAt = new Date();
      item.decidedAt = null;
      item.decidedBy = null;
      await m.save(item);
      await linkCurrentRevisions(m, evidenceIds, { type: 'audit_item', id: item.id, createdBy: actor.userId });
      await this.audits.record(
        m,
        a,
        'item_responded',
        null,
        null,
        `${item.reference}: ${input.notApplicableReason ? `not applicable (${input.notApplicableReason})` : `${evidenceIds.length} evidence item${evidenceIds.length === 1 ? '' : 's'}`}`,
        item.id,
      );
      await this.audit.append(m, {
        action: 'audit_request.item_responded',
        entityType: 'audit_request_item',
        entityId: item.id,
        diff: {
          auditId: a.id,
          reference: item.reference,
          status: { from, to: 'delivered' },
          evidenceIds,
          notApplicableReason: item.notApplicableReason,
        },
      });
      await this.notifier.notify(
        a.organizationId,
        { vendorOwnerOf: a.vendorId, roles: ['vendor_manager'] },
        {
          title: `Audit item delivered: ${item.reference}`,
          body: `The vendor answered item ${item.reference} of the audit "${a.title}"${input.notApplicableReason ? ' as not applicable' : ' with evidence'}. Accept it or return it with a question.`,
          link: `/audits/${a.id}`,
          key: `audit-item-${item.id}-v${item.version}`,
        },
        m,
      );
    });
    return this.audits.get(auditId);
  }

  async decide(auditId: string, itemId: string, input: AuditItemDecisionInput): Promise<AuditDetail> {
    const actor = RequestContext.actor();
    await this.dataSource.transaction(async (m) => {
      const { a, item } = await this.load(m, auditId, itemId);
      if (item.status !== 'delivered')
        throw new Conflict(
          'audit_item.not_delivered',
          `Item ${item.reference} is ${item.status}: only a delivered item is accepted or returned`,
        );
      const to = input.decision === 'accept' ? 'accepted' : 'returned';
      item.status = to;
      item.decidedAt = new Date();
      item.decidedBy = actor.userId;
      await m.save(item);
      if (to === 'returned')
        // The question goes on the item's thread, in this transaction, for both sides to read.
        await m.insert(ThreadComment, {
          organizationId: a.organizationId,
          vendorId: a.vendorId,
          targetType: 'audit_item',
          targetId: item.id,
          audience: 'vendor',
          authorId: actor.userId,
          authorSide: 'customer',
          body: input.comment!,
          mentions: [],
          evidenceIds: [],
          links: [],
        });
      await this.audits.record(
        m,
        a,
        to === 'accepted' ? 'item_accepted' : 'item_returned',
        null,
        null,
        `${item.reference}${input.comment ? `: ${input.comment}` : ''}`,
        item.id,
      );
      await this.audit.append(m, {
        action: `audit_request.item_${to}`,
        entityType: 'audit_request_item',
        entityId: item.id,
        diff: { auditId: a.id, reference: item.reference, status: { from: 'delivered', to }, comment: input.comment ?? null },
      });
      await this.notifier.notify(
        a.organizationId,
        item.ownerId ? { userIds: [item.ownerId] } : { vendorContactsOf: a.vendorId },
        {
          title: `Audit item ${to}: ${item.reference}`,
          body:
            to === 'accepted'
              ? `Item ${item.reference} of the audit "${a.title}" was accepted.`
              : `Item ${item.reference} of the audit "${a.title}" was returned with a question: ${input.comment}`,
          link: `/vendor-home/audits/${a.id}`,
          key: `audit-item-${item.id}-v${item.version}`,
        },
        m,
      );
    });
    return this.audits.get(auditId);
  }
}
