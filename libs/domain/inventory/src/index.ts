import { Dependency } from './lib/dependency.entity.js';
import { InternalSystem } from './lib/internal-system.entity.js';
import { Service } from './lib/service.entity.js';
import { SubcontractorLink } from './lib/subcontractor-link.entity.js';
import { VendorContact } from './lib/vendor-contact.entity.js';
import { Vendor } from './lib/vendor.entity.js';

export * from './lib/vendor.entity.js';
export * from './lib/vendor-contact.entity.js';
export * from './lib/service.entity.js';
export * from './lib/subcontractor-link.entity.js';
export * from './lib/internal-system.entity.js';
export * from './lib/dependency.entity.js';
export * from './lib/tier.js';
export * from './lib/analysis.js';
export * from './lib/vendor.service.js';
export * from './lib/vendor-contact.service.js';
export * from './lib/service-catalog.service.js';
export * from './lib/system.service.js';
export * from './lib/dependency.service.js';
export * from './lib/csv-import.service.js';
export * from './lib/inventory.module.js';

export const INVENTORY_ENTITIES = [Vendor, VendorContact, Service, SubcontractorLink, InternalSystem, Dependency];
