import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

import type { CsvContent } from './csv-reader.js';
import { SpreadsheetError, tooLarge, type SerializedSpreadsheetError } from './errors.js';
import { resolveLimits, type SpreadsheetLimits } from './limits.js';
import type { ParseJob } from './parse.worker.js';
import type { WorkbookContent } from './xlsx-reader.js';
import { sniffXlsx } from './zip-guard.js';

/** An upload as bytes or as a stream (a request body, a stored file). */
export type SpreadsheetInput = Uint8Array | AsyncIterable<Uint8Array>;

/**
 * Reads an untrusted .xlsx workbook: every sheet with its name, visibility and cell values as text. The bytes
 * are capped while they arrive, then everything else — the zip guard, the XML parse — runs in a worker thread
 * with a wall-clock limit and a heap limit, so the event loop keeps serving requests whatever the file does.
 * Fails with a `SpreadsheetError` (`spreadsheet.too_large`, `.timeout`, `.not_xlsx`, `.encrypted`, `.malformed`,
 * `.unsafe`, `.formula`, `.busy`).
 */
export async function readWorkbook(input: SpreadsheetInput, limits: Partial<SpreadsheetLimits> = {}): Promise<WorkbookContent> {
  const resolved = resolveLimits(limits);
  const bytes = await collect(input, resolved.maxFileBytes);
  sniffXlsx(bytes); // a renamed PDF is refused here, without starting a worker
  return gate.run(() => runWorker<WorkbookContent>({ kind: 'xlsx', bytes, limits: resolved }));
}

/**
 * Reads untrusted CSV (UTF-8 or UTF-16 with a byte order mark, UTF-8, else Windows-1252; `,` `;` or tab) in the
 * same worker under the same caps. Fields lose the apostrophe `writeCsv` put before formula-like text.
 */
export async function readCsv(input: SpreadsheetInput, limits: Partial<SpreadsheetLimits> = {}): Promise<CsvContent> {
  const resolved = resolveLimits(limits);
  const bytes = await collect(input, resolved.maxFileBytes);
  return gate.run(() => runWorker<CsvContent>({ kind: 'csv', bytes, limits: resolved }));
}

async function collect(input: SpreadsheetInput, max: number): Promise<Buffer> {
  const refuse = (actual?: number) => tooLarge('maxFileBytes', max, `The file is larger than ${max} bytes`, actual);
  if (input instanceof Uint8Array) {
    if (input.byteLength > max) throw refuse(input.byteLength);
    return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    size += chunk.byteLength;
    if (size > max) throw refuse(); // leaving the loop destroys a Readable: the rest is never read
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks);
}

/** Where the worker's code is: the compiled `parse.worker.js` beside this file, or its TypeScript source under tests. */
function workerScript(): { script: string; evalCode: boolean } {
  const ext = extname(__filename);
  const file = join(__dirname, `parse.worker${ext}`);
  if (ext !== '.ts') return { script: file, evalCode: false };
  // Running from sources (vitest, tsx): the worker loads the same TypeScript through tsx's require hook.
  const tsx = createRequire(__filename).resolve('tsx/cjs');
  return { script: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(file)});`, evalCode: true };
}

function runWorker<T>(job: ParseJob): Promise<T> {
  const { script, evalCode } = workerScript();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(script, {
      eval: evalCode,
      workerData: job,
      resourceLimits: { maxOldGenerationSizeMb: job.limits.maxMemoryMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new SpreadsheetError('spreadsheet.timeout', `Reading the file took longer than ${job.limits.timeoutMs} ms and was stopped`, {
              limit: 'timeoutMs',
              max: job.limits.timeoutMs,
            }),
          ),
        ),
      job.limits.timeoutMs,
    );
    worker.on('message', (m: { ok: true; result: T } | { ok: false; error: SerializedSpreadsheetError }) =>
      finish(() => (m.ok ? resolve(m.result) : reject(SpreadsheetError.fromJSON(m.error)))),
    );
    worker.on('error', (err: Error & { code?: string }) =>
      finish(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? tooLarge('maxMemoryMb', job.limits.maxMemoryMb, `Reading the file needs more than ${job.limits.maxMemoryMb} MB of memory`)
            : new SpreadsheetError('spreadsheet.internal', `The spreadsheet parser failed: ${err.message}`),
        ),
      ),
    );
    worker.on('exit', (code) =>
      finish(() =>
        reject(new SpreadsheetError('spreadsheet.internal', `The spreadsheet parser stopped (exit code ${code}) without an answer`)),
      ),
    );
  });
}

/** Bounds the parse workers of this process: CPU for hostile files is capped, and the API keeps a core. */
class ParseGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    public maxRunning: number,
    public maxWaiting: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxRunning) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new SpreadsheetError('spreadsheet.busy', 'Too many spreadsheets are being read right now; try again in a few seconds');
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve)); // the finishing task hands its slot over
    } else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

const gate = new ParseGate(Math.max(1, Math.min(4, availableParallelism() - 1)), 16);

/**
 * How many parse workers this process runs at once (default: the cores less one, 1–4) and how many reads may
 * wait for one (default 16; past that a read fails at once with `spreadsheet.busy`).
 */
export function configureSpreadsheetParsing(options: { maxConcurrent?: number; maxQueued?: number }): void {
  if (options.maxConcurrent !== undefined) {
    if (!Number.isInteger(options.maxConcurrent) || options.maxConcurrent < 1)
      throw new TypeError('maxConcurrent must be a positive integer');
    gate.maxRunning = options.maxConcurrent;
  }
  if (options.maxQueued !== undefined) {
    if (!Number.isInteger(options.maxQueued) || options.maxQueued < 0) throw new TypeError('maxQueued must be a non-negative integer');
    gate.maxWaiting = options.maxQueued;
  }
}
