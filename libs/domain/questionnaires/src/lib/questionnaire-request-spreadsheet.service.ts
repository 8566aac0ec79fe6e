import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import {
  ANSWERING_STATUSES,
  type QuestionnaireImportRejection,
  type QuestionnaireImportResult,
  type QuestionnaireSpreadsheetFormat,
} from '@bulwark/api-schema';
import {
  AuditLogService,
  Conflict,
  DomainException,
  findScoped,
  readCsv,
  readWorkbook,
  RequestContext,
  scoped,
  tooLarge,
  writeCsv,
  writeWorkbook,
  type FieldError,
  type SpreadsheetInput,
} from '@bulwark/platform';

import {
  diffImport,
  exportFile,
  parseCsvRows,
  parseWorkbook,
  QUESTIONNAIRE_SPREADSHEET_LIMITS,
  type StoredAnswer,
} from './questionnaire-request-spreadsheet.js';
import { QuestionnaireAnswer, QuestionnaireRequest } from './questionnaire-request.entities.js';
import { QuestionnaireRequestService } from './questionnaire-request.service.js';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const label = (s: string) => s.replace(/_/g, ' ');

/** A file name of plain ASCII letters, digits and dashes. */
function fileNameOf(vendor: string, template: string, format: QuestionnaireSpreadsheetFormat): string {
  const slug = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'questionnaire';
  return `${slug(vendor)}-${slug(template)}.${format}`;
}

/**
 * The offline round trip of a questionnaire request (ADR 0020): export of the visible questions and their answers
 * as XLSX (through the platform's spreadsheet layer, with a very hidden metadata sheet) or CSV, and import of the
 * returned file, parsed off the request thread under tight caps, diffed against the stored answers, and written
 * all at once (one transaction, one audit entry) or not at all.
 */
