import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, constants, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject } from '@nestjs/common';

import { DomainException } from '../errors/domain.exception.js';

export const STORAGE = Symbol('bulwark:storage');
export const InjectStorage = (): ParameterDecorator => Inject(STORAGE);

export type StorageDriver = 'local' | 's3';

export interface StoredObject {
  sha256: string;
  sizeBytes: number;
}

export interface StorageHealth {
  driver: StorageDriver;
  ok: boolean;
  /** A short reason when not ok (an error name, never a credential). */
  detail?: string;
}

/** Content-addressed, immutable file storage, and a few small named records the application overwrites. */
export interface Storage {
  readonly driver: StorageDriver;
  /** Streams the body in, hashing as it goes; refuses bodies over `maxBytes` or empty ones (nothing is kept). */
  put(body: Readable, maxBytes: number): Promise<StoredObject>;
  /** Recomputes the hash of a stored object; false if missing or altered. */
  verify(sha256: string): Promise<boolean>;
  /** The stored bytes; rejects if the object is missing. */
  read(sha256: string): Promise<Readable>;
  /**
   * Replaces the record `name` (see `recordPath`) with `body` as a whole: a reader sees the old bytes or
   * the new ones, never a mix. For small state kept outside the database, such as the audit log's anchors.
   */
  writeRecord(name: string, body: Buffer): Promise<void>;
  /** The bytes of the record `name`, or null when there is none. */
  readRecord(name: string): Promise<Buffer | null>;
  /** A cheap reachability check for the health report; never throws. */
  health(): Promise<StorageHealth>;
  close(): Promise<void>;
}

/**
 * `records/<name>`: the relative location of a named record, apart from the content-addressed objects.
 * Refuses anything but `/`-separated segments of lowercase letters, digits, `.` and `-` starting with a letter or digit.
 */
export function recordPath(name: string): string {
  if (!/^[a-z0-9][a-z0-9.-]{0,127}(\/[a-z0-9][a-z0-9.-]{0,127}){0,3}$/.test(name)) throw new Error('not a record name');
  return `records/${name}`;
}

/** `aa/bb/<sha256>`: the relative location of an object, shared by the drivers. Refuses anything but a hex SHA-256. */
export function contentPath(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

/**
 * Streams `body` into `file` (created, mode 0600) while hashing and counting it. Over `maxBytes` it
 * stops reading and throws `file.too_large`; an empty body throws `file.empty`. On any failure the
 * file is removed, so the caller only cleans up after a success.
 */
export async function spoolToFile(body: Readable, maxBytes: number, file: string): Promise<StoredObject> {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes)
        return done(
          new DomainException('file.too_large', 'payload_too_large', `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`),
        );
      hash.update(chunk);
      done(null, chunk);
    },
  });
  // Opened before anything is read: a stream that fails at once (a refused first chunk) must not leave a file
  // that its own lazy open creates after the clean-up below has run.
  const handle = await open(file, 'wx', 0o600);
  try {
    await pipeline(body, meter, handle.createWriteStream());
    if (size === 0) throw new DomainException('file.empty', 'bad_request', 'The file is empty');
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(file, { force: true });
    throw err;
  }
  return { sha256: hash.digest('hex'), sizeBytes: size };
}

/** The hex SHA-256 of everything the stream yields. */
export async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(stream, hash);
  return hash.digest('hex');
}

/** Files under a directory, named by their SHA-256. Several API processes need a shared volume. */
export class LocalStorage implements Storage {
  readonly driver = 'local' as const;
  constructor(private readonly root: string) {}

  private path(sha256: string): string {
    return join(this.root, contentPath(sha256));
  }

  async put(body: Readable, maxBytes: number): Promise<StoredObject> {
    await mkdir(join(this.root, 'tmp'), { recursive: true });
    const tmp = join(this.root, 'tmp', randomUUID());
    const stored = await spoolToFile(body, maxBytes, tmp);
    try {
      const final = this.path(stored.sha256);
      await mkdir(dirname(final), { recursive: true });
      await rename(tmp, final);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return stored;
  }

  async verify(sha256: string): Promise<boolean> {
    try {
      await stat(this.path(sha256));
    } catch {
      return false;
    }
    return (await sha256Of(createReadStream(this.path(sha256)))) === sha256;
  }

  async read(sha256: string): Promise<Readable> {
    // Opening first turns a missing file into a rejection here rather than an error event mid-response.
    const handle = await open(this.path(sha256), 'r');
    return handle.createReadStream();
  }

  async writeRecord(name: string, body: Buffer): Promise<void> {
    const file = join(this.root, recordPath(name));
    await mkdir(dirname(file), { recursive: true });
    // Written aside, then renamed over the record: readers never see a half-written one.
    const tmp = `${file}.${randomUUID()}.tmp`;
    try {
      await writeFile(tmp, body, { mode: 0o600, flag: 'wx' });
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async readRecord(name: string): Promise<Buffer | null> {
    try {
      return await readFile(join(this.root, recordPath(name)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async health(): Promise<StorageHealth> {
    try {
      await mkdir(this.root, { recursive: true });
      await access(this.root, constants.R_OK | constants.W_OK);
      return { driver: 'local', ok: true };
    } catch (err) {
      return { driver: 'local', ok: false, detail: (err as NodeJS.ErrnoException).code ?? 'unavailable' };
    }
  }

  async close(): Promise<void> {
    // Nothing to release.
  }
}
