import { CsvError, parse } from 'csv-parse/sync';

import type { NormalizedSignal } from '@bulwark/plugin-sdk';

import type { IngestMapping } from './config.js';
import { normalizeRecords } from './normalize.js';

export interface CsvRowError {
  /** Row number as a spreadsheet shows it: the header is row 1, data starts at row 2. */
  row: number;
  message: string;
}

export interface CsvUploadResult {
  signals: NormalizedSignal[];
  errors: CsvRowError[];
}

interface ParsedRow {
  record: Record<string, string>;
  info: { records: number; empty_lines: number; error?: { message?: string; code?: string } };
}

/** Comma unless the header line only has semicolons (spreadsheets in many locales export those). */
function delimiterOf(text: string): string {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return !header.includes(',') && header.includes(';') ? ';' : !header.includes(',') && header.includes('\t') ? '\t' : ',';
}

/**
 * A CSV upload with a header row. Good rows become signals; bad rows are listed with their
 * spreadsheet row number and skipped. A file that cannot be read at all gives no signals and one error.
 */
export function parseCsvUpload(text: string, mapping: IngestMapping): CsvUploadResult {
  let rows: ParsedRow[];
  try {
    rows = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim()),
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      delimiter: delimiterOf(text),
      info: true,
    }) as unknown as ParsedRow[];
  } catch (err) {
    const line = err instanceof CsvError ? (err as CsvError & { lines?: number }).lines : undefined;
    return { signals: [], errors: [{ row: line ?? 1, message: `CSV cannot be read: ${(err as Error).message}` }] };
  }
  if (rows.length === 0) return { signals: [], errors: [{ row: 1, message: 'the file has no data rows' }] };
  const columns = Object.keys(rows[0]!.record);
  const idColumn = mapping.fields.externalId;
  if (!columns.includes(idColumn))
    return {
      signals: [],
      errors: [{ row: 1, message: `missing column "${idColumn}" (the id field); columns are: ${columns.join(', ')}` }],
    };

  // Spreadsheets show one row per record (quoted line breaks included) and keep blank lines.
  const rowOf = (r: ParsedRow) => r.info.records + 1 + r.info.empty_lines;
  const errors: CsvRowError[] = [];
  const usable: ParsedRow[] = [];
  for (const r of rows) {
    if (r.info.error)
      errors.push({
        row: rowOf(r),
        message: `wrong number of fields (${r.info.error.message ?? r.info.error.code ?? 'inconsistent columns'})`,
      });
    else usable.push(r);
  }
  const {
    signals,
    errors: recordErrors,
    indexes,
  } = normalizeRecords(
    usable.map((r) => r.record),
    mapping,
  );
  for (const e of recordErrors) {
    // "repeats record N" refers to an index among usable rows: say the spreadsheet row instead.
    const message = e.message.replace(/repeats record (\d+)$/, (_m, i: string) => `repeats row ${rowOf(usable[Number(i)]!)}`);
    errors.push({ row: rowOf(usable[e.index]!), message });
  }
  errors.sort((a, b) => a.row - b.row);
  // Provenance: the spreadsheet row within the uploaded file (the host keeps the file itself).
  signals.forEach((s, i) => (s.rawRef = { pointer: `row ${rowOf(usable[indexes[i]!]!)}` }));
  return { signals, errors };
}
