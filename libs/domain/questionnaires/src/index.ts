import { QuestionnaireCampaign } from './lib/questionnaire-campaign.entities.js';
import { QuestionnaireAnswer, QuestionnaireRequest } from './lib/questionnaire-request.entities.js';
import { QuestionnaireTemplate, QuestionnaireTemplateVersion } from './lib/questionnaire-template.entities.js';

export * from './lib/questionnaire-template.entities.js';
export * from './lib/questionnaire-template.service.js';
export * from './lib/builtin-templates.service.js';
export * from './lib/builtin/builtin-templates.js';
export * from './lib/content-hash.js';
export * from './lib/template-import.js';
export * from './lib/vsaq/vsaq-dialect.js';
export * from './lib/vsaq/vsaq-cond.js';
export * from './lib/vsaq/vsaq-import.js';
export * from './lib/questionnaire-request.entities.js';
export * from './lib/questionnaire-request.service.js';
export * from './lib/questionnaire-request-spreadsheet.js';
export * from './lib/questionnaire-request-spreadsheet.service.js';
export * from './lib/questionnaire-request-reminders.js';
export * from './lib/questionnaire-campaign.entities.js';
export * from './lib/questionnaire-campaign.service.js';
export * from './lib/questionnaires.module.js';

export const QUESTIONNAIRES_ENTITIES = [
  QuestionnaireTemplate,
  QuestionnaireTemplateVersion,
  QuestionnaireRequest,
  QuestionnaireAnswer,
  QuestionnaireCampaign,
];
