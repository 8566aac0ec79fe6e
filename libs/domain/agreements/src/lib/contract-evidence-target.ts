import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { EvidenceTargets, type EvidenceTargetResolver, type ResolvedTarget } from '@bulwark/evidence';
import { scoped } from '@bulwark/platform';

import { Contract } from './contract.entity.js';

/**
 * Evidence linked to a contract: its documents (evidence of kind `contract`) and whatever else is given for it
 * (a SOC 2 report, an insurance certificate). The contract must be the evidence's vendor's and, for a vendor
 * contact, its own vendor's.
 */
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
