import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { AuditDetail, AuditItemDecisionInput, AuditItemResponseInput, NewAuditItemInput } from '@bulwark/api-schema';
import { assertEvidenceOf, linkCurrentRevisions } from '@bulwark/evidence';
import {
  AuditLogService,
  Conflict,
  findScoped,
  Invalid,
  NotFound,
  Notifier,
  RequestContext,
  ThreadService,
  todayUtc,
  type FieldError,
} from '@bulwark/platform';

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
    private readonly threads: ThreadService,
  ) {}

  private async load(m: EntityManager, auditId: string, itemId: string): Promise<{ a: AuditRequest; item: AuditItem }> {
    const a = await this.audits.load(m, auditId, { lock: true });
    const item = await findScoped(m, AuditItem, itemId, 'audit_item', { lock: true });
    if (item.auditId !== a.id) throw new NotFound('audit_item', itemId);
    return { a, item };
  }

  /** Requests one more item of an audit still before or in fieldwork (the vendor is told once the audit is issued). */
  async add(auditId: string, input: NewAuditItemInput): Promise<AuditDetail> {
    await this.dataSource.transaction(async (m) => {
      const a = await this.audits.load(m, auditId, { lock: true });
      if (!['draft', 'issued', ...ITEMS_OPEN_STATUSES].includes(a.status))
        throw new Conflict('audit.items_closed', `Items are requested until fieldwork ends (the audit is ${a.status.replace(/_/g, ' ')})`);
      const errors: FieldError[] = [];
      if (input.dueDate < todayUtc()) errors.push({ path: 'dueDate', message: 'must be today or later' });
      const taken: unknown[] = await m.query(`SELECT 1 FROM audit_request_items WHERE audit_id = $1 AND lower(reference) = lower($2)`, [
        a.id,
        input.reference,
      ]);
      if (taken.length) errors.push({ path: 'reference', message: 'another item of this audit has this reference' });
      if (errors.length) throw new Invalid('audit.invalid_items', 'The item is invalid', errors);
      if (input.vendorOwnerId) await this.audits.assertContact(m, a.vendorId, input.vendorOwnerId, 'vendorOwnerId');
      const inserted = await m.save(
        m.create(AuditItem, {
          organizationId: a.organizationId,
          vendorId: a.vendorId,
          auditId: a.id,
          reference: input.reference,
          description: input.details,
          dueDate: input.dueDate,
          ownerId: input.vendorOwnerId ?? null,
          status: 'requested',
          evidenceIds: [],
        }),
      );
      await this.audits.record(m, a, 'item_added', null, null, `${input.reference}: ${input.details}`, inserted.id);
      await this.audit.append(m, {
        action: 'audit_request.item_added',
        entityType: 'audit_request_item',
        entityId: inserted.id,
        diff: { auditId: a.id, reference: input.reference, dueDate: input.dueDate, vendorOwnerId: input.vendorOwnerId ?? null },
      });
      if (a.status !== 'draft')
        await this.notifier.notify(
          a.organizationId,
          input.vendorOwnerId ? { userIds: [input.vendorOwnerId] } : { vendorContactsOf: a.vendorId },
          {
            title: `Audit item requested: ${input.reference}`,
            body: `The audit "${a.title}" requests one more item, due on ${input.dueDate}: ${input.details}`,
            link: `/vendor-home/audits/${a.id}`,
            key: `audit-item-${inserted.id}-added`,
          },
          m,
        );
    });
    return this.audits.get(auditId);
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
        // The question goes on the item's thread through the thread service, in this transaction (a failed decision
        // leaves no comment and a refused comment no decision), with the comment's own audit entry and notices.
        await this.threads.post(
          'audit_item',
          item.id,
          { audience: 'vendor', body: input.comment!, mentions: [], evidenceIds: [], links: [] },
          m,
        );
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
      // A returned item's question reaches the vendor's contacts as the thread's comment notice (and mail); an
      // accepted item is told to its owner (or the vendor's contacts) here.
      if (to === 'accepted')
        await this.notifier.notify(
          a.organizationId,
          item.ownerId ? { userIds: [item.ownerId] } : { vendorContactsOf: a.vendorId },
          {
            title: `Audit item accepted: ${item.reference}`,
            body: `Item ${item.reference} of the audit "${a.title}" was accepted.`,
            link: `/vendor-home/audits/${a.id}`,
            key: `audit-item-${item.id}-v${item.version}`,
          },
          m,
        );
    });
    return this.audits.get(auditId);
  }
}
