import { Module } from '@nestjs/common';

import { EvidenceModule } from '@bulwark/evidence';
import { AuditEntityNames } from '@bulwark/platform';

import { FindingEvidence, FindingEvidenceTarget } from './finding-evidence.js';
import { FindingInbox } from './finding-inbox.js';
import { FindingReminders } from './finding-reminders.service.js';
import { FindingThreadTarget } from './finding-thread.js';
import { FindingController } from './finding.controller.js';
import { FindingService } from './finding.service.js';
import { FindingsJob } from './findings.job.js';
import { RiskAcceptances } from './risk-acceptance.service.js';

/** Findings and remediation; their evidence comes from the evidence vault, which may link evidence to them. */
@Module({
  imports: [EvidenceModule],
  controllers: [FindingController],
  providers: [
    FindingService,
    RiskAcceptances,
    FindingReminders,
    FindingsJob,
    FindingEvidence,
    FindingEvidenceTarget,
    FindingInbox,
    FindingThreadTarget,
  ],
  exports: [FindingService, RiskAcceptances],
})
export class FindingsModule {
  /** How this area's records are named in the audit log. */
  constructor(names: AuditEntityNames) {
    names.register('finding', { table: 'findings', label: 't.title' });
  }
}
