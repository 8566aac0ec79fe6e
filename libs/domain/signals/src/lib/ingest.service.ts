import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { AuditLogService, DomainEvents, type AuditInput } from '@bulwark/platform';
import type { NormalizedSignal, ResolvedRawRefs } from '@bulwark/plugin-sdk';

import type { VendorHealthChanged } from './events.js';
import { FinancialHealth } from './financial-health.js';
import { ingestSignals, ingestTarget, type IngestResult } from './ingestion.js';
import { PluginRegistry } from './plugin-registry.js';
import { RawEvidence } from './raw-evidence.js';
import type { SignalSource } from './signal-source.entity.js';
import { recordSourceSuccess } from './source-status.js';

/** Signals a source read, with their raw evidence. */
export interface SignalBatch {
  signals: NormalizedSignal[];
  /** When they were observed (the poll or delivery time): the state time of undated signals. */
  observedAt: Date;
  /** The completed raw references, one per signal, and the bodies they point at (see `resolveRawRefs`). */
  raw: Pick<ResolvedRawRefs, 'refs' | 'bodies'>;
}

/** One delivery of a source's signals, by any path. */
export interface Delivery extends SignalBatch {
  cause: Exclude<VendorHealthChanged['cause'], 'source_deleted'>;
  /** A complete snapshot of what is open at the source (a poll's `complete`): what it no longer lists is resolved. */
  complete?: boolean;
  /** The audit entry of the delivery, for the paths that are audited (a CSV upload). */
  audit?: (result: IngestResult) => AuditInput;
}

/**
 * The one ingestion path of poll, signed webhook and CSV upload. One transaction stores the signals,
 * the raw bodies their rows now reference, the source's status and the audit entry; once it has
 * committed, the financial thresholds are re-applied for financial plugins and, when anything changed
 * or was resolved, `signals.vendor-health-changed` is emitted (SLA attainment, late signals included).
 */
@Injectable()
export class IngestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: PluginRegistry,
    private readonly evidence: RawEvidence,
    private readonly audit: AuditLogService,
    private readonly events: DomainEvents,
    private readonly financial: FinancialHealth,
  ) {}

  async ingest(source: SignalSource, delivery: Delivery): Promise<IngestResult> {
    const result = await this.dataSource.transaction(async (m) => {
      // A complete snapshot resolves the source's open signals it no longer lists.
      const r = await this.store(m, source, delivery, delivery.complete === true);
      // A successful read clears an earlier "unknown" marker of this source.
      await m.query(`DELETE FROM signals WHERE source_id = $1 AND external_id = 'source-status' AND signal_type = 'source_status'`, [
        source.id,
      ]);
      await recordSourceSuccess(m, source.id);
      if (delivery.audit) await this.audit.append(m, delivery.audit(r));
      return r;
    });
    const kind = this.registry.has(source.plugin) ? this.registry.get(source.plugin).plugin.kind : 'health';
    if (kind === 'financial') await this.financial.applyThreshold(source);
    if (result.changed + result.resolved > 0)
      await this.events.emit('signals.vendor-health-changed', {
        organizationId: source.organizationId,
        vendorId: source.vendorId,
        cause: delivery.cause,
      });
    return result;
  }

  /**
   * Stores signals and their evidence and nothing else (no source status, audit entry or event): the
   * `unknown` marker of a poll whose feed could not be read, whose failure the poll records itself.
   */
  async storeOnly(source: SignalSource, batch: SignalBatch): Promise<IngestResult> {
    return this.dataSource.transaction((m) => this.store(m, source, batch, false));
  }

  private async store(m: EntityManager, source: SignalSource, batch: SignalBatch, complete: boolean): Promise<IngestResult> {
    const r = await ingestSignals(m, ingestTarget(source), batch.signals, {
      observedAt: batch.observedAt,
      complete,
      rawRefs: batch.raw.refs,
    });
    // Only the bodies the stored rows now reference are kept, each once (content-addressed).
    await this.evidence.store(batch.raw.bodies, r.rawReferenced);
    return r;
  }
}
