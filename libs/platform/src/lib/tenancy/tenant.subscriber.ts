import { EventSubscriber, type EntitySubscriberInterface, type InsertEvent, type UpdateEvent } from 'typeorm';

import { RequestContext } from './request-context.js';
import { isTenantEntity } from './tenant-scope.js';

/**
 * Stamps `organizationId` on every insert from the request context, and refuses a write whose
 * organization differs from the caller's. Together with `scoped()` this is the tenancy boundary.
 */
@EventSubscriber()
export class TenantSubscriber implements EntitySubscriberInterface {
  beforeInsert(event: InsertEvent<Record<string, unknown>>): void {
    this.check(event.entity, true);
  }

  beforeUpdate(event: UpdateEvent<Record<string, unknown>>): void {
    if (event.entity) this.check(event.entity as Record<string, unknown>, false);
  }

  private check(entity: Record<string, unknown> | undefined, stamp: boolean): void {
    if (!entity || !isTenantEntity(entity.constructor)) return;
    const actor = RequestContext.maybeActor();
    if (!actor) {
      if (!entity['organizationId']) throw new Error('Tenant write without an organization context');
      return;
    }
    if (stamp && !entity['organizationId']) entity['organizationId'] = actor.organizationId;
    if (entity['organizationId'] !== actor.organizationId) throw new Error('Cross-organization write refused');
  }
}
