import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { breachCommentSchema, breachListQuery, breachResolutionSchema } from '@bulwark/api-schema';
import { Allow, IdParam, ZodBody, ZodQuery } from '@bulwark/platform';
import type { z } from 'zod';
import { BreachService } from './breach.service.js';

type In<S extends z.ZodType> = z.infer<S>;

@ApiTags('breaches')
@Controller()
export class BreachController {
  constructor(private readonly breaches: BreachService) {}

  @Get('breaches')
  @Allow('breach.read')
  list(@ZodQuery(breachListQuery) q: In<typeof breachListQuery>) {
    return this.breaches.list(q);
  }

  @Get('breaches/:id')
  @Allow('breach.read')
  get(@IdParam() id: string) {
    return this.breaches.get(id);
  }

  /** The dispute thread: the vendor contests with evidence, the customer answers. */
  @Post('breaches/:id/comments')
  @Allow('breach.comment')
  @HttpCode(201)
  comment(@IdParam() id: string, @ZodBody(breachCommentSchema) body: In<typeof breachCommentSchema>) {
    return this.breaches.comment(id, body.body, body.evidenceLinks);
  }

  @Post('breaches/:id/resolve')
  @Allow('breach.resolve')
  @HttpCode(200)
  resolve(@IdParam() id: string, @ZodBody(breachResolutionSchema) body: In<typeof breachResolutionSchema>) {
    return this.breaches.resolve(id, body.decision, body.note);
  }

  /** Every SLA's latest figures, breaches and credits, read from the rollup. */
  @Get('sla-portfolio')
  @Allow('sla.read')
  portfolio() {
    return this.breaches.portfolio();
  }

  @Get('commitment-chain')
  @Allow('commitment.read')
  commitmentChain() {
    return this.breaches.commitmentChain();
  }
}
