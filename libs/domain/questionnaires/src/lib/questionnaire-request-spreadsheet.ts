import {
  ANSWER_SHEET_COLUMNS,
  checkAnswerValue,
  isChoiceType,
  QUESTION_TYPE_LABELS,
  visibleQuestions,
  type Answers,
  type AnswerValue,
  type QuestionnaireImportChange,
  type QuestionnaireImportRowError,
  type QuestionnaireSpreadsheetFormat,
  type TemplateDocument,
  type TemplateQuestion,
} from '@bulwark/api-schema';
import type { SpreadsheetLimits, ValidationSpec, WorkbookContent, WorkbookSpec } from '@bulwark/platform';

/**
 * The spreadsheet form of a questionnaire request (ADR 0020), as pure functions: what an export holds, and how a
 * returned file is read back and diffed against the stored answers. The service does the I/O and the transaction.
 */

export const ANSWERS_SHEET = 'Answers';
/** The hidden sheet of an XLSX export: the request, the template version, its hash and each answer's version. */
export const META_SHEET = '_bulwark';
/** The first metadata value: says the file is one of ours (and which layout). */
export const SPREADSHEET_FORMAT_ID = 'bulwark.questionnaire-answers/1';

/** Caps for reading a returned questionnaire: far below the layer's defaults (a template has at most 2,000 questions). */
export const QUESTIONNAIRE_SPREADSHEET_LIMITS: Partial<SpreadsheetLimits> = {
  maxFileBytes: 5 * 1024 * 1024,
  maxEntries: 200,
  maxEntryBytes: 20 * 1024 * 1024,
  maxTotalBytes: 40 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxSheets: 20,
  maxRows: 5_000,
  maxColumns: 50,
  maxCells: 250_000,
  maxSharedStrings: 50_000,
  maxTextChars: 10_000_000,
  maxCellChars: 32_767,
  timeoutMs: 10_000,
  maxMemoryMb: 128,
  formulas: 'refuse',
};

/** What the service hands over of one stored answer. */
export interface StoredAnswer {
  value: AnswerValue;
  comment: string | null;
  version: number;
  updatedByName: string | null;
}

export interface RequestSnapshot {
  id: string;
  templateName: string;
  templateVersion: number;
  contentHash: string;
  content: TemplateDocument;
}

interface Located {
  question: TemplateQuestion;
  sectionTitle: string;
}

/** Every question with its section, by key (the first occurrence wins, as everywhere else). */
export function locateQuestions(doc: TemplateDocument): Map<string, Located> {
  const out = new Map<string, Located>();
  for (const s of doc.sections) for (const q of s.questions) if (!out.has(q.key)) out.set(q.key, { question: q, sectionTitle: s.title });
  return out;
}

const naOption = (q: TemplateQuestion) => (q.options ?? []).find((o) => o.na) ?? null;
const answerOptions = (q: TemplateQuestion) => (q.options ?? []).filter((o) => !o.na);
const asList = (v: AnswerValue): string[] => (v === null ? [] : Array.isArray(v) ? v : [String(v)]);

/** Whether a stored value is exactly the question's "not applicable" option. */
function isNa(q: TemplateQuestion, value: AnswerValue): boolean {
  const na = naOption(q);
  if (!na || value === null) return false;
  return Array.isArray(value) ? value.length === 1 && value[0] === na.value : value === na.value;
}

/** The answer as a cell's text: option labels (one per line for multiple choice), numbers, dates, text, evidence ids. */
export function answerText(q: TemplateQuestion, value: AnswerValue): string {
  if (value === null || isNa(q, value)) return '';
  if (isChoiceType(q.type)) {
    const labels = new Map((q.options ?? []).map((o) => [o.value, o.label]));
    return asList(value)
      .map((v) => labels.get(v) ?? v)
      .join('\n');
  }
  if (Array.isArray(value)) return value.join('\n');
  return String(value);
}

/** The "Allowed values" cell: what the Answer cell may hold. */
export function allowedText(q: TemplateQuestion): string {
  switch (q.type) {
    case 'yes_no':
    case 'single_choice':
      return `One of: ${answerOptions(q)
        .map((o) => o.label)
        .join(' | ')}`;
    case 'multi_choice':
      return `One or more, one per line: ${answerOptions(q)
        .map((o) => o.label)
        .join(' | ')}`;
    case 'number':
      return q.unit ? `A number (${q.unit})` : 'A number';
    case 'date':
      return 'A date (YYYY-MM-DD)';
    case 'text':
      return 'Text';
    case 'evidence':
      return 'Evidence: attach files in the portal (read-only here)';
  }
}

