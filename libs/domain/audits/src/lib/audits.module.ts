import { Module } from '@nestjs/common';

import { EvidenceModule } from '@bulwark/evidence';
import { FindingsModule } from '@bulwark/findings';
import { AuditEntityNames } from '@bulwark/platform';

import { AuditInbox } from './audit-inbox.js';
import { AuditItems } from './audit-items.service.js';
import { AuditItemEvidenceTarget, AuditThreadTargets } from './audit-links.js';
import { AuditItemReminders } from './audit-reminders.service.js';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';
import { AuditsJob } from './audits.job.js';

/** Right-to-audit requests, built on the evidence vault (items' evidence, the report) and findings (raised from audits). */
@Module({
  imports: [EvidenceModule, FindingsModule],
  controllers: [AuditController],
  providers: [AuditService, AuditItems, AuditsJob, AuditInbox, AuditItemReminders, AuditItemEvidenceTarget, AuditThreadTargets],
  exports: [AuditService],
})
export class AuditsModule {
  /** How this area's records are named in the audit log. */
  constructor(names: AuditEntityNames) {
    names.register('audit_request', { table: 'audit_requests', label: 't.title' });
    names.register('audit_request_item', { table: 'audit_request_items', label: 't.reference' });
  }
}