@Injectable()
export class QuestionnaireRequestSpreadsheets {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly requests: QuestionnaireRequestService,
  ) {}

  async export(id: string, format: QuestionnaireSpreadsheetFormat): Promise<{ body: Buffer; fileName: string; contentType: string }> {
    const detail = await this.requests.get(id);
    const answers = new Map<string, StoredAnswer>(
      detail.answers.map((a) => [
        a.questionKey,
        { value: a.value, comment: a.comment, version: a.version, updatedByName: a.updatedByName },
      ]),
    );
    const file = exportFile(detail, detail.visibleKeys, answers);
    const fileName = fileNameOf(detail.vendorName, detail.templateName, format);
    return format === 'xlsx'
      ? { body: await writeWorkbook(file.workbook), fileName, contentType: XLSX_CONTENT_TYPE }
      : { body: writeCsv(file.csv), fileName, contentType: 'text/csv; charset=utf-8' };
  }

  /**
   * Imports a returned XLSX or CSV file. `body` is read only after the request is found in the caller's scope and
   * open for answering. Any row error refuses the whole file (422 `questionnaire_import.rejected`, the errors in
   * `error.details.errors`); a dry run answers with what would change and writes nothing.
   */
  async import(
    id: string,
    body: () => SpreadsheetInput | null,
    opts: { dryRun: boolean; format?: QuestionnaireSpreadsheetFormat },
  ): Promise<QuestionnaireImportResult> {
    const actor = RequestContext.actor();
    const before = await findScoped(this.dataSource.manager, QuestionnaireRequest, id, 'questionnaire_request');
    this.assertAnswerable(before);
    const input = body();
    if (!input)
      throw new DomainException(
        'questionnaire_import.no_file',
        'invalid',
        'Send the spreadsheet as the request body (XLSX, or CSV as text/csv)',
        [{ path: 'body', message: 'an XLSX or CSV file' }],
      );
    const bytes = await collect(input, QUESTIONNAIRE_SPREADSHEET_LIMITS.maxFileBytes!);
    if (!bytes.length)
      throw new DomainException('questionnaire_import.no_file', 'invalid', 'The file is empty', [
        { path: 'body', message: 'the file is empty' },
      ]);
    const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
    const isOle = bytes.length >= 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf;
    const format: QuestionnaireSpreadsheetFormat = opts.format ?? (isZip || isOle ? 'xlsx' : 'csv');
    // Parsed in a worker thread under the caps: a hostile file costs the API nothing but a refusal.
    const parsed =
      format === 'xlsx'
        ? parseWorkbook(await readWorkbook(bytes, QUESTIONNAIRE_SPREADSHEET_LIMITS))
        : parseCsvRows((await readCsv(bytes, QUESTIONNAIRE_SPREADSHEET_LIMITS)).rows);

    return this.dataSource.transaction(async (m) => {
      // The same lock as a single answer: versions are compared exactly, and nothing interleaves.
      const r = await findScoped(m, QuestionnaireRequest, id, 'questionnaire_request', { lock: true });
      this.assertAnswerable(r);
      const rows = await scoped(m, QuestionnaireAnswer, 'a').andWhere('a.requestId = :id', { id: r.id }).getMany();
      const userIds = [...new Set(rows.map((a) => a.updatedBy).filter((x): x is string => !!x))];
      const names = new Map<string, string>(
        userIds.length
          ? (
              (await m.query(`SELECT id, coalesce(name, email) AS name FROM users WHERE id = ANY($1::uuid[])`, [userIds])) as {
                id: string;
                name: string;
              }[]
            ).map((u) => [u.id, u.name])
          : [],
      );
      const stored = new Map<string, StoredAnswer>(
        rows.map((a) => [
          a.questionKey,
          {
            value: a.value ?? null,
            comment: a.comment,
            version: a.version,
            updatedByName: a.updatedBy ? (names.get(a.updatedBy) ?? null) : null,
          },
        ]),
      );
      const diff = diffImport(parsed, { request: r, stored, reopenedKeys: r.reopenedKeys });
      const changes = diff.changes.map(({ comment: _c, ...c }) => c);
      if (diff.errors.length) {
        const fields: FieldError[] = diff.errors.slice(0, 200).map((e) => ({
          path: `${e.sheet}:${e.row}${e.column ? `:${e.column}` : ''}`,
          message: e.message,
        }));
        const details: QuestionnaireImportRejection = { errors: diff.errors, changes };
        throw new DomainException(
          'questionnaire_import.rejected',
          'invalid',
          `The file was not imported: ${diff.errors.length} row error${diff.errors.length === 1 ? '' : 's'}. Nothing was changed.`,
          fields,
          undefined,
          details,
        );
      }
      const base = {
        format,
        dryRun: opts.dryRun,
        changes,
        unchanged: diff.unchanged,
        ignored: diff.ignored,
        newlyVisible: diff.newlyVisible,
      };
      if (opts.dryRun || !diff.changes.length)
        return { ...base, applied: false, request: opts.dryRun ? null : await this.requests.detail(m, r) };

      // Every changed answer in one statement (the request row is locked: the versions checked above still hold).
      const written: unknown[] = await m.query(
        `INSERT INTO questionnaire_answers (organization_id, vendor_id, request_id, question_key, value, comment, version, updated_by, answered_at)
         SELECT $1, $2, $3, c.key, NULLIF(c.value, 'null'::jsonb), c.comment, c.version + 1, $4, now()
           FROM jsonb_to_recordset($5::jsonb) AS c(key text, value jsonb, comment text, version int)
         ON CONFLICT (request_id, question_key) DO UPDATE SET
           value = EXCLUDED.value, comment = EXCLUDED.comment, version = EXCLUDED.version, updated_by = EXCLUDED.updated_by,
           answered_at = EXCLUDED.answered_at, updated_at = now(),
           -- A changed answer is judged again.
           review_decision = NULL, review_comment = NULL, review_audience = NULL, reviewed_by = NULL, reviewed_at = NULL
         WHERE questionnaire_answers.version = EXCLUDED.version - 1
         RETURNING question_key`,
        [
          r.organizationId,
          r.vendorId,
          r.id,
          actor.userId,
          JSON.stringify(diff.changes.map((c) => ({ key: c.questionKey, value: c.to, comment: c.comment, version: c.version }))),
        ],
      );
      if (written.length !== diff.changes.length)
        throw new Conflict('questionnaire_answer.stale', 'Answers changed while the file was imported: upload it again');
      const from = r.status;
      if (from !== 'in_progress') {
        r.status = 'in_progress';
        await m.save(r);
      }
      await this.audit.append(m, {
        action: 'questionnaire_request.imported',
        entityType: 'questionnaire_request',
        entityId: r.id,
        diff: {
          format,
          changes: diff.changes.map((c) => ({
            questionKey: c.questionKey,
            version: { from: c.version, to: c.version + 1 },
            value: c.to,
            ...(c.toComment !== c.fromComment ? { comment: c.toComment } : {}),
          })),
          ...(from !== r.status ? { status: { from, to: r.status } } : {}),
        },
      });
      return { ...base, applied: true, request: await this.requests.detail(m, r) };
    });
  }

  private assertAnswerable(r: QuestionnaireRequest): void {
    if (!ANSWERING_STATUSES.includes(r.status))
      throw new Conflict('questionnaire_request.not_answerable', `The questionnaire is ${label(r.status)}: its answers cannot change now`);
  }
}

async function collect(input: SpreadsheetInput, max: number): Promise<Buffer> {
  if (input instanceof Uint8Array) {
    if (input.byteLength > max) throw tooLarge('maxFileBytes', max, `The file is larger than ${max} bytes`, input.byteLength);
    return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    size += chunk.byteLength;
    if (size > max) throw tooLarge('maxFileBytes', max, `The file is larger than ${max} bytes`);
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks);
}
