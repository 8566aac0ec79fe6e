import { Controller, Delete, Get, HttpCode, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import {
  contactSchema,
  createDependencySchema,
  createServiceSchema,
  createSystemSchema,
  createVendorSchema,
  dependencyListQuery,
  serviceListQuery,
  subcontractorLinkSchema,
  systemListQuery,
  tierOverrideSchema,
  updateContactSchema,
  updateDependencySchema,
  updateServiceSchema,
  updateSystemSchema,
  updateVendorSchema,
  vendorListQuery,
  type VendorDetail,
  type VendorProfile,
} from '@bulwark/api-schema';
import { Allow, DomainException, IdParam, RequestContext, ZodBody, ZodQuery, assertVendorAccess } from '@bulwark/platform';
import type { Request } from 'express';
import type { z } from 'zod';
import { AnalysisService } from './analysis.service.js';
import { CsvImportService } from './csv-import.service.js';
import { DependencyService } from './dependency.service.js';
import { ServiceCatalog } from './service-catalog.service.js';
import { SystemService } from './system.service.js';
import { VendorService } from './vendor.service.js';

type In<S extends z.ZodType> = z.infer<S>;

@ApiTags('vendors')
@Controller('vendors')
export class VendorController {
  constructor(private readonly vendors: VendorService) {}

  @Get()
  @Allow('vendor.list')
  list(@ZodQuery(vendorListQuery) q: In<typeof vendorListQuery>) {
    return this.vendors.list(q);
  }

  @Post()
  @Allow('inventory.write')
  create(@ZodBody(createVendorSchema) body: In<typeof createVendorSchema>) {
    return this.vendors.create(body);
  }

  /** Vendor contacts may read their own vendor only (enforced by the tenant scope), as a profile without the internal assessment. */
  @Get(':id')
  @Allow('vendor.read')
  get(@IdParam() id: string): Promise<VendorDetail | VendorProfile> {
    assertVendorAccess(id);
    return RequestContext.actor().role === 'vendor_contact' ? this.vendors.profile(id) : this.vendors.get(id);
  }

  @Patch(':id')
  @Allow('inventory.write')
  update(@IdParam() id: string, @ZodBody(updateVendorSchema) body: In<typeof updateVendorSchema>) {
    return this.vendors.update(id, body);
  }

  @Put(':id/tier-override')
  @Allow('inventory.write')
  override(@IdParam() id: string, @ZodBody(tierOverrideSchema) body: In<typeof tierOverrideSchema>) {
    return this.vendors.setTierOverride(id, body);
  }

  @Delete(':id/tier-override')
  @Allow('inventory.write')
  clearOverride(@IdParam() id: string) {
    return this.vendors.clearTierOverride(id);
  }

  @Post(':id/contacts')
  @Allow('inventory.write')
  addContact(@IdParam() id: string, @ZodBody(contactSchema) body: In<typeof contactSchema>) {
    return this.vendors.addContact(id, body);
  }

  @Patch(':id/contacts/:contactId')
  @Allow('inventory.write')
  updateContact(@IdParam() id: string, @IdParam('contactId') contactId: string, @ZodBody(updateContactSchema) body: In<typeof updateContactSchema>) {
    return this.vendors.updateContact(id, contactId, body);
  }

  @Delete(':id/contacts/:contactId')
  @Allow('inventory.write')
  @HttpCode(204)
  removeContact(@IdParam() id: string, @IdParam('contactId') contactId: string) {
    return this.vendors.removeContact(id, contactId);
  }
}

@ApiTags('services')
@Controller()
export class ServiceController {
  constructor(private readonly services: ServiceCatalog) {}

  @Get('services')
  @Allow('service.read')
  list(@ZodQuery(serviceListQuery) q: In<typeof serviceListQuery>) {
    return this.services.list(q);
  }

  @Post('services')
  @Allow('inventory.write')
  create(@ZodBody(createServiceSchema) body: In<typeof createServiceSchema>) {
    return this.services.create(body);
  }

  @Get('services/:id')
  @Allow('service.read')
  get(@IdParam() id: string) {
    return this.services.get(id);
  }

  @Patch('services/:id')
  @Allow('inventory.write')
  update(@IdParam() id: string, @ZodBody(updateServiceSchema) body: In<typeof updateServiceSchema>) {
    return this.services.update(id, body);
  }

  @Delete('services/:id')
  @Allow('inventory.write')
  @HttpCode(204)
  remove(@IdParam() id: string) {
    return this.services.remove(id);
  }

  @Post('subcontractor-links')
  @Allow('inventory.write')
  link(@ZodBody(subcontractorLinkSchema) body: In<typeof subcontractorLinkSchema>) {
    return this.services.link(body);
  }

  @Delete('subcontractor-links/:id')
  @Allow('inventory.write')
  @HttpCode(204)
  unlink(@IdParam() id: string) {
    return this.services.unlink(id);
  }
}

@ApiTags('systems')
@Controller('systems')
export class SystemController {
  constructor(private readonly systems: SystemService) {}

  @Get()
  @Allow('inventory.read')
  list(@ZodQuery(systemListQuery) q: In<typeof systemListQuery>) {
    return this.systems.list(q);
  }

  @Post()
  @Allow('inventory.write')
  create(@ZodBody(createSystemSchema) body: In<typeof createSystemSchema>) {
    return this.systems.create(body);
  }

  @Get(':id')
  @Allow('inventory.read')
  get(@IdParam() id: string) {
    return this.systems.get(id);
  }

  @Patch(':id')
  @Allow('inventory.write')
  update(@IdParam() id: string, @ZodBody(updateSystemSchema) body: In<typeof updateSystemSchema>) {
    return this.systems.update(id, body);
  }

  @Delete(':id')
  @Allow('inventory.write')
  @HttpCode(204)
  remove(@IdParam() id: string) {
    return this.systems.remove(id);
  }
}

@ApiTags('dependencies')
@Controller('dependencies')
export class DependencyController {
  constructor(private readonly deps: DependencyService) {}

  @Get()
  @Allow('inventory.read')
  list(@ZodQuery(dependencyListQuery) q: In<typeof dependencyListQuery>) {
    return this.deps.list(q);
  }

  @Post()
  @Allow('inventory.write')
  create(@ZodBody(createDependencySchema) body: In<typeof createDependencySchema>) {
    return this.deps.create(body);
  }

  @Patch(':id')
  @Allow('inventory.write')
  update(@IdParam() id: string, @ZodBody(updateDependencySchema) body: In<typeof updateDependencySchema>) {
    return this.deps.update(id, body);
  }

  @Delete(':id')
  @Allow('inventory.write')
  @HttpCode(204)
  remove(@IdParam() id: string) {
    return this.deps.remove(id);
  }
}

@ApiTags('analysis')
@Controller('analysis')
export class AnalysisController {
  constructor(private readonly analysis: AnalysisService) {}

  @Get('dependency-map')
  @Allow('analysis.read')
  map() {
    return this.analysis.map();
  }

  @Get('single-points-of-failure')
  @Allow('analysis.read')
  spofs() {
    return this.analysis.spofs();
  }

  @Get('concentration')
  @Allow('analysis.read')
  concentration() {
    return this.analysis.concentration();
  }
}

function csvBody(req: Request): string {
  if (typeof req.body !== 'string' || !req.is('text/csv')) {
    throw new DomainException('import.not_csv', 'bad_request', 'Send the file as the request body with Content-Type: text/csv');
  }
  return req.body;
}

function dryRunFlag(v: string | undefined): boolean {
  if (v === undefined || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw new DomainException('query.invalid', 'invalid', 'dryRun must be true or false', [{ path: 'query.dryRun', message: 'must be true or false' }]);
}

@ApiTags('import')
@Controller('import')
export class ImportController {
  constructor(private readonly importer: CsvImportService) {}

  @Post('vendors')
  @Allow('inventory.write')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  vendors(@Req() req: Request, @Query('dryRun') dryRun?: string) {
    return this.importer.importVendors(csvBody(req), dryRunFlag(dryRun));
  }

  @Post('services')
  @Allow('inventory.write')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  services(@Req() req: Request, @Query('dryRun') dryRun?: string) {
    return this.importer.importServices(csvBody(req), dryRunFlag(dryRun));
  }
}
