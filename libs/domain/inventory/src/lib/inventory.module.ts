import { Module } from '@nestjs/common';
import { AnalysisService } from './analysis.service.js';
import { CsvImportService } from './csv-import.service.js';
import { DependencyService } from './dependency.service.js';
import { AnalysisController, DependencyController, ImportController, ServiceController, SystemController, VendorController } from './inventory.controllers.js';
import { ServiceCatalog } from './service-catalog.service.js';
import { SystemService } from './system.service.js';
import { VendorService } from './vendor.service.js';

@Module({
  controllers: [VendorController, ServiceController, SystemController, DependencyController, AnalysisController, ImportController],
  providers: [VendorService, ServiceCatalog, SystemService, DependencyService, AnalysisService, CsvImportService],
  exports: [VendorService, ServiceCatalog, SystemService, DependencyService],
})
export class InventoryModule {}
