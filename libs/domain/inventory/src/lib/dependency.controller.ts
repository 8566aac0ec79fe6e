import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import {
  createDependencySchema,
  dependencyListQuery,
  dependencyViewSchema,
  pageOf,
  updateDependencySchema,
  type Input,
} from '@bulwark/api-schema';
import { Allow, IdParam, Returns, ReturnsNothing, ZodBody, ZodQuery } from '@bulwark/platform';

import { DependencyService } from './dependency.service.js';

@ApiTags('dependencies')
@Controller('dependencies')
export class DependencyController {
  constructor(private readonly deps: DependencyService) {}

  @Get()
  @Allow('inventory.read')
  @Returns(pageOf(dependencyViewSchema))
  list(@ZodQuery(dependencyListQuery) q: Input<typeof dependencyListQuery>) {
    return this.deps.list(q);
  }

  @Post()
  @Allow('inventory.write')
  @Returns(dependencyViewSchema, 201)
  create(@ZodBody(createDependencySchema) body: Input<typeof createDependencySchema>) {
    return this.deps.create(body);
  }

  @Patch(':id')
  @Allow('inventory.write')
  @Returns(dependencyViewSchema)
  update(@IdParam() id: string, @ZodBody(updateDependencySchema) body: Input<typeof updateDependencySchema>) {
    return this.deps.update(id, body);
  }

  @Delete(':id')
  @Allow('inventory.write')
  @HttpCode(204)
  @ReturnsNothing()
  remove(@IdParam() id: string) {
    return this.deps.remove(id);
  }
}
