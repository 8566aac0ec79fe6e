import { Controller, Get, HttpCode, Param, Post, Put, Req, Res, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiParam, ApiTags } from '@nestjs/swagger';
import express, { type Request, type Response } from 'express';

import {
  bulwarkTemplateFileSchema,
  newTemplateDraftSchema,
  pageOf,
  publishTemplateSchema,
  saveTemplateDraftSchema,
  templateDetailSchema,
  templateDocumentSchema,
  templateImportQuery,
  templateListQuery,
  templateSummarySchema,
  templateVersionViewSchema,
  type Input,
  type TemplateDocument,
} from '@bulwark/api-schema';
import { Allow, DomainException, IdParam, InjectConfig, Returns, ZodBody, ZodQuery, type AppConfig } from '@bulwark/platform';

import { QuestionnaireTemplateService } from './questionnaire-template.service.js';
import { readTemplateImport } from './template-import.js';

class VersionPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{0,5}$/.test(value))
      throw new DomainException('request.invalid_version', 'bad_request', 'v must be a version number (1, 2, …)', [
        { path: 'v', message: 'must be a version number' },
      ]);
    return Number(value);
  }
}

/** `@VersionParam() v: number` reads `:v`, a version number, and documents it as one. */
const VersionParam = (): ParameterDecorator => (target, key, index) => {
  Param('v', new VersionPipe())(target, key, index);
  const descriptor = key ? Object.getOwnPropertyDescriptor(target, key) : undefined;
  if (key && descriptor)
    ApiParam({ name: 'v', required: true, description: 'Version number', schema: { type: 'integer', minimum: 1, maximum: 999999 } })(
      target,
      key,
      descriptor,
    );
};

/**
 * DR questionnaire templates: read by internal roles, written (created, imported, edited, published, archived) by
 * admins and vendor managers. Vendor contacts never read templates, only what their requests snapshot.
 */
@ApiTags('questionnaire-templates')
@Controller('questionnaire-templates')
export class QuestionnaireTemplateController {
  /** Reads a `text/plain` body (a VSAQ file is not strict JSON, so the JSON parser cannot take it), within the body limit. */
  private readonly textBody: express.RequestHandler;

  constructor(
    private readonly templates: QuestionnaireTemplateService,
    @InjectConfig() config: AppConfig,
  ) {
    this.textBody = express.text({ type: 'text/plain', limit: config.http.bodyLimit });
  }

  @Get()
  @Allow('questionnaire_template.read')
  @Returns(pageOf(templateSummarySchema))
  list(@ZodQuery(templateListQuery) q: Input<typeof templateListQuery>) {
    return this.templates.list(q);
  }

  /** A new template: its first version is a draft holding this document. */
  @Post()
  @Allow('questionnaire_template.write')
  @HttpCode(201)
  @Returns(templateDetailSchema, 201)
  create(@ZodBody(templateDocumentSchema) body: TemplateDocument) {
    return this.templates.create({ content: body });
  }

  /**
   * Imports a Bulwark template file or a Google VSAQ questionnaire as a new template (version 1, a draft). Send the
   * file as the body: `text/plain` for any format (VSAQ files are not strict JSON), or `application/json`.
   */
  @Post('import')
  @Allow('questionnaire_template.write')
  @HttpCode(201)
  @ApiConsumes('text/plain', 'application/json')
  @ApiBody({ description: 'The file: a Bulwark template (JSON) or a VSAQ questionnaire', schema: { type: 'string' } })
  @Returns(templateDetailSchema, 201)
  async import(
    @ZodQuery(templateImportQuery) q: Input<typeof templateImportQuery>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    // Read here, after the caller is authorized: a failure (too large, a bad charset) is thrown into the one error body.
    await new Promise<void>((resolve, reject) => this.textBody(req, res, (err?: unknown) => (err ? reject(err as Error) : resolve())));
    const imported = readTemplateImport(req.body as unknown, q.format, q.fileName ?? null);
    return this.templates.create(imported);
  }

  @Get(':id')
  @Allow('questionnaire_template.read')
  @Returns(templateDetailSchema)
  get(@IdParam() id: string) {
    return this.templates.get(id);
  }

  /** A new draft from a published version (the latest unless `fromVersion`); one draft at a time. */
  @Post(':id/versions')
  @Allow('questionnaire_template.write')
  @HttpCode(201)
  @Returns(templateDetailSchema, 201)
  newDraft(@IdParam() id: string, @ZodBody(newTemplateDraftSchema) body: Input<typeof newTemplateDraftSchema>) {
    return this.templates.newDraft(id, body);
  }

  @Get(':id/versions/:v')
  @Allow('questionnaire_template.read')
  @Returns(templateVersionViewSchema)
  version(@IdParam() id: string, @VersionParam() v: number) {
    return this.templates.getVersion(id, v);
  }

  /** Replaces the draft's document; `revision` is the draft's revision as read (a stale one is a 409). */
  @Put(':id/versions/:v')
  @Allow('questionnaire_template.write')
  @Returns(templateDetailSchema)
  saveDraft(
    @IdParam() id: string,
    @VersionParam() v: number,
    @ZodBody(saveTemplateDraftSchema) body: Input<typeof saveTemplateDraftSchema>,
  ) {
    return this.templates.saveDraft(id, v, body);
  }

  /** Freezes the draft (its content hash stored); a cycle or a reference to a missing key is a 422 naming the path. */
  @Post(':id/versions/:v/publish')
  @Allow('questionnaire_template.write')
  @HttpCode(200)
  @Returns(templateDetailSchema)
  publish(@IdParam() id: string, @VersionParam() v: number, @ZodBody(publishTemplateSchema) body: Input<typeof publishTemplateSchema>) {
    return this.templates.publish(id, v, body);
  }

  /** The version as Bulwark's own template file (served as a download). */
  @Get(':id/versions/:v/export')
  @Allow('questionnaire_template.read')
  @Returns(bulwarkTemplateFileSchema)
  async export(@IdParam() id: string, @VersionParam() v: number, @Res({ passthrough: true }) res: Response) {
    const { file, fileName } = await this.templates.exportVersion(id, v);
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    return file;
  }

  @Post(':id/archive')
  @Allow('questionnaire_template.write')
  @HttpCode(200)
  @Returns(templateDetailSchema)
  archive(@IdParam() id: string) {
    return this.templates.setArchived(id, true);
  }

  @Post(':id/restore')
  @Allow('questionnaire_template.write')
  @HttpCode(200)
  @Returns(templateDetailSchema)
  restore(@IdParam() id: string) {
    return this.templates.setArchived(id, false);
  }
}
