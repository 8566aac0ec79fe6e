import { Module } from '@nestjs/common';

import { EvidenceModule } from '@bulwark/evidence';
import { AuditEntityNames } from '@bulwark/platform';

import { ContractDocumentsController } from './contract-documents.controller.js';
import { ContractDocuments } from './contract-documents.service.js';
import { ContractEvidenceTarget } from './contract-evidence-target.js';
import { ContractController } from './contract.controller.js';
import { ContractService } from './contract.service.js';
import { RenewalInbox } from './renewal-inbox.js';
import { RenewalRemindersJob } from './renewal-reminders.job.js';
import { RenewalReminders } from './renewal-reminders.service.js';

/**
 * Agreements: contracts, their clauses and documents, renewal reminders. The documents are evidence of kind
 * `contract` in the evidence vault, linked to their contract (the vault links evidence to contracts through
 * `ContractEvidenceTarget`).
 */
@Module({
  imports: [EvidenceModule],
  controllers: [ContractController, ContractDocumentsController],
  providers: [ContractService, ContractDocuments, ContractEvidenceTarget, RenewalReminders, RenewalRemindersJob, RenewalInbox],
  exports: [ContractService, ContractDocuments, RenewalReminders],
})
export class AgreementsModule {
  /** How this area's records are named in the audit log. */
  constructor(names: AuditEntityNames) {
    names.register('contract', { table: 'contracts', label: 't.title' });
  }
}
