import { SignalSource } from './lib/signal-source.entity.js';
import { StoredSignal } from './lib/signal.entity.js';

export * from './lib/signal-source.entity.js';
export * from './lib/signal.entity.js';
export * from './lib/ingestion.js';
export * from './lib/plugin-registry.js';
export * from './lib/source.service.js';
export * from './lib/source-secrets.js';
export * from './lib/http-cache.js';
export * from './lib/plugin-runner.js';
export * from './lib/plugin-sandbox.js';
export * from './lib/poll.service.js';
export * from './lib/poll.job.js';
export * from './lib/ingest.service.js';
export * from './lib/push.service.js';
export * from './lib/financial-health.js';
export * from './lib/signal-query.service.js';
export * from './lib/rollup.js';
export * from './lib/monitoring.js';
export * from './lib/raw-evidence.js';
export * from './lib/signals.module.js';

export const SIGNALS_ENTITIES = [SignalSource, StoredSignal];
export * from './lib/events.js';
export * from './lib/outage-intervals.js';
