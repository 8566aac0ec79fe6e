import { Transform, type Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';
import type { z } from 'zod';

import { DomainException, Invalid, type Storage, type StoredObject } from '@bulwark/platform';

import type { MalwareScanner } from './malware-scanner.js';
import { sanitizeFileName, SNIFF_BYTES, sniffMediaType } from './media-type.js';

export interface IncomingFile {
  stream: Readable;
  /** The name the client sent (not yet sanitized) and its declared type (not trusted). */
  fileName: string;
  mimeType: string;
}

export interface StoredUpload extends StoredObject {
  fileName: string;
  mediaType: string;
  scan: 'not_scanned' | 'clean';
}

/** Turns zod issues into the one 422 naming each field at fault. */
export function parseFields<S extends z.ZodType>(schema: S, fields: Record<string, string>): z.output<S> {
  const r = schema.safeParse(fields);
  if (r.success) return r.data;
  throw new Invalid(
    'validation.failed',
    'The upload form is invalid',
    r.error.issues.map((i) => ({ path: i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : ''), message: i.message })),
  );
}

/**
 * Reads a `multipart/form-data` request as a stream with busboy: the text fields first, then one part
 * named `file`, handed to `onFile` while it is still arriving (it is never held whole in memory). Fields
 * after the file are ignored. Whatever `onFile` refuses, the rest of the request is drained so the client
 * reads the error instead of a reset connection.
 */
export function readMultipart<T>(
  req: Request,
  maxBytes: number,
  onFile: (fields: Record<string, string>, file: IncomingFile) => Promise<T>,
): Promise<T> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^multipart\/form-data\s*;/i.test(type) || req.readableEnded)
    return Promise.reject(
      new DomainException('evidence.multipart_required', 'bad_request', 'Send the file as multipart/form-data with a part named "file"', [
        { path: 'file', message: 'required, as a multipart/form-data part' },
      ]),
    );
  return new Promise<T>((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { files: 1, fields: 20, fieldSize: 4096, parts: 25, fileSize: maxBytes + 1 },
      });
    } catch {
      return reject(new DomainException('evidence.multipart_invalid', 'bad_request', 'The multipart body could not be read'));
    }
    const fields: Record<string, string> = {};
    let handling: Promise<T> | null = null;
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(bb);
      req.resume(); // drain what the client still sends
      reject(err);
    };
    bb.on('field', (name, value) => {
      if (!handling) fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (handling || name !== 'file') {
        stream.resume();
        return;
      }
      handling = onFile(fields, { stream, fileName: info.filename ?? '', mimeType: info.mimeType ?? '' });
      handling.catch((err: unknown) => {
        stream.resume();
        fail(err);
      });
    });
    bb.on('error', () => fail(new DomainException('evidence.multipart_invalid', 'bad_request', 'The multipart body could not be read')));
    bb.on('close', () => {
      if (!handling)
        return fail(new Invalid('evidence.file_required', 'Attach the file', [{ path: 'file', message: 'required: a part named "file"' }]));
      handling.then(
        (v) => {
          if (!settled) {
            settled = true;
            resolve(v);
          }
        },
        () => undefined,
      );
    });
    req.on('aborted', () => fail(new DomainException('evidence.upload_aborted', 'bad_request', 'The upload was interrupted')));
    req.pipe(bb);
  });
}

const refused = (reason: string) =>
  new DomainException('evidence.type_not_allowed', 'invalid', `File refused: ${reason}`, [{ path: 'file', message: reason }]);

/**
 * Streams one uploaded file into storage through the checks: its type is judged from its first bytes
 * (held back until judged), every chunk goes to the malware scanner as it passes, and the last bytes are
 * released to storage only once the scanner has answered, so a refused file is never kept (storage
 * removes a partial upload). The size cap and the SHA-256 are storage's (`put`).
 */
export async function storeUpload(storage: Storage, scanner: MalwareScanner, file: IncomingFile, maxBytes: number): Promise<StoredUpload> {
  const session = await scanner.start();
  let head: Buffer[] = [];
  let headLength = 0;
  const state: { judged: { mediaType: string; extensions: readonly string[] } | null } = { judged: null };
  const judge = (complete: boolean) => {
    const sniffed = sniffMediaType(Buffer.concat(head), { fileName: file.fileName, mimeType: file.mimeType }, complete);
    if (!sniffed.ok) throw refused(sniffed.reason);
    state.judged = sniffed;
  };
  const guard = new Transform({
    transform(chunk: Buffer, _enc, done) {
      void (async () => {
        if (session) await session.write(chunk);
        if (state.judged) return chunk;
        head.push(chunk);
        headLength += chunk.length;
        if (headLength < SNIFF_BYTES) return null;
        judge(false);
        const all = Buffer.concat(head);
        head = [];
        return all;
      })().then(
        (out) => done(null, out ?? undefined),
        (err: unknown) => done(err as Error),
      );
    },
    flush(done) {
      void (async () => {
        let rest: Buffer | null = null;
        if (!state.judged && headLength > 0) {
          judge(true);
          rest = Buffer.concat(head);
        }
        if (session) {
          const verdict = await session.finish();
          if (verdict.infected)
            throw new DomainException('evidence.infected', 'invalid', `File refused: the malware scanner found ${verdict.signature}`, [
              { path: 'file', message: `infected: ${verdict.signature}` },
            ]);
        }
        return rest;
      })().then(
        (rest) => done(null, rest ?? undefined),
        (err: unknown) => done(err as Error),
      );
    },
  });
  file.stream.on('error', (err) => guard.destroy(err));
  // Its errors reach the caller through storage's pipeline; `pipe()` would rethrow one it sees without another listener.
  guard.on('error', () => undefined);
  try {
    const stored = await storage.put(file.stream.pipe(guard), maxBytes);
    const judged = state.judged!;
    return {
      ...stored,
      mediaType: judged.mediaType,
      fileName: sanitizeFileName(file.fileName, judged.extensions),
      scan: session ? 'clean' : 'not_scanned',
    };
  } catch (err) {
    session?.abort();
    throw err;
  }
}
