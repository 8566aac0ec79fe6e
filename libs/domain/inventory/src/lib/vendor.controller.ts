import { Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import {
  contactSchema,
  contactViewSchema,
  createVendorSchema,
  pageOf,
  tierOverrideSchema,
  updateContactSchema,
  updateVendorSchema,
  vendorDetailSchema,
  vendorListQuery,
  vendorSummarySchema,
  vendorViewSchema,
  type Input,
  type VendorDetail,
  type VendorProfile,
} from '@bulwark/api-schema';
import { Allow, assertVendorAccess, IdParam, RequestContext, Returns, ReturnsNothing, ZodBody, ZodQuery } from '@bulwark/platform';

import { VendorContactService } from './vendor-contact.service.js';
import { VendorService } from './vendor.service.js';

@ApiTags('vendors')
@Controller('vendors')
export class VendorController {
  constructor(
    private readonly vendors: VendorService,
    private readonly contacts: VendorContactService,
  ) {}

  @Get()
  @Allow('vendor.list')
  @Returns(pageOf(vendorSummarySchema))
  list(@ZodQuery(vendorListQuery) q: Input<typeof vendorListQuery>) {
    return this.vendors.list(q);
  }

  @Post()
  @Allow('inventory.write')
  @Returns(vendorDetailSchema, 201)
  create(@ZodBody(createVendorSchema) body: Input<typeof createVendorSchema>) {
    return this.vendors.create(body);
  }

  /** Vendor contacts may read their own vendor only (enforced by the tenant scope), as a profile without the internal assessment. */
  @Get(':id')
  @Allow('vendor.read')
  @Returns(vendorViewSchema)
  get(@IdParam() id: string): Promise<VendorDetail | VendorProfile> {
    assertVendorAccess(id);
    return RequestContext.actor().role === 'vendor_contact' ? this.vendors.profile(id) : this.vendors.get(id);
  }

  @Patch(':id')
  @Allow('inventory.write')
  @Returns(vendorDetailSchema)
  update(@IdParam() id: string, @ZodBody(updateVendorSchema) body: Input<typeof updateVendorSchema>) {
    return this.vendors.update(id, body);
  }

  @Put(':id/tier-override')
  @Allow('inventory.write')
  @Returns(vendorDetailSchema)
  override(@IdParam() id: string, @ZodBody(tierOverrideSchema) body: Input<typeof tierOverrideSchema>) {
    return this.vendors.setTierOverride(id, body);
  }

  @Delete(':id/tier-override')
  @Allow('inventory.write')
  @Returns(vendorDetailSchema)
  clearOverride(@IdParam() id: string) {
    return this.vendors.clearTierOverride(id);
  }

  @Post(':id/contacts')
  @Allow('inventory.write')
  @Returns(contactViewSchema, 201)
  addContact(@IdParam() id: string, @ZodBody(contactSchema) body: Input<typeof contactSchema>) {
    return this.contacts.addContact(id, body);
  }

  @Patch(':id/contacts/:contactId')
  @Allow('inventory.write')
  @Returns(contactViewSchema)
  updateContact(
    @IdParam() id: string,
    @IdParam('contactId') contactId: string,
    @ZodBody(updateContactSchema) body: Input<typeof updateContactSchema>,
  ) {
    return this.contacts.updateContact(id, contactId, body);
  }

  @Delete(':id/contacts/:contactId')
  @Allow('inventory.write')
  @HttpCode(204)
  @ReturnsNothing()
  removeContact(@IdParam() id: string, @IdParam('contactId') contactId: string) {
    return this.contacts.removeContact(id, contactId);
  }
}
