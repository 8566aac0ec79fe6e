/**
 * The parse worker: one per read, started by `reader.ts` with the bytes and the caps as `workerData`, answering
 * with one message. It imports only the readers (no Nest, no database), so it starts in tens of milliseconds.
 * The main thread terminates it on timeout; V8 stops it when it outgrows `resourceLimits`.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { parseCsv } from './csv-reader.js';
import { SpreadsheetError } from './errors.js';
import type { SpreadsheetLimits } from './limits.js';
import { parseXlsx } from './xlsx-reader.js';

export interface ParseJob {
  kind: 'xlsx' | 'csv';
  bytes: Uint8Array;
  limits: SpreadsheetLimits;
}

async function run(job: ParseJob): Promise<void> {
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  try {
    const result = job.kind === 'xlsx' ? await parseXlsx(bytes, job.limits) : parseCsv(bytes, job.limits);
    parentPort!.postMessage({ ok: true, result });
  } catch (err) {
    const error =
      err instanceof SpreadsheetError
        ? err.toJSON()
        : // Anything else a hostile file provoked (a RangeError deep in a parser, say) still means it cannot be read.
          {
            code: 'spreadsheet.malformed',
            message: `The file could not be read (${err instanceof Error ? `${err.name}: ${err.message}` : String(err)})`,
          };
    parentPort!.postMessage({ ok: false, error });
  }
}

if (parentPort) void run(workerData as ParseJob);
