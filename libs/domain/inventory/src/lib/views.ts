import type { EntityManager } from 'typeorm';

import type {
  ContactView,
  DependencyView,
  ServiceView,
  SubcontractorLinkView,
  SystemView,
  VendorServiceView,
  VendorSummary,
} from '@bulwark/api-schema';

import { isSinglePointOfFailure, runsOnIndex, type RunsOn } from './analysis.js';
import type { Dependency } from './dependency.entity.js';
import type { InternalSystem } from './internal-system.entity.js';
import type { Service } from './service.entity.js';
import type { VendorContact } from './vendor-contact.entity.js';
import type { Vendor } from './vendor.entity.js';

/** Names of rows referenced by id, fetched in one query per table (never N+1). */
export async function namesById(
  m: EntityManager,
  table: 'vendors' | 'services' | 'internal_systems' | 'users',
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, string>> {
  const list = [...new Set([...ids].filter((x): x is string => !!x))];
  if (!list.length) return new Map();
  const rows: { id: string; name: string }[] = await m.query(`SELECT id, name FROM ${table} WHERE id = ANY($1::uuid[])`, [list]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function vendorSummary(v: Vendor, ownerName: string | null, kinds: string[], serviceCount: number): VendorSummary {
  return {
    id: v.id,
    name: v.name,
    slug: v.slug,
    legalName: v.legalName,
    country: v.country,
    lifecycle: v.lifecycle,
    tier: v.tier,
    computedTier: v.computedTier,
    tierOverridden: v.tierOverride !== null,
    ownerId: v.ownerId,
    ownerName,
    serviceKinds: kinds as VendorSummary['serviceKinds'],
    serviceCount,
    updatedAt: v.updatedAt.toISOString(),
  };
}

export function contactView(c: VendorContact, hasPortalAccess: boolean): ContactView {
  return {
    id: c.id,
    vendorId: c.vendorId,
    name: c.name,
    email: c.email,
    title: c.title,
    phone: c.phone,
    isPrimary: c.isPrimary,
    hasPortalAccess,
  };
}

export function serviceView(s: Service, vendorName: string, runsOn: SubcontractorLinkView[]): ServiceView {
  return {
    id: s.id,
    vendorId: s.vendorId,
    vendorName,
    name: s.name,
    kind: s.kind,
    description: s.description,
    regions: s.regions,
    models: s.models,
    runsOn,
  };
}

/** The vendor-facing view of a service: picked field by field, so the organization's notes are never carried over. */
export function vendorServiceView(s: ServiceView): VendorServiceView {
  return {
    id: s.id,
    vendorId: s.vendorId,
    vendorName: s.vendorName,
    name: s.name,
    kind: s.kind,
    regions: s.regions,
    models: s.models,
    runsOn: s.runsOn.map((l) => ({
      id: l.id,
      serviceId: l.serviceId,
      subServiceId: l.subServiceId,
      subServiceName: l.subServiceName,
      subVendorId: l.subVendorId,
      subVendorName: l.subVendorName,
    })),
  };
}

export function systemView(s: InternalSystem, dependencyCount: number, spofs: number): SystemView {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    ownerName: s.ownerName,
    riskClass: s.riskClass,
    isAiSystem: s.isAiSystem,
    criticality: s.criticality,
    requiredRtoMinutes: s.requiredRtoMinutes,
    requiredRpoMinutes: s.requiredRpoMinutes,
    dependencyCount,
    singlePointsOfFailure: spofs,
  };
}

/** The organization's subcontracting graph (small: one row per service that runs on another). */
export async function loadRunsOn(m: EntityManager, organizationId: string): Promise<RunsOn> {
  const rows: { service_id: string; sub_service_id: string }[] = await m.query(
    `SELECT service_id, sub_service_id FROM subcontractor_links WHERE organization_id = $1`,
    [organizationId],
  );
  return runsOnIndex(rows.map((r) => ({ serviceId: r.service_id, subServiceId: r.sub_service_id })));
}

export interface DependencyNames {
  systems: Map<string, string>;
  services: Map<string, { name: string; vendorId: string; vendorName: string }>;
}

export async function dependencyViews(m: EntityManager, deps: Dependency[]): Promise<DependencyView[]> {
  if (!deps.length) return [];
  const systems = await namesById(
    m,
    'internal_systems',
    deps.map((d) => d.systemId),
  );
  const serviceIds = [...new Set(deps.flatMap((d) => [d.serviceId, d.alternativeServiceId]).filter((x): x is string => !!x))];
  const rows: { id: string; name: string; vendor_id: string; vendor_name: string }[] = await m.query(
    `SELECT s.id, s.name, s.vendor_id, v.name AS vendor_name FROM services s JOIN vendors v ON v.id = s.vendor_id WHERE s.id = ANY($1::uuid[])`,
    [serviceIds],
  );
  const services = new Map(rows.map((r) => [r.id, r]));
  const runsOn = await loadRunsOn(m, deps[0]!.organizationId);
  return deps.map((d) => {
    const s = services.get(d.serviceId);
    return {
      id: d.id,
      systemId: d.systemId,
      systemName: systems.get(d.systemId) ?? '',
      serviceId: d.serviceId,
      serviceName: s?.name ?? '',
      vendorId: s?.vendor_id ?? '',
      vendorName: s?.vendor_name ?? '',
      criticality: d.criticality,
      alternativeServiceId: d.alternativeServiceId,
      alternativeServiceName: d.alternativeServiceId ? (services.get(d.alternativeServiceId)?.name ?? null) : null,
      contingencyPlan: d.contingencyPlan,
      notes: d.notes,
      singlePointOfFailure: isSinglePointOfFailure(d, runsOn),
    };
  });
}
