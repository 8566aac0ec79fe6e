export * from './lib/commitment.js';
export * from './lib/commitment-chain.service.js';
export * from './lib/resilience.module.js';
