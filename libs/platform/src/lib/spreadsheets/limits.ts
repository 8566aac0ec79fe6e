import { SpreadsheetError } from './errors.js';

/**
 * Caps of one read. Every one is checked while reading (the zip guard stops inflating an entry the moment a
 * byte cap is crossed; the XML and CSV readers stop at the first row, cell or string over a cap), so a hostile
 * file costs at most what the caps allow, and `timeoutMs`/`maxMemoryMb` bound whatever is left.
 */
export interface SpreadsheetLimits {
  /** Size of the uploaded file itself. */
  maxFileBytes: number;
  /** Entries in the zip's central directory (XLSX only). */
  maxEntries: number;
  /** Uncompressed bytes of one part that is read (XLSX only). */
  maxEntryBytes: number;
  /** Uncompressed bytes of all the parts that are read, together (XLSX only). */
  maxTotalBytes: number;
  /**
   * Uncompressed ÷ compressed size, per part once it has expanded past 1 MiB and for the archive as a whole
   * (XLSX only). Real workbooks stay well under 100; a deflate bomb reaches about 1000.
   */
  maxCompressionRatio: number;
  /** Worksheets in the workbook (XLSX only). */
  maxSheets: number;
  /** Highest row number holding a value, per sheet (CSV: records). */
  maxRows: number;
  /** Highest column holding a value, per sheet (CSV: fields per record). */
  maxColumns: number;
  /** Cells of the returned grids (rows × columns of every sheet, empty ones included). */
  maxCells: number;
  /** Entries of the shared strings table (XLSX only). */
  maxSharedStrings: number;
  /** Characters of all text read: shared strings, inline strings and CSV fields together. */
  maxTextChars: number;
  /** Characters of one cell (Excel's own limit is 32,767). */
  maxCellChars: number;
  /** Wall-clock time of the whole read, from starting the worker to its answer; the worker is terminated then. */
  timeoutMs: number;
  /** Heap of the parse worker (`resourceLimits.maxOldGenerationSizeMb`). */
  maxMemoryMb: number;
  /**
   * A formula cell (XLSX only). `'refuse'`: the read fails with `spreadsheet.formula` naming the cell.
   * `'cached'`: the cell reads as the result the sending application last saved with it (plain text, never
   * evaluated here). Formulas are never evaluated either way.
   */
  formulas: 'refuse' | 'cached';
  /** CSV only: the field delimiter, or `'auto'` to pick `,` `;` or tab from the first line. */
  delimiter: 'auto' | ',' | ';' | '\t';
}

export const DEFAULT_SPREADSHEET_LIMITS: Readonly<SpreadsheetLimits> = Object.freeze({
  maxFileBytes: 20 * 1024 * 1024,
  maxEntries: 1_000,
  maxEntryBytes: 50 * 1024 * 1024,
  maxTotalBytes: 100 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxSheets: 50,
  maxRows: 100_000,
  maxColumns: 1_000,
  maxCells: 1_000_000,
  maxSharedStrings: 500_000,
  maxTextChars: 20_000_000,
  maxCellChars: 32_767,
  timeoutMs: 10_000,
  maxMemoryMb: 256,
  formulas: 'refuse',
  delimiter: 'auto',
});

const POSITIVE_INTEGER_LIMITS = [
  'maxFileBytes',
  'maxEntries',
  'maxEntryBytes',
  'maxTotalBytes',
  'maxCompressionRatio',
  'maxSheets',
  'maxRows',
  'maxColumns',
  'maxCells',
  'maxSharedStrings',
  'maxTextChars',
  'maxCellChars',
  'timeoutMs',
  'maxMemoryMb',
] as const satisfies readonly (keyof SpreadsheetLimits)[];

/** Excel's own bounds: a limit above them would only let a hostile file through. */
export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_COLUMNS = 16_384;

/** The defaults overlaid with `overrides`; refuses a cap that is not a positive integer (a caller's bug). */
export function resolveLimits(overrides: Partial<SpreadsheetLimits> = {}): SpreadsheetLimits {
  const limits: SpreadsheetLimits = { ...DEFAULT_SPREADSHEET_LIMITS };
  for (const [key, value] of Object.entries(overrides) as [keyof SpreadsheetLimits, unknown][]) {
    if (value !== undefined) (limits as unknown as Record<string, unknown>)[key] = value;
  }
  for (const key of POSITIVE_INTEGER_LIMITS) {
    const v = limits[key];
    if (!Number.isSafeInteger(v) || v < 1) throw new TypeError(`spreadsheet limit ${key} must be a positive integer, got ${String(v)}`);
  }
  if (limits.formulas !== 'refuse' && limits.formulas !== 'cached')
    throw new TypeError(`spreadsheet limit formulas must be 'refuse' or 'cached'`);
  if (![',', ';', '\t', 'auto'].includes(limits.delimiter))
    throw new TypeError(`spreadsheet limit delimiter must be ',', ';', tab or 'auto'`);
  limits.maxRows = Math.min(limits.maxRows, EXCEL_MAX_ROWS);
  limits.maxColumns = Math.min(limits.maxColumns, EXCEL_MAX_COLUMNS);
  return limits;
}

/** Counts the cells of the grids being built and refuses the one that crosses `maxCells`. */
export class GridBudget {
  private used = 0;
  constructor(private readonly max: number) {}

  /** Adds a finished sheet's rows × columns. */
  add(cells: number): void {
    this.used += cells;
    this.check(0);
  }

  /** Checks that `pending` more cells (a sheet still being read) would fit. */
  check(pending: number): void {
    const total = this.used + pending;
    if (total > this.max) {
      throw new SpreadsheetError('spreadsheet.too_large', `The spreadsheet has more than ${this.max} cells (rows × columns)`, {
        limit: 'maxCells',
        max: this.max,
        actual: total,
      });
    }
  }
}
