import { cellRef, decodeXstring, numberToText, parseCellRef, serialToText } from './cells.js';
import { SpreadsheetError, tooLarge } from './errors.js';
import { GridBudget, type SpreadsheetLimits } from './limits.js';
import type { SheetVisibility } from './xlsx-writer.js';
import { attr, isMain, parseRelationships, parseXml, type Relationship } from './xml.js';
import { ZipGuard } from './zip-guard.js';

export interface SheetContent {
  name: string;
  visibility: SheetVisibility;
  /**
   * Every cell as text, row 1 first: rectangular (as wide as the rightmost value), up to the last row with a
   * value; empty cells are `''`. Numbers read as JavaScript's shortest form, dates as `YYYY-MM-DD` or an ISO
   * instant, booleans as `TRUE`/`FALSE`, error values as their text (`#N/A`).
   */
  rows: string[][];
}

export interface WorkbookContent {
  sheets: SheetContent[];
}

/** Counts characters of all text read against `maxTextChars`. */
export class TextBudget {
  private used = 0;
  constructor(private readonly max: number) {}
  add(chars: number): void {
    this.used += chars;
    if (this.used > this.max) throw tooLarge('maxTextChars', this.max, `The file holds more than ${this.max} characters of text`);
  }
}

const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** True when a number format shows a date or time (quoted text, escapes and `[...]` sections aside). */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/_.|\*./g, '')
    .replace(/\[[^\]]*\]/g, '');
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** `cellXfs` index → whether its number format is a date. */
function parseStyles(bytes: Buffer): boolean[] {
  const custom = new Map<number, string>();
  const xfs: number[] = [];
  let inCellXfs = false;
  parseXml('xl/styles.xml', bytes, {
    open(tag) {
      if (isMain(tag, 'numFmt')) custom.set(Number(attr(tag, 'numFmtId')), attr(tag, 'formatCode') ?? '');
      else if (isMain(tag, 'cellXfs')) inCellXfs = true;
      else if (inCellXfs && isMain(tag, 'xf')) xfs.push(Number(attr(tag, 'numFmtId') ?? 0));
    },
    close(tag) {
      if (isMain(tag, 'cellXfs')) inCellXfs = false;
    },
  });
  return xfs.map((id) => (custom.has(id) ? isDateFormat(custom.get(id)!) : BUILTIN_DATE_FORMATS.has(id)));
}

function parseSharedStrings(part: string, bytes: Buffer, limits: SpreadsheetLimits, text: TextBudget): string[] {
  const strings: string[] = [];
  let current: string[] | null = null;
  let length = 0;
  // The <t> of an <si>, or of a rich-text run <si><r><t>; never the phonetic <rPh><t>.
  let inText = false;
  let stack: string[] = [];
  parseXml(part, bytes, {
    open(tag) {
      stack.push(tag.local);
      if (isMain(tag, 'si')) {
        if (strings.length >= limits.maxSharedStrings) {
          throw tooLarge(
            'maxSharedStrings',
            limits.maxSharedStrings,
            `The shared strings table has more than ${limits.maxSharedStrings} entries`,
          );
        }
        current = [];
        length = 0;
        stack = ['si'];
      } else if (current && isMain(tag, 't')) {
        inText = stack.length === 2 || (stack.length === 3 && stack[1] === 'r');
      }
    },
    close(tag) {
      stack.pop();
      if (isMain(tag, 't')) inText = false;
      else if (isMain(tag, 'si') && current) {
        strings.push(decodeXstring(current.join('')));
        current = null;
      }
    },
    text(t) {
      if (!inText || !current) return;
      length += t.length;
      if (length > limits.maxCellChars)
        throw tooLarge('maxCellChars', limits.maxCellChars, `A shared string is longer than ${limits.maxCellChars} characters`);
      text.add(t.length);
      current.push(t);
    },
  });
  return strings;
}

interface SheetRef {
  name: string;
  visibility: SheetVisibility;
  rel: Relationship | undefined;
}

interface WorkbookPart {
  sheets: SheetRef[];
  date1904: boolean;
}

function parseWorkbook(part: string, bytes: Buffer, rels: Map<string, Relationship>, limits: SpreadsheetLimits): WorkbookPart {
  const sheets: SheetRef[] = [];
  let date1904 = false;
  let root = true;
  parseXml(part, bytes, {
    open(tag) {
      if (root) {
        root = false;
        if (!isMain(tag, 'workbook'))
          throw new SpreadsheetError('spreadsheet.not_xlsx', 'The file is an Office document, but not an Excel workbook');
      }
      if (isMain(tag, 'workbookPr')) date1904 = ['1', 'true'].includes(attr(tag, 'date1904') ?? '');
      else if (isMain(tag, 'sheet')) {
        if (sheets.length >= limits.maxSheets)
          throw tooLarge('maxSheets', limits.maxSheets, `The workbook has more than ${limits.maxSheets} sheets`);
        const state = attr(tag, 'state');
        sheets.push({
          name: attr(tag, 'name') ?? `Sheet${sheets.length + 1}`,
          visibility: state === 'hidden' || state === 'veryHidden' ? state : 'visible',
          rel: rels.get(attr(tag, 'id') ?? ''),
        });
      }
    },
  });
  return { sheets, date1904 };
}

