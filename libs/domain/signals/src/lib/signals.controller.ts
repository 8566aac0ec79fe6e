import { Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import { createSourceSchema, signalListQuery, sourceListQuery, testSourceSchema, updateSourceSchema } from '@bulwark/api-schema';
import { AuditLogService, Allow, DomainException, IdParam, NotFound, Public, RequestContext, ZodBody, ZodQuery, assertVendorAccess, findScoped } from '@bulwark/platform';
import { resolveRawRefs } from '@bulwark/plugin-sdk';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { ingestSignals } from './ingestion.js';
import { PluginRegistry } from './plugin-registry.js';
import { PollService } from './poll.service.js';
import { RawEvidence } from './raw-evidence.js';
import { SignalQueryService } from './signal-query.service.js';
import { SignalSource } from './signal-source.entity.js';
import { PluginRunner } from './plugin-runner.js';
import { SourceSecrets } from './source-secrets.js';
import { SignalSourceService } from './source.service.js';

type In<S extends z.ZodType> = z.infer<S>;

@ApiTags('signals')
@Controller()
export class SignalsController {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly sources: SignalSourceService,
    private readonly secrets: SourceSecrets,
    private readonly runner: PluginRunner,
    private readonly polls: PollService,
    private readonly queries: SignalQueryService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
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
    const source = await findScoped(this.dataSource.manager, SignalSource, id, 'signal_source');
    if (!source.enabled) throw new DomainException('source.disabled', 'conflict', 'Enable the source before polling it');
    if (this.registry.get(source.plugin).plugin.push) throw new DomainException('source.push_only', 'conflict', 'This source receives pushed data; it is never polled');
    await this.polls.enqueue(source);
    return { queued: true };
  }

  /** CSV upload for a push source (commercial feeds delivered as files). */
  @Post('signal-sources/:id/upload')
  @Allow('source.write')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  async upload(@IdParam() id: string, @Req() req: Request) {
    const scopedSource = await findScoped(this.dataSource.manager, SignalSource, id, 'signal_source');
    if (typeof req.body !== 'string' || !req.is('text/csv')) throw new DomainException('upload.not_csv', 'bad_request', 'Send the file as the request body with Content-Type: text/csv');
    const { push } = this.registry.get(scopedSource.plugin);
    if (!push) throw new DomainException('source.not_push', 'conflict', 'Only push sources accept uploads');
    const source = (await this.sources.loadForSystem(id))!;
    const { signals, errors } = push.parseCsv(req.body, this.secrets.fullConfig(source));
    if (errors.length) {
      throw new DomainException('upload.invalid_rows', 'invalid', `${errors.length} row(s) are invalid; nothing was ingested`, errors.slice(0, 50).map((e) => ({ path: `row ${e.row}`, message: e.message })), undefined, { errors });
    }
    const at = new Date();
    // The uploaded file is the raw evidence of its rows (pointer: the spreadsheet row).
    const raw = resolveRawRefs(signals, { payload: this.evidence.payload((req as Request & { rawBody?: Buffer }).rawBody ?? Buffer.from(req.body), 'text/csv', at), origin: 'upload' });
    const result = await this.dataSource.transaction(async (m) => {
      const r = await ingestSignals(m, this.polls.target(source), signals, { observedAt: at, rawRefs: raw.refs });
      await this.evidence.store(raw.bodies, r.rawReferenced);
      await m.update(SignalSource, { id }, { status: 'ok', lastPollAt: new Date(), lastSuccessAt: new Date(), consecutiveFailures: 0, lastError: null });
      await this.audit.append(m, { action: 'signal_source.uploaded', entityType: 'signal_source', entityId: id, diff: { rows: signals.length, changed: r.changed } });
      return r;
    });
    await this.polls.afterIngest(source, result, 'upload');
    return { received: result.received, changed: result.changed };
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
  async ingest(@Param('key') key: string, @Req() req: Request & { rawBody?: Buffer }, @Headers('x-bulwark-signature') signature?: string, @Headers('x-bulwark-timestamp') timestamp?: string) {
    const source = await this.sources.loadByWebhookKey(key);
    if (!source || !source.enabled) throw new NotFound('ingest_endpoint');
    const { push } = this.registry.get(source.plugin);
    if (!push) throw new NotFound('ingest_endpoint');
    const config = this.secrets.fullConfig(source);
    const rawBody = req.rawBody ?? Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? ''));
    const verdict = push.verify({ rawBody, signatureHeader: signature, timestampHeader: timestamp, config, now: new Date() });
    if (!verdict.ok) throw new DomainException('ingest.bad_signature', 'unauthenticated', `Webhook refused: ${verdict.reason}`);
    let signals;
    try {
      signals = push.parseJson(req.body, config);
    } catch (err) {
      throw new DomainException('ingest.invalid_payload', 'invalid', (err as Error).message);
    }
    const at = new Date();
    // The delivered body, byte for byte as signed, is the raw evidence of its records.
    const raw = resolveRawRefs(signals, { payload: this.evidence.payload(rawBody, 'application/json', at), origin: 'webhook' });
    return RequestContext.runAs(this.sources.systemActorFor(source), async () => {
      const result = await this.dataSource.transaction(async (m) => {
        const r = await ingestSignals(m, this.polls.target(source), signals, { observedAt: at, rawRefs: raw.refs });
        await this.evidence.store(raw.bodies, r.rawReferenced);
        await m.update(SignalSource, { id: source.id }, { status: 'ok', lastPollAt: new Date(), lastSuccessAt: new Date(), consecutiveFailures: 0, lastError: null });
        return r;
      });
      await this.polls.afterIngest(source, result, 'webhook');
      return { accepted: signals.length, changed: result.changed };
    });
  }
}
