import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager } from 'typeorm';

import type { contractListQuery, ContractView, CreateContractInput, Input, Page, updateContractSchema } from '@bulwark/api-schema';
import { AuditLogService, changes, Conflict, findScoped, Invalid, likePattern, RequestContext, scoped } from '@bulwark/platform';

import { Contract, ContractServiceLink } from './contract.entity.js';

/** Contracts: their terms, clauses and covered services. */
@Injectable()
export class ContractService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  async list(q: Input<typeof contractListQuery>): Promise<Page<ContractView>> {
    const m = this.dataSource.manager;
    const qb = scoped(m, Contract, 'c');
    if (q.vendorId) qb.andWhere('c.vendorId = :v', { v: q.vendorId });
    if (q.search)
      qb.andWhere(
        `(c.title ILIKE :s OR c.reference ILIKE :s OR EXISTS (SELECT 1 FROM vendors v WHERE v.id = c.vendor_id AND v.name ILIKE :s))`,
        { s: likePattern(q.search) },
      );
    if (q.status) qb.andWhere('c.status = :s', { s: q.status });
    if (q.expiringWithinDays !== undefined)
      qb.andWhere(`c.expiryDate IS NOT NULL AND c.expiryDate <= (current_date + (:d)::int)`, { d: q.expiringWithinDays });
    qb.orderBy('c.expiryDate', 'ASC', 'NULLS LAST').addOrderBy('c.title').addOrderBy('c.id');
    const [rows, total] = await qb
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    return { items: await this.contractViews(m, rows), total, page: q.page, pageSize: q.pageSize };
  }

  async get(id: string): Promise<ContractView> {
    const m = this.dataSource.manager;
    return (await this.contractViews(m, [await findScoped(m, Contract, id, 'contract')]))[0]!;
  }

  async create(input: CreateContractInput): Promise<ContractView> {
    return this.dataSource.transaction(async (m) => {
      const vendor: { id: string }[] = await m.query(`SELECT id FROM vendors WHERE id = $1 AND organization_id = $2`, [
        input.vendorId,
        RequestContext.actor().organizationId,
      ]);
      if (!vendor.length) throw new Invalid('contract.invalid_vendor', 'No such vendor', [{ path: 'vendorId', message: 'no such vendor' }]);
      const c = await m.save(
        m.create(Contract, {
          vendorId: input.vendorId,
          title: input.title,
          reference: input.reference ?? null,
          status: input.status,
          effectiveDate: input.effectiveDate,
          expiryDate: input.expiryDate ?? null,
          renewalNoticeDays: input.renewalNoticeDays,
          annualValue: input.annualValue ?? null,
          currency: input.currency,
          clauses: input.clauses,
        }),
      );
      await this.setServices(m, c, input.serviceIds);
      if (input.serviceFees) await this.setFees(m, c, input.serviceFees);
      await this.audit.append(m, { action: 'contract.created', entityType: 'contract', entityId: c.id, diff: { ...input } });
      return (await this.contractViews(m, [c]))[0]!;
    });
  }

  async update(id: string, input: Input<typeof updateContractSchema>): Promise<ContractView> {
    return this.dataSource.transaction(async (m) => {
      const c = await findScoped(m, Contract, id, 'contract', { lock: true });
      if (input.version !== undefined && input.version !== c.version)
        throw new Conflict('contract.stale', 'This contract was changed by someone else. Reload and try again.');
      const before = { ...c };
      const { serviceIds, serviceFees, version: _v, ...fields } = input;
      Object.assign(c, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
      if (c.expiryDate && c.expiryDate <= c.effectiveDate)
        throw new Invalid('contract.invalid_dates', 'The expiry date must be after the effective date', [
          { path: 'expiryDate', message: 'must be after the effective date' },
        ]);
      await m.save(c);
      if (serviceIds) await this.setServices(m, c, serviceIds);
      if (serviceFees) await this.setFees(m, c, serviceFees);
      const diff = changes(before as unknown as Record<string, unknown>, { ...c } as unknown as Record<string, unknown>);
      delete diff['updatedAt'];
      delete diff['version'];
      if (serviceIds) diff['serviceIds'] = { from: null, to: serviceIds };
      if (serviceFees) diff['serviceFees'] = { from: null, to: serviceFees };
      await this.audit.append(m, { action: 'contract.updated', entityType: 'contract', entityId: c.id, diff });
      return (await this.contractViews(m, [c]))[0]!;
    });
  }

  private async setServices(m: EntityManager, c: Contract, serviceIds: string[]): Promise<void> {
    const unique = [...new Set(serviceIds)];
    if (unique.length) {
      const found: { id: string }[] = await m.query(
        `SELECT id FROM services WHERE id = ANY($1::uuid[]) AND vendor_id = $2 AND organization_id = $3`,
        [unique, c.vendorId, c.organizationId],
      );
      const missing = unique.filter((id) => !found.some((f) => f.id === id));
      if (missing.length)
        throw new Invalid(
          'contract.invalid_services',
          'Covered services must be services of the contract vendor',
          missing.map((id) => ({ path: 'serviceIds', message: `${id} is not a service of this vendor` })),
        );
    }
    // Services that stay covered keep their fee.
    const kept = await m.find(ContractServiceLink, { where: { contractId: c.id } });
    await m.delete(ContractServiceLink, { contractId: c.id });
    for (const serviceId of unique)
      await m.save(
        m.create(ContractServiceLink, {
          contractId: c.id,
          serviceId,
          organizationId: c.organizationId,
          annualFee: kept.find((k) => k.serviceId === serviceId)?.annualFee ?? null,
        }),
      );
  }

  /** The fee per year of covered services (the credit base of the SLAs covering them); each must be covered by the contract. */
  private async setFees(m: EntityManager, c: Contract, fees: { serviceId: string; annualFee: number | null }[]): Promise<void> {
    const covered = await m.find(ContractServiceLink, { where: { contractId: c.id } });
    const errors = fees.flatMap((f, i) =>
      covered.some((l) => l.serviceId === f.serviceId)
        ? []
        : [{ path: `serviceFees.${i}.serviceId`, message: `${f.serviceId} is not a service this contract covers` }],
    );
    if (errors.length) throw new Invalid('contract.invalid_service_fees', 'A fee can only be recorded for a covered service', errors);
    for (const f of fees) await m.update(ContractServiceLink, { contractId: c.id, serviceId: f.serviceId }, { annualFee: f.annualFee });
  }

  private async contractViews(m: EntityManager, contracts: Contract[]): Promise<ContractView[]> {
    if (!contracts.length) return [];
    const ids = contracts.map((c) => c.id);
    const vendors: { id: string; name: string }[] = await m.query(`SELECT id, name FROM vendors WHERE id = ANY($1::uuid[])`, [
      contracts.map((c) => c.vendorId),
    ]);
    const services: { contract_id: string; id: string; name: string; annual_fee: string | null }[] = await m.query(
      `SELECT cs.contract_id, s.id, s.name, cs.annual_fee FROM contract_services cs JOIN services s ON s.id = cs.service_id WHERE cs.contract_id = ANY($1::uuid[]) ORDER BY s.name`,
      [ids],
    );
    const slas: { contract_id: string; n: string }[] = await m.query(
      `SELECT contract_id, count(*) AS n FROM slas WHERE contract_id = ANY($1::uuid[]) GROUP BY contract_id`,
      [ids],
    );
    return contracts.map((c) => ({
      id: c.id,
      vendorId: c.vendorId,
      vendorName: vendors.find((v) => v.id === c.vendorId)?.name ?? '',
      title: c.title,
      reference: c.reference,
      status: c.status,
      effectiveDate: c.effectiveDate,
      expiryDate: c.expiryDate,
      renewalNoticeDays: c.renewalNoticeDays,
      renewalNoticeDate: c.expiryDate ? DateTime.fromISO(c.expiryDate).minus({ days: c.renewalNoticeDays }).toISODate() : null,
      annualValue: c.annualValue,
      currency: c.currency,
      services: services
        .filter((s) => s.contract_id === c.id)
        .map((s) => ({ id: s.id, name: s.name, annualFee: s.annual_fee === null ? null : Number(s.annual_fee) })),
      clauses: c.clauses,
      slaCount: Number(slas.find((s) => s.contract_id === c.id)?.n ?? 0),
      version: c.version,
    }));
  }
}