interface SheetContext {
  name: string;
  strings: string[];
  dateStyles: boolean[];
  date1904: boolean;
  limits: SpreadsheetLimits;
  text: TextBudget;
  grid: GridBudget;
}

/**
 * Reads the values of one worksheet. Only `<sheetData>` is interpreted: data validations, conditional
 * formatting, merged cells, hyperlinks, column definitions and the rest are skipped as the stream passes them,
 * so no range they name is ever expanded.
 */
function parseSheet(part: string, bytes: Buffer, ctx: SheetContext): string[][] {
  const { limits } = ctx;
  const rows: string[][] = [];
  let maxRow = -1;
  let maxCol = -1;
  let inSheetData = false;
  let row = -1;
  let col = -1;
  // The cell being read.
  let cell: {
    ref: string;
    row: number;
    col: number;
    type: string;
    style: number;
    formula: boolean;
    value: string[];
    chars: number;
  } | null = null;
  let capture: 'v' | 'is' | null = null;
  let inIsText = false;
  let isStack: string[] = [];

  const malformed = (what: string) => new SpreadsheetError('spreadsheet.malformed', `Sheet "${ctx.name}": ${what}`);

  const commit = () => {
    const c = cell!;
    if (c.formula && limits.formulas === 'refuse') {
      throw new SpreadsheetError(
        'spreadsheet.formula',
        `Sheet "${ctx.name}" cell ${c.ref} holds a formula; formulas are not accepted (paste the values instead)`,
        { sheet: ctx.name, cell: c.ref },
      );
    }
    const raw = c.value.join('');
    let value: string;
    switch (c.type) {
      case 's': {
        if (raw.trim() === '') return;
        const s = ctx.strings[Number(raw)];
        if (!/^\s*\d+\s*$/.test(raw) || s === undefined)
          throw malformed(`cell ${c.ref} refers to shared string ${raw}, which does not exist`);
        value = s;
        break;
      }
      case 'inlineStr':
        value = decodeXstring(raw);
        break;
      case 'str':
      case 'e':
        value = decodeXstring(raw);
        break;
      case 'b':
        if (raw === '') return;
        value = raw.trim() === '1' || raw.trim().toLowerCase() === 'true' ? 'TRUE' : 'FALSE';
        break;
      case 'd':
        value = raw.trim();
        break;
      case 'n':
      default: {
        if (raw.trim() === '') return;
        const n = Number(raw);
        if (!Number.isFinite(n)) throw malformed(`cell ${c.ref} holds "${raw.slice(0, 40)}", which is not a number`);
        const asDate = ctx.dateStyles[c.style] ? serialToText(n, ctx.date1904) : null;
        value = asDate ?? numberToText(n);
      }
    }
    if (value === '') return;
    if (value.length > limits.maxCellChars)
      throw tooLarge(
        'maxCellChars',
        limits.maxCellChars,
        `Sheet "${ctx.name}" cell ${c.ref} is longer than ${limits.maxCellChars} characters`,
      );
    if (c.row >= limits.maxRows)
      throw tooLarge('maxRows', limits.maxRows, `Sheet "${ctx.name}" has values beyond row ${limits.maxRows}`, c.row + 1);
    if (c.col >= limits.maxColumns)
      throw tooLarge('maxColumns', limits.maxColumns, `Sheet "${ctx.name}" has values beyond column ${limits.maxColumns}`, c.col + 1);
    if (c.row > maxRow || c.col > maxCol) {
      maxRow = Math.max(maxRow, c.row);
      maxCol = Math.max(maxCol, c.col);
      ctx.grid.check((maxRow + 1) * (maxCol + 1));
    }
    (rows[c.row] ??= [])[c.col] = value;
  };

  parseXml(part, bytes, {
    open(tag) {
      if (!inSheetData) {
        if (isMain(tag, 'sheetData')) inSheetData = true;
        return;
      }
      if (cell) {
        if (capture === 'is') {
          isStack.push(tag.local);
          if (isMain(tag, 't')) inIsText = isStack.length === 1 || (isStack.length === 2 && isStack[0] === 'r');
          return;
        }
        if (isMain(tag, 'v')) capture = 'v';
        else if (isMain(tag, 'is')) {
          capture = 'is';
          isStack = [];
        } else if (isMain(tag, 'f')) cell.formula = true;
        return;
      }
      if (isMain(tag, 'row')) {
        const r = attr(tag, 'r');
        if (r === undefined) row++;
        else if (/^[1-9][0-9]{0,6}$/.test(r)) row = Number(r) - 1;
        else throw malformed(`row number "${r.slice(0, 20)}" is not valid`);
        col = -1;
      } else if (isMain(tag, 'c')) {
        const r = attr(tag, 'r');
        if (r === undefined) col++;
        else {
          const parsed = parseCellRef(r);
          if (!parsed) throw malformed(`cell reference "${r.slice(0, 20)}" is not valid`);
          if (row < 0) row = parsed.row;
          col = parsed.column;
          if (parsed.row !== row) row = parsed.row;
        }
        if (row < 0) row = 0;
        const s = Number(attr(tag, 's') ?? 0);
        cell = {
          ref: cellRef(row, col),
          row,
          col,
          type: attr(tag, 't') ?? 'n',
          style: Number.isInteger(s) ? s : 0,
          formula: false,
          value: [],
          chars: 0,
        };
      }
    },
    close(tag) {
      if (!inSheetData) return;
      if (cell) {
        if (capture === 'is' && !isMain(tag, 'is')) {
          isStack.pop();
          if (isMain(tag, 't')) inIsText = false;
          return;
        }
        if (isMain(tag, 'v') || isMain(tag, 'is')) capture = null;
        else if (isMain(tag, 'c')) {
          commit();
          cell = null;
        }
        return;
      }
      if (isMain(tag, 'sheetData')) inSheetData = false;
    },
    text(t) {
      if (!cell) return;
      // A formula's cached value for `'cached'`; the value of a plain cell; the text runs of an inline string.
      if ((capture === 'v' && cell.type !== 'inlineStr') || (capture === 'is' && inIsText)) {
        cell.chars += t.length;
        if (cell.chars > limits.maxCellChars)
          throw tooLarge(
            'maxCellChars',
            limits.maxCellChars,
            `Sheet "${ctx.name}" cell ${cell.ref} is longer than ${limits.maxCellChars} characters`,
          );
        if (capture === 'is' || cell.type === 'str' || cell.type === 'e') ctx.text.add(t.length);
        cell.value.push(t);
      }
    },
  });

  const width = maxCol + 1;
  ctx.grid.add((maxRow + 1) * width);
  const out: string[][] = [];
  for (let r = 0; r <= maxRow; r++) {
    const src = rows[r];
    const line = new Array<string>(width).fill('');
    if (src) src.forEach((v, c) => (line[c] = v));
    out.push(line);
  }
  return out;
}

