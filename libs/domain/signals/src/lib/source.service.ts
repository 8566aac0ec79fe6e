import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { CreateSourceInput, SignalSourceView, TestSourceResult, updateSourceSchema } from '@bulwark/api-schema';
import { Service as VendorServiceEntity, Vendor } from '@bulwark/inventory';
import {
  APP_CONFIG,
  AuditLogService,
  Conflict,
  DomainEvents,
  Invalid,
  InjectQueue,
  NotFound,
  RequestContext,
  SecretBox,
  changes,
  findScoped,
  scoped,
  systemActor,
  zodFieldErrors,
  type AppConfig,
  type QueuePort,
} from '@bulwark/platform';
import { createHttpClient, secretKeys, type CachedResponse, type NormalizedSignal, type PluginInstance } from '@bulwark/plugin-sdk';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import { resolveAbsent } from './ingestion.js';
import { PluginRegistry } from './plugin-registry.js';
import { SignalSource } from './signal-source.entity.js';

const scheduleKey = (id: string) => `source:${id}`;

/** Plain view of a normalized signal for API answers. */
export function signalPreview(s: NormalizedSignal): TestSourceResult['signals'][number] {
  return {
    externalId: s.externalId,
    signalType: s.signalType,
    component: s.service,
    region: s.region,
    level: s.level,
    lifecycle: s.lifecycle,
    title: s.title,
    detail: s.detail,
    startedAt: s.startedAt,
    updatedAt: s.updatedAt,
    resolvedAt: s.resolvedAt,
    scheduledFor: s.scheduledFor,
    scheduledUntil: s.scheduledUntil,
    score: s.score,
    url: s.url,
    asOf: s.asOf ?? null,
    announcedAt: s.announcedAt ?? null,
  };
}

/**
 * Signal sources: validated plugin configs per vendor or service. Secret settings are split off,
 * sealed with the deployment's key and never returned; the poll schedule follows `enabled`.
 */
@Injectable()
export class SignalSourceService implements OnApplicationBootstrap {
  private readonly logger = new Logger('SignalSources');
  private readonly box: SecretBox;
  private readonly caches = new Map<string, Map<string, CachedResponse>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: PluginRegistry,
    private readonly audit: AuditLogService,
    private readonly events: DomainEvents,
    @InjectQueue() private readonly queue: QueuePort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  /** Re-creates the poll schedule of every enabled source (idempotent; safe in every process). */
  async onApplicationBootstrap(): Promise<void> {
    const sources = await this.dataSource.getRepository(SignalSource).find({ where: { enabled: true } });
    for (const s of sources) if (this.registry.has(s.plugin) && !this.registry.get(s.plugin).plugin.push) await this.reschedule(s);
    if (sources.length) this.logger.log(`Scheduled ${sources.length} signal source(s)`);
  }

  async list(vendorId?: string): Promise<SignalSourceView[]> {
    const m = this.dataSource.manager;
    const qb = scoped(m, SignalSource, 's').orderBy('s.createdAt', 'ASC');
    if (vendorId) qb.andWhere('s.vendorId = :v', { v: vendorId });
    return this.views(m, await qb.addSelect('s.secrets').getMany());
  }

  async get(id: string): Promise<SignalSourceView> {
    const m = this.dataSource.manager;
    const s = await scoped(m, SignalSource, 's').addSelect('s.secrets').andWhere('s.id = :id', { id }).getOne();
    if (!s) throw new NotFound('signal_source', id);
    return (await this.views(m, [s]))[0]!;
  }

