import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { createServiceSchema, serviceListQuery, subcontractorLinkSchema, updateServiceSchema, type Input } from '@bulwark/api-schema';
import { Allow, IdParam, ZodBody, ZodQuery } from '@bulwark/platform';

import { ServiceCatalog } from './service-catalog.service.js';

/** Vendor services and the subcontractor links between them. */
@ApiTags('services')
@Controller()
export class ServiceController {
  constructor(private readonly services: ServiceCatalog) {}

  @Get('services')
  @Allow('service.read')
  list(@ZodQuery(serviceListQuery) q: Input<typeof serviceListQuery>) {
    return this.services.list(q);
  }

  @Post('services')
  @Allow('inventory.write')
  create(@ZodBody(createServiceSchema) body: Input<typeof createServiceSchema>) {
    return this.services.create(body);
  }

  @Get('services/:id')
  @Allow('service.read')
  get(@IdParam() id: string) {
    return this.services.get(id);
  }

  @Patch('services/:id')
  @Allow('inventory.write')
  update(@IdParam() id: string, @ZodBody(updateServiceSchema) body: Input<typeof updateServiceSchema>) {
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
  link(@ZodBody(subcontractorLinkSchema) body: Input<typeof subcontractorLinkSchema>) {
    return this.services.link(body);
  }

  @Delete('subcontractor-links/:id')
  @Allow('inventory.write')
  @HttpCode(204)
  unlink(@IdParam() id: string) {
    return this.services.unlink(id);
  }
}
