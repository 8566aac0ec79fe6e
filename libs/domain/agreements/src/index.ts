import { Contract, ContractServiceLink } from './lib/contract.entity.js';

export * from './lib/contract.entity.js';
export * from './lib/contract.service.js';
export * from './lib/contract-documents.service.js';
export * from './lib/renewal-reminders.service.js';
export * from './lib/agreements.module.js';

export const AGREEMENTS_ENTITIES = [Contract, ContractServiceLink];
