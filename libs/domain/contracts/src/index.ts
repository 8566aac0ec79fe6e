import { Contract, ContractService, Sla, SlaVendorReport, SlaVersion } from './lib/entities.js';
import { Negotiation, NegotiationRound } from './lib/negotiation.entities.js';

export * from './lib/attainment.js';
export * from './lib/entities.js';
export * from './lib/agreements.service.js';
export * from './lib/agreements.module.js';

export * from './lib/negotiation.entities.js';
export * from './lib/negotiation.service.js';
export * from './lib/breach.service.js';
export * from './lib/documents.js';

export const AGREEMENT_ENTITIES = [Contract, ContractService, Sla, SlaVersion, SlaVendorReport, Negotiation, NegotiationRound];
