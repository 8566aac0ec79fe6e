import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { questionnaireExportQuery, questionnaireImportQuery, questionnaireImportResultSchema, type Input } from '@bulwark/api-schema';
import { Allow, DomainException, IdParam, Returns, ZodQuery, type SpreadsheetInput } from '@bulwark/platform';

import { QuestionnaireRequestSpreadsheets, XLSX_CONTENT_TYPE } from './questionnaire-request-spreadsheet.service.js';

/** The body of an import as bytes: a CSV the global text parser already read, or the untouched stream of anything else. */
function bodyOf(req: Request & { rawBody?: Buffer }): SpreadsheetInput | null {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json') || type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/'))
    throw new DomainException(
      'questionnaire_import.unsupported_type',
      'invalid',
      'Send the spreadsheet itself as the body (XLSX, or CSV as text/csv), not JSON or a form',
      [{ path: 'body', message: 'an XLSX or CSV file' }],
    );
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
  if (typeof req.body === 'string') return Buffer.from(req.body, 'utf8');
  if (req.readableEnded) return null;
  return req;
}

/**
 * The offline round trip of a questionnaire request: export (both sides: the vendor's contacts their own
 * vendor's requests, internal users any of the organization's) and import (the vendor's contacts, while the
 * request is with them).
 */
@ApiTags('questionnaire-requests')
@Controller('questionnaire-requests')
export class QuestionnaireRequestSpreadsheetController {
  constructor(private readonly spreadsheets: QuestionnaireRequestSpreadsheets) {}

  /** The visible questions with their answers: XLSX (an Answers sheet, and a very hidden `_bulwark` sheet of versions) or CSV. */
  @Get(':id/export')
  @Allow('questionnaire_request.read')
  @ApiProduces(XLSX_CONTENT_TYPE, 'text/csv')
  @ApiResponse({ status: 200, description: 'OK', content: { [XLSX_CONTENT_TYPE]: {}, 'text/csv': {} } })
  async export(
    @IdParam() id: string,
    @ZodQuery(questionnaireExportQuery) q: Input<typeof questionnaireExportQuery>,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.spreadsheets.export(id, q.format);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    res.setHeader('Content-Length', String(file.body.length));
    res.end(file.body);
  }

  /**
   * Imports a returned XLSX or CSV (the file as the body). Any row error refuses the whole file: 422
   * `questionnaire_import.rejected` with `error.details.errors` (sheet, row, column, message) and
   * `error.details.changes`. `?dryRun=true` shows what would change and writes nothing.
   */
  @Post(':id/import')
  @Allow('questionnaire_request.answer')
  @HttpCode(200)
  @ApiConsumes(XLSX_CONTENT_TYPE, 'text/csv', 'application/octet-stream')
  @ApiBody({ description: 'The spreadsheet: an XLSX workbook or a CSV file exported from this request', schema: { type: 'string' } })
  @Returns(questionnaireImportResultSchema)
  import(@IdParam() id: string, @ZodQuery(questionnaireImportQuery) q: Input<typeof questionnaireImportQuery>, @Req() req: Request) {
    return this.spreadsheets.import(id, () => bodyOf(req), { dryRun: q.dryRun === 'true', format: q.format });
  }
}
