import { Logger } from '@nestjs/common';
import {
  EventSubscriber,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';

const KEY = 'bulwark:after-commit';
interface Pending {
  /** The transaction depth it was registered at (1: the transaction, > 1: inside a savepoint). */
  depth: number;
  run: () => Promise<void>;
  /** Work of `afterCommitBatched`: the items gathered at this depth under this key, run together. */
  batch?: { key: string; items: unknown[] };
}

const depthOf = (qr: QueryRunner) => (qr as unknown as { transactionDepth: number }).transactionDepth;
const pendingOf = (qr: QueryRunner): Pending[] => ((qr.data as Record<string, Pending[] | undefined>)[KEY] ??= []);

/**
 * Runs `run` once the transaction `m` belongs to has committed, and never if it rolls back (work
 * registered inside a savepoint that is rolled back is dropped with it). Outside a transaction it runs
 * at once: what `m` wrote is already committed. For side effects that must not outlive a rolled-back
 * change, such as queueing the e-mail that tells about it.
 */
export async function afterCommit(m: EntityManager, run: () => Promise<void>): Promise<void> {
  const qr = m.queryRunner;
  if (!qr || !qr.isTransactionActive) return run();
  pendingOf(qr).push({ depth: depthOf(qr), run });
}

/**
 * Like `afterCommit`, for work that is cheaper done once for many items (queueing a transaction's e-mail
 * jobs, then clearing their outbox rows in one statement): the items registered under `key` at the same
 * transaction depth are handed to one `run` after the commit. Items of a savepoint that is rolled back are
 * dropped with it. Outside a transaction `run` gets the one item at once.
 */
export async function afterCommitBatched<T>(m: EntityManager, key: string, item: T, run: (items: T[]) => Promise<void>): Promise<void> {
  const qr = m.queryRunner;
  if (!qr || !qr.isTransactionActive) return run([item]);
  const depth = depthOf(qr);
  const pending = pendingOf(qr);
  const open = pending.find((p) => p.batch?.key === key && p.depth === depth);
  if (open) {
    open.batch!.items.push(item);
    return;
  }
  const items: T[] = [item];
  pending.push({ depth, run: () => run(items), batch: { key, items } });
}

/** Runs the `afterCommit` work of a transaction after its COMMIT; drops it on ROLLBACK. */
@EventSubscriber()
export class AfterCommitSubscriber implements EntitySubscriberInterface {
  private readonly logger = new Logger('AfterCommit');

  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const qr = event.queryRunner;
    const pending = pendingOf(qr);
    if (!pending.length) return;
    if (qr.isTransactionActive) {
      // A savepoint was released: its work now belongs to the enclosing transaction.
      const depth = depthOf(qr);
      for (const p of pending) p.depth = Math.min(p.depth, depth);
      return;
    }
    const work = pending.splice(0);
    for (const p of work) {
      try {
        await p.run();
      } catch (err) {
        // The transaction has committed: its caller must not see it as failed.
        this.logger.error(`after-commit work failed: ${(err as Error).message}`);
      }
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    const qr = event.queryRunner;
    const pending = pendingOf(qr);
    const depth = qr.isTransactionActive ? depthOf(qr) : 0;
    const kept = pending.filter((p) => p.depth <= depth);
    pending.splice(0, pending.length, ...kept);
  }
}
