import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { InProcessQueue, JobRegistry, Notifier, QUEUE, type MailJob } from '@bulwark/platform';

import { bootApp, seedOrgs, type TestApp } from '../support/app';
import { readOutbox } from '../support/outbox';

let t: TestApp;
let ds: DataSource;
let user: { id: string; organization_id: string; email: string };

const outbox = (key: string) => readOutbox(join(t.dataDir, 'outbox')).filter((m) => m.idempotencyKey.startsWith(key));
const drain = () => t.app.get<InProcessQueue>(QUEUE).drain(20_000);
const send = (mail: MailJob, jobId: string) => t.app.get(JobRegistry).get('mail.send')!(mail, { attempt: 1, jobId });

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  await drain();
  [user] = await ds.query(`SELECT id, organization_id, email FROM users WHERE email = 'procurement@demo.bulwark.test'`);
});
afterAll(async () => t?.close());

describe('e-mail is sent once per idempotency key', () => {
  const mail = (key: string): MailJob => ({ to: user.email, subject: `Hello ${key}`, text: 'Body', idempotencyKey: key });

  it('a retried send job, or a second job with the same key, delivers once', async () => {
    // The first attempt sent the mail; the job is retried (e.g. it failed before it was marked complete).
    await send(mail('retried'), 'job-1');
    await send(mail('retried'), 'job-1');
    // The same mail enqueued again under another job id.
    await send(mail('retried'), 'job-2');
    expect(outbox('retried')).toHaveLength(1);
    expect(await ds.query(`SELECT status, attempts FROM mail_deliveries WHERE idempotency_key = 'retried'`)).toEqual([
      { status: 'sent', attempts: 1 },
    ]);
  });

  it('two jobs sending the same key at once deliver once; the one that lost the claim sends nothing when retried', async () => {
    const results = await Promise.allSettled([send(mail('racing'), 'job-a'), send(mail('racing'), 'job-b')]);
    expect(outbox('racing')).toHaveLength(1);
    const lost = results.findIndex((r) => r.status === 'rejected');
    if (lost >= 0) await send(mail('racing'), lost === 0 ? 'job-a' : 'job-b');
    expect(outbox('racing')).toHaveLength(1);
  });
});

describe('mail about a change is queued only after its transaction commits', () => {
  const notify = (key: string, m: DataSource['manager']) =>
    t.app
      .get(Notifier)
      .notify(user.organization_id, { userIds: [user.id] }, { title: `Notice ${key}`, body: 'Something changed.', key }, m);

  it('a rolled-back transaction sends nothing', async () => {
    await expect(
      ds.transaction(async (m) => {
        await notify('rolled-back', m);
        throw new Error('the change failed after the notice');
      }),
    ).rejects.toThrow(/the change failed/);
    await drain();
    expect(outbox('rolled-back')).toEqual([]);
    expect(await ds.query(`SELECT 1 FROM notifications WHERE dedupe_key = 'rolled-back'`)).toEqual([]);
  });

  it('a savepoint that is rolled back drops its mail; the enclosing transaction’s mail goes after the commit', async () => {
    await ds.transaction(async (m) => {
      await notify('committed', m);
      await m.queryRunner!.startTransaction();
      await notify('savepoint', m);
      await m.queryRunner!.rollbackTransaction();
      // Nothing is queued before the commit.
      await drain();
      expect(outbox('committed')).toEqual([]);
    });
    await drain();
    expect(outbox('committed').map((m) => m.subject)).toEqual(['Notice committed']);
    expect(outbox('savepoint')).toEqual([]);
  });
});
