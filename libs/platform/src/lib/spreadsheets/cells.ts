/**
 * Cell-level conventions shared by the writers and the readers: formula neutralisation, A1 references,
 * Excel serial dates and the text escaping of SpreadsheetML. No I/O here; the parse worker imports it too.
 */

/** Characters that make a spreadsheet application treat typed or imported text as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A value the CSV writer prefixes with `'`: formula-like text, or such text already behind apostrophes. */
const CSV_ESCAPED = /^'*[=+\-@\t\r]/;
/** What the CSV reader strips one apostrophe from: exactly what the writer produced. */
const CSV_PREFIXED = /^'+[=+\-@\t\r]/;

/** True for text a spreadsheet application would run as a formula (`=`, `+`, `-`, `@`, tab or CR first). */
export function isFormulaLike(text: string): boolean {
  return FORMULA_START.test(text);
}

/**
 * The CSV convention (OWASP "CSV injection"): a value that starts with `=`, `+`, `-`, `@`, tab or CR — or with
 * apostrophes followed by one of them — gets one more leading apostrophe, which spreadsheet applications show as
 * text. `restoreCsvCell` removes exactly that apostrophe, so every string round-trips unchanged and values such as
 * `'tis` are never touched.
 */
export function neutralizeCsvCell(text: string): string {
  return CSV_ESCAPED.test(text) ? `'${text}` : text;
}

/** The inverse of `neutralizeCsvCell`. */
export function restoreCsvCell(text: string): string {
  return CSV_PREFIXED.test(text) ? text.slice(1) : text;
}

/** 0 → `A`, 25 → `Z`, 26 → `AA`. */
export function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    name = String.fromCharCode(65 + rem) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

/** `B3` for row index 2, column index 1 (both 0-based). */
export function cellRef(row: number, column: number): string {
  return `${columnName(column)}${row + 1}`;
}

const A1 = /^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$/;

/** Parses `B3` into 0-based indexes; null for anything else (ranges, R1C1, out-of-range letters). */
export function parseCellRef(ref: string): { row: number; column: number } | null {
  const m = A1.exec(ref);
  if (!m) return null;
  let column = 0;
  for (const ch of m[1]!.toUpperCase()) column = column * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]) - 1, column: column - 1 };
}

const MS_PER_DAY = 86_400_000;
/** 1899-12-30: serial 0 of the 1900 date system (Excel's fictitious 1900-02-29 makes day 60 the only gap). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
/** 1904-01-01: serial 0 of the 1904 date system (old Mac workbooks, `workbookPr date1904="1"`). */
const EPOCH_1904 = Date.UTC(1904, 0, 1);
/** 1900-03-01, the first day whose serial (61) is the same in Excel and in a real calendar. */
export const FIRST_EXACT_EXCEL_DATE = Date.UTC(1900, 2, 1);

/** The Excel serial of a UTC instant (1900 date system). Callers refuse dates before 1900-03-01. */
export function dateToSerial(date: Date): number {
  return (date.getTime() - EPOCH_1900) / MS_PER_DAY;
}

/**
 * A serial date as text: `YYYY-MM-DD` when it has no time of day, else the ISO instant (`…T…Z`), reading the
 * workbook's zone-less wall clock as UTC (the writer writes UTC). Rounded to the millisecond.
 */
export function serialToText(serial: number, date1904: boolean): string | null {
  if (!Number.isFinite(serial)) return null;
  let days = serial;
  // Excel counts a 1900-02-29 that never was: serials 1–59 are one day later than the epoch says.
  if (!date1904 && days < 60) days += 1;
  const ms = Math.round(days * MS_PER_DAY) + (date1904 ? EPOCH_1904 : EPOCH_1900);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return null;
  return dateToText(d);
}

/** `YYYY-MM-DD` for a UTC midnight, else the full ISO instant. */
export function dateToText(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** A number as text: JavaScript's shortest exact form (`0.1`, `-1`, `1e+21`), no display formatting. */
export function numberToText(n: number): string {
  return Object.is(n, -0) ? '0' : String(n);
}

// ---------------------------------------------------------------------------------------------------------
// SpreadsheetML text (ST_Xstring): characters XML 1.0 cannot carry, and CR (which XML parsers turn into LF),
// are written as `_xHHHH_`; a literal `_xHHHH_` in the text protects its underscore as `_x005F_`.

const NEEDS_ESCAPE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000D\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|_(?=x[0-9A-Fa-f]{4}_)/g;

const hex4 = (code: number) => code.toString(16).toUpperCase().padStart(4, '0');

/** Escapes `&`, `<`, `>` and `"` (for attributes, which are always written in double quotes). */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Escapes `&`, `<` and `>` (element content). */
export function xmlContent(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text for an element of SpreadsheetML (`<t>`): the `_xHHHH_` convention, then the XML entities. */
export function xmlText(text: string): string {
  return xmlContent(text.replace(NEEDS_ESCAPE, (ch) => `_x${hex4(ch.charCodeAt(0))}_`));
}

/** True when the text holds a character XML 1.0 cannot carry at all (for names and attributes, which have no escape). */
export function hasXmlIllegalChar(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** Decodes `_xHHHH_` escapes of SpreadsheetML text (after the XML parser decoded the entities). */
export function decodeXstring(text: string): string {
  return text.indexOf('_x') === -1 ? text : text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
