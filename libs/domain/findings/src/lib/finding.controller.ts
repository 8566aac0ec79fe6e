import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import {
  createFindingSchema,
  findingDetailSchema,
  findingListQuery,
  findingTransitionSchema,
  findingViewSchema,
  pageOf,
  riskAcceptanceSchema,
  type Input,
} from '@bulwark/api-schema';
import { Allow, IdParam, Returns, ZodBody, ZodQuery } from '@bulwark/platform';

import { FindingService } from './finding.service.js';
import { RiskAcceptances } from './risk-acceptance.service.js';

/** Reads are open to vendor contacts: the tenant scope confines them to their own vendor's findings. */
@ApiTags('findings')
@Controller('findings')
export class FindingController {
  constructor(
    private readonly findings: FindingService,
    private readonly acceptances: RiskAcceptances,
  ) {}

  @Get()
  @Allow('finding.read')
  @Returns(pageOf(findingViewSchema))
  list(@ZodQuery(findingListQuery) q: Input<typeof findingListQuery>) {
    return this.findings.list(q);
  }

  @Post()
  @Allow('finding.write')
  @HttpCode(201)
  @Returns(findingDetailSchema, 201)
  raise(@ZodBody(createFindingSchema) body: Input<typeof createFindingSchema>) {
    return this.findings.raise(body);
  }

  @Get(':id')
  @Allow('finding.read')
  @Returns(findingDetailSchema)
  get(@IdParam() id: string) {
    return this.findings.get(id);
  }

  @Post(':id/transitions')
  @Allow('finding.transition')
  @HttpCode(200)
  @Returns(findingDetailSchema)
  transition(@IdParam() id: string, @ZodBody(findingTransitionSchema) body: Input<typeof findingTransitionSchema>) {
    return this.findings.transition(id, body);
  }

  @Post(':id/risk-acceptances')
  @Allow('finding.write')
  @HttpCode(201)
  @Returns(findingDetailSchema, 201)
  requestAcceptance(@IdParam() id: string, @ZodBody(riskAcceptanceSchema) body: Input<typeof riskAcceptanceSchema>) {
    return this.acceptances.request(id, body);
  }

  @Post(':id/risk-acceptances/:acceptanceId/approve')
  @Allow('finding.write')
  @HttpCode(200)
  @Returns(findingDetailSchema)
  approveAcceptance(@IdParam() id: string, @IdParam('acceptanceId') acceptanceId: string) {
    return this.acceptances.approve(id, acceptanceId);
  }
}
