import { DomainException, type ErrorKind } from '../errors/domain.exception.js';

/**
 * Stable codes of the spreadsheet layer. Each maps to one HTTP status through `DomainException`, so an API
 * that lets a `SpreadsheetError` through answers with the right 4xx without a mapping of its own.
 */
export const SPREADSHEET_ERROR_KINDS = {
  /** A cap was crossed (file, archive, entry, expansion ratio, rows, columns, cells, strings, memory): 413. */
  'spreadsheet.too_large': 'payload_too_large',
  /** Reading took longer than `timeoutMs`; the parse was killed: 422. */
  'spreadsheet.timeout': 'invalid',
  /** Not an XLSX workbook at all (not a zip, a renamed file, a Word document, a legacy .xls): 422. */
  'spreadsheet.not_xlsx': 'invalid',
  /** Password-protected (an encrypted OOXML package or an encrypted zip entry): 422. */
  'spreadsheet.encrypted': 'invalid',
  /** A zip or XML part that is broken or inconsistent (sizes that lie, bad cell references, bad XML): 422. */
  'spreadsheet.malformed': 'invalid',
  /** A construct refused on principle: a DOCTYPE or ENTITY declaration in an XML part: 422. */
  'spreadsheet.unsafe': 'invalid',
  /** A formula cell while `formulas` is `'refuse'`; `details` names the sheet and the cell: 422. */
  'spreadsheet.formula': 'invalid',
  /** Text that is not CSV (an unterminated quote, a binary file): 422. */
  'spreadsheet.not_csv': 'invalid',
  /** Too many parses are running or waiting in this process: 503 with Retry-After. */
  'spreadsheet.busy': 'unavailable',
  /** A `writeWorkbook`/`writeCsv` specification that cannot be written (bad sheet name, wrong cell type): 422. */
  'spreadsheet.invalid_spec': 'invalid',
  /** The parse worker died for a reason of its own (a bug, not the file): 500. */
  'spreadsheet.internal': 'internal',
} as const satisfies Record<string, ErrorKind>;

export type SpreadsheetErrorCode = keyof typeof SPREADSHEET_ERROR_KINDS;

/** Which cap a `spreadsheet.too_large` crossed, with the configured maximum (and the value seen, when known). */
export interface LimitDetails {
  limit: string;
  max: number;
  actual?: number;
}

/** Where a `spreadsheet.formula` (or a malformed cell) was found: sheet name and A1 reference. */
export interface CellDetails {
  sheet: string;
  cell: string;
}

/** A typed error of the spreadsheet layer; `code` is stable, `details` is safe to show to the uploader. */
export class SpreadsheetError extends DomainException {
  constructor(
    override readonly code: SpreadsheetErrorCode,
    message: string,
    details?: LimitDetails | CellDetails | Record<string, unknown>,
  ) {
    super(
      code,
      SPREADSHEET_ERROR_KINDS[code],
      message,
      undefined,
      code === 'spreadsheet.busy' ? { 'Retry-After': '5' } : undefined,
      details,
    );
    this.name = 'SpreadsheetError';
  }

  /** The plain form that crosses the worker boundary (structured clone keeps no prototype). */
  toJSON(): SerializedSpreadsheetError {
    return { code: this.code, message: this.message, details: this.details };
  }

  static fromJSON(e: SerializedSpreadsheetError): SpreadsheetError {
    const code = e.code in SPREADSHEET_ERROR_KINDS ? e.code : 'spreadsheet.internal';
    return new SpreadsheetError(code, e.message, e.details as Record<string, unknown> | undefined);
  }
}

export interface SerializedSpreadsheetError {
  code: SpreadsheetErrorCode;
  message: string;
  details?: unknown;
}

export function tooLarge(limit: string, max: number, message: string, actual?: number): SpreadsheetError {
  return new SpreadsheetError('spreadsheet.too_large', message, actual === undefined ? { limit, max } : { limit, max, actual });
}
