import { Controller, Delete, Get, HttpCode, Patch, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';

import {
  createSourceSchema,
  pollQueuedSchema,
  signalSourceViewSchema,
  sourceListQuery,
  testSourceResultSchema,
  testSourceSchema,
  updateSourceSchema,
  uploadReceiptSchema,
  type Input,
} from '@bulwark/api-schema';
import { Allow, IdParam, Returns, ReturnsNothing, ZodBody, ZodQuery } from '@bulwark/platform';

import { PluginRunner } from './plugin-runner.js';
import { PollService } from './poll.service.js';
import { PushService } from './push.service.js';
import { SignalSourceService } from './source.service.js';

/** Signal sources: configured plugins per vendor or service, their test run, "poll now" and CSV upload. */
@ApiTags('signals')
@Controller('signal-sources')
export class SourceController {
  constructor(
    private readonly sources: SignalSourceService,
    private readonly runner: PluginRunner,
    private readonly polls: PollService,
    private readonly push: PushService,
  ) {}

  @Get()
  @Allow('source.read')
  @Returns(z.array(signalSourceViewSchema))
  list(@ZodQuery(sourceListQuery) q: Input<typeof sourceListQuery>) {
    return this.sources.list(q.vendorId);
  }

  @Post()
  @Allow('source.write')
  @Returns(signalSourceViewSchema, 201)
  create(@ZodBody(createSourceSchema) body: Input<typeof createSourceSchema>) {
    return this.sources.create(body);
  }

  /** Runs the plugin once with this config and shows exactly what would be ingested. Stores nothing. */
  @Post('test')
  @Allow('source.write')
  @HttpCode(200)
  @Returns(testSourceResultSchema)
  test(@ZodBody(testSourceSchema) body: Input<typeof testSourceSchema>) {
    return this.runner.test(body.plugin, body.config);
  }

  @Get(':id')
  @Allow('source.read')
  @Returns(signalSourceViewSchema)
  get(@IdParam() id: string) {
    return this.sources.get(id);
  }

  @Patch(':id')
  @Allow('source.write')
  @Returns(signalSourceViewSchema)
  update(@IdParam() id: string, @ZodBody(updateSourceSchema) body: Input<typeof updateSourceSchema>) {
    return this.sources.update(id, body);
  }

  @Delete(':id')
  @Allow('source.write')
  @HttpCode(204)
  @ReturnsNothing()
  remove(@IdParam() id: string) {
    return this.sources.remove(id);
  }

  /** Queues a poll now; the source's health shows the outcome. */
  @Post(':id/poll')
  @Allow('source.write')
  @HttpCode(202)
  @Returns(pollQueuedSchema, 202)
  async pollNow(@IdParam() id: string) {
    await this.polls.pollNow(id);
    return { queued: true };
  }

  /** CSV upload for a push source (commercial feeds delivered as files). */
  @Post(':id/upload')
  @Allow('source.write')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @Returns(uploadReceiptSchema)
  upload(@IdParam() id: string, @Req() req: Request & { rawBody?: Buffer }) {
    const text = typeof req.body === 'string' && req.is('text/csv') ? req.body : null;
    return this.push.upload(id, text === null ? null : { text, raw: req.rawBody ?? Buffer.from(text) });
  }
}
