import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { createSystemSchema, systemListQuery, updateSystemSchema, type Input } from '@bulwark/api-schema';
import { Allow, IdParam, ZodBody, ZodQuery } from '@bulwark/platform';

import { SystemService } from './system.service.js';

@ApiTags('systems')
@Controller('systems')
export class SystemController {
  constructor(private readonly systems: SystemService) {}

  @Get()
  @Allow('inventory.read')
  list(@ZodQuery(systemListQuery) q: Input<typeof systemListQuery>) {
    return this.systems.list(q);
  }

  @Post()
  @Allow('inventory.write')
  create(@ZodBody(createSystemSchema) body: Input<typeof createSystemSchema>) {
    return this.systems.create(body);
  }

  @Get(':id')
  @Allow('inventory.read')
  get(@IdParam() id: string) {
    return this.systems.get(id);
  }

  @Patch(':id')
  @Allow('inventory.write')
  update(@IdParam() id: string, @ZodBody(updateSystemSchema) body: Input<typeof updateSystemSchema>) {
    return this.systems.update(id, body);
  }

  @Delete(':id')
  @Allow('inventory.write')
  @HttpCode(204)
  remove(@IdParam() id: string) {
    return this.systems.remove(id);
  }
}
