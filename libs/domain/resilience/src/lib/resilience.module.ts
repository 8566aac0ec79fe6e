import { Module } from '@nestjs/common';

import { CommitmentChainController } from './commitment-chain.controller.js';
import { CommitmentChainService } from './commitment-chain.service.js';

/** Resilience: the commitment chain (joint DR tests grow here). */
@Module({
  controllers: [CommitmentChainController],
  providers: [CommitmentChainService],
  exports: [CommitmentChainService],
})
export class ResilienceModule {}
