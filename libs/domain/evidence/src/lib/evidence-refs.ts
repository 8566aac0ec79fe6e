import type { EntityManager } from 'typeorm';

import type { EvidenceTargetType } from '@bulwark/api-schema';
import { Invalid, scoped } from '@bulwark/platform';

import { EvidenceItem } from './evidence.entity.js';

/**
 * The one check of evidence ids another record refers to (a finding's transition, a comment): each must
 * be an evidence item the caller may see (a vendor contact: its own vendor's) and, when `vendorId` is
 * given, of that vendor. Otherwise a 422 naming `evidenceIds`, with the caller's code and message.
 */
export async function assertEvidenceOf(
  m: EntityManager,
  vendorId: string | null,
  ids: readonly string[],
  refusal: { code: string; message: string },
): Promise<void> {
  if (!ids.length) return;
  const qb = scoped(m, EvidenceItem, 'e').andWhere('e.id IN (:...ids)', { ids: [...new Set(ids)] });
  if (vendorId) qb.andWhere('e.vendorId = :vendorId', { vendorId });
  const found = new Set((await qb.select('e.id').getMany()).map((e) => e.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length)
    throw new Invalid(refusal.code, refusal.message, [
      { path: 'evidenceIds', message: `not evidence of this vendor: ${missing.join(', ')}` },
    ]);
}

/**
 * Links the current revision of each item to a target (a finding the evidence was attached to), once:
 * an item already linked there is left as it is. The caller checked the ids with `assertEvidenceOf`, in
 * the same transaction, and audits the change that attached them.
 */
export async function linkCurrentRevisions(
  m: EntityManager,
  ids: readonly string[],
  target: { type: EvidenceTargetType; id: string; createdBy: string | null },
): Promise<void> {
  if (!ids.length) return;
  const items = await scoped(m, EvidenceItem, 'e')
    .andWhere('e.id IN (:...ids) AND e.currentRevisionId IS NOT NULL', { ids: [...new Set(ids)] })
    .getMany();
  if (!items.length) return;
  await m.query(
    `INSERT INTO evidence_links (organization_id, evidence_id, revision_id, vendor_id, target_type, target_id, created_by)
     SELECT organization_id, id, current_revision_id, vendor_id, $2, $3, $4 FROM evidence_items WHERE id = ANY($1::uuid[])
     ON CONFLICT (revision_id, target_type, target_id) DO NOTHING`,
    [items.map((i) => i.id), target.type, target.id, target.createdBy],
  );
}
