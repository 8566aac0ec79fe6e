import { createServer, Socket, type Server } from 'node:net';
import { Queue, type ConnectionOptions } from 'bullmq';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BullMqQueue, ENQUEUE_TIMEOUT_MS, pollQueue, QUEUES, redisConnection, ServiceUnavailable } from '@bulwark/platform';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { freePort, PrivateRedis, REDIS_SERVER } from '../support/processes';
import { missingService } from '../support/services';
import { until } from '../support/wait';

/**
 * The API on a private Redis of its own (never the shared one): Redis stopped, then started again
 * EMPTY (no persistence: a fresh process on the same port), as after a crash of a Redis without
 * persistence or a failover to an empty replica. No worker runs: what is checked is what the API
 * answers, what it keeps in PostgreSQL, and the job schedulers it keeps in Redis.
 */
const PREFIX = 'rfaults';
/** Far above the enqueue timeout, far below "hung": a request that takes longer fails the test instead of hanging it. */
const BOUNDED_MS = 10_000;

let t: TestApp;
let redis: PrivateRedis;
let admin: string;
let sourceId: string;
let vendorId: string;
/** A source created while Redis was down, and the outbox job of a notification mail committed then. */
let createdDuringOutage: string;
let keptMailJobId: string;
let keptPollJobId: string;
/** The application's queues, read directly in the private Redis. */
let observer: ReturnType<typeof redisConnection>;
let defaultQueue: Queue;
let statuspageQueue: Queue;

/** The job schedulers the application must keep: the two periodic jobs and the poll of the enabled source. */
async function schedulersInRedis(): Promise<Record<string, boolean>> {
  const [recompute, reminders, poll] = await Promise.all([
    defaultQueue.getJobScheduler('contracts:recompute-all'),
    defaultQueue.getJobScheduler('reminders:sweep'),
    statuspageQueue.getJobScheduler(`source:${sourceId}`),
  ]);
  return { recompute: !!recompute, reminders: !!reminders, poll: !!poll };
}
const allThere = { recompute: true, reminders: true, poll: true };

/**
 * A TCP hop to Redis that can freeze: connections stay open but nothing goes through either way, as
 * with a Redis that hangs or a network that drops packets without resetting anything.
 */
