import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { S3Storage, type S3StorageOptions } from '@bulwark/platform';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

// s3rver: an S3-compatible server in JS, in this process, on a free port with its files in a temp directory.
const BUCKET = 'bulwark-test';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }; // s3rver's built-in account
let server: S3rver;
let serverDir: string;
let endpoint: string;
let s3: S3Client;
const storages: S3Storage[] = [];
const spoolDirs: string[] = [];

beforeAll(async () => {
  serverDir = mkdtempSync(join(tmpdir(), 'bulwark-s3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, directory: serverDir, silent: true });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  await Promise.all(storages.map((s) => s.close()));
  s3?.destroy();
  await server?.close();
  for (const dir of [serverDir, ...spoolDirs]) if (dir) rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** An S3Storage under its own key prefix and with its own temp directory, so each test sees only its objects. */
function fresh(overrides: Partial<S3StorageOptions> = {}) {
  const tmpDir = mkdtempSync(join(tmpdir(), 'bulwark-s3-spool-'));
  spoolDirs.push(tmpDir);
  const prefix = `t${++n}/`;
  const storage = new S3Storage({
    bucket: BUCKET,
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: CREDENTIALS,
    prefix,
    tmpDir,
    ...overrides,
  });
  storages.push(storage);
  return { storage, prefix, tmpDir };
}

async function keys(prefix: string): Promise<string[]> {
  const res = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (res.Contents ?? []).map((o) => o.Key!).sort();
}

/** The content-addressed objects under a prefix, without the named records (`<prefix>records/…`). */
async function contentKeys(prefix: string): Promise<string[]> {
  return (await keys(prefix)).filter((k) => !k.startsWith(`${prefix}records/`));
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** A body that arrives in several chunks, as an upload does. */
const chunked = (b: Buffer) =>
  Readable.from([
    b.subarray(0, Math.floor(b.length / 3)),
    b.subarray(Math.floor(b.length / 3), Math.floor((2 * b.length) / 3)),
    b.subarray(Math.floor((2 * b.length) / 3)),
  ]);

describe('S3Storage against s3rver', () => {
  it('puts a body under <prefix>aa/bb/<sha256> with its hash and size, leaving no temp file', async () => {
    const { storage, prefix, tmpDir } = fresh();
    const body = randomBytes(300_000);
    const stored = await storage.put(chunked(body), 1024 * 1024);
    expect(stored).toEqual({ sha256: sha256(body), sizeBytes: body.length });
    const key = `${prefix}${stored.sha256.slice(0, 2)}/${stored.sha256.slice(2, 4)}/${stored.sha256}`;
    expect(storage.key(stored.sha256)).toBe(key);
    expect(await keys(prefix)).toEqual([key]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ContentLength).toBe(body.length);
    const back = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(sha256(await bytesOf(back.Body as Readable))).toBe(stored.sha256);
    expect(readdirSync(tmpDir)).toEqual([]);
  });

  it('writes, replaces and reads named records under <prefix>records/, and reads a missing one as null', async () => {
    const { storage, prefix } = fresh();
    expect(await storage.readRecord('audit-anchors/a.json')).toBeNull();
    await storage.writeRecord('audit-anchors/a.json', Buffer.from('{"seq":1}'));
    await storage.writeRecord('audit-anchors/a.json', Buffer.from('{"seq":2}'));
    expect((await storage.readRecord('audit-anchors/a.json'))!.toString()).toBe('{"seq":2}');
    expect(await keys(prefix)).toEqual([`${prefix}records/audit-anchors/a.json`]);
    for (const bad of ['../escape', '/abs', 'Upper/case', 'a//b', ''])
      await expect(storage.writeRecord(bad, Buffer.from('x'))).rejects.toThrow(/not a record name/);
  });

  it('keeps one object for the same content put twice', async () => {
    const { storage, prefix, tmpDir } = fresh();
    const body = Buffer.from('the same bytes, twice');
    const a = await storage.put(Readable.from([body]), 1024);
    const b = await storage.put(Readable.from([body]), 1024);
    expect(b).toEqual(a);
    expect(await keys(prefix)).toEqual([storage.key(a.sha256)]);
    expect(readdirSync(tmpDir)).toEqual([]);
  });

  it('refuses a body over the limit with file.too_large, keeping nothing in the bucket or the temp directory', async () => {
    const { storage, prefix, tmpDir } = fresh();
    await expect(storage.put(chunked(randomBytes(4096)), 4095)).rejects.toMatchObject({ code: 'file.too_large', status: 413 });
    expect(await keys(prefix)).toEqual([]);
    expect(readdirSync(tmpDir)).toEqual([]);
    // Exactly at the limit is fine.
    await expect(storage.put(chunked(randomBytes(4095)), 4095)).resolves.toMatchObject({ sizeBytes: 4095 });
  });

  it('refuses an empty body with file.empty', async () => {
    const { storage, prefix, tmpDir } = fresh();
    await expect(storage.put(Readable.from([]), 1024)).rejects.toMatchObject({ code: 'file.empty', status: 400 });
    expect(await keys(prefix)).toEqual([]);
    expect(readdirSync(tmpDir)).toEqual([]);
  });

  it('verifies an object by its hash and notices when it was altered', async () => {
    const { storage } = fresh();
    const stored = await storage.put(Readable.from([Buffer.from('signed contract v1')]), 1024);
    expect(await storage.verify(stored.sha256)).toBe(true);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: storage.key(stored.sha256), Body: 'tampered' }));
    expect(await storage.verify(stored.sha256)).toBe(false);
  });

  it('reads back the exact bytes as a Node stream', async () => {
    const { storage } = fresh();
    const body = randomBytes(2 * 1024 * 1024 + 17);
    const stored = await storage.put(chunked(body), 3 * 1024 * 1024);
    const stream = await storage.read(stored.sha256);
    expect(stream).toBeInstanceOf(Readable);
    expect((await bytesOf(stream)).equals(body)).toBe(true);
  });

  it('treats a missing object as unverifiable and refuses to read it', async () => {
    const { storage } = fresh();
    const missing = sha256(Buffer.from('never stored'));
    expect(await storage.verify(missing)).toBe(false);
    expect(await storage.verify('not-a-hash')).toBe(false);
    await expect(storage.read(missing)).rejects.toThrow(/no object/);
  });

  it('reports its health without throwing: ok for the bucket, not ok for a missing one', async () => {
    expect(await fresh().storage.health()).toEqual({ driver: 's3', ok: true });
    const { storage } = fresh({ bucket: 'no-such-bucket' });
    expect(await storage.health()).toEqual({ driver: 's3', ok: false, detail: 'NotFound' });
    // A missing bucket is a server error, not a missing (or altered) object.
    await expect(storage.verify(sha256(Buffer.from('anything')))).rejects.toThrow(/^S3 GetObject failed: NoSuchBucket \(HTTP 404\)/);
  });

  it('never lets credentials into errors or into what the driver prints', async () => {
    // s3rver checks only that the access key exists (not V4 signatures): an unknown key gets a 403 whose
    // S3 error body echoes the key id, which must not travel any further than the SDK.
    const accessKeyId = 'AKIAUNKNOWNKEY000001';
    const secret = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';
    const { storage, prefix, tmpDir } = fresh({ credentials: { accessKeyId, secretAccessKey: secret } });
    for (const printed of [inspect(storage, { depth: 10, showHidden: true }), JSON.stringify(storage)]) {
      expect(printed).not.toContain(secret);
      expect(printed).not.toContain(accessKeyId);
    }
    const err = await storage.put(Readable.from([Buffer.from('x')]), 1024).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toMatch(/^S3 PutObject failed: InvalidAccessKeyId \(HTTP 403\)/);
    const printed = inspect(err, { depth: 10, showHidden: true });
    expect(printed).not.toContain(secret);
    expect(printed).not.toContain(accessKeyId);
    expect(await keys(prefix)).toEqual([]);
    expect(readdirSync(tmpDir)).toEqual([]);
    await expect(storage.verify(sha256(Buffer.from('x')))).rejects.toThrow(/^S3 GetObject failed: InvalidAccessKeyId/);
    expect(await storage.health()).toEqual({ driver: 's3', ok: false, detail: 'HTTP 403' });
  });
});

describe('contract documents on the s3 driver (the real API)', () => {
  let t: TestApp;
  let procurement: string;
  let contractId: string;
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(150_000), Buffer.from('\n%%EOF')]);
  const sha = sha256(pdf);
  const key = `api/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`;
  /** What the demo stored in the bucket (its evidence files) before these tests upload anything. */
  let seeded: string[] = [];

  beforeAll(async () => {
    t = await bootApp({
      FILE_MAX_MB: '1',
      STORAGE_DRIVER: 's3',
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      S3_PREFIX: 'api',
    });
    await seedOrgs(t, false);
    seeded = await contentKeys('api/');
    procurement = await login(t, 'procurement@demo.bulwark.test');
    const [v] = await t.app.get(DataSource).query(`SELECT id FROM vendors WHERE name = 'Bloomberg'`);
    const c = await t.http.post('/api/contracts').set(auth(procurement)).send({
      vendorId: v.id,
      title: 'Bloomberg Data License',
      status: 'active',
      effectiveDate: '2024-01-01',
      expiryDate: '2030-01-01',
      renewalNoticeDays: 90,
    });
    expect(c.status).toBe(201);
    contractId = c.body.id;
  });
  afterAll(async () => t?.close());

  const download = (id: string) =>
    t.http
      .get(`/api/contracts/${contractId}/documents/${id}`)
      .set(auth(procurement))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });

  it('uploads into the bucket and downloads the same bytes over HTTP', async () => {
    expect(t.config.storage.driver).toBe('s3');
    const up = await t.http
      .post(`/api/contracts/${contractId}/documents?name=MSA.pdf`)
      .set(auth(procurement))
      .set('content-type', 'application/pdf')
      .send(pdf);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ fileName: 'MSA.pdf', sizeBytes: pdf.length, sha256: sha });
    expect(await contentKeys('api/')).toEqual([...seeded, key].sort());
    const res = await download(up.body.id);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''MSA.pdf`);
    expect((res.body as Buffer).equals(pdf)).toBe(true);
  });

  it("keeps the organization's audit anchor in the bucket, beside the objects, and verifies against it", async () => {
    const [{ id: orgId }] = (await t.app.get(DataSource).query(`SELECT id FROM organizations WHERE slug = 'demo-org'`)) as { id: string }[];
    expect(await keys('api/records/')).toEqual([`api/records/audit-anchors/${orgId}.json`]);
    const auditor = await login(t, 'auditor@demo.bulwark.test');
    const res = await t.http.get('/api/audit-log/verify').set(auth(auditor));
    expect(res.body).toMatchObject({ status: 'ok', ok: true });
    expect(res.body.expected).toBe(res.body.checked);
  });

  it('reports the storage in the health check', async () => {
    const res = await t.http.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body.storage).toEqual({ driver: 's3', ok: true });
  });

  it('refuses an oversized upload with 413 and keeps nothing', async () => {
    const big = await t.http
      .post(`/api/contracts/${contractId}/documents?name=big.pdf`)
      .set(auth(procurement))
      .set('content-type', 'application/pdf')
      .send(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1024 * 1024 + 10)]));
    expect(big.status).toBe(413);
    expect(await contentKeys('api/')).toEqual([...seeded, key].sort());
  });

  it('refuses to serve an object altered in the bucket', async () => {
    const [doc] = (await t.http.get(`/api/contracts/${contractId}/documents`).set(auth(procurement))).body;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'tampered' }));
    const res = await t.http.get(`/api/contracts/${contractId}/documents/${doc.id}`).set(auth(procurement));
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'file.integrity', errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });
});
