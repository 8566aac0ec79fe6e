import { Module } from '@nestjs/common';

import { AuditEntityNames } from '@bulwark/platform';

import { BuiltInTemplates } from './builtin-templates.service.js';
import { QuestionnaireTemplateController } from './questionnaire-template.controller.js';
import { QuestionnaireTemplateService } from './questionnaire-template.service.js';

/** DR questionnaires: templates (versioned, publishable, importable), the built-in template seeded for every organization. */
@Module({
  controllers: [QuestionnaireTemplateController],
  providers: [QuestionnaireTemplateService, BuiltInTemplates],
  exports: [QuestionnaireTemplateService, BuiltInTemplates],
})
export class QuestionnairesModule {
  /** How this area's records are named in the audit log. */
  constructor(names: AuditEntityNames) {
    names.register('questionnaire_template', { table: 'questionnaire_templates', label: 't.name' });
  }
}
