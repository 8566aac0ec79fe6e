import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { VendorService } from '@bulwark/inventory';
import { AuditLogService, DomainEvents, InjectQueue, JobRegistry, Notifier, PermanentJobError, RequestContext, type QueuePort } from '@bulwark/platform';
import { FINANCIAL_SIGNAL_TYPES, FeedParseError, HttpError, PermanentPluginError, SEVERITY, recordFetches, resolveRawRefs, unknownSignal, type FetchRecorder, type PollResult, type SignalLevel } from '@bulwark/plugin-sdk';
import { DataSource } from 'typeorm';
import type { VendorHealthChanged } from './events.js';
import { ingestSignals, type IngestResult } from './ingestion.js';
import { PluginRegistry } from './plugin-registry.js';
import { RawEvidence } from './raw-evidence.js';
import { SignalSource } from './signal-source.entity.js';
import { SourceHttpCache } from './http-cache.js';
import { PluginRunner } from './plugin-runner.js';
import { SourceSecrets } from './source-secrets.js';
import { SignalSourceService } from './source.service.js';

export type PollOutcome = { status: 'ok'; result: IngestResult } | { status: 'skipped'; reason: string } | { status: 'failed'; error: string; permanent: boolean };

/** Financial level → the tier intake's financial-health answer. */
const FINANCIAL_HEALTH: Partial<Record<SignalLevel, 'distressed' | 'watch' | 'healthy'>> = {
  major_outage: 'distressed',
  partial_outage: 'distressed',
  degraded: 'watch',
  info: 'healthy',
  operational: 'healthy',
};

/**
 * Polls a source once: runs the plugin, ingests what it returns, and records the source's health.
 * A feed that cannot be parsed records `unknown` (never `operational`); a permanent error (bad
 * config, 4xx) stops retries; anything else is retried with backoff by the queue.
 */
@Injectable()
export class PollService implements OnModuleInit {
  private readonly logger = new Logger('Poll');

  constructor(
    private readonly dataSource: DataSource,
    private readonly sources: SignalSourceService,
    private readonly secrets: SourceSecrets,
    private readonly http: SourceHttpCache,
    private readonly runner: PluginRunner,
    private readonly registry: PluginRegistry,
    private readonly jobs: JobRegistry,
    private readonly audit: AuditLogService,
    private readonly vendors: VendorService,
    private readonly notifier: Notifier,
    private readonly evidence: RawEvidence,
    private readonly events: DomainEvents,
    @InjectQueue() private readonly queue: QueuePort,
  ) {}

  onModuleInit(): void {
    this.jobs.register('signals.poll', async ({ sourceId }) => {
      const outcome = await this.poll(sourceId);
      if (outcome.status === 'failed') {
        if (outcome.permanent) throw new PermanentJobError(outcome.error);
        throw new Error(outcome.error);
      }
    });
  }

  /** Enqueues a poll now (the API's "poll now"). */
  async enqueue(source: SignalSource): Promise<void> {
    await this.queue.add('signals.poll', { sourceId: source.id, organizationId: source.organizationId, plugin: source.plugin });
  }