export interface ExportedFile {
  /** XLSX: the workbook to write; CSV: the records. */
  workbook: WorkbookSpec;
  csv: string[][];
}

/** The rows of the answers sheet, one per visible question in template order. */
function answerRows(r: RequestSnapshot, visibleKeys: readonly string[], answers: ReadonlyMap<string, StoredAnswer>): string[][] {
  const located = locateQuestions(r.content);
  return visibleKeys.flatMap((key) => {
    const l = located.get(key);
    if (!l) return [];
    const a = answers.get(key);
    const q = l.question;
    return [
      [
        key,
        l.sectionTitle,
        q.text,
        QUESTION_TYPE_LABELS[q.type],
        allowedText(q),
        answerText(q, a?.value ?? null),
        a && isNa(q, a.value) ? 'yes' : '',
        a?.comment ?? '',
      ],
    ];
  });
}

/** Both forms of an export: the XLSX workbook (answers sheet with drop-downs, hidden metadata) and the CSV records. */
export function exportFile(r: RequestSnapshot, visibleKeys: readonly string[], answers: ReadonlyMap<string, StoredAnswer>): ExportedFile {
  const rows = answerRows(r, visibleKeys, answers);
  const located = locateQuestions(r.content);
  const validations: ValidationSpec[] = [];
  const answerCol = ANSWER_SHEET_COLUMNS.indexOf('Answer');
  const naCol = ANSWER_SHEET_COLUMNS.indexOf('N/A');
  rows.forEach((row, i) => {
    const q = located.get(row[0]!)!.question;
    if (q.type === 'yes_no' || q.type === 'single_choice')
      validations.push({ column: answerCol, firstRow: i, lastRow: i, allowedValues: answerOptions(q).map((o) => o.label) });
    if (naOption(q)) validations.push({ column: naCol, firstRow: i, lastRow: i, allowedValues: ['yes'] });
  });
  const versionOf = (key: string) => answers.get(key)?.version ?? 0;
  const meta: string[][] = [
    ['format', '', SPREADSHEET_FORMAT_ID],
    ['request', '', r.id],
    ['template', '', r.templateName],
    ['template_version', '', String(r.templateVersion)],
    ['content_hash', '', r.contentHash],
    ...rows.map((row) => ['answer_version', row[0]!, String(versionOf(row[0]!))]),
  ];
  const widths = [24, 22, 60, 14, 34, 40, 6, 40];
  const workbook: WorkbookSpec = {
    sheets: [
      {
        name: ANSWERS_SHEET,
        columns: ANSWER_SHEET_COLUMNS.map((header, i) => ({ header, width: widths[i] })),
        rows,
        validations,
      },
      {
        name: META_SHEET,
        visibility: 'veryHidden',
        columns: [{ header: 'Field' }, { header: 'Key' }, { header: 'Value' }],
        rows: meta,
      },
    ],
  };
  const csv: string[][] = [
    [`#${SPREADSHEET_FORMAT_ID}`, 'Do not edit the lines starting with #: they name the questionnaire this file answers.'],
    ['#request', r.id],
    ['#template_version', String(r.templateVersion)],
    ['#content_hash', r.contentHash],
    [...ANSWER_SHEET_COLUMNS, 'Version'],
    ...rows.map((row) => [...row, String(versionOf(row[0]!))]),
  ];
  return { workbook, csv };
}

// ---- reading a returned file ----

export interface ParsedRow {
  /** 1-based row as the application shows it. */
  row: number;
  key: string;
  answer: string;
  na: string;
  comment: string;
  hasNa: boolean;
  hasComment: boolean;
}

interface MetaValue {
  value: string;
  row: number;
}

