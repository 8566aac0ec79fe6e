import { afterEach, describe, expect, it } from 'vitest';

import { ServiceUnavailable } from '../errors/domain.exception.js';
import { InProcessQueue } from './inprocess.driver.js';
import { JobSchedules, type DesiredSchedule } from './job-schedules.js';
import type { JobMap, JobName } from './jobs.js';
import { ManagedQueue } from './managed-queue.js';
import { JobRegistry } from './queue.port.js';

/** The in-process driver, able to play a queue that cannot be reached. */
class FlakyQueue extends InProcessQueue {
  down = false;
  override async schedule<N extends JobName>(key: string, everyMs: number, name: N, data: JobMap[N]): Promise<void> {
    if (this.down) throw new ServiceUnavailable('down');
    return super.schedule(key, everyMs, name, data);
  }
}

const poll = (id: string, everyMs: number): DesiredSchedule => ({
  key: `source:${id}`,
  everyMs,
  name: 'signals.poll',
  data: { sourceId: id, organizationId: 'o', plugin: 'statuspage' },
});

let managed: ManagedQueue | null = null;
afterEach(async () => {
  await managed?.close();
  managed = null;
});

function setUp(declared: { sources: DesiredSchedule[] }) {
  const driver = new FlakyQueue(new JobRegistry());
  const schedules = new JobSchedules();
  schedules.declare('source:', () => declared.sources);
  schedules.declare('contracts:recompute-all', () => [
    { key: 'contracts:recompute-all', everyMs: 3600_000, name: 'contracts.recompute-all', data: {} },
  ]);
  managed = new ManagedQueue(driver, schedules);
  const held = async () => Object.fromEntries((await driver.listSchedules()).map((s) => [s.key, s.everyMs]));
  return { driver, schedules, managed, held };
}

describe('ManagedQueue reconciliation', () => {
  it('adds what is declared and missing, updates a changed interval, removes what it owns and no longer declares, keeps what nobody declared', async () => {
    const declared = { sources: [poll('a', 60_000), poll('b', 60_000)] };
    const { driver, managed, held } = setUp(declared);
    await driver.schedule('source:b', 120_000, 'signals.poll', poll('b', 0).data as JobMap['signals.poll']);
    await driver.schedule('source:gone', 60_000, 'signals.poll', poll('gone', 0).data as JobMap['signals.poll']);
    await driver.schedule('other:kept', 60_000, 'system.ping', { at: 'x' });

    await managed.reconcile();
    expect(await held()).toEqual({
      'source:a': 60_000,
      'source:b': 60_000,
      'contracts:recompute-all': 3600_000,
      'other:kept': 60_000,
    });
    const health = await managed.health();
    expect(health.schedulers).toMatchObject({ ok: true, expected: 3, registered: 3, missing: 0, reconciledAt: expect.any(String) });
  });

  it('a declared scheduler the queue cannot take now is left to the next reconciliation; another key still fails', async () => {
    const declared = { sources: [poll('a', 60_000)] };
    const { driver, managed, held } = setUp(declared);
    driver.down = true;
    await expect(
      managed.schedule('source:a', 60_000, 'signals.poll', poll('a', 0).data as JobMap['signals.poll']),
    ).resolves.toBeUndefined();
    await expect(managed.schedule('undeclared', 60_000, 'system.ping', { at: 'x' })).rejects.toBeInstanceOf(ServiceUnavailable);
    expect((await managed.health()).schedulers).toMatchObject({ ok: false, expected: 2, registered: 0, missing: 2 });

    driver.down = false;
    await managed.reconcile();
    expect(await held()).toEqual({ 'source:a': 60_000, 'contracts:recompute-all': 3600_000 });
  });

  it('refuses overlapping declarations and a scheduler declared outside its prefix', async () => {
    const schedules = new JobSchedules();
    schedules.declare('source:', () => [{ ...poll('a', 60_000), key: 'elsewhere:a' }]);
    expect(() => schedules.declare('source:x', () => [])).toThrow(/overlaps/);
    await expect(schedules.desired()).rejects.toThrow(/outside its prefix/);
  });
});
