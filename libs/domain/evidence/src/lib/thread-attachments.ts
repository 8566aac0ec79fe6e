import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { Invalid, scoped, ThreadTargets } from '@bulwark/platform';

import { EvidenceItem } from './evidence.entity.js';

/**
 * Evidence attached to a comment: each id must be an evidence item the caller may see (a vendor contact:
 * its own vendor's), of the vendor the thread belongs to, so a comment never points the vendor at another
 * vendor's files.
 */
@Injectable()
export class EvidenceThreadAttachments implements OnModuleInit {
  constructor(private readonly targets: ThreadTargets) {}

  onModuleInit(): void {
    this.targets.checkAttachmentsWith((m, q) => this.check(m, q));
  }

  async check(m: EntityManager, { vendorId, ids }: { vendorId: string | null; ids: readonly string[] }): Promise<void> {
    const qb = scoped(m, EvidenceItem, 'e').andWhere('e.id IN (:...ids)', { ids: [...ids] });
    if (vendorId) qb.andWhere('e.vendorId = :vendorId', { vendorId });
    const found = await qb.select('e.id').getMany();
    const missing = ids.filter((id) => !found.some((e) => e.id === id));
    if (missing.length)
      throw new Invalid('thread.invalid_evidence', 'Attach evidence of this thread’s vendor from the evidence vault', [
        { path: 'evidenceIds', message: `not evidence of this vendor: ${missing.join(', ')}` },
      ]);
  }
}