  /** Validates a plugin config; returns it split into plain and secret parts. */
  validate(pluginId: string, config: Record<string, unknown>): { plain: Record<string, unknown>; secret: Record<string, unknown>; full: Record<string, unknown> } {
    if (!this.registry.has(pluginId)) throw new Invalid('source.unknown_plugin', `No plugin "${pluginId}"`, [{ path: 'plugin', message: `must be one of ${this.registry.ids().join(', ')}` }]);
    const { plugin } = this.registry.get(pluginId);
    const parsed = plugin.configSchema.safeParse(config);
    if (!parsed.success) throw new Invalid('source.invalid_config', `The ${plugin.displayName} settings are invalid`, zodFieldErrors(parsed.error, 'config'));
    const secrets = new Set(secretKeys(plugin.configSchema));
    const full = parsed.data as Record<string, unknown>;
    const plain: Record<string, unknown> = {};
    const secret: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(full)) (secrets.has(k) ? secret : plain)[k] = v;
    return { plain, secret, full };
  }

  async create(input: CreateSourceInput): Promise<SignalSourceView> {
    const { plugin, push } = this.registry.get(this.validPluginId(input.plugin));
    const { plain, secret } = this.validate(input.plugin, input.config);
    const created = await this.dataSource.transaction(async (m) => {
      const vendor = await findScoped(m, Vendor, input.vendorId, 'vendor');
      if (input.serviceId) await this.assertService(m, input.serviceId, vendor.id);
      const source = m.create(SignalSource, {
        vendorId: vendor.id,
        serviceId: input.serviceId ?? null,
        plugin: plugin.id,
        name: input.name ?? `${vendor.name} — ${plugin.displayName}`,
        config: plain,
        secrets: null,
        scheduleSeconds: input.scheduleSeconds ?? plugin.defaultSchedule.everySeconds,
        enabled: input.enabled,
        webhookKey: plugin.push || push ? randomBytes(24).toString('base64url') : null,
        status: input.enabled ? 'pending' : 'disabled',
        consecutiveFailures: 0,
        lastError: null,
        lastPollAt: null,
        lastSuccessAt: null,
      });
      const saved = await m.save(source);
      if (Object.keys(secret).length) {
        saved.secrets = this.box.seal(JSON.stringify(secret), saved.id);
        await m.update(SignalSource, { id: saved.id }, { secrets: saved.secrets });
      }
      await this.audit.append(m, {
        action: 'signal_source.created',
        entityType: 'signal_source',
        entityId: saved.id,
        diff: { vendorId: vendor.id, serviceId: saved.serviceId, plugin: plugin.id, config: plain, secretFields: Object.keys(secret), enabled: saved.enabled },
      });
      return saved;
    });
    await this.reschedule(created);
    return (await this.views(this.dataSource.manager, [created]))[0]!;
  }

  async update(id: string, input: z.infer<typeof updateSourceSchema>): Promise<SignalSourceView> {
    const updated = await this.dataSource.transaction(async (m) => {
      const s = await scoped(m, SignalSource, 's').addSelect('s.secrets').andWhere('s.id = :id', { id }).setLock('pessimistic_write').getOne();
      if (!s) throw new NotFound('signal_source', id);
      const before = { name: s.name, serviceId: s.serviceId, config: s.config, scheduleSeconds: s.scheduleSeconds, enabled: s.enabled };
      let secretsChanged: string[] = [];
      if (input.config) {
        const stored = this.openSecrets(s);
        const merged: Record<string, unknown> = { ...s.config, ...stored };
        for (const [k, v] of Object.entries(input.config)) {
          if (v === null) delete merged[k];
          else merged[k] = v;
        }
        const { plain, secret } = this.validate(s.plugin, merged);
        secretsChanged = Object.keys({ ...stored, ...secret }).filter((k) => JSON.stringify(stored[k]) !== JSON.stringify(secret[k]));
        s.config = plain;
        s.secrets = Object.keys(secret).length ? this.box.seal(JSON.stringify(secret), s.id) : null;
      }
      if (input.serviceId !== undefined) {
        if (input.serviceId) await this.assertService(m, input.serviceId, s.vendorId);
        s.serviceId = input.serviceId;
      }
      if (input.name !== undefined) s.name = input.name;
      if (input.scheduleSeconds !== undefined) s.scheduleSeconds = input.scheduleSeconds;
      if (input.enabled !== undefined && input.enabled !== s.enabled) {
        s.enabled = input.enabled;
        s.status = input.enabled ? 'pending' : 'disabled';
      }
      await m.save(s);
      const diff: Record<string, unknown> = changes(before, { name: s.name, serviceId: s.serviceId, config: s.config, scheduleSeconds: s.scheduleSeconds, enabled: s.enabled });
      if (secretsChanged.length) diff['secretFieldsChanged'] = secretsChanged;
      if (Object.keys(diff).length) await this.audit.append(m, { action: 'signal_source.updated', entityType: 'signal_source', entityId: s.id, diff });
      return Object.assign(s, { configChanged: 'config' in diff || secretsChanged.length > 0 });
    });
    this.caches.delete(id);
    await this.reschedule(updated);
    // A changed filter or base URL takes effect at once: the next complete poll resolves what the
    // source no longer watches.
    const push = this.registry.has(updated.plugin) && this.registry.get(updated.plugin).plugin.push;
    if (updated.configChanged && updated.enabled && !push) await this.queue.add('signals.poll', { sourceId: updated.id, organizationId: updated.organizationId, plugin: updated.plugin });
    return (await this.views(this.dataSource.manager, [updated]))[0]!;
  }

  /**
   * Deletes a source. The signals it recorded stay, with their history (`source_id` becomes null);
   * its open ones are resolved as of now, since nothing watches them any more, and its "feed could
   * not be read" marker goes with it.
   */
  async remove(id: string): Promise<void> {
    const removed = await this.dataSource.transaction(async (m) => {
      const s = await findScoped(m, SignalSource, id, 'signal_source', { lock: true });
      await m.query(`DELETE FROM signals WHERE source_id = $1 AND signal_type = 'source_status'`, [id]);
      const resolved = await resolveAbsent(m, id, [], new Date());
      await m.remove(s);
      await this.audit.append(m, { action: 'signal_source.deleted', entityType: 'signal_source', entityId: id, diff: { plugin: s.plugin, vendorId: s.vendorId, resolvedSignals: resolved } });
      return { ...s, id, resolved };
    });
    await this.queue.unschedule(scheduleKey(id), 'signals.poll', { sourceId: id, organizationId: removed.organizationId, plugin: removed.plugin });
    if (removed.resolved > 0) await this.events.emit('signals.vendor-health-changed', { organizationId: removed.organizationId, vendorId: removed.vendorId, cause: 'source_deleted' });
  }

  /** The full config (plain + decrypted secrets) of a source, for polling. */
  fullConfig(s: SignalSource): Record<string, unknown> {
    return { ...s.config, ...this.openSecrets(s) };
  }

  /** A per-source HTTP client: the deployment's feed policy, and the source's own ETag cache. */
  httpClientFor(sourceId: string | null) {
    let cache: Map<string, CachedResponse> | undefined;
    if (sourceId) {
      cache = this.caches.get(sourceId) ?? new Map();
      this.caches.set(sourceId, cache);
    }
    return createHttpClient({
      userAgent: this.config.feeds.userAgent,
      allowedHosts: this.config.feeds.allowedHosts,
      timeoutMs: this.config.feeds.timeoutMs,
      maxBytes: this.config.feeds.maxBytes,
      cache,
    });
  }

  async reschedule(s: SignalSource): Promise<void> {
    const data = { sourceId: s.id, organizationId: s.organizationId, plugin: s.plugin };
    const push = this.registry.has(s.plugin) && this.registry.get(s.plugin).plugin.push;
    if (s.enabled && !push) await this.queue.schedule(scheduleKey(s.id), s.scheduleSeconds * 1000, 'signals.poll', data);
    else await this.queue.unschedule(scheduleKey(s.id), 'signals.poll', data);
  }

  /** Loads a source with its secrets and webhook key, bypassing the request scope (jobs, webhooks). */
  async loadForSystem(id: string): Promise<SignalSource | null> {
    return this.dataSource.getRepository(SignalSource).createQueryBuilder('s').addSelect(['s.secrets', 's.webhookKey']).where('s.id = :id', { id }).getOne();
  }

  async loadByWebhookKey(key: string): Promise<SignalSource | null> {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(key)) return null;
    return this.dataSource.getRepository(SignalSource).createQueryBuilder('s').addSelect(['s.secrets', 's.webhookKey']).where('s.webhookKey = :key', { key }).getOne();
  }

  /** The webhook URL of a push source (only admins and managers see it). */
  async webhookUrl(id: string): Promise<string | null> {
    await findScoped(this.dataSource.manager, SignalSource, id, 'signal_source');
    const s = await this.loadForSystem(id);
    return s?.webhookKey ? `${this.config.http.publicUrl}/api/ingest/${s.webhookKey}` : null;
  }

  /** The decrypted secret settings of a source (to keep them out of stored fetch URLs); never returned by the API. */
  secretConfig(s: SignalSource): Record<string, unknown> {
    return this.openSecrets(s);
  }

  private openSecrets(s: SignalSource): Record<string, unknown> {
    if (!s.secrets) return {};
    return JSON.parse(this.box.open(s.secrets, s.id)) as Record<string, unknown>;
  }

  private validPluginId(id: string): string {
    if (!this.registry.has(id)) throw new Invalid('source.unknown_plugin', `No plugin "${id}"`, [{ path: 'plugin', message: `must be one of ${this.registry.ids().join(', ')}` }]);
    return id;
  }

  private async assertService(m: EntityManager, serviceId: string, vendorId: string): Promise<void> {
    const svc = await scoped(m, VendorServiceEntity, 'x').andWhere('x.id = :id', { id: serviceId }).getOne();
    if (!svc) throw new Invalid('source.invalid_service', 'No such service', [{ path: 'serviceId', message: 'no such service' }]);
    if (svc.vendorId !== vendorId) throw new Conflict('source.service_vendor_mismatch', 'The service belongs to another vendor');
  }

  async views(m: EntityManager, sources: SignalSource[]): Promise<SignalSourceView[]> {
    if (!sources.length) return [];
    const vendors: { id: string; name: string }[] = await m.query(`SELECT id, name FROM vendors WHERE id = ANY($1::uuid[])`, [sources.map((s) => s.vendorId)]);
    const services: { id: string; name: string }[] = await m.query(`SELECT id, name FROM services WHERE id = ANY($1::uuid[])`, [sources.map((s) => s.serviceId).filter(Boolean)]);
    const vn = new Map(vendors.map((v) => [v.id, v.name]));
    const sn = new Map(services.map((v) => [v.id, v.name]));
    const canSeeWebhook = ['admin', 'vendor_manager'].includes(RequestContext.maybeActor()?.role ?? 'system');
    return Promise.all(
      sources.map(async (s) => {
        const reg = this.registry.has(s.plugin) ? this.registry.get(s.plugin) : null;
        return {
          id: s.id,
          vendorId: s.vendorId,
          vendorName: vn.get(s.vendorId) ?? '',
          serviceId: s.serviceId,
          serviceName: s.serviceId ? (sn.get(s.serviceId) ?? null) : null,
          plugin: s.plugin,
          pluginName: reg?.plugin.displayName ?? s.plugin,
          name: s.name,
          config: s.config,
          secretsSet: s.secrets ? Object.keys(this.openSecrets(s)) : [],
          scheduleSeconds: s.scheduleSeconds,
          enabled: s.enabled,
          status: s.status,
          lastPollAt: s.lastPollAt?.toISOString() ?? null,
          lastSuccessAt: s.lastSuccessAt?.toISOString() ?? null,
          consecutiveFailures: s.consecutiveFailures,
          lastError: s.lastError,
          webhookUrl: reg?.plugin.push && canSeeWebhook ? await this.webhookUrlUnscoped(s.id) : null,
        };
      }),
    );
  }

  private async webhookUrlUnscoped(id: string): Promise<string | null> {
    const s = await this.loadForSystem(id);
    return s?.webhookKey ? `${this.config.http.publicUrl}/api/ingest/${s.webhookKey}` : null;
  }

  /** Runs a plugin once with a config, without storing anything. */
  async test(pluginId: string, config: Record<string, unknown>): Promise<TestSourceResult> {
    const { full } = this.validate(pluginId, config);
    const { plugin } = this.registry.get(pluginId);
    const t0 = Date.now();
    let instance: PluginInstance;
    try {
      instance = plugin.create({ config: full, http: this.httpClientFor(null), now: () => new Date(), log: () => undefined });
    } catch (err) {
      const error = (err as Error).message.slice(0, 1000);
      return { ok: false, signals: [], warnings: [], error, selfTest: { ok: false, message: error }, durationMs: Date.now() - t0 };
    }
    // The poll and the plugin's own check run side by side; neither's failure hides the other's answer.
    const [polled, selfTest] = await Promise.all([
      withTimeout(instance.poll(), this.config.feeds.timeoutMs * 3).then(
        (r) => ({ ok: true as const, r }),
        (err: unknown) => ({ ok: false as const, error: (err as Error).message.slice(0, 1000) }),
      ),
      this.selfTest(instance),
    ]);
    const durationMs = Date.now() - t0;
    if (!polled.ok) return { ok: false, signals: [], warnings: [], error: polled.error, selfTest, durationMs };
    return { ok: true, signals: polled.r.signals.map(signalPreview), warnings: polled.r.warnings ?? [], error: null, selfTest, durationMs };
  }

  /** The plugin's `selfTest`, bounded in time; a throw or a timeout is a failed check, never a 500. */
  private async selfTest(instance: PluginInstance): Promise<{ ok: boolean; message: string }> {
    try {
      const r = await withTimeout(instance.selfTest(), this.config.feeds.timeoutMs * 3);
      return { ok: r.ok === true, message: String(r.message ?? '').slice(0, 1000) };
    } catch (err) {
      return { ok: false, message: `Self-test failed: ${(err as Error).message.slice(0, 1000)}` };
    }
  }

  systemActorFor(s: SignalSource) {
    return systemActor(s.organizationId, `plugin:${s.plugin}`);
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`Plugin did not finish within ${Math.round(ms / 1000)} s`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
