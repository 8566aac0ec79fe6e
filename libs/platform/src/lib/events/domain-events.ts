import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { afterCommit } from '../database/after-commit.js';

/**
 * Every domain event with its payload. Empty here: the library that owns an event declares it by
 * augmenting this interface, so the platform knows no domain and a subscriber gets a typed payload:
 *
 * ```ts
 * declare module '@bulwark/platform' {
 *   interface DomainEventMap {
 *     'signals.vendor-health-changed': { organizationId: string; vendorId: string };
 *   }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type
export interface DomainEventMap {}
export type DomainEventName = keyof DomainEventMap;
export type DomainEventHandler<N extends DomainEventName> = (payload: DomainEventMap[N]) => Promise<void> | void;

/**
 * The one seam for cross-domain reactions, in process: a library emits what happened in its area and
 * others subscribe (`on`) in their module's `onModuleInit`, so neither knows the other's jobs or
 * tables. Given a transaction, the event is delivered only after it commits (never for a rolled-back
 * change); a handler that must survive a crash enqueues a job, it does not do the work itself.
 */
@Injectable()
export class DomainEvents {
  private readonly logger = new Logger('DomainEvents');
  private readonly handlers = new Map<DomainEventName, DomainEventHandler<never>[]>();

  on<N extends DomainEventName>(name: N, handler: DomainEventHandler<N>): void {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler as DomainEventHandler<never>]);
  }

  /**
   * Delivers the event to every subscriber. With `m` in an open transaction, after it commits: a
   * subscriber's failure is then logged and never fails the committed change. Without one, at once:
   * every subscriber runs, and the first failure is thrown afterwards (the caller may retry).
   */
  async emit<N extends DomainEventName>(name: N, payload: DomainEventMap[N], m?: EntityManager): Promise<void> {
    if (m?.queryRunner?.isTransactionActive) {
      await afterCommit(m, () => this.deliver(name, payload));
      return;
    }
    await this.deliver(name, payload);
  }

  /** The subscribers of an event (for tests and the start-up log). */
  count(name: DomainEventName): number {
    return this.handlers.get(name)?.length ?? 0;
  }

  private async deliver<N extends DomainEventName>(name: N, payload: DomainEventMap[N]): Promise<void> {
    const errors: unknown[] = [];
    for (const handler of this.handlers.get(name) ?? []) {
      try {
        await (handler as DomainEventHandler<N>)(payload);
      } catch (err) {
        this.logger.error(`a subscriber of ${String(name)} failed: ${(err as Error).message}`);
        errors.push(err);
      }
    }
    if (errors.length) throw errors[0];
  }
}
