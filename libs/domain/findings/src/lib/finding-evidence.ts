import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import {
  assertEvidenceOf,
  EvidenceTargets,
  linkCurrentRevisions,
  type EvidenceTargetResolver,
  type ResolvedTarget,
} from '@bulwark/evidence';
import { scoped } from '@bulwark/platform';

import { Finding } from './finding.entities.js';

/**
 * The findings area's view of the evidence vault: whether the ids a transition carries are evidence
 * items of the finding's vendor. Findings store the ids with the transition (`finding_events.evidence_ids`)
 * after asking this.
 */
@Injectable()
export class FindingEvidence {
  /** Throws a 422 naming `evidenceIds` when any id is not an evidence item of `vendorId` that the caller may see. */
  assertEvidenceOf(m: EntityManager, vendorId: string, ids: readonly string[]): Promise<void> {
    return assertEvidenceOf(m, vendorId, ids, {
      code: 'finding.invalid_evidence',
      message: 'Evidence must be items of the finding’s vendor in the evidence vault',
    });
  }

  /** The evidence a transition attached shows as linked to the finding in the vendor's library (upload once, link many). */
  link(m: EntityManager, findingId: string, ids: readonly string[], by: string | null): Promise<void> {
    return linkCurrentRevisions(m, ids, { type: 'finding', id: findingId, createdBy: by });
  }
}

/** Evidence may be linked to a finding of its own vendor (a vendor contact: only its own vendor's findings). */
@Injectable()
export class FindingEvidenceTarget implements EvidenceTargetResolver, OnModuleInit {
  readonly type = 'finding' as const;

  constructor(private readonly targets: EvidenceTargets) {}

  onModuleInit(): void {
    this.targets.register(this);
  }

  async resolve(m: EntityManager, ids: string[]): Promise<Map<string, ResolvedTarget>> {
    if (!ids.length) return new Map();
    const rows = await scoped(m, Finding, 'f').andWhere('f.id IN (:...ids)', { ids }).getMany();
    return new Map(rows.map((f) => [f.id, { vendorId: f.vendorId, label: f.title }]));
  }
}
