import { z } from 'zod';

import { count } from './common.js';
import { questionnaireRequestDetailSchema } from './questionnaire-requests.js';
import { answerValueSchema } from './questionnaires.js';

/**
 * The offline round trip of a questionnaire request (issue 11, item 6): an XLSX or CSV export of the visible
 * questions with their answers, and an import that diffs the returned file against the stored answers. See
 * ADR 0020 for the layout of the files and the rules.
 */

export const QUESTIONNAIRE_SPREADSHEET_FORMATS = ['xlsx', 'csv'] as const;
export type QuestionnaireSpreadsheetFormat = (typeof QUESTIONNAIRE_SPREADSHEET_FORMATS)[number];

export const questionnaireExportQuery = z.strictObject({
  /** Default `xlsx`. */
  format: z.enum(QUESTIONNAIRE_SPREADSHEET_FORMATS).default('xlsx'),
});

export const questionnaireImportQuery = z.strictObject({
  /** `true`: check and show what would change, write nothing. */
  dryRun: z.enum(['true', 'false']).default('false'),
  /** Unset: decided from the bytes (a zip is XLSX, anything else CSV). */
  format: z.enum(QUESTIONNAIRE_SPREADSHEET_FORMATS).optional(),
});

/** The columns of the answers sheet (and of the CSV), in order. */
export const ANSWER_SHEET_COLUMNS = ['Key', 'Section', 'Question', 'Type', 'Allowed values', 'Answer', 'N/A', 'Comment'] as const;

export const questionnaireImportRowErrorSchema = z.object({
  /** The sheet (`Answers`, `_bulwark`) or `csv`. */
  sheet: z.string(),
  /** 1-based row number as the spreadsheet application shows it (CSV: the line's record number). */
  row: z.number().int().min(0),
  /** The column's header (`Answer`, `Key`…), or null for a whole row. */
  column: z.string().nullable(),
  questionKey: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});
export type QuestionnaireImportRowError = z.output<typeof questionnaireImportRowErrorSchema>;

export const questionnaireImportChangeSchema = z.object({
  questionKey: z.string(),
  row: z.number().int().min(1),
  question: z.string(),
  from: answerValueSchema,
  to: answerValueSchema,
  fromComment: z.string().nullable(),
  toComment: z.string().nullable(),
  /** The answer's version before; after an applied import it is one more. */
  version: count,
});
export type QuestionnaireImportChange = z.output<typeof questionnaireImportChangeSchema>;

export const questionnaireImportResultSchema = z.object({
  format: z.enum(QUESTIONNAIRE_SPREADSHEET_FORMATS),
  dryRun: z.boolean(),
  /** Whether the changes were written (never with errors, never on a dry run). */
  applied: z.boolean(),
  changes: z.array(questionnaireImportChangeSchema),
  /** Rows whose answer and comment equal the stored ones. */
  unchanged: count,
  /** Rows of questions that do not show for the resulting answers and hold no change: left as they are. */
  ignored: z.array(z.object({ questionKey: z.string(), row: z.number().int().min(1), reason: z.string() })),
  /** Questions that will show once these answers are saved but that the file does not hold (answer them in the portal or export again). */
  newlyVisible: z.array(z.string()),
  /** The request after the import (null on a dry run). */
  request: questionnaireRequestDetailSchema.nullable(),
});
export type QuestionnaireImportResult = z.output<typeof questionnaireImportResultSchema>;

/** `error.details` of a refused import (422 `questionnaire_import.rejected`): every row error, and what would have changed. */
export interface QuestionnaireImportRejection {
  errors: QuestionnaireImportRowError[];
  changes: QuestionnaireImportChange[];
}