export interface ParsedFile {
  format: QuestionnaireSpreadsheetFormat;
  /** Where answers were read (`Answers` or `csv`) and where the metadata was (`_bulwark` or `csv`). */
  answersSheet: string;
  metaSheet: string;
  /** Header name → its column's letter or name as shown in errors. */
  formatId: MetaValue | null;
  requestId: MetaValue | null;
  templateVersion: MetaValue | null;
  contentHash: MetaValue | null;
  /** Per key: the version the file was exported with, and the row (metadata sheet or CSV line) that says so. */
  versions: Map<string, MetaValue>;
  rows: ParsedRow[];
  errors: QuestionnaireImportRowError[];
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

function headerIndex(header: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  header.forEach((h, i) => {
    const k = norm(h);
    if (k && !out.has(k)) out.set(k, i);
  });
  return out;
}

function readAnswerTable(
  rows: string[][],
  headerAt: number,
  sheet: string,
  errors: QuestionnaireImportRowError[],
  extra?: (cells: string[], row: number) => void,
): ParsedRow[] {
  const header = headerIndex(rows[headerAt] ?? []);
  const col = (name: string) => header.get(norm(name));
  const keyCol = col('Key');
  const answerCol = col('Answer');
  if (keyCol === undefined || answerCol === undefined) {
    for (const name of ['Key', 'Answer'])
      if (col(name) === undefined)
        errors.push({
          sheet,
          row: headerAt + 1,
          column: name,
          questionKey: null,
          code: 'missing_column',
          message: `The header row has no "${name}" column: keep the header row of the export`,
        });
    return [];
  }
  const naCol = col('N/A');
  const commentCol = col('Comment');
  const out: ParsedRow[] = [];
  for (let i = headerAt + 1; i < rows.length; i++) {
    const cells = rows[i]!;
    const cell = (c: number | undefined) => (c === undefined ? '' : (cells[c] ?? ''));
    if (cells.every((c) => c.trim() === '')) continue;
    const row = i + 1;
    out.push({
      row,
      key: cell(keyCol).trim(),
      answer: cell(answerCol),
      na: cell(naCol),
      comment: cell(commentCol),
      hasNa: naCol !== undefined,
      hasComment: commentCol !== undefined,
    });
    extra?.(cells, row);
  }
  return out;
}

/** Reads an XLSX workbook's answers sheet and its metadata sheet (found by name, any case; columns by header). */
export function parseWorkbook(content: WorkbookContent): ParsedFile {
  const errors: QuestionnaireImportRowError[] = [];
  const byName = (name: string) => content.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  const answers = byName(ANSWERS_SHEET) ?? content.sheets.find((s) => s.visibility === 'visible' && s.name !== META_SHEET);
  const meta = byName(META_SHEET);
  const file: ParsedFile = {
    format: 'xlsx',
    answersSheet: answers?.name ?? ANSWERS_SHEET,
    metaSheet: META_SHEET,
    formatId: null,
    requestId: null,
    templateVersion: null,
    contentHash: null,
    versions: new Map(),
    rows: [],
    errors,
  };
  if (meta) {
    meta.rows.forEach((cells, i) => {
      if (i === 0) return;
      const [field = '', key = '', value = ''] = cells.map((c) => c.trim());
      const v = { value, row: i + 1 };
      if (field === 'format') file.formatId = v;
      else if (field === 'request') file.requestId = v;
      else if (field === 'template_version') file.templateVersion = v;
      else if (field === 'content_hash') file.contentHash = v;
      else if (field === 'answer_version' && key && !file.versions.has(key)) file.versions.set(key, v);
    });
  }
  if (!answers) {
    errors.push({
      sheet: ANSWERS_SHEET,
      row: 0,
      column: null,
      questionKey: null,
      code: 'missing_sheet',
      message: `The workbook has no "${ANSWERS_SHEET}" sheet`,
    });
    return file;
  }
  file.rows = readAnswerTable(answers.rows, 0, answers.name, errors);
  return file;
}

/** Reads a CSV export: the `#` lines of metadata, the header row (the first starting with "Key"), the rows with their Version. */
export function parseCsvRows(rows: string[][]): ParsedFile {
  const errors: QuestionnaireImportRowError[] = [];
  const file: ParsedFile = {
    format: 'csv',
    answersSheet: 'csv',
    metaSheet: 'csv',
    formatId: null,
    requestId: null,
    templateVersion: null,
    contentHash: null,
    versions: new Map(),
    rows: [],
    errors,
  };
  let headerAt = -1;
  for (let i = 0; i < rows.length; i++) {
    const first = (rows[i]![0] ?? '').trim();
    if (first.startsWith('#')) {
      const v = { value: (rows[i]![1] ?? '').trim(), row: i + 1 };
      if (first === `#${SPREADSHEET_FORMAT_ID}`) file.formatId = { value: SPREADSHEET_FORMAT_ID, row: i + 1 };
      else if (first === '#request') file.requestId = v;
      else if (first === '#template_version') file.templateVersion = v;
      else if (first === '#content_hash') file.contentHash = v;
      continue;
    }
    if (norm(first) === 'key') {
      headerAt = i;
      break;
    }
  }
  if (headerAt < 0) {
    errors.push({
      sheet: 'csv',
      row: 1,
      column: 'Key',
      questionKey: null,
      code: 'missing_column',
      message: 'No header row starting with "Key": keep the header row of the export',
    });
    return file;
  }
  const versionCol = headerIndex(rows[headerAt]!).get('version');
  file.rows = readAnswerTable(rows, headerAt, 'csv', errors, (cells, row) => {
    const key = (cells[headerIndex(rows[headerAt]!).get('key')!] ?? '').trim();
    if (versionCol !== undefined && key && !file.versions.has(key))
      file.versions.set(key, { value: (cells[versionCol] ?? '').trim(), row });
  });
  return file;
}

// ---- the diff ----

const TRUTHY = new Set(['yes', 'y', 'true', 'x', 'n/a', 'na', '1']);
const FALSY = new Set(['', 'no', 'n', 'false', '0']);

type CellResult = { ok: true; value: AnswerValue } | { ok: false; column: 'Answer' | 'N/A'; message: string };

function matchOption(q: TemplateQuestion, text: string): string | null {
  const t = norm(text);
  const o = (q.options ?? []).find((x) => norm(x.label) === t) ?? (q.options ?? []).find((x) => x.value.toLowerCase() === t);
  return o?.value ?? null;
}

/** An Answer (and N/A) cell read as the question's value, checked like the portal's answers (`checkAnswerValue`). */
export function readAnswerCell(q: TemplateQuestion, answerCell: string, naCell: string): CellResult {
  const na = naOption(q);
  const naText = norm(naCell);
  const answer = answerCell.trim();
  if (!TRUTHY.has(naText) && !FALSY.has(naText))
    return {
      ok: false,
      column: 'N/A',
      message: `"${naCell.slice(0, 40)}" is not understood: write "yes" for not applicable, or leave it empty`,
    };
  let value: AnswerValue;
  if (TRUTHY.has(naText)) {
    if (!na) return { ok: false, column: 'N/A', message: 'This question has no “not applicable” option' };
    if (answer && matchOption(q, answer) !== na.value)
      return { ok: false, column: 'Answer', message: 'Give either an answer or N/A, not both' };
    value = q.type === 'multi_choice' ? [na.value] : na.value;
  } else if (!answer) value = null;
  else
    switch (q.type) {
      case 'yes_no':
      case 'single_choice': {
        const v = matchOption(q, answer);
        if (v === null)
          return {
            ok: false,
            column: 'Answer',
            message: `"${answer.slice(0, 100)}" is not an option: ${answerOptions(q)
              .map((o) => `"${o.label}"`)
              .join(', ')}`,
          };
        value = v;
        break;
      }
      case 'multi_choice': {
        // One option per line; a line that is no option whole may list several separated by ";".
        const parts = answer
          .split(/\r?\n/)
          .flatMap((line) => (matchOption(q, line) !== null ? [line] : line.split(';')))
          .filter((p) => p.trim());
        const values: string[] = [];
        for (const p of parts) {
          const v = matchOption(q, p);
          if (v === null)
            return {
              ok: false,
              column: 'Answer',
              message: `"${p.trim().slice(0, 100)}" is not an option: ${answerOptions(q)
                .map((o) => `"${o.label}"`)
                .join(', ')} (one per line)`,
            };
          values.push(v);
        }
        value = values;
        break;
      }
      case 'number': {
        if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(answer))
          return { ok: false, column: 'Answer', message: `"${answer.slice(0, 40)}" is not a number` };
        value = Number(answer);
        break;
      }
      case 'date':
        value = answer;
        break;
      case 'text':
        value = answerCell;
        break;
      case 'evidence':
        value = answer
          .split(/[\s,;]+/)
          .filter(Boolean)
          .map((s) => s.toLowerCase());
        break;
    }
  const checked = checkAnswerValue(q, value);
  return checked.ok ? { ok: true, value: checked.value } : { ok: false, column: 'Answer', message: checked.message };
}

