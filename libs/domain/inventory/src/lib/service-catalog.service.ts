import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';

import type {
  CreateServiceInput,
  Page,
  serviceListQuery,
  ServiceView,
  subcontractorLinkSchema,
  SubcontractorLinkView,
  updateServiceSchema,
} from '@bulwark/api-schema';
import { AuditLogService, changes, Conflict, findScoped, Invalid, likePattern, scoped } from '@bulwark/platform';

import { Service } from './service.entity.js';
import { SubcontractorLink } from './subcontractor-link.entity.js';
import { Vendor } from './vendor.entity.js';
import { namesById, serviceView } from './views.js';

function snapshot(s: Service): Record<string, unknown> {
  return { name: s.name, kind: s.kind, description: s.description, regions: s.regions, models: s.models, vendorId: s.vendorId };
}

/** Services vendors provide, their regions and AI model inventory, and what they run on (fourth parties). */
@Injectable()
export class ServiceCatalog {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  async list(q: z.infer<typeof serviceListQuery>): Promise<Page<ServiceView>> {
    const m = this.dataSource.manager;
    const qb = scoped(m, Service, 's');
    if (q.vendorId) qb.andWhere('s.vendorId = :v', { v: q.vendorId });
    if (q.kind) qb.andWhere('s.kind = :k', { k: q.kind });
    if (q.search) qb.andWhere('s.name ILIKE :q', { q: likePattern(q.search) });
    qb.orderBy(`s.${q.sort.key}`, q.sort.dir).addOrderBy('s.id');
    const [rows, total] = await qb
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    return { items: await this.views(m, rows), total, page: q.page, pageSize: q.pageSize };
  }

  async get(id: string): Promise<ServiceView> {
    const m = this.dataSource.manager;
    const [view] = await this.views(m, [await findScoped(m, Service, id, 'service')]);
    return view!;
  }

  async create(input: CreateServiceInput): Promise<ServiceView> {
    return this.dataSource.transaction(async (m) => {
      const s = await this.insert(m, input);
      return (await this.views(m, [s]))[0]!;
    });
  }

  async insert(m: EntityManager, input: CreateServiceInput): Promise<Service> {
    const vendor = await findScoped(m, Vendor, input.vendorId, 'vendor');
    await this.assertNameFree(m, vendor.id, input.name);
    const s = await m.save(
      m.create(Service, {
        vendorId: vendor.id,
        name: input.name,
        kind: input.kind,
        description: input.description ?? null,
        regions: dedupe(input.regions),
        models: input.models,
      }),
    );
    await this.audit.append(m, { action: 'service.created', entityType: 'service', entityId: s.id, diff: snapshot(s) });
    return s;
  }

