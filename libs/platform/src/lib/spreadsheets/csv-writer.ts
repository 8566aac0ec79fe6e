import { stringify } from 'csv-stringify/sync';

import { dateToText, neutralizeCsvCell, numberToText } from './cells.js';
import { SpreadsheetError } from './errors.js';
import type { CellInput } from './xlsx-writer.js';

export interface CsvWriteOptions {
  /** Start with a UTF-8 byte order mark, so Excel reads the file as UTF-8 (default true). */
  bom?: boolean;
  /** Default `,`. */
  delimiter?: ',' | ';' | '\t';
}

/**
 * Writes rows as RFC 4180 CSV (CRLF line ends, fields quoted when needed). Strings that start like a formula
 * (`=`, `+`, `-`, `@`, tab, CR) get a leading apostrophe (see `neutralizeCsvCell`; `readCsv` removes it again);
 * numbers are written as numbers, dates as `YYYY-MM-DD` (UTC midnight) or an ISO instant, null as an empty field.
 */
export function writeCsv(rows: readonly (readonly CellInput[])[], options: CsvWriteOptions = {}): Buffer {
  if (!Array.isArray(rows)) throw new SpreadsheetError('spreadsheet.invalid_spec', 'CSV rows must be an array of arrays');
  const records = rows.map((row, r) => {
    if (!Array.isArray(row)) throw new SpreadsheetError('spreadsheet.invalid_spec', `CSV row ${r + 1} must be an array of cells`);
    return row.map((value, c) => {
      if (value === null || value === undefined) return '';
      if (typeof value === 'string') return neutralizeCsvCell(value);
      if (typeof value === 'number' && Number.isFinite(value)) return numberToText(value);
      if (value instanceof Date && !Number.isNaN(value.getTime())) return dateToText(value);
      throw new SpreadsheetError('spreadsheet.invalid_spec', `CSV row ${r + 1} field ${c + 1}: unsupported value ${String(value)}`);
    });
  });
  const text = stringify(records, { delimiter: options.delimiter ?? ',', record_delimiter: '\r\n', quoted_match: /^\s|\s$/ });
  return Buffer.from((options.bom === false ? '' : '\uFEFF') + text, 'utf8');
}
