import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { CreateSourceInput, Input, SignalSourceView, updateSourceSchema } from '@bulwark/api-schema';
import { Vendor, Service as VendorServiceEntity } from '@bulwark/inventory';
import {
  APP_CONFIG,
  AuditLogService,
  changes,
  Conflict,
  DomainEvents,
  findScoped,
  InjectQueue,
  Invalid,
  JobOutbox,
  JobSchedules,
  NotFound,
  RequestContext,
  scoped,
  systemActor,
  type AppConfig,
  type DesiredSchedule,
  type QueuePort,
} from '@bulwark/platform';

import { SourceHttpCache } from './http-cache.js';
import { resolveAbsent } from './ingestion.js';
import { PluginRegistry } from './plugin-registry.js';
import { SignalSource } from './signal-source.entity.js';
import { SourceSecrets } from './source-secrets.js';
import { shownStatus } from './source-status.js';

const scheduleKey = (id: string) => `source:${id}`;

/**
 * Signal sources: validated plugin configs per vendor or service. Secret settings are split off,
 * sealed with the deployment's key and never returned (`SourceSecrets`); the poll schedule
 * (`signals.poll`, keyed `source:<id>`) follows `enabled`.
 */
@Injectable()
export class SignalSourceService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: PluginRegistry,
    private readonly secrets: SourceSecrets,
    private readonly http: SourceHttpCache,
    private readonly audit: AuditLogService,
    private readonly events: DomainEvents,
    @InjectQueue() private readonly queue: QueuePort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedules: JobSchedules,
    private readonly outbox: JobOutbox,
  ) {}

  /**
   * The poll schedule of every enabled, polled source, declared from the sources themselves: the platform
   * creates them at start-up and restores them whenever the queue has lost them (ADR 0010).
   */
  onModuleInit(): void {
    this.schedules.declare(scheduleKey(''), async () => {
      const sources = await this.dataSource.getRepository(SignalSource).find({ where: { enabled: true } });
      return sources
        .filter((s) => this.registry.has(s.plugin) && !this.registry.get(s.plugin).plugin.push)
        .map((s): DesiredSchedule => ({
          key: scheduleKey(s.id),
          everyMs: s.scheduleSeconds * 1000,
          name: 'signals.poll',
          data: { sourceId: s.id, organizationId: s.organizationId, plugin: s.plugin },
        }));
    });
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

  async create(input: CreateSourceInput): Promise<SignalSourceView> {
    const { plugin, push } = this.registry.get(this.validPluginId(input.plugin));
    const { plain, secret } = this.secrets.validate(input.plugin, input.config);
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
      const sealed = this.secrets.seal(secret, saved.id);
      if (sealed) {
        saved.secrets = sealed;
        await m.update(SignalSource, { id: saved.id }, { secrets: saved.secrets });
      }
      await this.audit.append(m, {
        action: 'signal_source.created',
        entityType: 'signal_source',
        entityId: saved.id,
        diff: {
          vendorId: vendor.id,
          serviceId: saved.serviceId,
          plugin: plugin.id,
          config: plain,
          secretFields: Object.keys(secret),
          enabled: saved.enabled,
        },
      });
      return saved;
    });
    await this.reschedule(created);
    return (await this.views(this.dataSource.manager, [created]))[0]!;
  }

  async update(id: string, input: Input<typeof updateSourceSchema>): Promise<SignalSourceView> {
    const updated = await this.dataSource.transaction(async (m) => {
      const s = await scoped(m, SignalSource, 's')
        .addSelect('s.secrets')
        .andWhere('s.id = :id', { id })
        .setLock('pessimistic_write')
        .getOne();
      if (!s) throw new NotFound('signal_source', id);
      const before = { name: s.name, serviceId: s.serviceId, config: s.config, scheduleSeconds: s.scheduleSeconds, enabled: s.enabled };
      let secretsChanged: string[] = [];
      if (input.config) {
        const stored = this.secrets.open(s);
        const merged: Record<string, unknown> = { ...s.config, ...stored };
        for (const [k, v] of Object.entries(input.config)) {
          if (v === null) delete merged[k];
          else merged[k] = v;
        }
        const { plain, secret } = this.secrets.validate(s.plugin, merged);
        secretsChanged = Object.keys({ ...stored, ...secret }).filter((k) => JSON.stringify(stored[k]) !== JSON.stringify(secret[k]));
        s.config = plain;
        s.secrets = this.secrets.seal(secret, s.id);
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
      const diff: Record<string, unknown> = changes(before, {
        name: s.name,
        serviceId: s.serviceId,
        config: s.config,
        scheduleSeconds: s.scheduleSeconds,
        enabled: s.enabled,
      });
      if (secretsChanged.length) diff['secretFieldsChanged'] = secretsChanged;
      if (Object.keys(diff).length)
        await this.audit.append(m, { action: 'signal_source.updated', entityType: 'signal_source', entityId: s.id, diff });
      return Object.assign(s, { configChanged: 'config' in diff || secretsChanged.length > 0 });
    });
    this.http.forget(id);
    await this.reschedule(updated);
    // A changed filter or base URL takes effect at once: the next complete poll resolves what the
    // source no longer watches.
    const push = this.registry.has(updated.plugin) && this.registry.get(updated.plugin).plugin.push;
    if (updated.configChanged && updated.enabled && !push)
      await this.outbox.enqueueOrKeep('signals.poll', {
        sourceId: updated.id,
        organizationId: updated.organizationId,
        plugin: updated.plugin,
      });
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
      await this.audit.append(m, {
        action: 'signal_source.deleted',
        entityType: 'signal_source',
        entityId: id,
        diff: { plugin: s.plugin, vendorId: s.vendorId, resolvedSignals: resolved },
      });
      return { ...s, id, resolved };
    });
    await this.queue.unschedule(scheduleKey(id), 'signals.poll', {
      sourceId: id,
      organizationId: removed.organizationId,
      plugin: removed.plugin,
    });
    if (removed.resolved > 0)
      await this.events.emit('signals.vendor-health-changed', {
        organizationId: removed.organizationId,
        vendorId: removed.vendorId,
        cause: 'source_deleted',
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
    return this.dataSource
      .getRepository(SignalSource)
      .createQueryBuilder('s')
      .addSelect(['s.secrets', 's.webhookKey'])
      .where('s.id = :id', { id })
      .getOne();
  }

  async loadByWebhookKey(key: string): Promise<SignalSource | null> {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(key)) return null;
    return this.dataSource
      .getRepository(SignalSource)
      .createQueryBuilder('s')
      .addSelect(['s.secrets', 's.webhookKey'])
      .where('s.webhookKey = :key', { key })
      .getOne();
  }

  /** A source within the caller's scope, else 404 (its secrets and webhook key not loaded). */
  async loadScoped(id: string): Promise<SignalSource> {
    return findScoped(this.dataSource.manager, SignalSource, id, 'signal_source');
  }

  /** The webhook URL of a push source (only admins and managers see it). */
  async webhookUrl(id: string): Promise<string | null> {
    await this.loadScoped(id);
    const s = await this.loadForSystem(id);
    return s?.webhookKey ? `${this.config.http.publicUrl}/api/ingest/${s.webhookKey}` : null;
  }

  private validPluginId(id: string): string {
    if (!this.registry.has(id))
      throw new Invalid('source.unknown_plugin', `No plugin "${id}"`, [
        { path: 'plugin', message: `must be one of ${this.registry.ids().join(', ')}` },
      ]);
    return id;
  }

  private async assertService(m: EntityManager, serviceId: string, vendorId: string): Promise<void> {
    const svc = await scoped(m, VendorServiceEntity, 'x').andWhere('x.id = :id', { id: serviceId }).getOne();
    if (!svc) throw new Invalid('source.invalid_service', 'No such service', [{ path: 'serviceId', message: 'no such service' }]);
    if (svc.vendorId !== vendorId) throw new Conflict('source.service_vendor_mismatch', 'The service belongs to another vendor');
  }

  async views(m: EntityManager, sources: SignalSource[]): Promise<SignalSourceView[]> {
    if (!sources.length) return [];
    const vendors: { id: string; name: string }[] = await m.query(`SELECT id, name FROM vendors WHERE id = ANY($1::uuid[])`, [
      sources.map((s) => s.vendorId),
    ]);
    const services: { id: string; name: string }[] = await m.query(`SELECT id, name FROM services WHERE id = ANY($1::uuid[])`, [
      sources.map((s) => s.serviceId).filter(Boolean),
    ]);
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
          secretsSet: s.secrets ? Object.keys(this.secrets.open(s)) : [],
          scheduleSeconds: s.scheduleSeconds,
          enabled: s.enabled,
          status: shownStatus(s, reg?.plugin.push === true),
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

  systemActorFor(s: SignalSource) {
    return systemActor(s.organizationId, `plugin:${s.plugin}`);
  }
}
