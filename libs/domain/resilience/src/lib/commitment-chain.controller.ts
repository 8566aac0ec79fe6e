import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';

import { commitmentRowSchema } from '@bulwark/api-schema';
import { Allow, Returns } from '@bulwark/platform';

import { CommitmentChainService } from './commitment-chain.service.js';

@ApiTags('resilience')
@Controller('commitment-chain')
export class CommitmentChainController {
  constructor(private readonly chain: CommitmentChainService) {}

  @Get()
  @Allow('commitment.read')
  @Returns(z.array(commitmentRowSchema))
  list() {
    return this.chain.commitmentChain();
  }
}
