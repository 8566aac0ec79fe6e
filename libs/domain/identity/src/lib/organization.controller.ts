import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import {
  addHolidaysSchema,
  holidayListQuery,
  holidayListSchema,
  organizationViewSchema,
  updateOrganizationSchema,
  type AddHolidaysInput,
  type Input,
  type UpdateOrganizationInput,
} from '@bulwark/api-schema';
import { Allow, IdParam, Returns, ReturnsNothing, ZodBody, ZodQuery } from '@bulwark/platform';

import { OrganizationService } from './organization.service.js';

/** The caller's organization: its settings (time zone) and its public holiday calendar. Admins change them. */
@ApiTags('organization')
@Controller('organization')
export class OrganizationController {
  constructor(private readonly org: OrganizationService) {}

  @Get()
  @Allow('organization.read')
  @Returns(organizationViewSchema)
  get() {
    return this.org.get();
  }

  /** The time zone (IANA); the name is read-only. */
  @Patch()
  @Allow('organization.write')
  @Returns(organizationViewSchema)
  update(@ZodBody(updateOrganizationSchema) body: UpdateOrganizationInput) {
    return this.org.update(body);
  }

  @Get('holidays')
  @Allow('organization.read')
  @Returns(holidayListSchema)
  holidays(@ZodQuery(holidayListQuery) q: Input<typeof holidayListQuery>) {
    return this.org.holidays(q.year);
  }

  /** One or more holidays (a pasted CSV of a year's public holidays): all or none. */
  @Post('holidays')
  @Allow('organization.write')
  @HttpCode(201)
  @Returns(holidayListSchema, 201)
  addHolidays(@ZodBody(addHolidaysSchema) body: AddHolidaysInput) {
    return this.org.addHolidays(body);
  }

  @Delete('holidays/:holidayId')
  @Allow('organization.write')
  @HttpCode(204)
  @ReturnsNothing()
  removeHoliday(@IdParam('holidayId') id: string) {
    return this.org.removeHoliday(id);
  }
}
