import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';

import { concentrationReportSchema, dependencyMapSchema, singlePointOfFailureSchema } from '@bulwark/api-schema';
import { Allow, Returns } from '@bulwark/platform';

import { AnalysisService } from './analysis.service.js';

@ApiTags('analysis')
@Controller('analysis')
export class AnalysisController {
  constructor(private readonly analysis: AnalysisService) {}

  @Get('dependency-map')
  @Allow('analysis.read')
  @Returns(dependencyMapSchema)
  map() {
    return this.analysis.map();
  }

  @Get('single-points-of-failure')
  @Allow('analysis.read')
  @Returns(z.array(singlePointOfFailureSchema))
  spofs() {
    return this.analysis.spofs();
  }

  @Get('concentration')
  @Allow('analysis.read')
  @Returns(concentrationReportSchema)
  concentration() {
    return this.analysis.concentration();
  }
}
