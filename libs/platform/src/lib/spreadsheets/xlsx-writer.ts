import { ZipFile } from 'yazl';

import {
  cellRef,
  columnName,
  dateToSerial,
  dateToText,
  FIRST_EXACT_EXCEL_DATE,
  hasXmlIllegalChar,
  isFormulaLike,
  numberToText,
  xmlContent,
  xmlEscape,
  xmlText,
} from './cells.js';
import { SpreadsheetError } from './errors.js';
import { EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS } from './limits.js';

export type SheetVisibility = 'visible' | 'hidden' | 'veryHidden';
/** How a column's cells are written: text (also numbers given for it), numbers, dates (a UTC day) or date-times. */
export type ColumnType = 'text' | 'number' | 'date' | 'datetime';
export type CellInput = string | number | Date | null | undefined;

export interface ColumnSpec {
  header: string;
  /** Default `'text'`: the column is formatted as Text (`@`), so what a person types there stays text. */
  type?: ColumnType;
  /** Width in characters; default fits the header and the first values (8–60). */
  width?: number;
  /** A drop-down of these values on every data row of the column (see `SheetSpec.validations` for single cells). */
  allowedValues?: readonly string[];
}

/** A drop-down on a bounded block of one column's data rows (0-based indexes into `rows`, inclusive). */
export interface ValidationSpec {
  column: number;
  firstRow: number;
  lastRow?: number;
  allowedValues: readonly string[];
}

export interface SheetSpec {
  /** 1–31 characters, none of `: \ / ? * [ ]`, unique in the workbook regardless of case. */
  name: string;
  /** `hidden` can be unhidden from the application's menu; `veryHidden` only by a macro or a program. */
  visibility?: SheetVisibility;
  /** One per column; written as the header row (row 1, bold, frozen unless `freezeHeader` is false). */
  columns: readonly ColumnSpec[];
  /** Data rows (row 2 on). A row may be shorter than `columns`, never longer; null, undefined and `''` are empty. */
  rows: readonly (readonly CellInput[])[];
  validations?: readonly ValidationSpec[];
  freezeHeader?: boolean;
}

export interface WorkbookSpec {
  /** At least one sheet, and at least one of them visible (spreadsheet applications refuse a workbook without). */
  sheets: readonly SheetSpec[];
}

/** The very hidden sheet that holds drop-down lists too long (or with commas) for an inline list. */
export const LISTS_SHEET_NAME = '_lists';

/** Excel keeps at most 255 characters in an inline list (`"a,b,c"`) of a data validation. */
const INLINE_LIST_MAX = 255;
const MAX_VALIDATION_ROWS = 100_000;
const MAX_CELL_CHARS = 32_767;

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Indexes into `cellXfs` of the styles part below. */
const STYLE = { general: 0, text: 1, textQuoted: 2, header: 3, headerQuoted: 4, date: 5, datetime: 6 } as const;

const STYLES_XML =
  XML_HEAD +
  `<styleSheet xmlns="${NS_MAIN}">` +
  '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="7">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/>' +
  '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>' +
  '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" quotePrefix="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

const ROOT_RELS =
  XML_HEAD +
  `<Relationships xmlns="${NS_PKG_REL}">` +
  `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/>` +
  '</Relationships>';

const invalid = (message: string) => new SpreadsheetError('spreadsheet.invalid_spec', message);

/** A written cell: shared string index (`t="s"`) or a number, and its style. */
type OutCell = { column: number; style: number } & ({ kind: 's'; index: number } | { kind: 'n'; value: number });

class SharedStrings {
  private readonly index = new Map<string, number>();
  readonly list: string[] = [];
  count = 0;

  add(text: string): number {
    this.count++;
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(text);
      this.index.set(text, i);
    }
    return i;
  }

  xml(): string {
    const items = this.list.map((t) => `<si><t xml:space="preserve">${xmlText(t)}</t></si>`).join('');
    return `${XML_HEAD}<sst xmlns="${NS_MAIN}" count="${this.count}" uniqueCount="${this.list.length}">${items}</sst>`;
  }
}

/** One drop-down list and the ranges it applies to. */
interface ListValidation {
  values: readonly string[];
  ranges: string[];
}

function checkSheetName(name: string, seen: Set<string>): void {
  if (typeof name !== 'string' || name.length < 1 || name.length > 31) {
    throw invalid(`Sheet name "${String(name)}" must have 1 to 31 characters`);
  }
  if (/[:\\/?*[\]]/.test(name) || hasXmlIllegalChar(name)) {
    throw invalid(`Sheet name "${name}" may not contain : \\ / ? * [ ] or control characters`);
  }
  if (name.startsWith("'") || name.endsWith("'")) throw invalid(`Sheet name "${name}" may not start or end with an apostrophe`);
  const key = name.toLowerCase();
  if (key === 'history') throw invalid('Sheet name "History" is reserved by Excel');
  if (seen.has(key)) throw invalid(`Sheet name "${name}" is used twice (names are compared without case)`);
  seen.add(key);
}

