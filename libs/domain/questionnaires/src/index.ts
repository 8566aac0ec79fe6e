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
export * from './lib/questionnaires.module.js';

export const QUESTIONNAIRES_ENTITIES = [QuestionnaireTemplate, QuestionnaireTemplateVersion];
