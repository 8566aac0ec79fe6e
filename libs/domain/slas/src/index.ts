import { SlaAttainment, SlaBreach } from './lib/breach.entities.js';
import { Negotiation, NegotiationRound } from './lib/negotiation.entities.js';
import { Sla, SlaVendorReport, SlaVersion } from './lib/sla.entities.js';

export * from './lib/events.js';
export * from './lib/attainment.js';
export * from './lib/window-plan.js';
export * from './lib/sla-versions.js';
export * from './lib/sla.entities.js';
export * from './lib/breach.entities.js';
export * from './lib/negotiation.entities.js';
export * from './lib/sla.service.js';
export * from './lib/attainment.service.js';
export * from './lib/recompute.service.js';
export * from './lib/breach-notices.js';
export * from './lib/breach.service.js';
export * from './lib/portfolio.service.js';
export * from './lib/negotiation.service.js';
export * from './lib/slas.module.js';

export const SLAS_ENTITIES = [Sla, SlaVersion, SlaVendorReport, SlaAttainment, SlaBreach, Negotiation, NegotiationRound];
