import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';

import { APP_CONFIG, DomainException, InjectStorage, sendStoredFile, type AppConfig, type Storage } from '@bulwark/platform';
import { sha256Hex, type FetchedBody, type RawRef } from '@bulwark/plugin-sdk';

import type { StoredSignal } from './signal.entity.js';

const EXTENSIONS: [RegExp, string][] = [
  [/json/, 'json'],
  [/(rss|atom|xml)/, 'xml'],
  [/csv/, 'csv'],
  [/html/, 'html'],
  [/^text\//, 'txt'],
];

/**
 * The raw bodies signals were read from (feeds.md §8 `rawRef`), in the platform's content-addressed
 * storage (local or S3): stored once per distinct body, only when a stored signal references it,
 * verified against its SHA-256 before it is served.
 */
@Injectable()
export class RawEvidence {
  constructor(
    @InjectStorage() private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Stores the bodies that stored rows now reference (`IngestResult.rawReferenced`). Called inside the
   * ingest transaction, so a failed write rolls the signals back rather than leaving a dangling reference.
   */
  async store(bodies: ReadonlyMap<string, Buffer>, referenced: readonly string[]): Promise<number> {
    let n = 0;
    for (const sha256 of new Set(referenced)) {
      const body = bodies.get(sha256);
      if (!body) continue; // referenced by an earlier ingest: stored then
      // The HTTP client capped the body already; the storage re-checks the size and recomputes the hash.
      const stored = await this.storage.put(Readable.from(body), Math.max(this.config.feeds.maxBytes, body.length));
      if (stored.sha256 !== sha256) throw new Error(`raw body stored as ${stored.sha256}, expected ${sha256}`);
      n++;
    }
    return n;
  }

  /** A pushed payload (webhook body or uploaded file) as the one body its signals refer to. */
  payload(body: Buffer, contentType: string | null, at: Date): FetchedBody {
    return { url: null, fetchedAt: at.toISOString(), sha256: sha256Hex(body), contentType, body };
  }

  /**
   * Secret config values never leave the host: a fetch URL that carries one (a key in a query string)
   * is stored with the value redacted.
   */
  redact(refs: (RawRef | null)[], secrets: readonly unknown[]): (RawRef | null)[] {
    const values = secrets.filter((v): v is string => typeof v === 'string' && v.length >= 4);
    if (!values.length) return refs;
    return refs.map((r) => {
      if (!r?.fetchUrl) return r;
      let url = r.fetchUrl;
      for (const v of values) url = url.split(v).join('[redacted]').split(encodeURIComponent(v)).join('[redacted]');
      return url === r.fetchUrl ? r : { ...r, fetchUrl: url };
    });
  }

  /** Streams the stored body of a signal as an attachment, after checking it against its SHA-256 (`sendStoredFile`). */
  async download(signal: StoredSignal, res: Response): Promise<void> {
    const ref = signal.rawRef;
    if (!ref)
      throw new DomainException(
        'signal.no_raw_evidence',
        'not_found',
        'No raw evidence is stored for this signal: it was recorded before provenance was kept, or its feed gave none',
      );
    const type = ref.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
    const ext = EXTENSIONS.find(([re]) => re.test(type))?.[1] ?? 'bin';
    await sendStoredFile(this.storage, res, {
      sha256: ref.sha256,
      contentType: ref.contentType,
      sizeBytes: ref.sizeBytes,
      fileName: `signal-${signal.id}-${ref.sha256.slice(0, 12)}.${ext}`,
      userNamed: false,
    });
  }
}
