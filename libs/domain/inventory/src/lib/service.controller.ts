import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import {
  anyServiceViewSchema,
  createServiceSchema,
  pageOf,
  serviceListQuery,
  serviceViewSchema,
  subcontractorLinkSchema,
  subcontractorLinkViewSchema,
  updateServiceSchema,
  type Input,
  type Page,
  type ServiceView,
  type VendorServiceView,
} from '@bulwark/api-schema';
import { Allow, IdParam, RequestContext, Returns, ReturnsNothing, ZodBody, ZodQuery } from '@bulwark/platform';

import { ServiceCatalog } from './service-catalog.service.js';
import { vendorServiceView } from './views.js';

/** What the caller may read of a service: vendor contacts get the vendor-facing view, without the organization's notes. */
function forCaller(s: ServiceView): ServiceView | VendorServiceView {
  return RequestContext.actor().role === 'vendor_contact' ? vendorServiceView(s) : s;
}

/** Vendor services and the subcontractor links between them. */
@ApiTags('services')
@Controller()
export class ServiceController {
  constructor(private readonly services: ServiceCatalog) {}

  @Get('services')
  @Allow('service.read')
  @Returns(pageOf(anyServiceViewSchema))
  async list(@ZodQuery(serviceListQuery) q: Input<typeof serviceListQuery>): Promise<Page<ServiceView | VendorServiceView>> {
    const page = await this.services.list(q);
    return { ...page, items: page.items.map(forCaller) };
  }

  @Post('services')
  @Allow('inventory.write')
  @Returns(serviceViewSchema, 201)
  create(@ZodBody(createServiceSchema) body: Input<typeof createServiceSchema>) {
    return this.services.create(body);
  }

  @Get('services/:id')
  @Allow('service.read')
  @Returns(anyServiceViewSchema)
  async get(@IdParam() id: string): Promise<ServiceView | VendorServiceView> {
    return forCaller(await this.services.get(id));
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
