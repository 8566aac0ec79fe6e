import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';

import {
  LIFECYCLE_TRANSITIONS,
  type CreateVendorInput,
  type Page,
  type tierOverrideSchema,
  type UpdateVendorInput,
  type VendorDetail,
  type vendorListQuery,
  type VendorProfile,
  type VendorSummary,
} from '@bulwark/api-schema';
import { AuditLogService, changes, Conflict, findScoped, Invalid, likePattern, RequestContext, scoped } from '@bulwark/platform';

import { Dependency } from './dependency.entity.js';
import { Service } from './service.entity.js';
import { SubcontractorLink } from './subcontractor-link.entity.js';
import { computeTier } from './tier.js';
import { VendorContact } from './vendor-contact.entity.js';
import { Vendor } from './vendor.entity.js';
import { contactView, dependencyViews, namesById, serviceView, vendorServiceView, vendorSummary } from './views.js';

export function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return s || 'vendor';
}

/** Plain snapshot of the audited fields of a vendor. */
function snapshot(v: Vendor): Record<string, unknown> {
  const { organizationId: _o, createdAt: _c, updatedAt: _u, version: _v, ...rest } = v;
  return { ...rest };
}

const TIER_ORDER_SQL = `CASE v.tier WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;
const LIFECYCLE_ORDER_SQL = `CASE v.lifecycle WHEN 'prospect' THEN 1 WHEN 'onboarding' THEN 2 WHEN 'active' THEN 3 WHEN 'exiting' THEN 4 ELSE 5 END`;

@Injectable()
export class VendorService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  async list(q: z.infer<typeof vendorListQuery>): Promise<Page<VendorSummary>> {
    const m = this.dataSource.manager;
    const qb = scoped(m, Vendor, 'v');
    // Identifiers are stored upper-case, slugs lower-case.
    if (q.search) {
      qb.andWhere('(v.name ILIKE :s OR v.legalName ILIKE :s OR v.lei = :exact OR v.cik = :exact OR v.slug = :slug)', {
        s: likePattern(q.search),
        exact: q.search.toUpperCase(),
        slug: q.search.toLowerCase(),
      });
    }
    if (q.tier) qb.andWhere('v.tier = :tier', { tier: q.tier });
    if (q.lifecycle) qb.andWhere('v.lifecycle = :lc', { lc: q.lifecycle });
    if (q.ownerId) qb.andWhere('v.ownerId = :owner', { owner: q.ownerId });
    if (q.kind) qb.andWhere('EXISTS (SELECT 1 FROM services s WHERE s.vendor_id = v.id AND s.kind = :kind)', { kind: q.kind });
    const { key, dir } = q.sort;
    if (key === 'tier') qb.addSelect(TIER_ORDER_SQL, 'tier_rank').orderBy('tier_rank', dir);
    else if (key === 'lifecycle') qb.addSelect(LIFECYCLE_ORDER_SQL, 'lc_rank').orderBy('lc_rank', dir);
    else qb.orderBy(`v.${key}`, dir);
    // Tie-breakers; never re-add the sort key itself, which would replace its direction.
    if (key !== 'name') qb.addOrderBy('v.name', 'ASC');
    qb.addOrderBy('v.id', 'ASC');
    const [vendors, total] = await qb
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    return { items: await this.summaries(m, vendors), total, page: q.page, pageSize: q.pageSize };
  }

  private async summaries(m: EntityManager, vendors: Vendor[]): Promise<VendorSummary[]> {
    if (!vendors.length) return [];
    const owners = await namesById(
      m,
      'users',
      vendors.map((v) => v.ownerId),
    );
    const stats: { vendor_id: string; kinds: string[]; n: string }[] = await m.query(
      `SELECT vendor_id, array_agg(DISTINCT kind ORDER BY kind) AS kinds, count(*) AS n FROM services WHERE vendor_id = ANY($1::uuid[]) GROUP BY vendor_id`,
      [vendors.map((v) => v.id)],
    );
    const byVendor = new Map(stats.map((s) => [s.vendor_id, s]));
    return vendors.map((v) => {
      const s = byVendor.get(v.id);
      return vendorSummary(v, v.ownerId ? (owners.get(v.ownerId) ?? null) : null, s?.kinds ?? [], Number(s?.n ?? 0));
    });
  }

  async get(id: string): Promise<VendorDetail> {
    return this.detail(this.dataSource.manager, await findScoped(this.dataSource.manager, Vendor, id, 'vendor'));
  }

  /**
   * The vendor as its own contacts see it: the profile without the organization's assessment or notes
   * (its `sharedSummary`, never its `description`), built field by field so nothing internal is carried over.
   */
  async profile(id: string): Promise<VendorProfile> {
    const d = await this.get(id);
    return {
      view: 'profile',
      id: d.id,
      name: d.name,
      slug: d.slug,
      legalName: d.legalName,
      website: d.website,
      country: d.country,
      sharedSummary: d.sharedSummary,
      lifecycle: d.lifecycle,
      identifiers: d.identifiers,
      serviceKinds: d.serviceKinds,
      serviceCount: d.serviceCount,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
      services: d.services.map(vendorServiceView),
      contacts: d.contacts,
    };
  }

  async create(input: CreateVendorInput): Promise<VendorDetail> {
    return this.dataSource.transaction(async (m) => {
      const v = await this.insert(m, input);
      return this.detail(m, v);
    });
  }

  /** Inserts one vendor with its audit entry inside the caller's transaction (also used by CSV import). */
  async insert(m: EntityManager, input: CreateVendorInput): Promise<Vendor> {
    await this.assertNameFree(m, input.name);
    if (input.ownerId) await this.assertOwner(m, input.ownerId);
    const t = computeTier(input.intake);
    const vendor = m.create(Vendor, {
      name: input.name,
      slug: await this.uniqueSlug(m, input.name),
      legalName: input.legalName ?? null,
      website: input.website ?? null,
      country: input.country ?? null,
      description: input.description ?? null,
      sharedSummary: input.sharedSummary ?? null,
      lei: input.identifiers.lei ?? null,
      cik: input.identifiers.cik ?? null,
      companyNumber: input.identifiers.companyNumber?.toUpperCase() ?? null,
      duns: input.identifiers.duns ?? null,
      lifecycle: input.lifecycle,
      ownerId: input.ownerId ?? null,
      intake: input.intake,
      computedTier: t.tier,
      tierScore: t.score,
      tier: t.tier,
      tierOverride: null,
      tierOverrideReason: null,
    });
    const saved = await m.save(vendor);
    await this.audit.append(m, { action: 'vendor.created', entityType: 'vendor', entityId: saved.id, diff: snapshot(saved) });
    return saved;
  }

  async update(id: string, input: UpdateVendorInput): Promise<VendorDetail> {
    return this.dataSource.transaction(async (m) => {
      const v = await findScoped(m, Vendor, id, 'vendor', { lock: true });
      if (input.version !== undefined && input.version !== v.version) {
        throw new Conflict(
          'vendor.stale',
          `This vendor was changed by someone else (version ${v.version}, you edited ${input.version}). Reload and try again.`,
        );
      }
      const before = snapshot(v);
      if (input.name !== undefined && input.name !== v.name) {
        await this.assertNameFree(m, input.name, v.id);
        v.name = input.name;
      }
      if (input.lifecycle !== undefined && input.lifecycle !== v.lifecycle) {
        if (!LIFECYCLE_TRANSITIONS[v.lifecycle].includes(input.lifecycle)) {
          throw new Conflict('vendor.illegal_transition', `A vendor cannot move from ${v.lifecycle} to ${input.lifecycle}`);
        }
        v.lifecycle = input.lifecycle;
      }
      if (input.ownerId !== undefined) {
        if (input.ownerId) await this.assertOwner(m, input.ownerId);
        v.ownerId = input.ownerId;
      }
      if (input.legalName !== undefined) v.legalName = input.legalName;
      if (input.website !== undefined) v.website = input.website;
      if (input.country !== undefined) v.country = input.country;
      if (input.description !== undefined) v.description = input.description;
      if (input.sharedSummary !== undefined) v.sharedSummary = input.sharedSummary;
      if (input.identifiers) {
        const ids = input.identifiers;
        if (ids.lei !== undefined) v.lei = ids.lei;
        if (ids.cik !== undefined) v.cik = ids.cik;
        if (ids.companyNumber !== undefined) v.companyNumber = ids.companyNumber?.toUpperCase() ?? null;
        if (ids.duns !== undefined) v.duns = ids.duns;
      }
      if (input.intake) {
        const t = computeTier(input.intake);
        v.intake = input.intake;
        v.computedTier = t.tier;
        v.tierScore = t.score;
        v.tier = v.tierOverride ?? t.tier;
      }
      const diff = changes(before, snapshot(v));
      if (Object.keys(diff).length === 0) return this.detail(m, v);
      const saved = await m.save(v);
      await this.audit.append(m, {
        action: input.lifecycle && diff['lifecycle'] ? 'vendor.lifecycle_changed' : 'vendor.updated',
        entityType: 'vendor',
        entityId: v.id,
        diff,
      });
      return this.detail(m, saved);
    });
  }

  async setTierOverride(id: string, input: z.infer<typeof tierOverrideSchema>): Promise<VendorDetail> {
    return this.dataSource.transaction(async (m) => {
      const v = await findScoped(m, Vendor, id, 'vendor', { lock: true });
      const before = { tier: v.tier, tierOverride: v.tierOverride, tierOverrideReason: v.tierOverrideReason };
      v.tierOverride = input.tier;
      v.tierOverrideReason = input.reason;
      v.tierOverrideBy = RequestContext.actor().userId;
      v.tierOverrideAt = new Date();
      v.tier = input.tier;
      await m.save(v);
      await this.audit.append(m, {
        action: 'vendor.tier_overridden',
        entityType: 'vendor',
        entityId: v.id,
        diff: changes(before, { tier: v.tier, tierOverride: v.tierOverride, tierOverrideReason: v.tierOverrideReason }),
      });
      return this.detail(m, v);
    });
  }

  async clearTierOverride(id: string): Promise<VendorDetail> {
    return this.dataSource.transaction(async (m) => {
      const v = await findScoped(m, Vendor, id, 'vendor', { lock: true });
      if (v.tierOverride === null) return this.detail(m, v);
      const before = { tier: v.tier, tierOverride: v.tierOverride };
      Object.assign(v, { tierOverride: null, tierOverrideReason: null, tierOverrideBy: null, tierOverrideAt: null, tier: v.computedTier });
      await m.save(v);
      await this.audit.append(m, {
        action: 'vendor.tier_override_cleared',
        entityType: 'vendor',
        entityId: v.id,
        diff: changes(before, { tier: v.tier, tierOverride: null }),
      });
      return this.detail(m, v);
    });
  }

  async detail(m: EntityManager, v: Vendor): Promise<VendorDetail> {
    const [summary] = await this.summaries(m, [v]);
    const services = await scoped(m, Service, 's').andWhere('s.vendorId = :v', { v: v.id }).orderBy('s.name').getMany();
    const links = services.length
      ? await scoped(m, SubcontractorLink, 'l')
          .andWhere('l.serviceId IN (:...ids)', { ids: services.map((s) => s.id) })
          .getMany()
      : [];
    const subs: { id: string; name: string; vendor_id: string; vendor_name: string }[] = links.length
      ? await m.query(
          `SELECT s.id, s.name, s.vendor_id, v.name AS vendor_name FROM services s JOIN vendors v ON v.id = s.vendor_id WHERE s.id = ANY($1::uuid[])`,
          [links.map((l) => l.subServiceId)],
        )
      : [];
    const subById = new Map(subs.map((s) => [s.id, s]));
    const contacts = await scoped(m, VendorContact, 'c')
      .andWhere('c.vendorId = :v', { v: v.id })
      .orderBy('c.isPrimary', 'DESC')
      .addOrderBy('c.name')
      .getMany();
    const accounts: { email: string }[] = contacts.length
      ? await m.query(`SELECT email FROM users WHERE vendor_id = $1 AND email = ANY($2::text[]) AND active`, [
          v.id,
          contacts.map((c) => c.email),
        ])
      : [];
    const withAccount = new Set(accounts.map((a) => a.email));
    const deps = services.length
      ? await scoped(m, Dependency, 'd')
          .andWhere('d.serviceId IN (:...ids)', { ids: services.map((s) => s.id) })
          .getMany()
      : [];
    const overrideBy = v.tierOverrideBy ? ((await namesById(m, 'users', [v.tierOverrideBy])).get(v.tierOverrideBy) ?? null) : null;
    const t = computeTier(v.intake);
    return {
      ...summary!,
      view: 'full',
      website: v.website,
      description: v.description,
      sharedSummary: v.sharedSummary,
      identifiers: { lei: v.lei, cik: v.cik, companyNumber: v.companyNumber, duns: v.duns },
      intake: v.intake,
      tierScore: v.tierScore,
      tierReasons: t.reasons,
      tierOverride: v.tierOverride
        ? { tier: v.tierOverride, reason: v.tierOverrideReason ?? '', by: overrideBy, at: v.tierOverrideAt?.toISOString() ?? '' }
        : null,
      allowedLifecycleTransitions: [...LIFECYCLE_TRANSITIONS[v.lifecycle]],
      version: v.version,
      createdAt: v.createdAt.toISOString(),
      services: services.map((s) =>
        serviceView(
          s,
          v.name,
          links
            .filter((l) => l.serviceId === s.id)
            .map((l) => {
              const sub = subById.get(l.subServiceId);
              return {
                id: l.id,
                serviceId: l.serviceId,
                subServiceId: l.subServiceId,
                subServiceName: sub?.name ?? '',
                subVendorId: sub?.vendor_id ?? '',
                subVendorName: sub?.vendor_name ?? '',
                description: l.description,
              };
            }),
        ),
      ),
      contacts: contacts.map((c) => contactView(c, withAccount.has(c.email))),
      dependencies: await dependencyViews(m, deps),
    };
  }

  private async assertNameFree(m: EntityManager, name: string, exceptId?: string): Promise<void> {
    const qb = scoped(m, Vendor, 'v').andWhere('lower(v.name) = lower(:n)', { n: name });
    if (exceptId) qb.andWhere('v.id <> :id', { id: exceptId });
    if (await qb.getExists()) throw new Conflict('vendor.duplicate_name', `A vendor named "${name}" already exists`);
  }

  private async assertOwner(m: EntityManager, ownerId: string): Promise<void> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM users WHERE id = $1 AND organization_id = $2 AND role <> 'vendor_contact' AND active`,
      [ownerId, RequestContext.actor().organizationId],
    );
    if (!rows.length)
      throw new Invalid('vendor.invalid_owner', 'The owner must be an active internal user of this organization', [
        { path: 'ownerId', message: 'no such internal user' },
      ]);
  }

  private async uniqueSlug(m: EntityManager, name: string): Promise<string> {
    const base = slugify(name);
    const taken: { slug: string }[] = await m.query(`SELECT slug FROM vendors WHERE organization_id = $1 AND (slug = $2 OR slug LIKE $3)`, [
      RequestContext.actor().organizationId,
      base,
      `${base}-%`,
    ]);
    const set = new Set(taken.map((t) => t.slug));
    if (!set.has(base)) return base;
    for (let i = 2; ; i++) if (!set.has(`${base}-${i}`)) return `${base}-${i}`;
  }
}
