import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { ThreadTargets } from '@bulwark/platform';

import { assertEvidenceOf } from './evidence-refs.js';

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

  check(m: EntityManager, { vendorId, ids }: { vendorId: string | null; ids: readonly string[] }): Promise<void> {
    return assertEvidenceOf(m, vendorId, ids, {
      code: 'thread.invalid_evidence',
      message: 'Attach evidence of this thread’s vendor from the evidence vault',
    });
  }
}
