import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import {
  createServiceSchema,
  pageOf,
  serviceListQuery,
  serviceViewSchema,
  subcontractorLinkSchema,
  subcontractorLinkViewSchema,
  updateServiceSchema,
  type Input,
} from '@bulwark/api-schema';
import { Allow, IdParam, Returns, ReturnsNothing, ZodBody, ZodQuery } from '@bulwark/platform';

import { ServiceCatalog } from './service-catalog.service.js';

/** Vendor services and the subcontractor links between them. */
@ApiTags('services')
@Controller()
export class ServiceController {
  constructor(private readonly services: ServiceCatalog) {}

  @Get('services')
  @Allow('service.read')
  @Returns(pageOf(serviceViewSchema))
  list(@ZodQuery(serviceListQuery) q: Input<typeof serviceListQuery>) {
    return this.services.list(q);
  }

  @Post('services')
  @Allow('inventory.write')
  @Returns(serviceViewSchema, 201)
  create(@ZodBody(createServiceSchema) body: Input<typeof createServiceSchema>) {
    return this.services.create(body);
  }

  @Get('services/:id')
  @Allow('service.read')
  @Returns(serviceViewSchema)
  get(@IdParam() id: string) {
    return this.services.get(id);
  }

  @Patch('services/:id')
  @Allow('inventory.write')
  @Returns(serviceViewSchema)
  update(@IdParam() id: string, @ZodBody(updateServiceSchema) body: Input<typeof updateServiceSchema>) {
    return this.services.update(id, body);
  }

  @Delete('services/:id')
  @Allow('inventory.write')
  @HttpCode(204)
  @ReturnsNothing()
  remove(@IdParam() id: string) {
    return this.services.remove(id);
  }

  @Post('subcontractor-links')
  @Allow('inventory.write')
  @Returns(subcontractorLinkViewSchema, 201)
  link(@ZodBody(subcontractorLinkSchema) body: Input<typeof subcontractorLinkSchema>) {
    return this.services.link(body);
  }

  @Delete('subcontractor-links/:id')
  @Allow('inventory.write')
  @HttpCode(204)
  @ReturnsNothing()
  unlink(@IdParam() id: string) {
    return this.services.unlink(id);
  }
}
