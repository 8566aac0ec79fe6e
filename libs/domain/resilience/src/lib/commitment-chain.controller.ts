import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { Allow } from '@bulwark/platform';

import { CommitmentChainService } from './commitment-chain.service.js';

@ApiTags('resilience')
@Controller('commitment-chain')
export class CommitmentChainController {
  constructor(private readonly chain: CommitmentChainService) {}

  @Get()
  @Allow('commitment.read')
  list() {
    return this.chain.commitmentChain();
  }
}
