import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { breachCommentSchema, breachListQuery, breachResolutionSchema, breachViewSchema, pageOf, type Input } from '@bulwark/api-schema';
import { Allow, IdParam, Returns, ZodBody, ZodQuery } from '@bulwark/platform';

import { BreachService } from './breach.service.js';

@ApiTags('breaches')
@Controller('breaches')
export class BreachController {
  constructor(private readonly breaches: BreachService) {}

  @Get()
  @Allow('breach.read')
  @Returns(pageOf(breachViewSchema))
  list(@ZodQuery(breachListQuery) q: Input<typeof breachListQuery>) {
    return this.breaches.list(q);
  }

  @Get(':id')
  @Allow('breach.read')
  @Returns(breachViewSchema)
  get(@IdParam() id: string) {
    return this.breaches.get(id);
  }

  /** The dispute thread: the vendor contests with evidence, the customer answers. */
  @Post(':id/comments')
  @Allow('breach.comment')
  @HttpCode(201)
  @Returns(breachViewSchema, 201)
  comment(@IdParam() id: string, @ZodBody(breachCommentSchema) body: Input<typeof breachCommentSchema>) {
    return this.breaches.comment(id, body.body, body.evidenceLinks);
  }

  @Post(':id/resolve')
  @Allow('breach.resolve')
  @HttpCode(200)
  @Returns(breachViewSchema)
  resolve(@IdParam() id: string, @ZodBody(breachResolutionSchema) body: Input<typeof breachResolutionSchema>) {
    return this.breaches.resolve(id, body.decision, body.note);
  }
}
