export * from './lib/entitlement.js';
