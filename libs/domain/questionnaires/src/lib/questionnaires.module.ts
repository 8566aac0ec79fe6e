import { Injectable, Module, RequestMethod, type MiddlewareConsumer, type NestMiddleware, type NestModule } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';

import { AuditEntityNames, InjectConfig, type AppConfig } from '@bulwark/platform';

import { BuiltInTemplates } from './builtin-templates.service.js';
import { QuestionnaireTemplateController } from './questionnaire-template.controller.js';
import { QuestionnaireTemplateService } from './questionnaire-template.service.js';

/**
 * The import route reads its file as text (a VSAQ questionnaire is not strict JSON, so the JSON parser cannot take
 * it), within the same body limit. Errors (too large, a bad charset) are thrown, so they get the one error body.
 */
@Injectable()
export class TemplateImportBody implements NestMiddleware {
  private readonly parse: express.RequestHandler;

  constructor(@InjectConfig() config: AppConfig) {
    this.parse = express.text({ type: 'text/plain', limit: config.http.bodyLimit });
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    await new Promise<void>((resolve, reject) => this.parse(req, res, (err?: unknown) => (err ? reject(err as Error) : resolve())));
    next();
  }
}

/** DR questionnaires: templates (versioned, publishable, importable), the built-in template seeded for every organization. */
@Module({
  controllers: [QuestionnaireTemplateController],
  providers: [QuestionnaireTemplateService, BuiltInTemplates, TemplateImportBody],
  exports: [QuestionnaireTemplateService, BuiltInTemplates],
})
export class QuestionnairesModule implements NestModule {
  /** How this area's records are named in the audit log. */
  constructor(names: AuditEntityNames) {
    names.register('questionnaire_template', { table: 'questionnaire_templates', label: 't.name' });
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TemplateImportBody).forRoutes({ path: 'questionnaire-templates/import', method: RequestMethod.POST });
  }
}
