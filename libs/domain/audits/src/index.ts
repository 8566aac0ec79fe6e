import { AuditEvent, AuditItem, AuditRequest } from './lib/audit.entities.js';

export * from './lib/entitlement.js';
export * from './lib/audit.entities.js';
export * from './lib/audit.service.js';
export * from './lib/audit-items.service.js';
export * from './lib/audit-reminders.service.js';
export * from './lib/audits.job.js';
export * from './lib/audits.module.js';

export const AUDITS_ENTITIES = [AuditRequest, AuditItem, AuditEvent];