  async update(id: string, input: z.infer<typeof updateServiceSchema>): Promise<ServiceView> {
    return this.dataSource.transaction(async (m) => {
      const s = await findScoped(m, Service, id, 'service', { lock: true });
      const before = snapshot(s);
      if (input.name !== undefined && input.name.toLowerCase() !== s.name.toLowerCase())
        await this.assertNameFree(m, s.vendorId, input.name);
      if (input.name !== undefined) s.name = input.name;
      if (input.kind !== undefined) s.kind = input.kind;
      if (input.description !== undefined) s.description = input.description;
      if (input.regions !== undefined) s.regions = dedupe(input.regions);
      if (input.models !== undefined) s.models = input.models;
      const diff = changes(before, snapshot(s));
      if (Object.keys(diff).length) {
        await m.save(s);
        await this.audit.append(m, { action: 'service.updated', entityType: 'service', entityId: s.id, diff });
      }
      return (await this.views(m, [s]))[0]!;
    });
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const s = await findScoped(m, Service, id, 'service', { lock: true });
      // As an alternative it is in use too: deleting it would silently turn those dependencies into single points of failure.
      const used: { n: string; alt: string }[] = await m.query(
        `SELECT count(*) FILTER (WHERE service_id = $1) AS n, count(*) FILTER (WHERE alternative_service_id = $1) AS alt FROM dependencies WHERE service_id = $1 OR alternative_service_id = $1`,
        [s.id],
      );
      const n = Number(used[0]?.n ?? 0);
      const alt = Number(used[0]?.alt ?? 0);
      if (n > 0)
        throw new Conflict('service.in_use', `${s.name} is a dependency of ${n} internal system(s); remove those dependencies first`);
      if (alt > 0)
        throw new Conflict('service.in_use', `${s.name} is the alternative of ${alt} dependency(ies); choose another alternative first`);
      await m.remove(s);
      await this.audit.append(m, { action: 'service.deleted', entityType: 'service', entityId: id, diff: snapshot(s) });
    });
  }

  async link(input: z.infer<typeof subcontractorLinkSchema>): Promise<SubcontractorLinkView> {
    return this.dataSource.transaction(async (m) => {
      const s = await findScoped(m, Service, input.serviceId, 'service');
      const sub = await findScoped(m, Service, input.subServiceId, 'service');
      if (s.vendorId === sub.vendorId)
        throw new Invalid('link.same_vendor', 'A subcontractor must be another vendor', [
          { path: 'subServiceId', message: 'belongs to the same vendor' },
        ]);
      // A cycle, direct (B already runs on A) or through other services (B → C → A).
      const reverse: unknown[] = await m.query(
        `WITH RECURSIVE reach(id) AS (
           SELECT sub_service_id FROM subcontractor_links WHERE organization_id = $1 AND service_id = $2
           UNION
           SELECT l.sub_service_id FROM subcontractor_links l JOIN reach r ON l.service_id = r.id WHERE l.organization_id = $1
         ) SELECT 1 FROM reach WHERE id = $3 LIMIT 1`,
        [s.organizationId, sub.id, s.id],
      );
      if (reverse.length)
        throw new Invalid('link.cycle', `${sub.name} already runs on ${s.name}, directly or through other services`, [
          { path: 'subServiceId', message: 'would create a cycle' },
        ]);
      const exists = await scoped(m, SubcontractorLink, 'l')
        .andWhere('l.serviceId = :a AND l.subServiceId = :b', { a: s.id, b: sub.id })
        .getExists();
      if (exists) throw new Conflict('link.duplicate', `${s.name} already runs on ${sub.name}`);
      const l = await m.save(
        m.create(SubcontractorLink, {
          vendorId: s.vendorId,
          serviceId: s.id,
          subServiceId: sub.id,
          description: input.description ?? null,
        }),
      );
      await this.audit.append(m, {
        action: 'subcontractor_link.created',
        entityType: 'subcontractor_link',
        entityId: l.id,
        diff: { serviceId: s.id, subServiceId: sub.id },
      });
      const subVendor = (await namesById(m, 'vendors', [sub.vendorId])).get(sub.vendorId) ?? '';
      return {
        id: l.id,
        serviceId: s.id,
        subServiceId: sub.id,
        subServiceName: sub.name,
        subVendorId: sub.vendorId,
        subVendorName: subVendor,
        description: l.description,
      };
    });
  }

  async unlink(id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const l = await findScoped(m, SubcontractorLink, id, 'subcontractor_link', { lock: true });
      await m.remove(l);
      await this.audit.append(m, {
        action: 'subcontractor_link.deleted',
        entityType: 'subcontractor_link',
        entityId: id,
        diff: { serviceId: l.serviceId, subServiceId: l.subServiceId },
      });
    });
  }

  async views(m: EntityManager, services: Service[]): Promise<ServiceView[]> {
    if (!services.length) return [];
    const vendorNames = await namesById(
      m,
      'vendors',
      services.map((s) => s.vendorId),
    );
    const links = await scoped(m, SubcontractorLink, 'l')
      .andWhere('l.serviceId IN (:...ids)', { ids: services.map((s) => s.id) })
      .getMany();
    const subs: { id: string; name: string; vendor_id: string; vendor_name: string }[] = links.length
      ? await m.query(
          `SELECT s.id, s.name, s.vendor_id, v.name AS vendor_name FROM services s JOIN vendors v ON v.id = s.vendor_id WHERE s.id = ANY($1::uuid[])`,
          [links.map((l) => l.subServiceId)],
        )
      : [];
    const subById = new Map(subs.map((x) => [x.id, x]));
    return services.map((s) =>
      serviceView(
        s,
        vendorNames.get(s.vendorId) ?? '',
        links
          .filter((l) => l.serviceId === s.id)
          .map((l) => {
            const sub = subById.get(l.subServiceId);
            return {
              id: l.id,
              serviceId: s.id,
              subServiceId: l.subServiceId,
              subServiceName: sub?.name ?? '',
              subVendorId: sub?.vendor_id ?? '',
              subVendorName: sub?.vendor_name ?? '',
              description: l.description,
            };
          }),
      ),
    );
  }

  private async assertNameFree(m: EntityManager, vendorId: string, name: string): Promise<void> {
    const taken = await scoped(m, Service, 's')
      .andWhere('s.vendorId = :v AND lower(s.name) = lower(:n)', { v: vendorId, n: name })
      .getExists();
    if (taken) throw new Conflict('service.duplicate_name', `This vendor already has a service named "${name}"`);
  }
}

function dedupe(regions: string[]): string[] {
  return [...new Set(regions.map((r) => r.toLowerCase()))];
}