async function freezableRelay(port: number): Promise<{ url: string; freeze(on: boolean): void; close(): Promise<void> }> {
  let frozen = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    upstream.connect(port, '127.0.0.1');
    client.on('data', (d) => !frozen && upstream.write(d));
    upstream.on('data', (d) => !frozen && client.write(d));
    for (const s of [client, upstream]) s.on('error', () => undefined).on('close', () => (client.destroy(), upstream.destroy()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `redis://127.0.0.1:${(server.address() as { port: number }).port}`,
    freeze: (on) => (frozen = on),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Settles `p` within `ms`, or says it did not (instead of hanging the test). */
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p.then(
      (value) => ({ settled: 'resolved' as const, value }),
      (error: unknown) => ({ settled: 'rejected' as const, error }),
    ),
    new Promise<{ settled: 'hung' }>((r) => setTimeout(() => r({ settled: 'hung' }), ms)),
  ]);

const available = !!REDIS_SERVER;
if (!available) missingService('redis-server binary not found: Redis fault tests skipped');

describe.skipIf(!available)('Redis faults', () => {
  beforeAll(async () => {
    redis = new PrivateRedis(await freePort(), { persistent: false });
    await redis.start();
    t = await bootApp({ REDIS_URL: redis.url, QUEUE_PREFIX: PREFIX });
    await seedOrgs(t, false);
    admin = await login(t, 'admin@demo.bulwark.test');
    vendorId = (await t.http.get('/api/vendors').query({ pageSize: 1 }).set(auth(admin))).body.items[0].id;
    const created = await t.http
      .post('/api/signal-sources')
      .set(auth(admin))
      .send({ vendorId, plugin: 'statuspage', config: { baseUrl: 'http://127.0.0.1:9' }, scheduleSeconds: 3600 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    sourceId = created.body.id;
    observer = redisConnection(redis.url);
    observer.on('error', () => undefined);
    const connection = observer as unknown as ConnectionOptions;
    defaultQueue = new Queue(QUEUES.default, { connection, prefix: PREFIX });
    statuspageQueue = new Queue(pollQueue('statuspage'), { connection, prefix: PREFIX });
    for (const q of [defaultQueue, statuspageQueue]) q.on('error', () => undefined);
  }, 120_000);

  afterAll(async () => {
    await defaultQueue?.close();
    await statuspageQueue?.close();
    observer?.disconnect();
    await t?.close();
    await redis?.destroy();
  }, 60_000);

  it('with Redis down, poll-now and an invitation answer 503 with Retry-After in bounded time, nothing of the invitation is kept, and health says Redis is unreachable', async () => {
    expect(await schedulersInRedis()).toEqual(allThere);
    await redis.stop();

    let t0 = Date.now();
    const poll = await t.http.post(`/api/signal-sources/${sourceId}/poll`).set(auth(admin)).timeout(BOUNDED_MS);
    expect(poll.status, JSON.stringify(poll.body)).toBe(503);
    expect(poll.headers['retry-after']).toBe('5');
    expect(poll.body.error).toMatchObject({ code: 'service.unavailable', errorId: expect.any(String) });
    expect(Date.now() - t0).toBeLessThan(BOUNDED_MS);

    t0 = Date.now();
    const email = 'invited-while-redis-is-down@demo.example';
    const invitation = await t.http
      .post('/api/users/invitations')
      .set(auth(admin))
      .send({ email, name: 'Not Invited', role: 'auditor' })
      .timeout(BOUNDED_MS);
    expect(invitation.status, JSON.stringify(invitation.body)).toBe(503);
    expect(invitation.headers['retry-after']).toBe('5');
    expect(invitation.body.error).toMatchObject({ code: 'service.unavailable' });
    expect(Date.now() - t0).toBeLessThan(BOUNDED_MS);
    // The request failed before its commit: no invitation whose mail was never queued, no audit entry of one.
    const db = t.app.get(DataSource);
    expect(await db.query(`SELECT id FROM invitations WHERE email = $1`, [email])).toEqual([]);
    expect(await db.query(`SELECT id FROM audit_log WHERE action = 'invitation.created' AND diff->>'email' = $1`, [email])).toEqual([]);

    const health = await t.http.get('/api/health').timeout(BOUNDED_MS);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({
      status: 'degraded',
      database: { ok: true },
      queue: { driver: 'bullmq', ok: false, reachable: false, schedulers: { ok: false, registered: null, missing: null } },
    });
    expect(health.body.queue.schedulers.expected).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('with Redis down, a committed change is answered as such and its follow-up job is kept in the outbox, not lost', async () => {
    const db = t.app.get(DataSource);
    // A role change tells the user in-app and by e-mail: the change and the notification are committed, the mail job is kept.
    const [user] = await db.query(`SELECT id FROM users WHERE email = 'procurement@demo.bulwark.test'`);
    let t0 = Date.now();
    const changed = await t.http.patch(`/api/users/${user.id}`).set(auth(admin)).send({ role: 'vendor_manager' }).timeout(BOUNDED_MS);
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(Date.now() - t0).toBeLessThan(BOUNDED_MS);
    const kept: { job_id: string }[] = await db.query(`SELECT job_id FROM job_outbox WHERE name = 'mail.send' AND data->>'subject' = $1`, [
      'Your Bulwark role changed',
    ]);
    expect(kept).toHaveLength(1);
    keptMailJobId = kept[0]!.job_id;

    // A new source is created; its poll scheduler follows once Redis is back (it is declared by the source itself).
    t0 = Date.now();
    const created = await t.http
      .post('/api/signal-sources')
      .set(auth(admin))
      .send({
        vendorId,
        plugin: 'statuspage',
        name: 'Created while Redis is down',
        config: { baseUrl: 'http://127.0.0.1:9' },
        scheduleSeconds: 600,
      })
      .timeout(BOUNDED_MS);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(Date.now() - t0).toBeLessThan(BOUNDED_MS);
    createdDuringOutage = created.body.id;

    // A source's feed is changed: it is polled at once when the queue can take it, else as soon as it is back.
    const edited = await t.http
      .patch(`/api/signal-sources/${sourceId}`)
      .set(auth(admin))
      .send({ config: { baseUrl: 'http://127.0.0.1:10' } })
      .timeout(BOUNDED_MS);
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    keptPollJobId = await until('the poll to be kept in the outbox', async () => {
      const [row] = await db.query(`SELECT id FROM job_outbox WHERE name = 'signals.poll' AND data->>'sourceId' = $1`, [sourceId]);
      return row ? `outbox-${row.id as string}` : undefined;
    });

    const health = await t.http.get('/api/health').timeout(BOUNDED_MS);
    expect(health.status).toBe(503);
    expect(health.body.queue.outbox).toMatchObject({ pending: expect.any(Number), oldestSeconds: expect.any(Number) });
    expect(health.body.queue.outbox.pending).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('Redis back empty: the job schedulers come back without a restart, health reports them, and enqueueing works again', async () => {
    // A new process without persistence: an empty Redis on the same port.
    await redis.start();

    await until('the job schedulers to be restored in the empty Redis', async () => {
      const s = await schedulersInRedis();
      return s.recompute && s.reminders && s.poll ? s : undefined;
    });
    await until('the source created during the outage to be scheduled', async () =>
      (await statuspageQueue.getJobScheduler(`source:${createdDuringOutage}`))?.every === 600_000 ? true : undefined,
    );
    // The mail job kept in the outbox is queued, under its own job id, and leaves the outbox.
    await until('the kept mail job to be queued', async () => ((await defaultQueue.getJob(keptMailJobId)) ? true : undefined));
    await until('the kept poll to be queued', async () => ((await statuspageQueue.getJob(keptPollJobId)) ? true : undefined));
    await until('the outbox to be empty', async () =>
      (await t.app.get(DataSource).query(`SELECT 1 FROM job_outbox`)).length === 0 ? true : undefined,
    );
    const health = await until('health to report every scheduler', async () => {
      const res = await t.http.get('/api/health');
      return res.status === 200 && res.body.queue.schedulers?.missing === 0 ? res.body : undefined;
    });
    expect(health).toMatchObject({
      status: 'ok',
      queue: {
        ok: true,
        reachable: true,
        schedulers: { ok: true, missing: 0, reconciledAt: expect.any(String) },
        outbox: { ok: true, pending: 0, oldestSeconds: null },
      },
    });
    expect(health.queue.schedulers.registered).toBe(health.queue.schedulers.expected);
    expect(health.queue.schedulers.expected).toBeGreaterThanOrEqual(4);

    // A scheduler lost while Redis stays up (a FLUSHALL, an operator's mistake) is reported, then restored.
    const removedAt = Date.now();
    await defaultQueue.removeJobScheduler('reminders:sweep');
    const report = (await t.http.get('/api/health')).body.queue.schedulers;
    // Either this answer saw it missing, or a reconciliation that started after the removal already put it back.
    if (report.missing === 0) expect(Date.parse(report.reconciledAt)).toBeGreaterThanOrEqual(removedAt);
    else expect(report).toMatchObject({ ok: false, missing: 1, registered: report.expected - 1 });
    await until('the removed scheduler to be restored', async () => ((await schedulersInRedis()).reminders ? true : undefined));

    const poll = await t.http.post(`/api/signal-sources/${sourceId}/poll`).set(auth(admin));
    expect(poll.status, JSON.stringify(poll.body)).toBe(202);
    const invitation = await t.http
      .post('/api/users/invitations')
      .set(auth(admin))
      .send({ email: 'invited-after-recovery@demo.example', name: 'Invited', role: 'auditor' });
    expect(invitation.status, JSON.stringify(invitation.body)).toBe(201);
  }, 60_000);

  it('a Redis that hangs (connected, never answering) fails an enqueue within the timeout; the queue recovers when it answers again', async () => {
    const relay = await freezableRelay(redis.port);
    const ping = { at: new Date().toISOString() };
    // Frozen before the first connection is ready: the enqueue waits for it within the timeout only.
    relay.freeze(true);
    const cold = new BullMqQueue(relay.url, 'frozen');
    try {
      let t0 = Date.now();
      const first = await within(cold.add('system.ping', ping), BOUNDED_MS);
      expect(first.settled).toBe('rejected');
      expect((first as { error: unknown }).error).toBeInstanceOf(ServiceUnavailable);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(ENQUEUE_TIMEOUT_MS - 50);
      expect(Date.now() - t0).toBeLessThan(BOUNDED_MS);

      // Working, then frozen: the enqueue gives up after the timeout, and health says so.
      relay.freeze(false);
      await until('the queue to work through the relay', async () =>
        (await within(cold.add('system.ping', ping), 3000)).settled === 'resolved' ? true : undefined,
      );
      relay.freeze(true);
      t0 = Date.now();
      const stuck = await within(cold.add('system.ping', ping), BOUNDED_MS);
      expect(stuck.settled).toBe('rejected');
      expect((stuck as { error: unknown }).error).toBeInstanceOf(ServiceUnavailable);
      expect(Date.now() - t0).toBeLessThan(BOUNDED_MS);
      const health = await within(cold.health(), BOUNDED_MS);
      expect(health).toMatchObject({ settled: 'resolved', value: { ok: false, reachable: false } });

      // The stuck connection was dropped for a new one, so the queue works again once Redis answers.
      relay.freeze(false);
      await until('the queue to recover', async () =>
        (await within(cold.add('system.ping', ping), 3000)).settled === 'resolved' ? true : undefined,
      );
      expect(await cold.health()).toMatchObject({ ok: true, reachable: true });
    } finally {
      relay.freeze(false);
      await cold.close();
      await relay.close();
    }
  }, 60_000);
});
