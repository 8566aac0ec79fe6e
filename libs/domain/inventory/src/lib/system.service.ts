import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';

import type { CreateSystemInput, DependencyView, Page, systemListQuery, SystemView, updateSystemSchema } from '@bulwark/api-schema';
import { AuditLogService, changes, Conflict, findScoped, likePattern, scoped } from '@bulwark/platform';

import { isSinglePointOfFailure } from './analysis.js';
import { Dependency } from './dependency.entity.js';
import { dependencySnapshot } from './dependency.service.js';
import { InternalSystem } from './internal-system.entity.js';
import { dependencyViews, loadRunsOn, systemView } from './views.js';

const CRIT_SQL = `CASE s.criticality WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;
const RISK_SQL = `CASE s.risk_class WHEN 'unacceptable' THEN 4 WHEN 'high' THEN 3 WHEN 'limited' THEN 2 ELSE 1 END`;

function snapshot(s: InternalSystem): Record<string, unknown> {
  const { organizationId: _o, createdAt: _c, updatedAt: _u, ...rest } = s;
  return { ...rest };
}

/** The organization's internal (AI) systems with their required RTO/RPO. */
@Injectable()
export class SystemService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  async list(q: z.infer<typeof systemListQuery>): Promise<Page<SystemView>> {
    const m = this.dataSource.manager;
    const qb = scoped(m, InternalSystem, 's');
    if (q.search) qb.andWhere('s.name ILIKE :q', { q: likePattern(q.search) });
    if (q.riskClass) qb.andWhere('s.riskClass = :r', { r: q.riskClass });
    if (q.criticality) qb.andWhere('s.criticality = :c', { c: q.criticality });
    if (q.sort.key === 'criticality') qb.addSelect(CRIT_SQL, 'crit_rank').orderBy('crit_rank', q.sort.dir);
    else if (q.sort.key === 'riskClass') qb.addSelect(RISK_SQL, 'risk_rank').orderBy('risk_rank', q.sort.dir);
    else qb.orderBy(`s.${q.sort.key}`, q.sort.dir);
    // Tie-breakers; never re-add the sort key itself, which would replace its direction.
    if (q.sort.key !== 'name') qb.addOrderBy('s.name');
    qb.addOrderBy('s.id');
    const [rows, total] = await qb
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    return { items: await this.views(m, rows), total, page: q.page, pageSize: q.pageSize };
  }

  async get(id: string): Promise<SystemView & { dependencies: DependencyView[] }> {
    const m = this.dataSource.manager;
    const s = await findScoped(m, InternalSystem, id, 'system');
    const deps = await scoped(m, Dependency, 'd').andWhere('d.systemId = :id', { id }).getMany();
    const [view] = await this.views(m, [s]);
    return { ...view!, dependencies: await dependencyViews(m, deps) };
  }

  async create(input: CreateSystemInput): Promise<SystemView> {
    return this.dataSource.transaction(async (m) => {
      await this.assertNameFree(m, input.name);
      const s = await m.save(
        m.create(InternalSystem, { ...input, description: input.description ?? null, ownerName: input.ownerName ?? null }),
      );
      await this.audit.append(m, { action: 'system.created', entityType: 'internal_system', entityId: s.id, diff: snapshot(s) });
      return (await this.views(m, [s]))[0]!;
    });
  }

  async update(id: string, input: z.infer<typeof updateSystemSchema>): Promise<SystemView> {
    return this.dataSource.transaction(async (m) => {
      const s = await findScoped(m, InternalSystem, id, 'system', { lock: true });
      const before = snapshot(s);
      if (input.name !== undefined && input.name.toLowerCase() !== s.name.toLowerCase()) await this.assertNameFree(m, input.name);
      for (const [k, v] of Object.entries(input)) if (v !== undefined) (s as unknown as Record<string, unknown>)[k] = v;
      const diff = changes(before, snapshot(s));
      if (Object.keys(diff).length) {
        await m.save(s);
        await this.audit.append(m, { action: 'system.updated', entityType: 'internal_system', entityId: s.id, diff });
      }
      return (await this.views(m, [s]))[0]!;
    });
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const s = await findScoped(m, InternalSystem, id, 'system', { lock: true });
      const deps = await scoped(m, Dependency, 'd').andWhere('d.systemId = :id', { id }).orderBy('d.id').getMany();
      // The dependencies go with the system (ON DELETE CASCADE); each gets its own entry, so the history of a
      // dependency reads to its end whichever way it is filtered.
      for (const d of deps) {
        await this.audit.append(m, {
          action: 'dependency.deleted',
          entityType: 'dependency',
          entityId: d.id,
          diff: { ...dependencySnapshot(d), reason: 'internal system deleted' },
        });
      }
      await m.remove(s);
      await this.audit.append(m, {
        action: 'system.deleted',
        entityType: 'internal_system',
        entityId: id,
        diff: { ...snapshot(s), dependenciesRemoved: deps.length },
      });
    });
  }

  private async views(m: EntityManager, systems: InternalSystem[]): Promise<SystemView[]> {
    if (!systems.length) return [];
    const deps = await scoped(m, Dependency, 'd')
      .andWhere('d.systemId IN (:...ids)', { ids: systems.map((s) => s.id) })
      .getMany();
    const runsOn = await loadRunsOn(m, systems[0]!.organizationId);
    const count = (id: string, spofOnly: boolean) =>
      deps.filter((d) => d.systemId === id && (!spofOnly || isSinglePointOfFailure(d, runsOn))).length;
    return systems.map((s) => systemView(s, count(s.id, false), count(s.id, true)));
  }

  private async assertNameFree(m: EntityManager, name: string): Promise<void> {
    if (await scoped(m, InternalSystem, 's').andWhere('lower(s.name) = lower(:n)', { n: name }).getExists()) {
      throw new Conflict('system.duplicate_name', `An internal system named "${name}" already exists`);
    }
  }
}
