import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import {
  createSystemSchema,
  pageOf,
  systemDetailSchema,
  systemListQuery,
  systemViewSchema,
  updateSystemSchema,
  type Input,
} from '@bulwark/api-schema';
import { Allow, IdParam, Returns, ReturnsNothing, ZodBody, ZodQuery } from '@bulwark/platform';

import { SystemService } from './system.service.js';

@ApiTags('systems')
@Controller('systems')
export class SystemController {
  constructor(private readonly systems: SystemService) {}

  @Get()
  @Allow('inventory.read')
  @Returns(pageOf(systemViewSchema))
  list(@ZodQuery(systemListQuery) q: Input<typeof systemListQuery>) {
    return this.systems.list(q);
  }

  @Post()
  @Allow('inventory.write')
  @Returns(systemViewSchema, 201)
  create(@ZodBody(createSystemSchema) body: Input<typeof createSystemSchema>) {
    return this.systems.create(body);
  }

  @Get(':id')
  @Allow('inventory.read')
  @Returns(systemDetailSchema)
  get(@IdParam() id: string) {
    return this.systems.get(id);
  }

  @Patch(':id')
  @Allow('inventory.write')
  @Returns(systemViewSchema)
  update(@IdParam() id: string, @ZodBody(updateSystemSchema) body: Input<typeof updateSystemSchema>) {
    return this.systems.update(id, body);
  }

  @Delete(':id')
  @Allow('inventory.write')
  @HttpCode(204)
  @ReturnsNothing()
  remove(@IdParam() id: string) {
    return this.systems.remove(id);
  }
}
