import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';

import type { CreateDependencyInput, dependencyListQuery, DependencyView, Page, updateDependencySchema } from '@bulwark/api-schema';
import { AuditLogService, changes, Conflict, findScoped, Invalid, scoped, type EntityClass } from '@bulwark/platform';

import { Dependency } from './dependency.entity.js';
import { InternalSystem } from './internal-system.entity.js';
import { Service } from './service.entity.js';
import { dependencyViews } from './views.js';

export function dependencySnapshot(d: Dependency): Record<string, unknown> {
  return {
    systemId: d.systemId,
    serviceId: d.serviceId,
    criticality: d.criticality,
    alternativeServiceId: d.alternativeServiceId,
    contingencyPlan: d.contingencyPlan,
    notes: d.notes,
  };
}

/** Sort keys computed in SQL (names live in other tables; criticality sorts by rank, critical highest). */
const SORT_SQL: Record<'criticality' | 'systemName' | 'serviceName' | 'vendorName', string> = {
  criticality: `CASE d.criticality WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`,
  systemName: `(SELECT lower(x.name) FROM internal_systems x WHERE x.id = d.system_id)`,
  serviceName: `(SELECT lower(x.name) FROM services x WHERE x.id = d.service_id)`,
  vendorName: `(SELECT lower(v.name) FROM services x JOIN vendors v ON v.id = x.vendor_id WHERE x.id = d.service_id)`,
};

/** Internal system → vendor service, with the alternative and the exit plan. */
@Injectable()
export class DependencyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  async list(q: z.infer<typeof dependencyListQuery>): Promise<Page<DependencyView>> {
    const m = this.dataSource.manager;
    const qb = scoped(m, Dependency, 'd');
    if (q.systemId) qb.andWhere('d.systemId = :sys', { sys: q.systemId });
    if (q.serviceId) qb.andWhere('d.serviceId = :svc', { svc: q.serviceId });
    if (q.criticality) qb.andWhere('d.criticality = :c', { c: q.criticality });
    if (q.vendorId) qb.andWhere('d.serviceId IN (SELECT id FROM services WHERE vendor_id = :v)', { v: q.vendorId });
    const { key, dir } = q.sort;
    if (key === 'createdAt') qb.orderBy('d.createdAt', dir);
    else qb.addSelect(SORT_SQL[key], 'sort_key').orderBy('sort_key', dir);
    // Tie-breakers; never re-add the sort key itself, which would replace its direction.
    if (key !== 'createdAt') qb.addOrderBy('d.createdAt', 'DESC');
    qb.addOrderBy('d.id');
    const [rows, total] = await qb
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    return { items: await dependencyViews(m, rows), total, page: q.page, pageSize: q.pageSize };
  }

  async create(input: CreateDependencyInput): Promise<DependencyView> {
    return this.dataSource.transaction(async (m) => {
      const system = await this.ref(m, InternalSystem, input.systemId, 'systemId', 'internal system');
      const service = await this.ref(m, Service, input.serviceId, 'serviceId', 'service');
      if (input.alternativeServiceId) await this.checkAlternative(m, service.id, input.alternativeServiceId);
      const dup = await scoped(m, Dependency, 'd')
        .andWhere('d.systemId = :a AND d.serviceId = :b', { a: system.id, b: service.id })
        .getExists();
      if (dup) throw new Conflict('dependency.duplicate', `${system.name} already depends on ${service.name}`);
      const d = await m.save(
        m.create(Dependency, {
          systemId: system.id,
          serviceId: service.id,
          criticality: input.criticality,
          alternativeServiceId: input.alternativeServiceId ?? null,
          contingencyPlan: input.contingencyPlan ?? null,
          notes: input.notes ?? null,
        }),
      );
      await this.audit.append(m, { action: 'dependency.created', entityType: 'dependency', entityId: d.id, diff: dependencySnapshot(d) });
      return (await dependencyViews(m, [d]))[0]!;
    });
  }

  async update(id: string, input: z.infer<typeof updateDependencySchema>): Promise<DependencyView> {
    return this.dataSource.transaction(async (m) => {
      const d = await findScoped(m, Dependency, id, 'dependency', { lock: true });
      const before = dependencySnapshot(d);
      if (input.alternativeServiceId) await this.checkAlternative(m, d.serviceId, input.alternativeServiceId);
      if (input.criticality !== undefined) d.criticality = input.criticality;
      if (input.alternativeServiceId !== undefined) d.alternativeServiceId = input.alternativeServiceId;
      if (input.contingencyPlan !== undefined) d.contingencyPlan = input.contingencyPlan;
      if (input.notes !== undefined) d.notes = input.notes;
      const diff = changes(before, dependencySnapshot(d));
      if (Object.keys(diff).length) {
        await m.save(d);
        await this.audit.append(m, { action: 'dependency.updated', entityType: 'dependency', entityId: d.id, diff });
      }
      return (await dependencyViews(m, [d]))[0]!;
    });
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const d = await findScoped(m, Dependency, id, 'dependency', { lock: true });
      await m.remove(d);
      await this.audit.append(m, { action: 'dependency.deleted', entityType: 'dependency', entityId: id, diff: dependencySnapshot(d) });
    });
  }

  private async checkAlternative(m: EntityManager, serviceId: string, alternativeId: string): Promise<void> {
    if (alternativeId === serviceId)
      throw new Invalid('dependency.invalid_alternative', 'The alternative must be another service', [
        { path: 'alternativeServiceId', message: 'is the same service' },
      ]);
    await this.ref(m, Service, alternativeId, 'alternativeServiceId', 'service');
  }

  /** A referenced row in the caller's scope, or 422 naming the field (not 404: the URL itself was fine). */
  private async ref<T extends InternalSystem | Service>(
    m: EntityManager,
    entity: EntityClass<T>,
    id: string,
    field: string,
    label: string,
  ): Promise<T> {
    const row = await scoped(m, entity, 'r').andWhere('r.id = :id', { id }).getOne();
    if (!row) throw new Invalid('dependency.invalid_reference', `No such ${label}`, [{ path: field, message: `no such ${label}` }]);
    return row as T;
  }
}
