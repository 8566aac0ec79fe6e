export * from './lib/common.js';
export * from './lib/auth.js';
export * from './lib/inventory.js';
export * from './lib/audit-log.js';
export * from './lib/signals.js';
export * from './lib/agreements.js';
export * from './lib/notifications.js';
export * from './lib/permissions.js';
