import { Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import { createSourceSchema, signalListQuery, sourceListQuery, testSourceSchema, updateSourceSchema } from '@bulwark/api-schema';
import { Allow, IdParam, Public, ZodBody, ZodQuery, assertVendorAccess } from '@bulwark/platform';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { PluginRegistry } from './plugin-registry.js';
import { PollService } from './poll.service.js';
import { PushService } from './push.service.js';
import { RawEvidence } from './raw-evidence.js';
import { SignalQueryService } from './signal-query.service.js';
import { PluginRunner } from './plugin-runner.js';
import { SignalSourceService } from './source.service.js';

type In<S extends z.ZodType> = z.infer<S>;

@ApiTags('signals')
@Controller()
export class SignalsController {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly sources: SignalSourceService,
    private readonly runner: PluginRunner,
    private readonly polls: PollService,
    private readonly queries: SignalQueryService,
    private readonly push: PushService,
    private readonly evidence: RawEvidence,
  ) {}

  @Get('plugins')
  @Allow('plugin.read')
  plugins() {
    return this.registry.info();
  }

  @Get('signal-sources')
  @Allow('source.read')
  list(@ZodQuery(sourceListQuery) q: In<typeof sourceListQuery>) {
    return this.sources.list(q.vendorId);
  }

  @Post('signal-sources')
  @Allow('source.write')
  create(@ZodBody(createSourceSchema) body: In<typeof createSourceSchema>) {
    return this.sources.create(body);
  }

  /** Runs the plugin once with this config and shows exactly what would be ingested. Stores nothing. */
  @Post('signal-sources/test')
  @Allow('source.write')
  @HttpCode(200)
  test(@ZodBody(testSourceSchema) body: In<typeof testSourceSchema>) {
    return this.runner.test(body.plugin, body.config);
  }

  @Get('signal-sources/:id')
  @Allow('source.read')
  get(@IdParam() id: string) {
    return this.sources.get(id);
  }

  @Patch('signal-sources/:id')
  @Allow('source.write')
  update(@IdParam() id: string, @ZodBody(updateSourceSchema) body: In<typeof updateSourceSchema>) {
    return this.sources.update(id, body);
  }

  @Delete('signal-sources/:id')
  @Allow('source.write')
  @HttpCode(204)
  remove(@IdParam() id: string) {
    return this.sources.remove(id);
  }

  /** Queues a poll now; the source's health shows the outcome. */
  @Post('signal-sources/:id/poll')
  @Allow('source.write')
  @HttpCode(202)
  async pollNow(@IdParam() id: string) {
    await this.polls.pollNow(id);
    return { queued: true };
  }

  /** CSV upload for a push source (commercial feeds delivered as files). */
  @Post('signal-sources/:id/upload')
  @Allow('source.write')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  upload(@IdParam() id: string, @Req() req: Request & { rawBody?: Buffer }) {
    const text = typeof req.body === 'string' && req.is('text/csv') ? req.body : null;
    return this.push.upload(id, text === null ? null : { text, raw: req.rawBody ?? Buffer.from(text) });
  }

  @Get('signals')
  @Allow('signal.read')
  signals(@ZodQuery(signalListQuery) q: In<typeof signalListQuery>) {
    return this.queries.list(q);
  }

  @Get('signals/degraded')
  @Allow('signal.read')
  degraded() {
    return this.queries.degraded();
  }

  /** One signal, as in the list; a vendor contact may read their own vendor's (another's is 404). */
  @Get('signals/:id')
  @Allow('signal.read_own')
  signal(@IdParam() id: string) {
    return this.queries.get(id);
  }

  /** The signal's recorded states, oldest first. */
  @Get('signals/:id/history')
  @Allow('signal.read_own')
  history(@IdParam() id: string) {
    return this.queries.history(id);
  }

  /**
   * The raw body the signal's current state was read from, as an attachment, checked against its
   * SHA-256 first. Internal roles only: raw feed bodies and pushed payloads are the organization's
   * working material (licensed data, other vendors' entries, source URLs), not the vendor's.
   */
  @Get('signals/:id/raw')
  @Allow('signal.read_raw')
  async raw(@IdParam() id: string, @Res() res: Response) {
    await this.evidence.download(await this.queries.load(id), res);
  }

  /** The vendor's signal rollup; a vendor contact may read their own vendor's. */
  @Get('vendors/:id/signals')
  @Allow('signal.read_own')
  summary(@IdParam() id: string) {
    assertVendorAccess(id);
    return this.queries.vendorSummary(id);
  }

  /**
   * Signed webhook for commercial feeds: HMAC-SHA256 over `<timestamp>.<raw body>` in
   * `X-Bulwark-Signature`, unix seconds in `X-Bulwark-Timestamp`, within the replay window.
   */
  @Post('ingest/:key')
  @Public()
  @HttpCode(202)
  ingest(@Param('key') key: string, @Req() req: Request & { rawBody?: Buffer }, @Headers('x-bulwark-signature') signature?: string, @Headers('x-bulwark-timestamp') timestamp?: string) {
    const rawBody = req.rawBody ?? Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? ''));
    return this.push.receive(key, { rawBody, body: req.body, signature, timestamp });
  }
}
