import { EvidenceItem, EvidenceLink, EvidenceRevision } from './lib/evidence.entity.js';

export * from './lib/evidence.entity.js';
export * from './lib/evidence.service.js';
export * from './lib/evidence-targets.js';
export * from './lib/evidence-refs.js';
export * from './lib/evidence-reminders.service.js';
export * from './lib/malware-scanner.js';
export * from './lib/media-type.js';
export * from './lib/evidence.module.js';

export const EVIDENCE_ENTITIES = [EvidenceItem, EvidenceRevision, EvidenceLink];
