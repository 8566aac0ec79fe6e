import { Inject } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainException } from '../errors/domain.exception.js';

export const STORAGE = Symbol('bulwark:storage');
export const InjectStorage = (): ParameterDecorator => Inject(STORAGE);

export interface StoredObject {
  sha256: string;
  sizeBytes: number;
}

/** Content-addressed, immutable file storage. */
export interface Storage {
  readonly driver: 'local';
  /** Streams the body in, hashing as it goes; refuses bodies over `maxBytes` (nothing is kept). */
  put(body: Readable, maxBytes: number): Promise<StoredObject>;
  /** Recomputes the hash of a stored object; false if missing or altered. */
  verify(sha256: string): Promise<boolean>;
  read(sha256: string): Readable;
}

/** Files under a directory, named by their SHA-256. Several API processes need a shared volume. */
export class LocalStorage implements Storage {
  readonly driver = 'local' as const;
  constructor(private readonly root: string) {}

  private path(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(body: Readable, maxBytes: number): Promise<StoredObject> {
    await mkdir(join(this.root, 'tmp'), { recursive: true });
    const tmp = join(this.root, 'tmp', randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new DomainException('file.too_large', 'payload_too_large', `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(tmp, { mode: 0o600 }));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    if (size === 0) {
      await rm(tmp, { force: true });
      throw new DomainException('file.empty', 'bad_request', 'The file is empty');
    }
    const sha256 = hash.digest('hex');
    const final = this.path(sha256);
    await mkdir(dirname(final), { recursive: true });
    await rename(tmp, final);
    return { sha256, sizeBytes: size };
  }

  async verify(sha256: string): Promise<boolean> {
    try {
      await stat(this.path(sha256));
    } catch {
      return false;
    }
    const hash = createHash('sha256');
    await pipeline(createReadStream(this.path(sha256)), hash);
    return hash.digest('hex') === sha256;
  }

  read(sha256: string): Readable {
    return createReadStream(this.path(sha256));
  }
}
