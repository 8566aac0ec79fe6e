import { Module } from '@nestjs/common';

import { AuditEntityNames } from '@bulwark/platform';

import { FindingEvidence, UncheckedFindingEvidence } from './finding-evidence.js';
import { FindingReminders } from './finding-reminders.service.js';
import { FindingController } from './finding.controller.js';
import { FindingService } from './finding.service.js';
import { FindingsJob } from './findings.job.js';
import { RiskAcceptances } from './risk-acceptance.service.js';

/**
 * Findings and remediation. `FindingEvidence` is bound to `UncheckedFindingEvidence` (accepts any UUID)
 * until the evidence vault provides the real check: rebind it there (`{ provide: FindingEvidence, useClass: … }`).
 */
@Module({
  controllers: [FindingController],
  providers: [
    FindingService,
    RiskAcceptances,
    FindingReminders,
    FindingsJob,
    { provide: FindingEvidence, useClass: UncheckedFindingEvidence },
  ],
  exports: [FindingService, RiskAcceptances],
})
export class FindingsModule {
  /** How this area's records are named in the audit log. */
  constructor(names: AuditEntityNames) {
    names.register('finding', { table: 'findings', label: 't.title' });
  }
}
