import { Finding, FindingEvent, FindingRiskAcceptance } from './lib/finding.entities.js';

export * from './lib/finding.entities.js';
export * from './lib/finding-policy.js';
export * from './lib/finding-evidence.js';
export * from './lib/finding.service.js';
export * from './lib/risk-acceptance.service.js';
export * from './lib/finding-reminders.service.js';
export * from './lib/findings.job.js';
export * from './lib/findings.module.js';

export const FINDINGS_ENTITIES = [Finding, FindingEvent, FindingRiskAcceptance];