const same = (a: AnswerValue, b: AnswerValue) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const sameSet = (a: AnswerValue, b: AnswerValue) => JSON.stringify([...asList(a)].sort()) === JSON.stringify([...asList(b)].sort());

export interface DiffInput {
  request: RequestSnapshot;
  /** Stored answers by key (hidden ones included). */
  stored: ReadonlyMap<string, StoredAnswer>;
  /** After changes were requested: the only keys that may change. */
  reopenedKeys: readonly string[] | null;
}

export interface DiffResult {
  changes: (QuestionnaireImportChange & { comment: string | null })[];
  unchanged: number;
  ignored: { questionKey: string; row: number; reason: string }[];
  newlyVisible: string[];
  errors: QuestionnaireImportRowError[];
}

/**
 * Diffs a parsed file against the stored answers. Row errors (with the row and the column): a file of another
 * request or template version, a key that is not a question, a key twice, a value that does not fit its
 * question, a change to an answer saved by someone else since the export (stale version), a change to an
 * answer closed by the review, to a question that does not show for the resulting answers, or to evidence.
 */
export function diffImport(file: ParsedFile, input: DiffInput): DiffResult {
  const { request: r, stored } = input;
  const errors: QuestionnaireImportRowError[] = [...file.errors];
  const metaError = (row: number, column: string | null, code: string, message: string) =>
    errors.push({ sheet: file.metaSheet, row, column, questionKey: null, code, message });
  const valueCol = file.format === 'xlsx' ? 'Value' : 'B';
  const result: DiffResult = { changes: [], unchanged: 0, ignored: [], newlyVisible: [], errors };
  if (!file.formatId || !file.requestId) {
    metaError(
      file.formatId?.row ?? 1,
      null,
      'not_an_export',
      file.format === 'xlsx'
        ? `The workbook has no "${META_SHEET}" sheet naming its questionnaire: start from a spreadsheet downloaded from this questionnaire`
        : 'The file does not start with the "#" lines naming its questionnaire: start from a CSV downloaded from this questionnaire',
    );
    return result;
  }
  if (file.requestId.value !== r.id) {
    metaError(
      file.requestId.row,
      valueCol,
      'other_request',
      `This file answers another questionnaire request (${file.requestId.value.slice(0, 40)}), not this one: download this questionnaire's spreadsheet`,
    );
    return result;
  }
  if (!file.templateVersion || file.templateVersion.value !== String(r.templateVersion))
    metaError(
      file.templateVersion?.row ?? file.requestId.row,
      valueCol,
      'other_version',
      `The file was made for template version ${file.templateVersion?.value || '(none)'}, this questionnaire asks version ${r.templateVersion}`,
    );
  if (!file.contentHash || file.contentHash.value !== r.contentHash)
    metaError(
      file.contentHash?.row ?? file.requestId.row,
      valueCol,
      'other_version',
      'The file was made from other questions than this questionnaire’s (its content hash differs)',
    );
  if (errors.length) return result;

  const located = locateQuestions(r.content);
  const seen = new Map<string, number>();
  const rowError = (row: number, column: string | null, questionKey: string | null, code: string, message: string) =>
    errors.push({ sheet: file.answersSheet, row, column, questionKey, code, message });
  const candidates: { p: ParsedRow; q: TemplateQuestion; value: AnswerValue; comment: string | null; s: StoredAnswer | undefined }[] = [];
  for (const p of file.rows) {
    if (!p.key) {
      rowError(p.row, 'Key', null, 'missing_key', 'The row has no question key: keep the Key column of the export');
      continue;
    }
    const l = located.get(p.key);
    if (!l) {
      rowError(p.row, 'Key', p.key, 'unknown_key', `"${p.key.slice(0, 120)}" is not a question of this questionnaire`);
      continue;
    }
    const first = seen.get(p.key);
    if (first !== undefined) {
      rowError(p.row, 'Key', p.key, 'duplicate_key', `"${p.key}" is already on row ${first}: keep one row per question`);
      continue;
    }
    seen.set(p.key, p.row);
    const q = l.question;
    const s = stored.get(p.key);
    const cell = readAnswerCell(q, p.answer, p.na);
    if (!cell.ok) {
      rowError(p.row, cell.column, p.key, 'invalid_value', cell.message);
      continue;
    }
    const comment = p.hasComment ? p.comment.trim() || null : (s?.comment ?? null);
    if (comment && comment.length > 5000) {
      rowError(p.row, 'Comment', p.key, 'invalid_value', 'A comment has at most 5,000 characters');
      continue;
    }
    const storedValue = s?.value ?? null;
    const equal = q.type === 'evidence' || q.type === 'multi_choice' ? sameSet(cell.value, storedValue) : same(cell.value, storedValue);
    if (equal && comment === (s?.comment ?? null)) {
      candidates.push({ p, q, value: storedValue, comment, s });
      continue;
    }
    if (q.type === 'evidence' && !equal) {
      rowError(
        p.row,
        'Answer',
        p.key,
        'evidence_in_portal',
        'Evidence is attached in the portal, not in the spreadsheet: leave this cell as exported',
      );
      continue;
    }
    const exported = file.versions.get(p.key);
    const expected = exported ? Number(exported.value) : 0;
    const current = s?.version ?? 0;
    if (exported && !/^\d+$/.test(exported.value)) {
      errors.push({
        sheet: file.metaSheet,
        row: exported.row,
        column: file.format === 'xlsx' ? 'Value' : 'Version',
        questionKey: p.key,
        code: 'invalid_version',
        message: `"${exported.value.slice(0, 20)}" is not an answer version: leave the version as exported`,
      });
      continue;
    }
    if (expected !== current) {
      rowError(
        p.row,
        'Answer',
        p.key,
        'stale',
        `Changed in the portal since the export${s?.updatedByName ? ` by ${s.updatedByName}` : ''} (version ${current}, the file has version ${expected}): ` +
          `now "${answerText(q, storedValue).slice(0, 100) || '(empty)'}". Download the questionnaire again, or change this answer in the portal`,
      );
      continue;
    }
    if (input.reopenedKeys && !input.reopenedKeys.includes(p.key)) {
      rowError(p.row, 'Answer', p.key, 'closed', 'The reviewer accepted this answer as it is: only the answers sent back can change now');
      continue;
    }
    candidates.push({ p, q, value: cell.value, comment, s });
  }
  // Visibility of the answers as they will be: a change to a question that would not show is refused, an
  // unchanged row of one is left alone.
  const merged: Record<string, AnswerValue> = {};
  for (const [k, a] of stored) if (a.value !== null) merged[k] = a.value;
  for (const c of candidates) {
    if (c.value === null) delete merged[c.q.key];
    else merged[c.q.key] = c.value;
  }
  const shown = visibleQuestions(r.content, merged as Answers);
  for (const c of candidates) {
    const changed = !(same(c.value, c.s?.value ?? null) || sameSet(c.value, c.s?.value ?? null)) || c.comment !== (c.s?.comment ?? null);
    if (!shown.has(c.q.key)) {
      if (changed)
        rowError(
          c.p.row,
          'Answer',
          c.q.key,
          'hidden',
          'This question does not show for your other answers: leave it empty, or change the answer it depends on',
        );
      else result.ignored.push({ questionKey: c.q.key, row: c.p.row, reason: 'does not show for your answers' });
      continue;
    }
    if (!changed) {
      result.unchanged += 1;
      continue;
    }
    result.changes.push({
      questionKey: c.q.key,
      row: c.p.row,
      question: c.q.text,
      from: c.s?.value ?? null,
      to: c.value,
      fromComment: c.s?.comment ?? null,
      toComment: c.comment,
      comment: c.comment,
      version: c.s?.version ?? 0,
    });
  }
  result.newlyVisible = [...shown].filter((k) => !seen.has(k) && located.has(k));
  errors.sort((a, b) => a.row - b.row || (a.sheet < b.sheet ? -1 : a.sheet > b.sheet ? 1 : 0));
  return result;
}
