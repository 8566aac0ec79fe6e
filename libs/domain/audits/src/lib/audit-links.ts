import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { EvidenceTargets, type EvidenceTargetResolver, type ResolvedTarget } from '@bulwark/evidence';
import { RequestContext, scoped, ThreadTargets } from '@bulwark/platform';

import { AuditItem } from './audit.entities.js';

/** Evidence may be linked to a requested item of its own vendor (a vendor contact: only its own vendor's items). */
@Injectable()
export class AuditItemEvidenceTarget implements EvidenceTargetResolver, OnModuleInit {
  readonly type = 'audit_item' as const;

  constructor(private readonly targets: EvidenceTargets) {}

  onModuleInit(): void {
    this.targets.register(this);
  }

  async resolve(m: EntityManager, ids: string[]): Promise<Map<string, ResolvedTarget>> {
    if (!ids.length) return new Map();
    const rows = await scoped(m, AuditItem, 'i')
      .innerJoin('audit_requests', 'a', 'a.id = i.audit_id')
      .andWhere('i.id IN (:...ids)', { ids })
      .andWhere(RequestContext.actor().role === 'vendor_contact' ? `a.status <> 'draft'` : '1 = 1')
      .getMany();
    return new Map(rows.map((i) => [i.id, { vendorId: i.vendorId, label: `Audit item ${i.reference}` }]));
  }
}

/**
 * Threads on an audit and on each requested item: both sides discuss the request and each item (a returned item's
 * question is its first vendor comment); internal notes stay internal. A draft has no vendor side yet.
 */
@Injectable()
export class AuditThreadTargets implements OnModuleInit {
  constructor(private readonly targets: ThreadTargets) {}

  onModuleInit(): void {
    const hidden = (status: string) => status === 'draft' && RequestContext.maybeActor()?.role === 'vendor_contact';
    this.targets.register({
      type: 'audit',
      resolve: async (m, id) => {
        const [a]: { organization_id: string; vendor_id: string; title: string; status: string }[] = await m.query(
          `SELECT organization_id, vendor_id, title, status FROM audit_requests WHERE id = $1`,
          [id],
        );
        if (!a || hidden(a.status)) return null;
        return {
          organizationId: a.organization_id,
          vendorId: a.vendor_id,
          title: `Audit: ${a.title}`,
          link: `/audits/${id}`,
          vendorLink: `/vendor-home/audits/${id}`,
          internalRecipients: { roles: ['vendor_manager'], vendorOwnerOf: a.vendor_id },
        };
      },
    });
    this.targets.register({
      type: 'audit_item',
      resolve: async (m, id) => {
        const [i]: { organization_id: string; vendor_id: string; audit_id: string; reference: string; title: string; status: string }[] =
          await m.query(
            `SELECT i.organization_id, i.vendor_id, i.audit_id, i.reference, a.title, a.status
             FROM audit_request_items i JOIN audit_requests a ON a.id = i.audit_id WHERE i.id = $1`,
            [id],
          );
        if (!i || hidden(i.status)) return null;
        return {
          organizationId: i.organization_id,
          vendorId: i.vendor_id,
          title: `Audit item ${i.reference}: ${i.title}`,
          link: `/audits/${i.audit_id}`,
          vendorLink: `/vendor-home/audits/${i.audit_id}`,
          internalRecipients: { roles: ['vendor_manager'], vendorOwnerOf: i.vendor_id },
        };
      },
    });
  }
}
