import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { EvidenceTargetType } from '@bulwark/api-schema';

/** A target as its area sees it: the vendor it belongs to and the name shown beside the link. */
export interface ResolvedTarget {
  vendorId: string;
  label: string;
}

/**
 * How an area lets evidence be linked to its records: `resolve` answers, for the ids it is given, those
 * that exist **in the caller's scope** (built with `scoped()`: the organization, and for a vendor contact
 * its own vendor), with their vendor. Areas register theirs in `onModuleInit` in their own modules (agreements:
 * `contract`; findings: `finding`; questionnaire answers, audit items and joint tests as they are built).
 */
export interface EvidenceTargetResolver {
  type: EvidenceTargetType;
  resolve(m: EntityManager, ids: string[]): Promise<Map<string, ResolvedTarget>>;
}

@Injectable()
export class EvidenceTargets {
  private readonly resolvers = new Map<EvidenceTargetType, EvidenceTargetResolver>();

  register(resolver: EvidenceTargetResolver): void {
    if (this.resolvers.has(resolver.type)) throw new Error(`Evidence target ${resolver.type} is registered twice`);
    this.resolvers.set(resolver.type, resolver);
  }

  get(type: EvidenceTargetType): EvidenceTargetResolver | undefined {
    return this.resolvers.get(type);
  }

  types(): EvidenceTargetType[] {
    return [...this.resolvers.keys()];
  }
}
