import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { Contract } from '@bulwark/agreements';
import { scoped } from '@bulwark/platform';

import { EvidenceTargets, type EvidenceTargetResolver, type ResolvedTarget } from './evidence-targets.js';

/** Evidence linked to a contract (a signed MSA, its DPA): the contract must be the evidence's vendor's. */
@Injectable()
export class ContractEvidenceTarget implements EvidenceTargetResolver, OnModuleInit {
  readonly type = 'contract' as const;

  constructor(private readonly targets: EvidenceTargets) {}

  onModuleInit(): void {
    this.targets.register(this);
  }

  async resolve(m: EntityManager, ids: string[]): Promise<Map<string, ResolvedTarget>> {
    if (!ids.length) return new Map();
    const rows = await scoped(m, Contract, 'c').andWhere('c.id IN (:...ids)', { ids }).getMany();
    return new Map(rows.map((c) => [c.id, { vendorId: c.vendorId, label: c.title }]));
  }
}