  async poll(sourceId: string): Promise<PollOutcome> {
    const source = await this.sources.loadForSystem(sourceId);
    if (!source) return { status: 'skipped', reason: 'source no longer exists' };
    if (!source.enabled) return { status: 'skipped', reason: 'source is disabled' };
    return RequestContext.runAs(this.sources.systemActorFor(source), async () => {
      if (!this.registry.has(source.plugin)) return this.fail(source, `Plugin ${source.plugin} is not installed`, true, 'invalid_config');
      const { plugin } = this.registry.get(source.plugin);
      if (plugin.push) return { status: 'skipped', reason: 'push sources are not polled' } as PollOutcome;
      let config: Record<string, unknown>;
      try {
        config = this.secrets.validate(source.plugin, this.secrets.fullConfig(source)).full;
      } catch (err) {
        return this.fail(source, `Invalid configuration: ${(err as Error).message}`, true, 'invalid_config');
      }
      // The host keeps what the plugin fetched during this poll: the raw evidence its signals point at.
      const recorder = recordFetches(this.http.clientFor(source.id));
      const instance = this.runner.instance(plugin, source, config, recorder.http);
      // The observation time: the state time of undated signals, and when absent ones are resolved.
      const observedAt = new Date();
      let polled: PollResult;
      try {
        polled = await this.runner.poll(instance);
      } catch (err) {
        const message = (err as Error).message.slice(0, 2000);
        if (err instanceof FeedParseError) {
          // The feed answered with something we cannot read: the state is unknown, not healthy. A
          // failed read resolves nothing: what was open stays open.
          await this.recordUnreadable(source, err, message, recorder, observedAt);
          return this.fail(source, `Feed could not be parsed: ${message}`, true, 'failing');
        }
        const permanent = err instanceof PermanentPluginError || (err instanceof HttpError && err.permanent);
        return this.fail(source, message, permanent, permanent && err instanceof PermanentPluginError ? 'invalid_config' : 'failing');
      }
      const raw = resolveRawRefs(polled.signals, { find: recorder.find, origin: 'poll' });
      if (raw.unmatched) this.logger.debug(`${source.plugin}/${source.id}: ${raw.unmatched} signal(s) name a fetch URL not fetched in this poll; stored without raw evidence`);
      const rawRefs = this.evidence.redact(raw.refs, Object.values(this.secrets.open(source)));
      const result = await this.dataSource.transaction(async (m) => {
        // A complete snapshot resolves the source's open signals it no longer lists.
        const r = await ingestSignals(m, this.target(source), polled.signals, { observedAt, complete: polled.complete === true, rawRefs });
        // Only the bodies the stored rows now reference are kept, each once (content-addressed).
        await this.evidence.store(raw.bodies, r.rawReferenced);
        // A successful read clears an earlier "unknown" marker of this source.
        await m.query(`DELETE FROM signals WHERE source_id = $1 AND external_id = 'source-status' AND signal_type = 'source_status'`, [source.id]);
        await m.update(SignalSource, { id: source.id }, { status: 'ok', lastPollAt: new Date(), lastSuccessAt: new Date(), consecutiveFailures: 0, lastError: null });
        return r;
      });
      await this.afterIngest(source, result);
      return { status: 'ok', result } as PollOutcome;
    });
  }

  /**
   * What every ingestion path (poll, signed webhook, CSV upload) does after storing signals: the
   * financial thresholds are re-applied for financial plugins, and when anything changed or was
   * resolved, the SLA attainment of the vendor is recomputed (late and corrected signals included).
   */
  async afterIngest(source: SignalSource, result: IngestResult, cause: VendorHealthChanged['cause'] = 'poll'): Promise<void> {
    const kind = this.registry.has(source.plugin) ? this.registry.get(source.plugin).plugin.kind : 'health';
    if (kind === 'financial') await this.applyFinancialThreshold(source);
    if (result.changed + result.resolved > 0) await this.afterHealthChange(source, cause);
  }

  /** New, corrected or resolved signals: told to whoever measures against them (SLA attainment, late signals included). */
  async afterHealthChange(source: Pick<SignalSource, 'organizationId' | 'vendorId'>, cause: VendorHealthChanged['cause'] = 'poll'): Promise<void> {
    await this.events.emit('signals.vendor-health-changed', { organizationId: source.organizationId, vendorId: source.vendorId, cause });
  }

  target(source: SignalSource) {
    return { organizationId: source.organizationId, vendorId: source.vendorId, serviceId: source.serviceId, sourceId: source.id };
  }

  /**
   * The `unknown` marker of a poll whose feed could not be read, with the unreadable body as its raw
   * evidence (the body fetched from the error's `fetchUrl`, else the last one fetched), kept like any
   * other signal's: content-addressed, within the client's size cap, the secrets redacted from the URL.
   * Evidence that cannot be stored never costs the marker: it is then recorded without it.
   */
  private async recordUnreadable(source: SignalSource, err: FeedParseError, message: string, recorder: FetchRecorder, observedAt: Date): Promise<void> {
    const marker = unknownSignal(message, observedAt);
    const fetched = err.fetchUrl ? recorder.find(err.fetchUrl) : recorder.last();
    if (fetched?.url) marker.rawRef = { fetchUrl: fetched.url, pointer: null };
    const raw = resolveRawRefs([marker], { find: recorder.find, origin: 'poll' });
    const rawRefs = this.evidence.redact(raw.refs, Object.values(this.secrets.open(source)));
    try {
      await this.dataSource.transaction(async (m) => {
        const r = await ingestSignals(m, this.target(source), [marker], { observedAt, rawRefs });
        await this.evidence.store(raw.bodies, r.rawReferenced);
      });
    } catch (storeErr) {
      if (!rawRefs[0]) throw storeErr;
      this.logger.error(`${source.plugin}/${source.id}: the unreadable body could not be kept as evidence (${(storeErr as Error).message}); the marker is recorded without it`);
      await this.dataSource.transaction((m) => ingestSignals(m, this.target(source), [{ ...marker, rawRef: null }], { observedAt }));
    }
  }

