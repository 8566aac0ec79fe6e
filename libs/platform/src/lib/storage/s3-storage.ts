import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@nestjs/common';

import type { S3Config } from '../config/config.schema.js';
import { contentPath, recordPath, sha256Of, spoolToFile, type Storage, type StorageHealth, type StoredObject } from './storage.js';

type S3Sdk = typeof import('@aws-sdk/client-s3');

export interface S3StorageOptions extends S3Config {
  /** Where uploads are spooled before they go to the bucket. Default: the OS temp directory. */
  tmpDir?: string;
}

const HEALTH_TTL_MS = 15_000;
const HEALTH_TIMEOUT_MS = 2_000;

/**
 * Objects in an S3-compatible bucket under `<prefix>aa/bb/<sha256>`. An upload is spooled to a temp
 * file while it is hashed and metered (the key is its hash, known only at the end), then sent in one
 * PutObject with its SHA-256 checksum, unless the bucket already holds it.
 *
 * The AWS SDK is imported on first use, so the local driver never loads it. Errors leaving this class
 * carry only the operation and the S3 error name and message: no credentials, no request headers.
 */
export class S3Storage implements Storage {
  readonly driver = 's3' as const;
  readonly bucket: string;
  readonly prefix: string;
  private readonly tmpDir: string;
  // Private fields do not show up in util.inspect or JSON.stringify.
  readonly #options: S3StorageOptions;
  #connection: Promise<{ sdk: S3Sdk; client: S3Client }> | undefined;
  #health: { at: number; value: StorageHealth } | undefined;
  private readonly logger = new Logger('S3Storage');

  constructor(options: S3StorageOptions) {
    this.#options = options;
    this.bucket = options.bucket;
    this.prefix = options.prefix;
    this.tmpDir = options.tmpDir ?? tmpdir();
  }

  /** The object key of a hash. */
  key(sha256: string): string {
    return `${this.prefix}${contentPath(sha256)}`;
  }

  async put(body: Readable, maxBytes: number): Promise<StoredObject> {
    await mkdir(this.tmpDir, { recursive: true });
    const tmp = join(this.tmpDir, `bulwark-upload-${randomUUID()}`);
    const stored = await spoolToFile(body, maxBytes, tmp);
    const file = createReadStream(tmp);
    try {
      const { sdk, client } = await this.connect();
      const key = this.key(stored.sha256);
      // Content-addressed: an object under this key already holds these bytes.
      if (!(await this.exists(key))) {
        await client
          .send(
            new sdk.PutObjectCommand({
              Bucket: this.bucket,
              Key: key,
              Body: file,
              ContentLength: stored.sizeBytes,
              ChecksumSHA256: Buffer.from(stored.sha256, 'hex').toString('base64'),
              ContentType: 'application/octet-stream',
            }),
          )
          .catch((err: unknown) => {
            throw s3Error('PutObject', err);
          });
      }
      return stored;
    } finally {
      file.destroy();
      await rm(tmp, { force: true });
    }
  }

  async verify(sha256: string): Promise<boolean> {
    let key: string;
    try {
      key = this.key(sha256);
    } catch {
      return false;
    }
    const body = await this.get(key);
    if (!body) return false;
    try {
      return (await sha256Of(body)) === sha256;
    } catch (err) {
      throw s3Error('GetObject', err);
    }
  }

  async read(sha256: string): Promise<Readable> {
    const body = await this.get(this.key(sha256));
    if (!body) throw new Error(`S3 GetObject failed: no object for ${sha256}`);
    return body;
  }

  async writeRecord(name: string, body: Buffer): Promise<void> {
    const { sdk, client } = await this.connect();
    await client
      .send(
        new sdk.PutObjectCommand({
          Bucket: this.bucket,
          Key: `${this.prefix}${recordPath(name)}`,
          Body: body,
          ContentLength: body.length,
          ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
          ContentType: 'application/octet-stream',
        }),
      )
      .catch((err: unknown) => {
        throw s3Error('PutObject', err);
      });
  }

