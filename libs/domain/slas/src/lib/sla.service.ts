import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager } from 'typeorm';

import { Contract } from '@bulwark/agreements';
import type { CreateSlaInput, Input, newSlaVersionSchema, SlaVersionView, SlaView } from '@bulwark/api-schema';
import { AuditLogService, changes, Conflict, DomainEvents, findScoped, Invalid, RequestContext, scoped } from '@bulwark/platform';

import './events.js';

import { inForce, sortVersions } from './sla-versions.js';
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
      const sla = await m.save(m.create(Sla, { vendorId: contract.vendorId, contractId: contract.id, name: input.name, latestVersion: 1 }));
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
      const latest = await m.getRepository(SlaVersion).findOneByOrFail({ slaId: sla.id, version: sla.latestVersion });
      if (input.effectiveFrom <= latest.effectiveFrom)
        throw new Conflict('sla.version_not_later', `A new version must take effect after ${latest.effectiveFrom}`);
      const contract = await m.getRepository(Contract).findOneByOrFail({ id: sla.contractId });
      const scope = input.scope ?? latest.scope;
      await this.assertScope(m, contract, scope);
      sla.latestVersion += 1;
      await m.save(sla);
      await m.save(
        m.create(SlaVersion, {
          slaId: sla.id,
          vendorId: sla.vendorId,
          version: sla.latestVersion,
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
          version: sla.latestVersion,
          effectiveFrom: input.effectiveFrom,
          terms: changes(latest.terms as unknown as Record<string, unknown>, input.terms as unknown as Record<string, unknown>),
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
      .getMany();
    const names: { id: string; title: string; vendor_name: string }[] = await m.query(
      `SELECT c.id, c.title, v.name AS vendor_name FROM contracts c JOIN vendors v ON v.id = c.vendor_id WHERE c.id = ANY($1::uuid[])`,
      [slas.map((s) => s.contractId)],
    );
    const now = new Date();
    const view = (v: SlaVersion, status: SlaVersionView['status']): SlaVersionView => ({
      version: v.version,
      effectiveFrom: v.effectiveFrom,
      status,
      terms: v.terms,
      scope: v.scope,
      createdAt: v.createdAt.toISOString(),
      createdBy: v.createdBy,
    });
    return slas.map((s) => {
      const mine = sortVersions(versions.filter((v) => v.slaId === s.id));
      const n = names.find((x) => x.id === s.contractId);
      const { current: inForceNow } = inForce(mine, now);
      const statusOf = (v: SlaVersion): SlaVersionView['status'] =>
        v === inForceNow ? 'in_force' : inForceNow && v.effectiveFrom <= inForceNow.effectiveFrom ? 'superseded' : 'upcoming';
      // Before the first version takes effect, that version is what the SLA will be: shown, marked upcoming.
      const current = inForceNow ?? mine[0]!;
      return {
        id: s.id,
        contractId: s.contractId,
        contractTitle: n?.title ?? '',
        vendorId: s.vendorId,
        vendorName: n?.vendor_name ?? '',
        name: s.name,
        current: view(current, statusOf(current)),
        upcoming: mine.filter((v) => v !== current && statusOf(v) === 'upcoming').map((v) => view(v, 'upcoming')),
        versions: [...mine].reverse().map((v) => view(v, statusOf(v))),
      };
    });
  }
}
