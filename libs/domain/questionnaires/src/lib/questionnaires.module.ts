import { Module } from '@nestjs/common';

import { EvidenceModule } from '@bulwark/evidence';
import { FindingsModule } from '@bulwark/findings';
import { IdentityModule } from '@bulwark/identity';
import { AuditEntityNames } from '@bulwark/platform';

import { BuiltInTemplates } from './builtin-templates.service.js';
import { QuestionnaireCampaignController } from './questionnaire-campaign.controller.js';
import { QuestionnaireCampaignJob } from './questionnaire-campaign.job.js';
import { QuestionnaireCampaignService } from './questionnaire-campaign.service.js';
import { QuestionnaireRequestInbox } from './questionnaire-request-inbox.js';
import { QuestionnaireRequestReminders } from './questionnaire-request-reminders.js';
import { QuestionnaireRequestSpreadsheetController } from './questionnaire-request-spreadsheet.controller.js';
import { QuestionnaireRequestSpreadsheets } from './questionnaire-request-spreadsheet.service.js';
import { QuestionnaireAnswerEvidenceTarget, QuestionnaireRequestThreadTarget } from './questionnaire-request-targets.js';
import { QuestionnaireRequestController } from './questionnaire-request.controller.js';
import { QuestionnaireRequestService } from './questionnaire-request.service.js';
import { QuestionnaireTemplateController } from './questionnaire-template.controller.js';
import { QuestionnaireTemplateService } from './questionnaire-template.service.js';

/**
 * DR questionnaires: templates (versioned, publishable, importable), the built-in template seeded for every
 * organization, and requests (sent to a vendor, answered, reviewed, scored); flagged answers raise findings and
 * evidence questions take items of the evidence vault.
 */
@Module({
  imports: [EvidenceModule, FindingsModule, IdentityModule],
  controllers: [
    QuestionnaireTemplateController,
    QuestionnaireRequestController,
    QuestionnaireRequestSpreadsheetController,
    QuestionnaireCampaignController,
  ],
  providers: [
    QuestionnaireTemplateService,
    BuiltInTemplates,
    QuestionnaireRequestService,
    QuestionnaireRequestSpreadsheets,
    QuestionnaireRequestInbox,
    QuestionnaireRequestReminders,
    QuestionnaireRequestThreadTarget,
    QuestionnaireAnswerEvidenceTarget,
    QuestionnaireCampaignService,
    QuestionnaireCampaignJob,
  ],
  exports: [QuestionnaireTemplateService, BuiltInTemplates, QuestionnaireRequestService, QuestionnaireCampaignService],
})
export class QuestionnairesModule {
  /** How this area's records are named in the audit log. */
  constructor(names: AuditEntityNames) {
    names.register('questionnaire_template', { table: 'questionnaire_templates', label: 't.name' });
    names.register('questionnaire_request', { table: 'questionnaire_requests', label: 't.template_name' });
    names.register('questionnaire_campaign', { table: 'questionnaire_campaigns', label: 't.name' });
  }
}
