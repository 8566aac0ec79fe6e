import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * The findings area's view of the evidence vault: whether the ids a transition carries are evidence
 * items of the finding's vendor. Findings store the ids with the transition (`finding_events.evidence_ids`)
 * and ask this port before they do; the evidence area provides the real check.
 */
export abstract class FindingEvidence {
  /** Throws a 422 naming `evidenceIds` when any id is not an evidence item of `vendorId` (in the caller's organization). */
  abstract assertEvidenceOf(m: EntityManager, vendorId: string, ids: readonly string[]): Promise<void>;
}

/**
 * NOT A CHECK: the default until the evidence vault is wired in. It accepts every well-formed UUID (the
 * request schema already refused anything else) and verifies nothing about the vendor or whether the item
 * exists, because the vault's tables do not exist yet. Replace it by binding `FindingEvidence` to an
 * implementation that reads the evidence items (see the findings module).
 */
@Injectable()
export class UncheckedFindingEvidence extends FindingEvidence {
  async assertEvidenceOf(_m: EntityManager, _vendorId: string, _ids: readonly string[]): Promise<void> {
    // Deliberately nothing: see the class comment.
  }
}
