import { AsyncLocalStorage } from 'node:async_hooks';

import type { Role } from '@bulwark/api-schema';

import { Unauthenticated } from '../errors/domain.exception.js';

export interface Actor {
  userId: string | null;
  email: string;
  role: Role | 'system';
  organizationId: string;
  vendorId: string | null;
  sessionId: string | null;
}

interface Store {
  actor?: Actor;
  requestId?: string;
}

const als = new AsyncLocalStorage<Store>();

/**
 * The request-scoped tenant context. The auth guard fills it once per request; everything that
 * reads or writes tenant data takes the organization (and, for vendor contacts, the vendor) from here.
 */
export const RequestContext = {
  /** Runs `fn` with an empty context (HTTP middleware). */
  run<T>(fn: () => T, requestId?: string): T {
    return als.run({ requestId }, fn);
  },
  /** Runs `fn` as the given actor (jobs, seeders, CLI). */
  runAs<T>(actor: Actor, fn: () => T): T {
    return als.run({ actor }, fn);
  },
  setActor(actor: Actor): void {
    const store = als.getStore();
    if (!store) throw new Error('RequestContext.setActor outside a context');
    store.actor = actor;
  },
  actor(): Actor {
    const actor = als.getStore()?.actor;
    if (!actor) throw new Unauthenticated();
    return actor;
  },
  maybeActor(): Actor | undefined {
    return als.getStore()?.actor;
  },
  requestId(): string | undefined {
    return als.getStore()?.requestId;
  },
};

/** A system actor for an organization, used by jobs and seeding. */
export function systemActor(organizationId: string, email = 'system@bulwark'): Actor {
  return { userId: null, email, role: 'system', organizationId, vendorId: null, sessionId: null };
}

/** Which side of a vendor workflow an actor stands on (a finding's, an audit's): the vendor, the organization, or a job. */
export type ActorSide = 'vendor' | 'internal' | 'system';

export function sideOf(actor: Actor): ActorSide {
  return actor.role === 'system' ? 'system' : actor.role === 'vendor_contact' ? 'vendor' : 'internal';
}
