import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import { Forbidden, NotFound } from '../errors/domain.exception.js';
import { RequestContext, type Actor } from './request-context.js';

/**
 * How an entity is scoped. Every tenant entity has an `organizationId` column. `vendor` names the
 * column that binds a row to one vendor; vendor contacts see only rows of their vendor. `vendor: null`
 * means vendor contacts never see the entity at all.
 */
export interface ScopeRule {
  vendor: string | null;
}

/** Any entity class. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EntityClass<T = object> = new (...args: any[]) => T;

const rules = new Map<unknown, ScopeRule>();

/** Declares an entity as tenant data with its vendor rule. Undeclared entities cannot be scoped. */
export function TenantScoped(rule: ScopeRule): ClassDecorator {
  return (target) => {
    rules.set(target, rule);
  };
}

export function isTenantEntity(ctor: unknown): boolean {
  return rules.has(ctor);
}

export function scopeRuleOf(entity: EntityClass): ScopeRule {
  const rule = rules.get(entity);
  if (!rule) throw new Error(`${entity.name} is not declared @TenantScoped`);
  return rule;
}

/**
 * The one place where reads are confined to the caller's organization and, for vendor contacts, to
 * their vendor. Domain services build every tenant query through `scoped()`.
 */
export function scoped<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityClass<T>,
  alias: string,
  actor: Actor = RequestContext.actor(),
): SelectQueryBuilder<T> {
  const rule = scopeRuleOf(entity);
  const qb = manager.createQueryBuilder(entity, alias).where(`${alias}.organizationId = :__org`, { __org: actor.organizationId });
  if (actor.role === 'vendor_contact') {
    if (rule.vendor === null || !actor.vendorId) return qb.andWhere('1 = 0');
    qb.andWhere(`${alias}.${rule.vendor} = :__vendor`, { __vendor: actor.vendorId });
  }
  return qb;
}

/** Loads one row by id within the scope, or throws `<name>.not_found` (never revealing other tenants' rows). */
export async function findScoped<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityClass<T>,
  id: string,
  name: string,
  opts: { lock?: boolean } = {},
): Promise<T> {
  const qb = scoped(manager, entity, 'e').andWhere('e.id = :__id', { __id: id });
  if (opts.lock) qb.setLock('pessimistic_write');
  const row = await qb.getOne();
  if (!row) throw new NotFound(name, id);
  return row;
}

/** Vendor contacts may act only on their own vendor. */
export function assertVendorAccess(vendorId: string, actor: Actor = RequestContext.actor()): void {
  if (actor.role === 'vendor_contact' && actor.vendorId !== vendorId) throw new Forbidden();
}
