export * from './errors.js';
export * from './limits.js';
export { isFormulaLike, neutralizeCsvCell, restoreCsvCell, columnName, cellRef, parseCellRef } from './cells.js';
export * from './xlsx-writer.js';
export * from './csv-writer.js';
export type { SheetContent, WorkbookContent } from './xlsx-reader.js';
export type { CsvContent, CsvEncoding } from './csv-reader.js';
export * from './reader.js';
