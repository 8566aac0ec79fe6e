import { Module } from '@nestjs/common';

import { AuditEntityNames } from '@bulwark/platform';

import { EvidenceInbox } from './evidence-inbox.js';
import { EvidenceExpiryReminders } from './evidence-reminders.service.js';
import { EvidenceTargets } from './evidence-targets.js';
import { EvidenceController } from './evidence.controller.js';
import { EvidenceService } from './evidence.service.js';
import { MALWARE_SCANNER } from './malware-scanner.js';
import { malwareScannerProvider } from './malware-scanner.provider.js';
import { EvidenceThreadAttachments } from './thread-attachments.js';

/** The evidence vault: items, revisions, links to targets, the malware scanner port, expiry reminders. */
@Module({
  controllers: [EvidenceController],
  providers: [EvidenceService, EvidenceTargets, EvidenceExpiryReminders, EvidenceInbox, EvidenceThreadAttachments, malwareScannerProvider],
  exports: [EvidenceService, EvidenceTargets, MALWARE_SCANNER],
})
export class EvidenceModule {
  /** How this area's records are named in the audit log. */
  constructor(names: AuditEntityNames) {
    names.register('evidence', { table: 'evidence_items', label: 't.title' });
  }
}
