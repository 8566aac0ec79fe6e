import { Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { contractListQuery, createContractSchema, updateContractSchema, type Input } from '@bulwark/api-schema';
import { Allow, IdParam, ZodBody, ZodQuery } from '@bulwark/platform';

import { ContractService } from './contract.service.js';

/** Reads are open to vendor contacts: the tenant scope confines them to their own vendor's rows. */
@ApiTags('contracts')
@Controller('contracts')
export class ContractController {
  constructor(private readonly contracts: ContractService) {}

  @Get()
  @Allow('contract.read')
  list(@ZodQuery(contractListQuery) q: Input<typeof contractListQuery>) {
    return this.contracts.list(q);
  }

  @Post()
  @Allow('contract.write')
  create(@ZodBody(createContractSchema) body: Input<typeof createContractSchema>) {
    return this.contracts.create(body);
  }

  @Get(':id')
  @Allow('contract.read')
  get(@IdParam() id: string) {
    return this.contracts.get(id);
  }

  @Patch(':id')
  @Allow('contract.write')
  update(@IdParam() id: string, @ZodBody(updateContractSchema) body: Input<typeof updateContractSchema>) {
    return this.contracts.update(id, body);
  }
}
