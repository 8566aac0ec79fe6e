export * from './lib/signal.js';
export * from './lib/plugin.js';
export * from './lib/http-client.js';
export * from './lib/address-policy.js';
export * from './lib/plugin-docs.js';
export * from './lib/rfc822.js';
export * from './lib/html-text.js';
export * from './lib/provenance.js';
