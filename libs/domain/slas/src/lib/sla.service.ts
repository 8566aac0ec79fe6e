import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager } from 'typeorm';

import { Contract } from '@bulwark/agreements';
import type { CreateSlaInput, Input, newSlaVersionSchema, SlaVersionView, SlaView } from '@bulwark/api-schema';
import { AuditLogService, changes, Conflict, DomainEvents, findScoped, Invalid, RequestContext, scoped } from '@bulwark/platform';

import './events.js';

import { Sla, SlaVersion, type SlaScope } from './sla.entities.js';

function assertTimeZone(tz: string): void {
  if (!DateTime.now().setZone(tz).isValid)
    throw new Invalid('sla.invalid_time_zone', `Unknown time zone ${tz}`, [
      { path: 'terms.timeZone', message: 'must be an IANA time zone such as Europe/London' },
    ]);
}

/**
 * SLAs and their versions. Every path that creates an SLA or a version (the API, a signed-off
 * negotiation) emits `slas.terms-changed` with its transaction, so the attainment is recomputed once it
 * has committed, whoever created it.
 */
@Injectable()
export class SlaService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly events: DomainEvents,
  ) {}

  async list(vendorId?: string, contractId?: string): Promise<SlaView[]> {
    const m = this.dataSource.manager;
    const qb = scoped(m, Sla, 's').orderBy('s.name');
    if (vendorId) qb.andWhere('s.vendorId = :v', { v: vendorId });
    if (contractId) qb.andWhere('s.contractId = :c', { c: contractId });
    return this.slaViews(m, await qb.getMany());
  }

  async get(id: string): Promise<SlaView> {
    const m = this.dataSource.manager;
    return (await this.slaViews(m, [await findScoped(m, Sla, id, 'sla')]))[0]!;
  }

  async create(input: CreateSlaInput): Promise<SlaView> {
    return this.dataSource.transaction((m) => this.createIn(m, input));
  }

  /** Creates an SLA with version 1 inside the caller's transaction. */
  async createIn(m: EntityManager, input: CreateSlaInput): Promise<SlaView> {
    assertTimeZone(input.terms.timeZone);
    {
      const contract = await scoped(m, Contract, 'c').andWhere('c.id = :id', { id: input.contractId }).getOne();
      if (!contract) throw new Invalid('sla.invalid_contract', 'No such contract', [{ path: 'contractId', message: 'no such contract' }]);
      await this.assertScope(m, contract, input.scope);
      const sla = await m.save(
        m.create(Sla, { vendorId: contract.vendorId, contractId: contract.id, name: input.name, currentVersion: 1 }),
      );
      await m.save(
        m.create(SlaVersion, {
          slaId: sla.id,
          vendorId: contract.vendorId,
          version: 1,
          effectiveFrom: input.effectiveFrom,
          terms: input.terms,
          scope: input.scope,
          createdBy: RequestContext.actor().userId,
        }),
      );
      await this.audit.append(m, {
        action: 'sla.created',
        entityType: 'sla',
        entityId: sla.id,
        diff: { contractId: contract.id, name: input.name, effectiveFrom: input.effectiveFrom, terms: input.terms, scope: input.scope },
      });
      await this.events.emit('slas.terms-changed', { organizationId: sla.organizationId, vendorId: sla.vendorId, slaId: sla.id }, m);
      return (await this.slaViews(m, [sla]))[0]!;
    }
  }

  /** A new version of the terms; earlier versions stay and keep applying to their windows. */
  async addVersion(id: string, input: Input<typeof newSlaVersionSchema>): Promise<SlaView> {
    return this.dataSource.transaction((m) => this.addVersionIn(m, id, input));
  }

  /** Adds a version inside the caller's transaction. */
  async addVersionIn(m: EntityManager, id: string, input: Input<typeof newSlaVersionSchema>): Promise<SlaView> {
    assertTimeZone(input.terms.timeZone);
    {
      const sla = await findScoped(m, Sla, id, 'sla', { lock: true });
      const current = await m.getRepository(SlaVersion).findOneByOrFail({ slaId: sla.id, version: sla.currentVersion });
      if (input.effectiveFrom <= current.effectiveFrom)
        throw new Conflict('sla.version_not_later', `A new version must take effect after ${current.effectiveFrom}`);
      const contract = await m.getRepository(Contract).findOneByOrFail({ id: sla.contractId });
      const scope = input.scope ?? current.scope;
      await this.assertScope(m, contract, scope);
      sla.currentVersion += 1;
      await m.save(sla);
      await m.save(
        m.create(SlaVersion, {
          slaId: sla.id,
          vendorId: sla.vendorId,
          version: sla.currentVersion,
          effectiveFrom: input.effectiveFrom,
          terms: input.terms,
          scope,
          createdBy: RequestContext.actor().userId,
        }),
      );
      await this.events.emit('slas.terms-changed', { organizationId: sla.organizationId, vendorId: sla.vendorId, slaId: sla.id }, m);
      await this.audit.append(m, {
        action: 'sla.version_added',
        entityType: 'sla',
        entityId: sla.id,
        diff: {
          version: sla.currentVersion,
          effectiveFrom: input.effectiveFrom,
          terms: changes(current.terms as unknown as Record<string, unknown>, input.terms as unknown as Record<string, unknown>),
        },
      });
      return (await this.slaViews(m, [sla]))[0]!;
    }
  }

  private async assertScope(m: EntityManager, contract: Contract, scope: SlaScope): Promise<void> {
    const found: { id: string }[] = await m.query(
      `SELECT id FROM services WHERE id = ANY($1::uuid[]) AND vendor_id = $2 AND organization_id = $3`,
      [scope.serviceIds, contract.vendorId, contract.organizationId],
    );
    const missing = scope.serviceIds.filter((id) => !found.some((f) => f.id === id));
    if (missing.length)
      throw new Invalid('sla.invalid_scope', 'SLA services must be services of the contract vendor', [
        { path: 'scope.serviceIds', message: `not services of this vendor: ${missing.join(', ')}` },
      ]);
  }

  private async slaViews(m: EntityManager, slas: Sla[]): Promise<SlaView[]> {
    if (!slas.length) return [];
    const versions = await m
      .getRepository(SlaVersion)
      .createQueryBuilder('v')
      .where('v.slaId IN (:...ids)', { ids: slas.map((s) => s.id) })
      .orderBy('v.version', 'DESC')
      .getMany();
    const names: { id: string; title: string; vendor_name: string }[] = await m.query(
      `SELECT c.id, c.title, v.name AS vendor_name FROM contracts c JOIN vendors v ON v.id = c.vendor_id WHERE c.id = ANY($1::uuid[])`,
      [slas.map((s) => s.contractId)],
    );
    const view = (v: SlaVersion): SlaVersionView => ({
      version: v.version,
      effectiveFrom: v.effectiveFrom,
      terms: v.terms,
      scope: v.scope,
      createdAt: v.createdAt.toISOString(),
      createdBy: v.createdBy,
    });
    return slas.map((s) => {
      const mine = versions.filter((v) => v.slaId === s.id);
      const n = names.find((x) => x.id === s.contractId);
      return {
        id: s.id,
        contractId: s.contractId,
        contractTitle: n?.title ?? '',
        vendorId: s.vendorId,
        vendorName: n?.vendor_name ?? '',
        name: s.name,
        current: view(mine.find((v) => v.version === s.currentVersion)!),
        versions: mine.map(view),
      };
    });
  }
}
