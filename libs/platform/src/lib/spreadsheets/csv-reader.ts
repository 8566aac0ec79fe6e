import { CsvError, parse } from 'csv-parse/sync';

import { restoreCsvCell } from './cells.js';
import { SpreadsheetError, tooLarge } from './errors.js';
import { GridBudget, type SpreadsheetLimits } from './limits.js';
import { TextBudget } from './xlsx-reader.js';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface CsvContent {
  /** Rectangular like a sheet's rows: as wide as the rightmost value, up to the last record with a value. */
  rows: string[][];
  delimiter: ',' | ';' | '\t';
  encoding: CsvEncoding;
}

/** Windows-1252's 0x80–0x9F (WHATWG); the rest is Latin-1. Node 20's TextDecoder treats the label as plain Latin-1. */
const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

function decodeWindows1252(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[\u0080-\u009F]/g, (ch) => CP1252_HIGH[ch.charCodeAt(0) - 0x80]!);
}

/**
 * Text of a CSV file: a byte order mark decides (UTF-8, UTF-16); without one, valid UTF-8 is UTF-8 and anything
 * else is read as Windows-1252 (what Excel's plain "CSV" saves on Western Windows). NUL means a binary file.
 */
export function decodeCsv(bytes: Buffer): { text: string; encoding: CsvEncoding } {
  let text: string;
  let encoding: CsvEncoding;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    text = new TextDecoder('utf-8').decode(bytes.subarray(3));
    encoding = 'utf-8';
  } else if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
    encoding = 'utf-16le';
  } else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
    encoding = 'utf-16be';
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      encoding = 'utf-8';
    } catch {
      text = decodeWindows1252(bytes);
      encoding = 'windows-1252';
    }
  }
  if (text.includes('\u0000')) throw new SpreadsheetError('spreadsheet.not_csv', 'The file is not text (it holds NUL characters)');
  return { text, encoding };
}

/** The delimiter that occurs most often outside quotes on the first line (`,` when none does). */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length && i < 65_536; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

/** Reads CSV under the caps; fields lose the apostrophe `writeCsv` put before formula-like text. Runs in the worker. */
export function parseCsv(bytes: Buffer, limits: SpreadsheetLimits): CsvContent {
  const { text, encoding } = decodeCsv(bytes);
  const delimiter = limits.delimiter === 'auto' ? detectDelimiter(text) : limits.delimiter;
  const budget = new TextBudget(limits.maxTextChars);
  const grid = new GridBudget(limits.maxCells);
  const rows: string[][] = [];
  let maxRow = -1;
  let maxCol = -1;
  let record = 0;
  try {
    parse(text, {
      delimiter,
      bom: false,
      relax_column_count: true,
      skip_empty_lines: false,
      // A stray quote inside an unquoted field (`5" screen`) is kept as text, as spreadsheet applications do.
      relax_quotes: true,
      on_record: (fields: string[]) => {
        const r = record++;
        let last = -1;
        for (let c = 0; c < fields.length; c++) {
          const v = fields[c]!;
          if (v.length > limits.maxCellChars)
            throw tooLarge(
              'maxCellChars',
              limits.maxCellChars,
              `Record ${r + 1} field ${c + 1} is longer than ${limits.maxCellChars} characters`,
            );
          budget.add(v.length);
          if (v !== '') last = c;
        }
        if (last < 0) return null;
        if (r >= limits.maxRows) throw tooLarge('maxRows', limits.maxRows, `The file has more than ${limits.maxRows} records`, r + 1);
        if (last >= limits.maxColumns)
          throw tooLarge('maxColumns', limits.maxColumns, `Record ${r + 1} has more than ${limits.maxColumns} fields`, last + 1);
        if (r > maxRow || last > maxCol) {
          maxRow = Math.max(maxRow, r);
          maxCol = Math.max(maxCol, last);
          grid.check((maxRow + 1) * (maxCol + 1));
        }
        rows[r] = fields.slice(0, last + 1).map(restoreCsvCell);
        return null;
      },
    });
  } catch (err) {
    if (err instanceof SpreadsheetError) throw err;
    if (err instanceof CsvError) {
      throw new SpreadsheetError('spreadsheet.not_csv', `The file is not valid CSV: ${err.message}`);
    }
    throw err;
  }
  const width = maxCol + 1;
  const out: string[][] = [];
  for (let r = 0; r <= maxRow; r++) {
    const line = new Array<string>(width).fill('');
    rows[r]?.forEach((v, c) => (line[c] = v));
    out.push(line);
  }
  return { rows: out, delimiter, encoding };
}
