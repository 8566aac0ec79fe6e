import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { afterCommit, afterCommitBatched, dataSourceOptions } from '@bulwark/platform';

import { freshDatabase, type TestDatabase } from '../support/database';

/**
 * Work that must follow a commit (queueing the e-mail about a change) on the real database: run once after
 * COMMIT, never after ROLLBACK, dropped with a rolled-back savepoint; batched work gathers a transaction's
 * items into one run.
 */
let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await freshDatabase();
  ds = new DataSource(dataSourceOptions({ url: db.url, entities: [], migrations: [], poolSize: 2 }));
  await ds.initialize();
});
afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

class Abort extends Error {}
const rolledBack = (p: Promise<unknown>) =>
  p.catch((err: unknown) => {
    if (!(err instanceof Abort)) throw err;
  });

describe('after-commit work', () => {
  it('runs after the commit, not before, and never after a rollback', async () => {
    const ran: string[] = [];
    await ds.transaction(async (m) => {
      await afterCommit(m, async () => void ran.push('single'));
      await afterCommitBatched(m, 'k', 'a', async (items) => void ran.push(`batch ${items.join(',')}`));
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['single', 'batch a']);

    ran.length = 0;
    await rolledBack(
      ds.transaction(async (m) => {
        await afterCommit(m, async () => void ran.push('single'));
        await afterCommitBatched(m, 'k', 'a', async (items) => void ran.push(`batch ${items.join(',')}`));
        throw new Abort();
      }),
    );
    expect(ran).toEqual([]);
  });

  it("gathers a transaction's items under one key into one run; a rolled-back savepoint's items are dropped", async () => {
    const runs: string[][] = [];
    const add = (m: import('typeorm').EntityManager, item: string) =>
      afterCommitBatched(m, 'jobs', item, async (items) => void runs.push([...items]));
    await ds.transaction(async (m) => {
      await add(m, 'a');
      await add(m, 'b');
      // A savepoint that is rolled back takes its items with it…
      await rolledBack(
        m.transaction(async (inner) => {
          await add(inner, 'lost');
          throw new Abort();
        }),
      );
      // …one that is released hands them to the transaction.
      await m.transaction(async (inner) => add(inner, 'kept'));
      await add(m, 'c');
    });
    expect(runs.flat().sort()).toEqual(['a', 'b', 'c', 'kept']);
    expect(runs[0]).toEqual(['a', 'b', 'c']);

    // Outside a transaction there is nothing to wait for: the item runs alone, at once.
    runs.length = 0;
    await add(ds.manager, 'now');
    expect(runs).toEqual([['now']]);
  });
});
