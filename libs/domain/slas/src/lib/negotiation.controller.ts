import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { createNegotiationSchema, negotiationListQuery, proposeRoundSchema, respondSchema, type Input } from '@bulwark/api-schema';
import { Allow, IdParam, ZodBody, ZodQuery } from '@bulwark/platform';

import { NegotiationService } from './negotiation.service.js';

@ApiTags('negotiations')
@Controller('negotiations')
export class NegotiationController {
  constructor(private readonly negotiations: NegotiationService) {}

  @Get()
  @Allow('negotiation.read')
  list(@ZodQuery(negotiationListQuery) q: Input<typeof negotiationListQuery>) {
    return this.negotiations.list(q.vendorId);
  }

  @Post()
  @Allow('negotiation.write')
  create(@ZodBody(createNegotiationSchema) body: Input<typeof createNegotiationSchema>) {
    return this.negotiations.create(body);
  }

  @Get(':id')
  @Allow('negotiation.read')
  get(@IdParam() id: string) {
    return this.negotiations.get(id);
  }

  @Post(':id/responses')
  @Allow('negotiation.respond')
  @HttpCode(200)
  respond(@IdParam() id: string, @ZodBody(respondSchema) body: Input<typeof respondSchema>) {
    return this.negotiations.respond(id, body.round, body.answers);
  }

  @Post(':id/rounds')
  @Allow('negotiation.write')
  @HttpCode(200)
  propose(@IdParam() id: string, @ZodBody(proposeRoundSchema) body: Input<typeof proposeRoundSchema>) {
    return this.negotiations.propose(id, body.terms);
  }

  @Post(':id/sign-off')
  @Allow('negotiation.sign_off')
  @HttpCode(200)
  signOff(@IdParam() id: string) {
    return this.negotiations.signOff(id);
  }

  @Post(':id/cancel')
  @Allow('negotiation.write')
  @HttpCode(200)
  cancel(@IdParam() id: string) {
    return this.negotiations.cancel(id);
  }
}