function checkListValues(sheet: string, values: readonly string[]): void {
  if (!Array.isArray(values) || values.length === 0) throw invalid(`Sheet "${sheet}": a drop-down needs at least one allowed value`);
  for (const v of values) {
    if (typeof v !== 'string' || v.length === 0 || v.length > 255 || hasXmlIllegalChar(v)) {
      throw invalid(`Sheet "${sheet}": allowed value "${String(v)}" must be 1–255 characters without control characters`);
    }
  }
}

/** `"a,b"` when the list fits Excel's inline form, else null (the list goes to the lists sheet). */
function inlineList(values: readonly string[]): string | null {
  if (values.some((v) => v.includes(','))) return null;
  const body = values.map((v) => v.replace(/"/g, '""')).join(',');
  return body.length <= INLINE_LIST_MAX ? `"${body}"` : null;
}

function textOf(value: string | number | Date): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberToText(value);
  return dateToText(value);
}

function isEmpty(value: CellInput): value is null | undefined | '' {
  return value === null || value === undefined || value === '';
}

function defaultWidth(column: ColumnSpec, index: number, rows: readonly (readonly CellInput[])[]): number {
  let longest = column.header.length;
  for (const row of rows.slice(0, 200)) {
    const v = row[index];
    if (isEmpty(v)) continue;
    const text = v instanceof Date ? (column.type === 'datetime' ? 'yyyy-mm-dd hh:mm:ss' : 'yyyy-mm-dd') : textOf(v);
    const firstLine = text.split('\n', 1)[0]!;
    longest = Math.max(longest, firstLine.length);
  }
  return Math.min(60, Math.max(8, longest + 2));
}

interface BuiltSheet {
  name: string;
  visibility: SheetVisibility;
  xml: (tabSelected: boolean) => string;
}

function buildSheet(spec: SheetSpec, strings: SharedStrings, lists: ListRegistry): BuiltSheet {
  const { name, columns } = spec;
  if (!Array.isArray(columns) || columns.length === 0) throw invalid(`Sheet "${name}" needs at least one column`);
  if (columns.length > EXCEL_MAX_COLUMNS) throw invalid(`Sheet "${name}" has more than ${EXCEL_MAX_COLUMNS} columns`);
  if (!Array.isArray(spec.rows)) throw invalid(`Sheet "${name}": rows must be an array`);
  if (spec.rows.length + 1 > EXCEL_MAX_ROWS) throw invalid(`Sheet "${name}" has more than ${EXCEL_MAX_ROWS - 1} data rows`);

  const textCell = (text: string, row: number, column: number, header = false): OutCell => {
    if (text.length > MAX_CELL_CHARS)
      throw invalid(`Sheet "${name}" cell ${cellRef(row, column)}: text longer than ${MAX_CELL_CHARS} characters`);
    const quoted = isFormulaLike(text);
    const style = header ? (quoted ? STYLE.headerQuoted : STYLE.header) : quoted ? STYLE.textQuoted : STYLE.text;
    return { column, style, kind: 's', index: strings.add(text) };
  };

  const rowsXml: string[] = [];
  const header: OutCell[] = columns.map((c, i) => {
    if (typeof c.header !== 'string') throw invalid(`Sheet "${name}" column ${columnName(i)}: header must be text`);
    return textCell(c.header, 0, i, true);
  });
  rowsXml.push(rowXml(0, header));

  spec.rows.forEach((row, r) => {
    const rowIndex = r + 1;
    if (!Array.isArray(row)) throw invalid(`Sheet "${name}" row ${rowIndex + 1} must be an array of cells`);
    if (row.length > columns.length) {
      throw invalid(`Sheet "${name}" row ${rowIndex + 1} has ${row.length} cells but the sheet declares ${columns.length} columns`);
    }
    const cells: OutCell[] = [];
    row.forEach((value, c) => {
      if (isEmpty(value)) return;
      const ref = () => `Sheet "${name}" cell ${cellRef(rowIndex, c)}`;
      const type = columns[c]!.type ?? 'text';
      if (type === 'text') {
        if (typeof value === 'number' && !Number.isFinite(value)) throw invalid(`${ref()}: ${value} is not a finite number`);
        if (value instanceof Date && Number.isNaN(value.getTime())) throw invalid(`${ref()}: invalid date`);
        if (typeof value !== 'string' && typeof value !== 'number' && !(value instanceof Date))
          throw invalid(`${ref()}: unsupported value`);
        cells.push(textCell(textOf(value), rowIndex, c));
      } else if (type === 'number') {
        if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${ref()}: the column holds numbers, got ${typeof value}`);
        cells.push({ column: c, style: STYLE.general, kind: 'n', value });
      } else {
        if (!(value instanceof Date) || Number.isNaN(value.getTime()))
          throw invalid(`${ref()}: the column holds dates, got ${typeof value}`);
        let ms = value.getTime();
        if (type === 'date') ms = Date.UTC(value.getUTCFullYear(), value.getUTCMonth(), value.getUTCDate());
        if (ms < FIRST_EXACT_EXCEL_DATE || ms >= Date.UTC(10000, 0, 1))
          throw invalid(`${ref()}: dates must lie between 1900-03-01 and 9999-12-31`);
        cells.push({ column: c, style: type === 'date' ? STYLE.date : STYLE.datetime, kind: 'n', value: dateToSerial(new Date(ms)) });
      }
    });
    if (cells.length) rowsXml.push(rowXml(rowIndex, cells));
  });

  // Drop-downs: the column-wide ones over every data row, then the explicit blocks; one element per list.
  const byList = new Map<string, ListValidation>();
  const addValidation = (column: number, first: number, last: number, values: readonly string[]) => {
    checkListValues(name, values);
    const key = JSON.stringify(values);
    const entry = byList.get(key) ?? { values, ranges: [] };
    const from = cellRef(first + 1, column);
    entry.ranges.push(first === last ? from : `${from}:${cellRef(last + 1, column)}`);
    byList.set(key, entry);
  };
  columns.forEach((c, i) => {
    if (c.allowedValues !== undefined && spec.rows.length > 0) addValidation(i, 0, spec.rows.length - 1, c.allowedValues);
  });
  for (const v of spec.validations ?? []) {
    const last = v.lastRow ?? v.firstRow;
    if (!Number.isInteger(v.column) || v.column < 0 || v.column >= columns.length) {
      throw invalid(`Sheet "${name}": a validation names column ${String(v.column)}, which the sheet does not declare`);
    }
    if (!Number.isInteger(v.firstRow) || !Number.isInteger(last) || v.firstRow < 0 || last < v.firstRow) {
      throw invalid(`Sheet "${name}": a validation needs 0 <= firstRow <= lastRow`);
    }
    if (last - v.firstRow + 1 > MAX_VALIDATION_ROWS || last + 2 > EXCEL_MAX_ROWS) {
      throw invalid(`Sheet "${name}": a validation may cover at most ${MAX_VALIDATION_ROWS} rows`);
    }
    addValidation(v.column, v.firstRow, last, v.allowedValues);
  }
  const validationsXml = [...byList.values()].map((l) => {
    const formula = inlineList(l.values) ?? lists.reference(l.values);
    return (
      `<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" errorStyle="stop" ` +
      `errorTitle="Not allowed" error="Choose one of the listed values." sqref="${l.ranges.join(' ')}">` +
      `<formula1>${xmlContent(formula)}</formula1></dataValidation>`
    );
  });

  const colsXml = columns
    .map((c, i) => {
      const width = c.width ?? defaultWidth(c, i, spec.rows);
      if (!Number.isFinite(width) || width <= 0 || width > 255)
        throw invalid(`Sheet "${name}" column ${columnName(i)}: width must be 1–255`);
      const type = c.type ?? 'text';
      const style = type === 'text' ? STYLE.text : type === 'date' ? STYLE.date : type === 'datetime' ? STYLE.datetime : STYLE.general;
      return `<col min="${i + 1}" max="${i + 1}" width="${width}" style="${style}" customWidth="1"/>`;
    })
    .join('');

  const lastRef = cellRef(spec.rows.length, columns.length - 1);
  const freeze = spec.freezeHeader !== false;
  return {
    name,
    visibility: spec.visibility ?? 'visible',
    xml: (tabSelected) =>
      XML_HEAD +
      `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
      `<dimension ref="A1:${lastRef}"/>` +
      `<sheetViews><sheetView workbookViewId="0"${tabSelected ? ' tabSelected="1"' : ''}>` +
      (freeze
        ? '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        : '') +
      '</sheetView></sheetViews>' +
      '<sheetFormatPr defaultRowHeight="15"/>' +
      `<cols>${colsXml}</cols>` +
      `<sheetData>${rowsXml.join('')}</sheetData>` +
      (validationsXml.length ? `<dataValidations count="${validationsXml.length}">${validationsXml.join('')}</dataValidations>` : '') +
      '</worksheet>',
  };
}

function rowXml(rowIndex: number, cells: OutCell[]): string {
  const body = cells
    .map((c) => {
      const r = cellRef(rowIndex, c.column);
      return c.kind === 's' ? `<c r="${r}" s="${c.style}" t="s"><v>${c.index}</v></c>` : `<c r="${r}" s="${c.style}"><v>${c.value}</v></c>`;
    })
    .join('');
  return `<row r="${rowIndex + 1}">${body}</row>`;
}

/** Lists that do not fit inline: one column each on the very hidden `_lists` sheet. */
class ListRegistry {
  readonly columns: (readonly string[])[] = [];
  private readonly refs = new Map<string, string>();

  reference(values: readonly string[]): string {
    const key = JSON.stringify(values);
    let ref = this.refs.get(key);
    if (!ref) {
      const col = columnName(this.columns.length);
      this.columns.push(values);
      ref = `'${LISTS_SHEET_NAME}'!$${col}$1:$${col}$${values.length}`;
      this.refs.set(key, ref);
    }
    return ref;
  }

  sheet(): SheetSpec {
    const height = Math.max(...this.columns.map((c) => c.length));
    const rows = Array.from({ length: height }, (_, r) => this.columns.map((c) => c[r] ?? null));
    // The lists start on row 1: the "header" is the first value of each list.
    return {
      name: LISTS_SHEET_NAME,
      visibility: 'veryHidden',
      columns: this.columns.map((c) => ({ header: c[0]!, width: 30 })),
      rows: rows.slice(1),
      freezeHeader: false,
    };
  }
}

/**
 * Writes an .xlsx workbook. Every string is a shared string (never a formula); a text column is formatted as
 * Text so what a person types there stays text, and text that starts like a formula carries the quote-prefix
 * style, so Excel keeps it text even when the cell is edited. Throws `spreadsheet.invalid_spec` naming the sheet
 * and cell for anything that cannot be written as declared.
 */
export async function writeWorkbook(spec: WorkbookSpec): Promise<Buffer> {
  if (!spec || !Array.isArray(spec.sheets) || spec.sheets.length === 0) throw invalid('A workbook needs at least one sheet');
  const seen = new Set<string>();
  for (const s of spec.sheets) checkSheetName(s?.name, seen);
  if (!spec.sheets.some((s) => (s.visibility ?? 'visible') === 'visible')) throw invalid('A workbook needs at least one visible sheet');

  const strings = new SharedStrings();
  const lists = new ListRegistry();
  const sheets = spec.sheets.map((s) => buildSheet(s, strings, lists));
  if (lists.columns.length) {
    if (seen.has(LISTS_SHEET_NAME)) throw invalid(`Sheet name "${LISTS_SHEET_NAME}" is reserved for long drop-down lists`);
    sheets.push(buildSheet(lists.sheet(), strings, new ListRegistry()));
  }
  const active = sheets.findIndex((s) => s.visibility === 'visible');

  const workbookXml =
    XML_HEAD +
    `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    '<workbookPr/>' +
    `<bookViews><workbookView${active > 0 ? ` activeTab="${active}"` : ''}/></bookViews>` +
    '<sheets>' +
    sheets
      .map(
        (s, i) =>
          `<sheet name="${xmlEscape(s.name)}" sheetId="${i + 1}"${s.visibility === 'visible' ? '' : ` state="${s.visibility}"`} r:id="rId${i + 1}"/>`,
      )
      .join('') +
    '</sheets></workbook>';

  const n = sheets.length;
  const workbookRels =
    XML_HEAD +
    `<Relationships xmlns="${NS_PKG_REL}">` +
    sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
    `<Relationship Id="rId${n + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>` +
    `<Relationship Id="rId${n + 2}" Type="${NS_REL}/sharedStrings" Target="sharedStrings.xml"/>` +
    '</Relationships>';

  const ct = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
  const contentTypes =
    XML_HEAD +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/xl/workbook.xml" ContentType="${ct}.sheet.main+xml"/>` +
    sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${ct}.worksheet+xml"/>`).join('') +
    `<Override PartName="/xl/styles.xml" ContentType="${ct}.styles+xml"/>` +
    `<Override PartName="/xl/sharedStrings.xml" ContentType="${ct}.sharedStrings+xml"/>` +
    '</Types>';

  const parts: [string, string][] = [
    ['[Content_Types].xml', contentTypes],
    ['_rels/.rels', ROOT_RELS],
    ['xl/workbook.xml', workbookXml],
    ['xl/_rels/workbook.xml.rels', workbookRels],
    ...sheets.map((s, i): [string, string] => [`xl/worksheets/sheet${i + 1}.xml`, s.xml(i === active)]),
    ['xl/styles.xml', STYLES_XML],
    ['xl/sharedStrings.xml', strings.xml()],
  ];
  return zip(parts);
}

function zip(parts: [string, string][]): Promise<Buffer> {
  const file = new ZipFile();
  for (const [name, xml] of parts) file.addBuffer(Buffer.from(xml, 'utf8'), name, { compress: true });
  file.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    file.outputStream.on('data', (c: Buffer) => chunks.push(c));
    file.outputStream.on('error', reject);
    file.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
