import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { Allow } from '@bulwark/platform';

import { AnalysisService } from './analysis.service.js';

@ApiTags('analysis')
@Controller('analysis')
export class AnalysisController {
  constructor(private readonly analysis: AnalysisService) {}

  @Get('dependency-map')
  @Allow('analysis.read')
  map() {
    return this.analysis.map();
  }

  @Get('single-points-of-failure')
  @Allow('analysis.read')
  spofs() {
    return this.analysis.spofs();
  }

  @Get('concentration')
  @Allow('analysis.read')
  concentration() {
    return this.analysis.concentration();
  }
}
