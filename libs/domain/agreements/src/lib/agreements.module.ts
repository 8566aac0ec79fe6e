import { Module } from '@nestjs/common';

import { AuditEntityNames } from '@bulwark/platform';

import { ContractDocumentsController } from './contract-documents.controller.js';
import { ContractDocuments } from './contract-documents.service.js';
import { ContractController } from './contract.controller.js';
import { ContractService } from './contract.service.js';
import { RenewalInbox } from './renewal-inbox.js';
import { RenewalRemindersJob } from './renewal-reminders.job.js';
import { RenewalReminders } from './renewal-reminders.service.js';

/** Agreements: contracts, their clauses and documents, renewal reminders. */
@Module({
  controllers: [ContractController, ContractDocumentsController],
  providers: [ContractService, ContractDocuments, RenewalReminders, RenewalRemindersJob, RenewalInbox],
  exports: [ContractService, ContractDocuments, RenewalReminders],
})
export class AgreementsModule {
  /** How this area's records are named in the audit log. */
  constructor(names: AuditEntityNames) {
    names.register('contract', { table: 'contracts', label: 't.title' });
  }
}
