/**
 * Evidence upload/download benchmark: a 50 MB file (BENCH_MB) through the evidence vault's own streaming
 * path over HTTP, against a plain file copy on the same disk:
 *
 *   (a) upload: a multipart request read by busboy (readMultipart), the magic-byte check, SHA-256 and the
 *       size cap (storeUpload → LocalStorage.put), with no malware scanner;
 *   (b) download: sendStoredFile (the hash verified, then the file streamed) to an HTTP client;
 *   (c) a plain copy of the same file (fs streams) into the same directory.
 *
 * Prints MB/s of each, the ratios to the plain copy, and the process's peak RSS above its baseline during
 * (a) and (b) (client and server share this process): it stays far below the file's size when the file
 * streams and is never held whole in memory.
 * Checks that the stored and downloaded bytes hash as the original; never fails on a timing.
 *
 *   npm run bench:evidence          (BENCH_MB=200 for a bigger file)
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';

import { NoScanner } from '../../libs/domain/evidence/src/lib/malware-scanner';
import { readMultipart, storeUpload } from '../../libs/domain/evidence/src/lib/upload-intake';
import { sendStoredFile } from '../../libs/platform/src/lib/storage/send-stored-file';
import { LocalStorage, sha256Of } from '../../libs/platform/src/lib/storage/storage';

const MB = Number(process.env['BENCH_MB'] ?? 50);
const SIZE = MB * 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'bulwark-bench-evidence-'));
const source = join(dir, 'source.pdf');
const storage = new LocalStorage(join(dir, 'files'));

/** Samples RSS every 20 ms; `stop()` answers the peak above the baseline, in MB. */
function rssMeter(): { stop(): number } {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return (peak - base) / 1024 / 1024;
    },
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T; rssMb: number }> {
  global.gc?.();
  const meter = rssMeter();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  return { ms, value, rssMb: meter.stop() };
}

async function main(): Promise<void> {
  // A PDF header, then random bytes written in 1 MB chunks (the file never exists whole in this process either).
  const out = createWriteStream(source);
  out.write('%PDF-1.7\n');
  for (let written = 9; written < SIZE; written += 1024 * 1024) {
    if (!out.write(randomBytes(Math.min(1024 * 1024, SIZE - written)))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
  const size = statSync(source).size;
  const expected = await sha256Of(createReadStream(source));

  let storedSha = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        if (req.method === 'POST') {
          const stored = await readMultipart(req as unknown as Request, SIZE * 2, (_fields, file) =>
            storeUpload(storage, new NoScanner(), file, SIZE * 2),
          );
          storedSha = stored.sha256;
          res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(stored));
        } else {
          await sendStoredFile(storage, res as unknown as Response, {
            sha256: storedSha,
            contentType: 'application/pdf',
            sizeBytes: size,
            fileName: 'bench.pdf',
          });
        }
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;

  const upload = await timed(
    () =>
      new Promise<number>((resolve, reject) => {
        const boundary = `bench${Date.now()}`;
        const head = Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        );
        const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
        const req = request(
          {
            port,
            method: 'POST',
            headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              res.statusCode === 201 ? resolve(res.statusCode) : reject(new Error(`upload answered ${res.statusCode}`)),
            );
          },
        );
        req.on('error', reject);
        void pipeline(
          Readable.from(
            (async function* () {
              yield head;
              yield* createReadStream(source);
              yield tail;
            })(),
          ),
          req,
        ).catch(reject);
      }),
  );
  if (storedSha !== expected) throw new Error('the stored file does not hash as the original');

  const download = await timed(
    () =>
      new Promise<string>((resolve, reject) => {
        request({ port, method: 'GET' }, (res) => {
          if (res.statusCode !== 200) return reject(new Error(`download answered ${res.statusCode}`));
          const hash = createHash('sha256');
          res.on('data', (c: Buffer) => hash.update(c));
          res.on('end', () => resolve(hash.digest('hex')));
        })
          .on('error', reject)
          .end();
      }),
  );
  if (download.value !== expected) throw new Error('the downloaded file does not hash as the original');

  const copy = await timed(() => pipeline(createReadStream(source), createWriteStream(join(dir, 'copy.pdf'))));
  server.close();

  const rate = (ms: number) => (size / 1024 / 1024 / (ms / 1000)).toFixed(1);
  console.log(`file: ${(size / 1024 / 1024).toFixed(1)} MB`);
  console.log(`plain copy:  ${copy.ms.toFixed(0)} ms, ${rate(copy.ms)} MB/s`);
  console.log(
    `upload:      ${upload.ms.toFixed(0)} ms, ${rate(upload.ms)} MB/s (${(upload.ms / copy.ms).toFixed(1)}× the copy's time), peak RSS +${upload.rssMb.toFixed(1)} MB`,
  );
  console.log(
    `download:    ${download.ms.toFixed(0)} ms, ${rate(download.ms)} MB/s (${(download.ms / copy.ms).toFixed(1)}× the copy's time; includes the hash check), peak RSS +${download.rssMb.toFixed(1)} MB`,
  );
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