/** Reads every sheet of an XLSX workbook as text, under the caps. Runs inside the parse worker. */
export async function parseXlsx(bytes: Buffer, limits: SpreadsheetLimits): Promise<WorkbookContent> {
  const zip = await ZipGuard.open(bytes, limits);
  try {
    const rootRels = await zip.read('_rels/.rels');
    if (!rootRels) throw new SpreadsheetError('spreadsheet.not_xlsx', 'The zip archive is not an Office document (it has no _rels/.rels)');
    const office = parseRelationships('_rels/.rels', rootRels, '').find((r) => r.type === 'officeDocument' && r.target);
    const workbookPart = office?.target;
    const workbookBytes = workbookPart ? await zip.read(workbookPart) : undefined;
    if (!workbookPart || !workbookBytes)
      throw new SpreadsheetError('spreadsheet.not_xlsx', 'The zip archive is not an Office document (no main part)');

    const relsPart = `${workbookPart.split('/').slice(0, -1).join('/')}/_rels/${workbookPart.split('/').pop()}.rels`.replace(/^\//, '');
    const relsBytes = await zip.read(relsPart);
    const rels = relsBytes ? parseRelationships(relsPart, relsBytes, workbookPart) : [];
    const byId = new Map(rels.map((r) => [r.id, r]));
    const workbook = parseWorkbook(workbookPart, workbookBytes, byId, limits);

    const text = new TextBudget(limits.maxTextChars);
    const stylesRel = rels.find((r) => r.type === 'styles' && r.target);
    const stylesBytes = stylesRel ? await zip.read(stylesRel.target!) : undefined;
    const dateStyles = stylesBytes ? parseStyles(stylesBytes) : [];
    const stringsRel = rels.find((r) => r.type === 'sharedStrings' && r.target);
    const stringsBytes = stringsRel ? await zip.read(stringsRel.target!) : undefined;
    const strings = stringsBytes ? parseSharedStrings(stringsRel!.target!, stringsBytes, limits, text) : [];

    const grid = new GridBudget(limits.maxCells);
    const sheets: SheetContent[] = [];
    for (const sheet of workbook.sheets) {
      // Chart sheets, dialog sheets and macro sheets hold no cell values: they are listed with no rows.
      if (!sheet.rel || sheet.rel.type !== 'worksheet' || !sheet.rel.target) {
        sheets.push({ name: sheet.name, visibility: sheet.visibility, rows: [] });
        continue;
      }
      const part = sheet.rel.target;
      const sheetBytes = await zip.read(part);
      if (!sheetBytes)
        throw new SpreadsheetError('spreadsheet.malformed', `Sheet "${sheet.name}" points to ${part}, which the archive lacks`);
      const rows = parseSheet(part, sheetBytes, { name: sheet.name, strings, dateStyles, date1904: workbook.date1904, limits, text, grid });
      sheets.push({ name: sheet.name, visibility: sheet.visibility, rows });
    }
    return { sheets };
  } finally {
    zip.close();
  }
}