  private async fail(source: SignalSource, error: string, permanent: boolean, status: 'failing' | 'invalid_config'): Promise<PollOutcome> {
    await this.dataSource.query(
      `UPDATE signal_sources SET status = $2, last_poll_at = now(), consecutive_failures = consecutive_failures + 1, last_error = $3, updated_at = now() WHERE id = $1`,
      [source.id, status, error.slice(0, 2000)],
    );
    this.logger.warn(`${source.plugin} source ${source.id}: ${error.slice(0, 300)}`);
    return { status: 'failed', error, permanent };
  }

  /**
   * The vendor's current financial signals set the tier intake's financial health: crossing into
   * watch or distress re-evaluates the tier, is audited, and alerts the vendor's owner by e-mail.
   */
  async applyFinancialThreshold(source: SignalSource): Promise<void> {
    // Only the latest period of each metric counts: signals whose external id ends in their as-of
    // date (`altman:<cik>:<period end>`) form one series per source and model, and an older period
    // of the series is history, not the current state, even while it is still open.
    const rows: { level: SignalLevel }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (s.source_id, s.signal_type, coalesce(s.score->>'model', ''), series) s.level
         FROM (SELECT s.*, CASE WHEN s.as_of IS NOT NULL AND right(s.external_id, 11) = ':' || to_char(s.as_of, 'YYYY-MM-DD')
                                THEN left(s.external_id, -11) ELSE s.external_id END AS series
                 FROM signals s
                WHERE s.vendor_id = $1 AND s.source_id IS NOT NULL AND s.signal_type = ANY($2::text[]) AND s.resolved_at IS NULL) s
        ORDER BY s.source_id, s.signal_type, coalesce(s.score->>'model', ''), series, s.as_of DESC NULLS LAST, s.provider_updated_at DESC`,
      [source.vendorId, FINANCIAL_SIGNAL_TYPES],
    );
    const known = rows.filter((r) => SEVERITY[r.level] !== null);
    if (!known.length) return;
    const worst = known.reduce((a, b) => ((SEVERITY[b.level] ?? 0) > (SEVERITY[a.level] ?? 0) ? b : a)).level;
    const health = FINANCIAL_HEALTH[worst];
    if (!health) return;
    const vendor = await this.vendors.get(source.vendorId);
    if (vendor.intake.financialHealth === health) return;
    const updated = await this.vendors.update(source.vendorId, { intake: { ...vendor.intake, financialHealth: health } });
    await this.dataSource.transaction((m) =>
      this.audit.append(m, {
        action: 'vendor.financial_alert',
        entityType: 'vendor',
        entityId: source.vendorId,
        diff: { financialHealth: { from: vendor.intake.financialHealth, to: health }, tier: { from: vendor.tier, to: updated.tier }, sourceId: source.id, worstLevel: worst },
      }),
    );
    if (health !== 'healthy' && vendor.ownerId) {
      await this.notifier.toUsers(source.organizationId, 'id = $2', [vendor.ownerId], {
        title: `Financial alert: ${vendor.name} is now "${health}"`,
        body: `A financial signal for ${vendor.name} crossed a threshold: financial health ${vendor.intake.financialHealth} → ${health}. Its tier is now ${updated.tier} (was ${vendor.tier}).`,
        link: `/vendors/${vendor.id}/signals`,
        key: `financial-${source.vendorId}-${health}-${new Date().toISOString().slice(0, 10)}`,
      });
    }
  }
}
