import { Module } from '@nestjs/common';

import { AuditEntityNames } from '@bulwark/platform';

import { AnalysisController } from './analysis.controller.js';
import { AnalysisService } from './analysis.service.js';
import { CsvImportService } from './csv-import.service.js';
import { DependencyController } from './dependency.controller.js';
import { DependencyService } from './dependency.service.js';
import { ImportController } from './import.controller.js';
import { ServiceCatalog } from './service-catalog.service.js';
import { ServiceController } from './service.controller.js';
import { SystemController } from './system.controller.js';
import { SystemService } from './system.service.js';
import { VendorContactService } from './vendor-contact.service.js';
import { VendorController } from './vendor.controller.js';
import { VendorService } from './vendor.service.js';

@Module({
  controllers: [VendorController, ServiceController, SystemController, DependencyController, AnalysisController, ImportController],
  providers: [VendorService, VendorContactService, ServiceCatalog, SystemService, DependencyService, AnalysisService, CsvImportService],
  exports: [VendorService, VendorContactService, ServiceCatalog, SystemService, DependencyService],
})
export class InventoryModule {
  /** How this area's records are named in the audit log. */
  constructor(names: AuditEntityNames) {
    names.register('vendor', { table: 'vendors', label: 't.name' });
    names.register('service', { table: 'services', label: 't.name' });
    names.register('internal_system', { table: 'internal_systems', label: 't.name' });
    names.register('vendor_contact', { table: 'vendor_contacts', label: 't.name' });
    names.register('dependency', {
      table: 'dependencies',
      label:
        "(SELECT s.name FROM internal_systems s WHERE s.id = t.system_id) || ' → ' || (SELECT v.name FROM services v WHERE v.id = t.service_id)",
    });
  }
}