  async readRecord(name: string): Promise<Buffer | null> {
    const body = await this.get(`${this.prefix}${recordPath(name)}`);
    if (!body) return null;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of body) chunks.push(chunk as Buffer);
    } catch (err) {
      throw s3Error('GetObject', err);
    }
    return Buffer.concat(chunks);
  }

  /** HeadBucket, at most every 15 s and within 2 s; the result names the failure but never throws. */
  async health(): Promise<StorageHealth> {
    const now = Date.now();
    if (this.#health && now - this.#health.at < HEALTH_TTL_MS) return this.#health.value;
    let value: StorageHealth;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      const { sdk, client } = await this.connect();
      await Promise.race([
        client.send(new sdk.HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: abort.signal }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            abort.abort();
            reject(Object.assign(new Error('timed out'), { name: 'TimeoutError' }));
          }, HEALTH_TIMEOUT_MS);
        }),
      ]);
      value = { driver: 's3', ok: true };
    } catch (err) {
      // A HEAD response has no error body: the SDK names only 404s, so say the status instead.
      const name = errorName(err);
      const code = status(err);
      value = { driver: 's3', ok: false, detail: name === 'Unknown' && code ? `HTTP ${code}` : name };
    } finally {
      clearTimeout(timer);
    }
    this.#health = { at: now, value };
    return value;
  }

  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection) (await connection.catch(() => null))?.client.destroy();
  }

  /** The body of an object, or null when there is none. */
  private async get(key: string): Promise<Readable | null> {
    const { sdk, client } = await this.connect();
    try {
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = res.Body;
      if (!(body instanceof Readable)) throw new Error('the response body is not a Node stream');
      return body;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw s3Error('GetObject', err);
    }
  }

  private async exists(key: string): Promise<boolean> {
    const { sdk, client } = await this.connect();
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      // Without s3:ListBucket, S3 answers 403 for a missing key; uploading again is harmless.
      if (isNotFound(err) || status(err) === 403) return false;
      throw s3Error('HeadObject', err);
    }
  }

  private connect(): Promise<{ sdk: S3Sdk; client: S3Client }> {
    this.#connection ??= (async () => {
      const sdk = await import('@aws-sdk/client-s3');
      const o = this.#options;
      const client = new sdk.S3Client({
        region: o.region,
        ...(o.endpoint ? { endpoint: o.endpoint } : {}),
        forcePathStyle: o.forcePathStyle,
        ...(o.credentials
          ? { credentials: { accessKeyId: o.credentials.accessKeyId, secretAccessKey: o.credentials.secretAccessKey } }
          : {}),
        // We send our own SHA-256 checksum; the SDK's default CRC32 trailers (aws-chunked bodies) are not
        // understood by every S3-compatible service.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        // The SDK logs every command (info) and every failed one as an object holding the raw response
        // (error), including the expected 404s; this class reports failures itself. Only the SDK's plain
        // warnings are passed on (without a logger it would print them on the console).
        logger: {
          debug: () => undefined,
          info: () => undefined,
          warn: (...content: unknown[]) => {
            if (content.length === 1 && typeof content[0] === 'string') this.logger.warn(content[0]);
          },
          error: () => undefined,
        },
      });
      return { sdk, client };
    })().catch((err: unknown) => {
      this.#connection = undefined;
      throw err;
    });
    return this.#connection;
  }
}

function status(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

function errorName(err: unknown): string {
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /^\w{1,64}$/.test(name) ? name : 'Error';
}

/** The object is missing (a missing bucket is a configuration error, not a missing object). */
function isNotFound(err: unknown): boolean {
  const name = errorName(err);
  return name === 'NotFound' || name === 'NoSuchKey' || (status(err) === 404 && name !== 'NoSuchBucket');
}

/**
 * A plain error naming the operation and the S3 error. SDK errors carry the raw response, and S3's
 * signature errors echo the access key and string to sign: none of that is passed on (no `cause`).
 */
function s3Error(operation: string, err: unknown): Error {
  const code = status(err);
  const message = err instanceof Error ? err.message.slice(0, 300) : 'unknown error';
  const e = new Error(`S3 ${operation} failed: ${errorName(err)}${code ? ` (HTTP ${code})` : ''}: ${message}`);
  e.name = 'S3StorageError';
  return e;
}
