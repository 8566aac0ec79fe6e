import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';

import { portfolioEntrySchema } from '@bulwark/api-schema';
import { Allow, Returns } from '@bulwark/platform';

import { PortfolioService } from './portfolio.service.js';

@ApiTags('slas')
@Controller('sla-portfolio')
export class PortfolioController {
  constructor(private readonly portfolio: PortfolioService) {}

  /** Every SLA's latest figures, breaches and credits, read from the rollup. */
  @Get()
  @Allow('sla.read')
  @Returns(z.array(portfolioEntrySchema))
  list() {
    return this.portfolio.portfolio();
  }
}
