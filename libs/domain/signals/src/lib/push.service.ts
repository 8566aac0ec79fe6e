import { Injectable } from '@nestjs/common';

import { DomainException, NotFound, RequestContext } from '@bulwark/platform';
import { resolveRawRefs } from '@bulwark/plugin-sdk';

import { IngestService } from './ingest.service.js';
import { PluginRegistry } from './plugin-registry.js';
import { RawEvidence } from './raw-evidence.js';
import { SourceSecrets } from './source-secrets.js';
import { SignalSourceService } from './source.service.js';

/** A webhook delivery as received: the body byte for byte as signed, its parsed form and the signature headers. */
export interface WebhookDelivery {
  rawBody: Buffer;
  body: unknown;
  signature: string | undefined;
  timestamp: string | undefined;
}

/**
 * Push sources (commercial feeds): signed webhook deliveries and CSV uploads, checked and parsed by
 * the plugin's push handlers, then ingested like a poll (`IngestService`). Pushed batches are never
 * complete snapshots: they resolve nothing.
 */
@Injectable()
export class PushService {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly sources: SignalSourceService,
    private readonly secrets: SourceSecrets,
    private readonly evidence: RawEvidence,
    private readonly ingest: IngestService,
  ) {}

  /**
   * A signed webhook delivery: HMAC-SHA256 over `<timestamp>.<raw body>`, within the source's replay
   * window. Ingested as the source's plugin (a system actor).
   */
  async receive(key: string, delivery: WebhookDelivery): Promise<{ accepted: number; changed: number }> {
    const source = await this.sources.loadByWebhookKey(key);
    if (!source || !source.enabled) throw new NotFound('ingest_endpoint');
    const { push } = this.registry.get(source.plugin);
    if (!push) throw new NotFound('ingest_endpoint');
    const config = this.secrets.fullConfig(source);
    const verdict = push.verify({
      rawBody: delivery.rawBody,
      signatureHeader: delivery.signature,
      timestampHeader: delivery.timestamp,
      config,
      now: new Date(),
    });
    if (!verdict.ok) throw new DomainException('ingest.bad_signature', 'unauthenticated', `Webhook refused: ${verdict.reason}`);
    let signals;
    try {
      signals = push.parseJson(delivery.body, config);
    } catch (err) {
      throw new DomainException('ingest.invalid_payload', 'invalid', (err as Error).message);
    }
    const at = new Date();
    // The delivered body, byte for byte as signed, is the raw evidence of its records.
    const raw = resolveRawRefs(signals, { payload: this.evidence.payload(delivery.rawBody, 'application/json', at), origin: 'webhook' });
    return RequestContext.runAs(this.sources.systemActorFor(source), async () => {
      const result = await this.ingest.ingest(source, { cause: 'webhook', signals, observedAt: at, raw });
      return { accepted: signals.length, changed: result.changed };
    });
  }

  /**
   * A CSV file uploaded to a push source (`file` is null when the request was not `text/csv`): all
   * rows valid or nothing is ingested. Audited as `signal_source.uploaded`.
   */
  async upload(id: string, file: { text: string; raw: Buffer } | null): Promise<{ received: number; changed: number }> {
    const scopedSource = await this.sources.loadScoped(id);
    if (!file) throw new DomainException('upload.not_csv', 'bad_request', 'Send the file as the request body with Content-Type: text/csv');
    const { push } = this.registry.get(scopedSource.plugin);
    if (!push) throw new DomainException('source.not_push', 'conflict', 'Only push sources accept uploads');
    const source = (await this.sources.loadForSystem(id))!;
    const { signals, errors } = push.parseCsv(file.text, this.secrets.fullConfig(source));
    if (errors.length) {
      throw new DomainException(
        'upload.invalid_rows',
        'invalid',
        `${errors.length} row(s) are invalid; nothing was ingested`,
        errors.slice(0, 50).map((e) => ({ path: `row ${e.row}`, message: e.message })),
        undefined,
        { errors },
      );
    }
    const at = new Date();
    // The uploaded file is the raw evidence of its rows (pointer: the spreadsheet row).
    const raw = resolveRawRefs(signals, { payload: this.evidence.payload(file.raw, 'text/csv', at), origin: 'upload' });
    const result = await this.ingest.ingest(source, {
      cause: 'upload',
      signals,
      observedAt: at,
      raw,
      audit: (r) => ({
        action: 'signal_source.uploaded',
        entityType: 'signal_source',
        entityId: id,
        diff: { rows: signals.length, changed: r.changed },
      }),
    });
    return { received: result.received, changed: result.changed };
  }
}
