import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';

import {
  createNegotiationSchema,
  negotiationListQuery,
  negotiationViewSchema,
  proposeRoundSchema,
  respondSchema,
  type Input,
} from '@bulwark/api-schema';
import { Allow, IdParam, Returns, ZodBody, ZodQuery } from '@bulwark/platform';

import { NegotiationService } from './negotiation.service.js';

@ApiTags('negotiations')
@Controller('negotiations')
export class NegotiationController {
  constructor(private readonly negotiations: NegotiationService) {}

  @Get()
  @Allow('negotiation.read')
  @Returns(z.array(negotiationViewSchema))
  list(@ZodQuery(negotiationListQuery) q: Input<typeof negotiationListQuery>) {
    return this.negotiations.list(q);
  }

  @Post()
  @Allow('negotiation.write')
  @Returns(negotiationViewSchema, 201)
  create(@ZodBody(createNegotiationSchema) body: Input<typeof createNegotiationSchema>) {
    return this.negotiations.create(body);
  }

  @Get(':id')
  @Allow('negotiation.read')
  @Returns(negotiationViewSchema)
  get(@IdParam() id: string) {
    return this.negotiations.get(id);
  }

  @Post(':id/responses')
  @Allow('negotiation.respond')
  @HttpCode(200)
  @Returns(negotiationViewSchema)
  respond(@IdParam() id: string, @ZodBody(respondSchema) body: Input<typeof respondSchema>) {
    return this.negotiations.respond(id, body.round, body.answers);
  }

  @Post(':id/rounds')
  @Allow('negotiation.write')
  @HttpCode(200)
  @Returns(negotiationViewSchema)
  propose(@IdParam() id: string, @ZodBody(proposeRoundSchema) body: Input<typeof proposeRoundSchema>) {
    return this.negotiations.propose(id, body.terms);
  }

  @Post(':id/sign-off')
  @Allow('negotiation.sign_off')
  @HttpCode(200)
  @Returns(negotiationViewSchema)
  signOff(@IdParam() id: string) {
    return this.negotiations.signOff(id);
  }

  @Post(':id/cancel')
  @Allow('negotiation.write')
  @HttpCode(200)
  @Returns(negotiationViewSchema)
  cancel(@IdParam() id: string) {
    return this.negotiations.cancel(id);
  }
}
