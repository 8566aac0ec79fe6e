import type { EntityManager } from 'typeorm';

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
