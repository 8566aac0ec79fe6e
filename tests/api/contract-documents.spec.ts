import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Reminders } from '@bulwark/platform';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

let t: TestApp;
let ds: DataSource;
let procurement: string;
let contractId: string;
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200_000, 7), Buffer.from('\n%%EOF')]);
const sha = createHash('sha256').update(pdf).digest('hex');

beforeAll(async () => {
  t = await bootApp({ FILE_MAX_MB: '1' });
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  procurement = await login(t, 'procurement@demo.bulwark.test');
  const [v] = await ds.query(`SELECT id FROM vendors WHERE name = 'Bloomberg'`);
  const today = new Date();
  const expiry = new Date(today.getTime() + 100 * 86400_000).toISOString().slice(0, 10);
  const c = await t.http.post('/api/contracts').set(auth(procurement)).send({
    vendorId: v.id,
    title: 'Bloomberg Data License',
    status: 'active',
    effectiveDate: '2024-01-01',
    expiryDate: expiry,
    renewalNoticeDays: 90,
  });
  contractId = c.body.id;
});
afterAll(async () => t?.close());

describe('contract documents', () => {
  it('streams the upload into storage with its SHA-256 and audits it', async () => {
    const res = await t.http
      .post(`/api/contracts/${contractId}/documents?name=Bloomberg MSA 2024.pdf`)
      .set(auth(procurement))
      .set('content-type', 'application/pdf')
      .send(pdf);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      fileName: 'Bloomberg MSA 2024.pdf',
      contentType: 'application/pdf',
      sizeBytes: pdf.length,
      sha256: sha,
    });
    const [entry] = await ds.query(`SELECT diff FROM audit_log WHERE action = 'contract.document_uploaded'`);
    expect(entry.diff.sha256).toBe(sha);
  });

  it('serves it as an attachment after verifying the hash; a vendor contact of another vendor cannot', async () => {
    const [doc] = (await t.http.get(`/api/contracts/${contractId}/documents`).set(auth(procurement))).body;
    const res = await t.http
      .get(`/api/contracts/${contractId}/documents/${doc.id}`)
      .set(auth(procurement))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''Bloomberg%20MSA%202024.pdf`);
    expect(
      createHash('sha256')
        .update(res.body as Buffer)
        .digest('hex'),
    ).toBe(sha);
    const bloomberg = await login(t, 'contact@bloomberg.demo.bulwark.test');
    expect((await t.http.get(`/api/contracts/${contractId}/documents`).set(auth(bloomberg))).status).toBe(200);
    const openai = await login(t, 'contact@openai.demo.bulwark.test');
    expect((await t.http.get(`/api/contracts/${contractId}/documents/${doc.id}`).set(auth(openai))).status).toBe(404);
  });

  it('refuses to serve a file that no longer matches its hash', async () => {
    const [doc] = (await t.http.get(`/api/contracts/${contractId}/documents`).set(auth(procurement))).body;
    const dir = join(t.dataDir, 'files', sha.slice(0, 2), sha.slice(2, 4));
    expect(readdirSync(dir)).toEqual([sha]);
    writeFileSync(join(dir, sha), 'tampered');
    const res = await t.http.get(`/api/contracts/${contractId}/documents/${doc.id}`).set(auth(procurement));
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'file.integrity', errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('refuses a file over the limit, an empty one, or a missing name, keeping nothing', async () => {
    const before = (await ds.query(`SELECT count(*)::int AS n FROM contract_documents`))[0].n;
    const big = await t.http
      .post(`/api/contracts/${contractId}/documents?name=big.bin`)
      .set(auth(procurement))
      .set('content-type', 'application/octet-stream')
      .send(Buffer.alloc(1024 * 1024 + 10));
    expect(big.status).toBe(413);
    expect(
      (
        await t.http
          .post(`/api/contracts/${contractId}/documents?name=empty.txt`)
          .set(auth(procurement))
          .set('content-type', 'text/plain')
          .send('')
      ).status,
    ).toBe(400);
    const noName = await t.http
      .post(`/api/contracts/${contractId}/documents`)
      .set(auth(procurement))
      .set('content-type', 'application/pdf')
      .send(pdf);
    expect(noName.status).toBe(422);
    expect((await ds.query(`SELECT count(*)::int AS n FROM contract_documents`))[0].n).toBe(before);
    expect(readdirSync(join(t.dataDir, 'files', 'tmp'))).toEqual([]);
  });
});

describe('renewal reminders and in-app notifications', () => {
  it('reminds procurement once when the renewal-notice date is within 30 days', async () => {
    const reminders = t.app.get(Reminders);
    await reminders.sweep();
    await reminders.sweep();
    const ledger = await ds.query(`SELECT rule, outcome FROM reminder_ledger WHERE subject_id = $1`, [contractId]);
    expect(ledger).toEqual([{ rule: 'due-30d', outcome: 'sent' }]);
    const list = await t.http.get('/api/notifications').set(auth(procurement));
    const reminder = list.body.items.find((n: { title: string }) => n.title.startsWith('Renewal notice due'));
    expect(reminder).toMatchObject({ link: `/contracts/${contractId}`, readAt: null });
    expect(list.body.unread).toBeGreaterThanOrEqual(1);
    expect((await t.http.post(`/api/notifications/${reminder.id}/read`).set(auth(procurement))).status).toBe(204);
    const manager = await login(t, 'manager@demo.bulwark.test');
    expect((await t.http.post(`/api/notifications/${reminder.id}/read`).set(auth(manager))).status).toBe(404);
    expect((await t.http.post('/api/notifications/read-all').set(auth(procurement))).status).toBe(204);
    expect((await t.http.get('/api/notifications').set(auth(procurement))).body.unread).toBe(0);
  });
});
