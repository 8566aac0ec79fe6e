import { Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { contractListQuery, contractViewSchema, createContractSchema, pageOf, updateContractSchema, type Input } from '@bulwark/api-schema';
import { Allow, IdParam, Returns, ZodBody, ZodQuery } from '@bulwark/platform';

import { ContractService } from './contract.service.js';

/** Reads are open to vendor contacts: the tenant scope confines them to their own vendor's rows. */
@ApiTags('contracts')
@Controller('contracts')
export class ContractController {
  constructor(private readonly contracts: ContractService) {}

  @Get()
  @Allow('contract.read')
  @Returns(pageOf(contractViewSchema))
  list(@ZodQuery(contractListQuery) q: Input<typeof contractListQuery>) {
    return this.contracts.list(q);
  }

  @Post()
  @Allow('contract.write')
  @Returns(contractViewSchema, 201)
  create(@ZodBody(createContractSchema) body: Input<typeof createContractSchema>) {
    return this.contracts.create(body);
  }

  @Get(':id')
  @Allow('contract.read')
  @Returns(contractViewSchema)
  get(@IdParam() id: string) {
    return this.contracts.get(id);
  }

  @Patch(':id')
  @Allow('contract.write')
  @Returns(contractViewSchema)
  update(@IdParam() id: string, @ZodBody(updateContractSchema) body: Input<typeof updateContractSchema>) {
    return this.contracts.update(id, body);
  }
}
