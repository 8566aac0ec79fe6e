import { Module } from '@nestjs/common';

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
export class InventoryModule {}
