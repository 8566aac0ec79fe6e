import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { BreachView, CommitmentRow, Page, PortfolioEntry, breachListQuery } from '@bulwark/api-schema';
import { AuditLogService, Conflict, DomainEvents, InjectQueue, JobRegistry, NotFound, Notifier, RequestContext, systemActor, type QueuePort } from '@bulwark/platform';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AgreementsService } from './agreements.service.js';

interface BreachRow {
  id: string;
  sla_id: string;
  sla_name: string;
  vendor_id: string;
  vendor_name: string;
  window_label: string;
  availability: string;
  target: string;
  credit_percent: string;
  credit_amount: string | null;
  currency: string;
  status: BreachView['status'];
  detected_at: Date;
  resolved_at: Date | null;
  resolution_note: string | null;
}

const CUSTOMER_RESOLVERS = new Set(['admin', 'procurement', 'vendor_manager']);

/**
 * Breaches and credits. A recompute (queued after every ingestion touching the vendor, and after SLA
 * changes) refreshes the per-window rollup and opens, updates or withdraws breaches; the result
 * depends only on the stored signals, so late or re-ordered signals converge to the same figures.
 */
@Injectable()
export class BreachService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Breaches');

  constructor(
    private readonly dataSource: DataSource,
    private readonly agreements: AgreementsService,
    private readonly audit: AuditLogService,
    private readonly jobs: JobRegistry,
    private readonly notifier: Notifier,
    private readonly events: DomainEvents,
    @InjectQueue() private readonly queue: QueuePort,
  ) {}

  onModuleInit(): void {
    this.jobs.register('contracts.recompute-attainment', async ({ organizationId, vendorId }) => {
      await RequestContext.runAs(systemActor(organizationId, 'attainment@bulwark'), () => this.recompute(vendorId));
    });
    // Late, corrected or resolved signals change what was measured: recompute the vendor's SLAs.
    this.events.on('signals.vendor-health-changed', ({ organizationId, vendorId }) => this.enqueueRecompute(organizationId, vendorId));
    this.jobs.register('contracts.recompute-all', async () => {
      await this.enqueueAll();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.schedule('contracts:recompute-all', 3600_000, 'contracts.recompute-all', {});
  }

  /** Queues a recompute for every vendor that has an SLA, in every organization. */
  async enqueueAll(): Promise<number> {
    const rows: { organization_id: string; vendor_id: string }[] = await this.dataSource.query(`SELECT DISTINCT organization_id, vendor_id FROM slas`);
    for (const r of rows) await this.enqueueRecompute(r.organization_id, r.vendor_id);
    return rows.length;
  }

  async enqueueRecompute(organizationId: string, vendorId: string): Promise<void> {
    await this.queue.add('contracts.recompute-attainment', { organizationId, vendorId });
  }

  /**
   * Recomputes the last 13 windows of every SLA of the vendor. Runs as the organization.
   *
   * Serialized per organization and vendor: a transaction-level advisory lock is taken before anything is
   * read, so concurrent recomputes (several jobs for the same vendor, worker concurrency > 1) run one after
   * the other, each computing from what the previous one committed; the last to commit is also the last to
   * compute. `now` defaults to the time the lock was obtained, never to when the job was queued.
   * Breach notices are sent after the commit, from the breach outbox (see `sendPendingNotices`).
   */
  async recompute(vendorId: string, at?: number): Promise<{ slas: number; breaches: number }> {
    const actor = RequestContext.actor();
    const result = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`contracts.recompute:${actor.organizationId}:${vendorId}`]);
      const now = at ?? Date.now();
      const slas: { id: string; name: string }[] = await m.query(`SELECT id, name FROM slas WHERE organization_id = $1 AND vendor_id = $2 ORDER BY id`, [actor.organizationId, vendorId]);
      const to = DateTime.fromMillis(now, { zone: 'utc' }).toFormat('yyyy-MM');
      const from = DateTime.fromMillis(now, { zone: 'utc' }).minus({ months: 12 }).toFormat('yyyy-MM');
      let breaches = 0;
      for (const sla of slas) {
        const windows = await this.agreements.attainment(sla.id, from, to, now, m);
        for (const w of windows) {
          await m.query(
            `INSERT INTO sla_attainment (organization_id, sla_id, vendor_id, window_label, window_start, version, target, availability, downtime_minutes, excluded_minutes, breached, credit_percent, credit_amount, open, computed_at)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14, now())
             ON CONFLICT (sla_id, window_label) DO UPDATE SET version = excluded.version, target = excluded.target, availability = excluded.availability, downtime_minutes = excluded.downtime_minutes,
               excluded_minutes = excluded.excluded_minutes, breached = excluded.breached, credit_percent = excluded.credit_percent, credit_amount = excluded.credit_amount, open = excluded.open, computed_at = now()`,
            [actor.organizationId, sla.id, vendorId, w.window, new Date(w.start), w.version, w.target, w.availability, w.downtimeMinutes, w.excludedMinutes, w.breached, w.creditPercent, w.creditAmount, w.open],
          );
          if (w.open) continue; // a breach is judged when its window has closed
          const [existing]: { id: string; status: string; availability: string }[] = await m.query(`SELECT id, status, availability FROM sla_breaches WHERE sla_id = $1 AND window_label = $2 FOR UPDATE`, [sla.id, w.window]);
          if (w.breached && !existing) {
            const [b] = await m.query(
              `INSERT INTO sla_breaches (organization_id, sla_id, vendor_id, window_label, availability, target, credit_percent, credit_amount, status, state_seq, notified_seq) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'open', 1, 0) RETURNING id`,
              [actor.organizationId, sla.id, vendorId, w.window, w.availability, w.target, w.creditPercent, w.creditAmount],
            );
            await this.audit.append(m, { action: 'sla.breach_detected', entityType: 'sla_breach', entityId: b.id, diff: { slaId: sla.id, window: w.window, availability: w.availability, target: w.target, creditPercent: w.creditPercent } });
            breaches += 1;
          } else if (existing && ['open', 'disputed', 'withdrawn'].includes(existing.status)) {
            const status = w.breached ? (existing.status === 'withdrawn' ? 'open' : existing.status) : 'withdrawn';
            if (Number(existing.availability) !== w.availability || status !== existing.status) {
              // A change of state (withdrawn, re-opened) is a new notice; new figures alone are not.
              await m.query(`UPDATE sla_breaches SET availability = $2, credit_percent = $3, credit_amount = $4, status = $5, state_seq = state_seq + (CASE WHEN status = $5 THEN 0 ELSE 1 END) WHERE id = $1`, [
                existing.id,
                w.availability,
                w.creditPercent,
                w.creditAmount,
                status,
              ]);
              await this.audit.append(m, { action: 'sla.breach_recomputed', entityType: 'sla_breach', entityId: existing.id, diff: { availability: { from: Number(existing.availability), to: w.availability }, status: { from: existing.status, to: status } } });
              if (status === 'open' && existing.status === 'withdrawn') breaches += 1;
            }
          }
        }
      }
      return { slas: slas.length, breaches };
    });
    await this.sendPendingNotices(actor.organizationId, vendorId);
    return result;
  }

  /**
   * The breach outbox: one notice per breach state not yet notified (`notified_seq < state_seq`), to both
   * sides, in-app and by e-mail. Each is sent and marked in one transaction, keyed by (breach, state), so a
   * failed send leaves it pending for the next recompute (job retry, the hourly sweep) and a repeat never
   * sends it twice. Throws if a notice could not be sent, so the job is retried.
   */
  async sendPendingNotices(organizationId: string, vendorId?: string): Promise<number> {
    const pending: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM sla_breaches WHERE organization_id = $1 AND ($2::uuid IS NULL OR vendor_id = $2) AND notified_seq < state_seq ORDER BY detected_at, id`,
      [organizationId, vendorId ?? null],
    );
    let sent = 0;
    for (const { id } of pending) {
      await this.dataSource.transaction(async (m) => {
        const [b]: (BreachRow & { state_seq: number; notified_seq: number })[] = await m.query(
          `SELECT b.id, b.sla_id, s.name AS sla_name, b.vendor_id, b.window_label, b.availability, b.target, b.credit_percent, b.status, b.resolution_note, b.state_seq, b.notified_seq
             FROM sla_breaches b JOIN slas s ON s.id = b.sla_id WHERE b.id = $1 FOR UPDATE OF b`,
          [id],
        );
        if (!b || b.notified_seq >= b.state_seq) return; // sent meanwhile by a concurrent sender
        const notice = breachNotice(b, b.state_seq);
        await this.notifyBoth(organizationId, b.vendor_id, notice.title, notice.body, notice.link, `breach-${b.id}-${b.state_seq}`, m);
        await m.query(`UPDATE sla_breaches SET notified_seq = $2 WHERE id = $1`, [b.id, b.state_seq]);
        sent += 1;
      });
    }
    return sent;
  }

  async list(q: z.infer<typeof breachListQuery>): Promise<Page<BreachView>> {
    const actor = RequestContext.actor();
    const where = ['b.organization_id = $1'];
    const params: unknown[] = [actor.organizationId];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (actor.role === 'vendor_contact') add('b.vendor_id = ?', actor.vendorId);
    if (q.vendorId) add('b.vendor_id = ?', q.vendorId);
    if (q.slaId) add('b.sla_id = ?', q.slaId);
    if (q.status) add('b.status = ?', q.status);
    else where.push(`b.status <> 'withdrawn'`);
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM sla_breaches b WHERE ${where.join(' AND ')}`, params);
    const rows: BreachRow[] = await this.dataSource.query(
      `${this.select()} WHERE ${where.join(' AND ')} ORDER BY b.detected_at DESC, b.window_label DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
      params,
    );
    return { items: await this.views(rows), total: n, page: q.page, pageSize: q.pageSize };
  }

  async get(id: string): Promise<BreachView> {
    return (await this.views([await this.row(id)]))[0]!;
  }

  /** A comment on the dispute thread; the vendor's first comment on an open breach disputes it. */
  async comment(id: string, body: string, evidenceLinks: string[]): Promise<BreachView> {
    const actor = RequestContext.actor();
    const b = await this.dataSource.transaction(async (m) => {
      const b = await this.row(id, true, m);
      if (['upheld', 'waived', 'withdrawn'].includes(b.status)) throw new Conflict('breach.closed', `This breach is ${b.status}; the thread is closed`);
      const side = actor.role === 'vendor_contact' ? 'vendor' : 'customer';
      const disputes = side === 'vendor' && b.status === 'open';
      const [c]: { id: string }[] = await m.query(`INSERT INTO breach_comments (organization_id, breach_id, vendor_id, author_id, author_side, body, evidence_links) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, [
        actor.organizationId,
        id,
        b.vendor_id,
        actor.userId,
        side,
        body,
        JSON.stringify(evidenceLinks),
      ]);
      // Disputing changes the breach's state: its notice goes through the outbox. A plain comment is told here,
      // in the same transaction (keyed by the comment, so it is told once).
      if (disputes) await m.query(`UPDATE sla_breaches SET status = 'disputed', state_seq = state_seq + 1 WHERE id = $1`, [id]);
      else await this.notifyBoth(actor.organizationId, b.vendor_id, `SLA breach ${b.window_label}: new comment`, `A new comment was added to the breach of "${b.sla_name}" for ${b.window_label}.`, `/breaches/${id}`, `breach-comment-${c!.id}`, m);
      await this.audit.append(m, { action: disputes ? 'sla.breach_disputed' : 'sla.breach_commented', entityType: 'sla_breach', entityId: id, diff: { side, evidenceLinks } });
      return b;
    });
    await this.sendPendingNoticesLater(actor.organizationId, b.vendor_id);
    return this.get(id);
  }

  async resolve(id: string, decision: 'upheld' | 'waived', note: string): Promise<BreachView> {
    const actor = RequestContext.actor();
    if (!CUSTOMER_RESOLVERS.has(actor.role)) throw new NotFound('breach', id);
    const b = await this.dataSource.transaction(async (m) => {
      const b = await this.row(id, true, m);
      if (!['open', 'disputed'].includes(b.status)) throw new Conflict('breach.illegal_transition', `A breach that is ${b.status} cannot be ${decision}`);
      await m.query(`UPDATE sla_breaches SET status = $2, resolved_by = $3, resolved_at = now(), resolution_note = $4, state_seq = state_seq + 1 WHERE id = $1`, [id, decision, actor.userId, note]);
      await this.audit.append(m, { action: `sla.breach_${decision}`, entityType: 'sla_breach', entityId: id, diff: { note } });
      return b;
    });
    await this.sendPendingNoticesLater(actor.organizationId, b.vendor_id);
    return this.get(id);
  }

  /** The portfolio dashboard: read from the per-window rollup, never recomputed from signals. */
  async portfolio(): Promise<PortfolioEntry[]> {
    const actor = RequestContext.actor();
    const rows: { sla_id: string; sla_name: string; vendor_id: string; vendor_name: string; target: string | null; last_window: string | null; last_availability: string | null; breaches: number; credits: string | null; open_availability: string | null }[] = await this.dataSource.query(
      `SELECT s.id AS sla_id, s.name AS sla_name, s.vendor_id, v.name AS vendor_name,
              (SELECT a.target FROM sla_attainment a WHERE a.sla_id = s.id ORDER BY a.window_start DESC LIMIT 1) AS target,
              (SELECT a.window_label FROM sla_attainment a WHERE a.sla_id = s.id AND NOT a.open ORDER BY a.window_start DESC LIMIT 1) AS last_window,
              (SELECT a.availability FROM sla_attainment a WHERE a.sla_id = s.id AND NOT a.open ORDER BY a.window_start DESC LIMIT 1) AS last_availability,
              (SELECT count(*)::int FROM sla_attainment a WHERE a.sla_id = s.id AND NOT a.open AND a.breached AND a.window_start > now() - interval '12 months') AS breaches,
              (SELECT sum(a.credit_amount) FROM sla_attainment a WHERE a.sla_id = s.id AND NOT a.open AND a.window_start > now() - interval '12 months') AS credits,
              (SELECT a.availability FROM sla_attainment a WHERE a.sla_id = s.id AND a.open LIMIT 1) AS open_availability
         FROM slas s JOIN vendors v ON v.id = s.vendor_id
        WHERE s.organization_id = $1 ${actor.role === 'vendor_contact' ? 'AND s.vendor_id = $2' : ''}
        ORDER BY v.name, s.name`,
      actor.role === 'vendor_contact' ? [actor.organizationId, actor.vendorId] : [actor.organizationId],
    );
    const num = (v: string | null) => (v === null ? null : Number(v));
    return rows.map((r) => ({
      slaId: r.sla_id,
      slaName: r.sla_name,
      vendorId: r.vendor_id,
      vendorName: r.vendor_name,
      target: num(r.target) ?? 0,
      lastWindow: r.last_window,
      lastAvailability: num(r.last_availability),
      breaches12m: r.breaches,
      credits12m: num(r.credits) ?? 0,
      openWindowAvailability: num(r.open_availability),
    }));
  }

  /**
   * Per dependency: required RTO/RPO vs the strictest contractual RTO/RPO of the SLAs in force that cover
   * its service. In force means the SLA version effective today (in the SLA's time zone) under an active,
   * unexpired contract; a version that takes effect later is reported as a notice, not as today's terms.
   */
  async commitmentChain(): Promise<CommitmentRow[]> {
    const actor = RequestContext.actor();
    const deps: { id: string; system_id: string; system_name: string; service_id: string; service_name: string; vendor_id: string; vendor_name: string; criticality: string; rto: number; rpo: number }[] = await this.dataSource.query(
      `SELECT d.id, i.id AS system_id, i.name AS system_name, s.id AS service_id, s.name AS service_name, v.id AS vendor_id, v.name AS vendor_name, d.criticality, i.required_rto_minutes AS rto, i.required_rpo_minutes AS rpo
         FROM dependencies d JOIN internal_systems i ON i.id = d.system_id JOIN services s ON s.id = d.service_id JOIN vendors v ON v.id = s.vendor_id
        WHERE d.organization_id = $1 ORDER BY i.name, s.name`,
      [actor.organizationId],
    );
    const versions: VersionRow[] = await this.dataSource.query(
      `SELECT s.id AS sla_id, s.name, c.title AS contract_title, c.status AS contract_status, to_char(c.expiry_date, 'YYYY-MM-DD') AS expiry_date,
              v.version, to_char(v.effective_from, 'YYYY-MM-DD') AS effective_from, v.terms, v.scope
         FROM slas s JOIN contracts c ON c.id = s.contract_id JOIN sla_versions v ON v.sla_id = s.id
        WHERE s.organization_id = $1
        ORDER BY s.id, v.effective_from, v.version`,
      [actor.organizationId],
    );
    const slas = slasInForce(versions, new Date());
    return deps.map((d) => {
      const covers = (v: VersionRow | null) => !!v && v.scope.serviceIds.includes(d.service_id);
      const covering = slas.filter((s) => s.contractInForce && covers(s.current)).map((s) => ({ sla: s, terms: s.current!.terms }));
      const judged = judge(d, covering.map((c) => c.terms));
      // With no SLA in force, say why when there is a reason better than "none": a contract not in force, or an SLA not yet effective.
      const blocked = covering.length ? [] : slas.filter((s) => !s.contractInForce && covers(s.current));
      const later = covering.length ? [] : slas.filter((s) => s.contractInForce && !covers(s.current) && covers(s.next));
      const gaps = blocked.length
        ? blocked.map((s) => `the contract “${s.contractTitle}” ${s.contractProblem}`)
        : later.length
          ? later.map((s) => `the SLA “${s.name}” covering this service takes effect on ${s.next!.effective_from}`)
          : judged.gaps;
      // What the next versions change: judged as if they were in force, so a coming gap is seen in advance.
      const notices: string[] = [];
      for (const s of slas.filter((x) => x.contractInForce && covers(x.next))) {
        const future = judge(d, [s.next!.terms]);
        const now = covering.find((c) => c.sla.slaId === s.slaId);
        const changed = !now || now.terms.rtoMinutes !== s.next!.terms.rtoMinutes || now.terms.rpoMinutes !== s.next!.terms.rpoMinutes;
        if (!changed) continue;
        notices.push(
          future.gaps.length
            ? `from ${s.next!.effective_from}, “${s.name}” version ${s.next!.version}: ${future.gaps.join('; ')}`
            : `from ${s.next!.effective_from}, “${s.name}” version ${s.next!.version} covers the requirement (RTO ${s.next!.terms.rtoMinutes} min, RPO ${s.next!.terms.rpoMinutes} min)`,
        );
      }
      const best = covering.find((c) => c.terms.rtoMinutes === judged.rto)?.sla ?? covering[0]?.sla;
      return {
        dependencyId: d.id,
        systemId: d.system_id,
        systemName: d.system_name,
        serviceId: d.service_id,
        serviceName: d.service_name,
        vendorId: d.vendor_id,
        vendorName: d.vendor_name,
        criticality: d.criticality,
        requiredRtoMinutes: d.rto,
        requiredRpoMinutes: d.rpo,
        contractualRtoMinutes: judged.rto,
        contractualRpoMinutes: judged.rpo,
        slaId: best?.slaId ?? null,
        slaName: best?.name ?? null,
        measuredRtoMinutes: null,
        measuredRpoMinutes: null,
        // Joint DR tests do not exist yet: a contract that covers the requirement is still untested.
        status: gaps.length ? 'contract_gap' : 'covered',
        gaps,
        notices,
      };
    });
  }

  private select(): string {
    return `SELECT b.id, b.sla_id, s.name AS sla_name, b.vendor_id, v.name AS vendor_name, b.window_label, b.availability, b.target, b.credit_percent, b.credit_amount,
                   c.currency, b.status, b.detected_at, b.resolved_at, b.resolution_note
              FROM sla_breaches b JOIN slas s ON s.id = b.sla_id JOIN vendors v ON v.id = b.vendor_id JOIN contracts c ON c.id = s.contract_id`;
  }

  private async row(id: string, lock = false, m = this.dataSource.manager): Promise<BreachRow> {
    const actor = RequestContext.actor();
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFound('breach', id);
    const rows: BreachRow[] = await m.query(`${this.select()} WHERE b.id = $1 AND b.organization_id = $2 ${actor.role === 'vendor_contact' ? 'AND b.vendor_id = $3' : ''} ${lock ? 'FOR UPDATE OF b' : ''}`, actor.role === 'vendor_contact' ? [id, actor.organizationId, actor.vendorId] : [id, actor.organizationId]);
    if (!rows[0]) throw new NotFound('breach', id);
    return rows[0];
  }

  private async views(rows: BreachRow[]): Promise<BreachView[]> {
    if (!rows.length) return [];
    const comments: { id: string; breach_id: string; author_side: 'customer' | 'vendor'; name: string | null; body: string; evidence_links: string[]; created_at: Date }[] = await this.dataSource.query(
      `SELECT c.id, c.breach_id, c.author_side, u.name, c.body, c.evidence_links, c.created_at FROM breach_comments c LEFT JOIN users u ON u.id = c.author_id WHERE c.breach_id = ANY($1::uuid[]) ORDER BY c.created_at`,
      [rows.map((r) => r.id)],
    );
    return rows.map((r) => ({
      id: r.id,
      slaId: r.sla_id,
      slaName: r.sla_name,
      vendorId: r.vendor_id,
      vendorName: r.vendor_name,
      window: r.window_label,
      availability: Number(r.availability),
      target: Number(r.target),
      creditPercent: Number(r.credit_percent),
      creditAmount: r.credit_amount === null ? null : Number(r.credit_amount),
      currency: r.currency,
      status: r.status,
      detectedAt: r.detected_at.toISOString(),
      resolvedAt: r.resolved_at?.toISOString() ?? null,
      resolutionNote: r.resolution_note,
      comments: comments.filter((c) => c.breach_id === r.id).map((c) => ({ id: c.id, authorSide: c.author_side, authorName: c.name, body: c.body, evidenceLinks: c.evidence_links, createdAt: c.created_at.toISOString() })),
    }));
  }

  /** After a request's own commit: a notice that cannot be sent now stays pending and goes out with the next recompute (at the latest the hourly sweep). */
  private async sendPendingNoticesLater(organizationId: string, vendorId: string): Promise<void> {
    try {
      await this.sendPendingNotices(organizationId, vendorId);
    } catch (err) {
      this.logger.warn(`breach notices for vendor ${vendorId} left pending: ${(err as Error).message}`);
    }
  }

  /** The vendor's contacts, procurement and the vendor's owner, in-app and by e-mail. */
  private async notifyBoth(organizationId: string, vendorId: string, subject: string, text: string, link: string, key: string, m?: EntityManager): Promise<void> {
    const n = await this.notifier.toUsers(organizationId, `(role = 'vendor_contact' AND vendor_id = $2) OR role = 'procurement' OR id = (SELECT owner_id FROM vendors WHERE id = $2)`, [vendorId], { title: subject, body: text, link, key }, m);
    this.logger.debug(`notified ${n} about: ${subject}`);
  }
}

/** What a breach notice says for the state the breach is in (`seq` 1 is its detection). */
export function breachNotice(b: Pick<BreachRow, 'id' | 'sla_name' | 'window_label' | 'status' | 'availability' | 'target' | 'credit_percent' | 'resolution_note'>, seq: number): { title: string; body: string; link: string } {
  const figures = `measured availability ${Number(b.availability)} % against a target of ${Number(b.target)} %`;
  const link = `/breaches/${b.id}`;
  switch (b.status) {
    case 'open':
      return seq === 1
        ? { title: `SLA breach: ${b.sla_name} (${b.window_label})`, body: `The measured availability of "${b.sla_name}" fell below its target in ${b.window_label} (${figures}). A service credit of ${Number(b.credit_percent)} % is due under the SLA; the vendor can contest it in Bulwark with evidence.`, link }
        : { title: `SLA breach re-opened: ${b.sla_name} (${b.window_label})`, body: `Recomputed from corrected or late signals, "${b.sla_name}" is below its target in ${b.window_label} again (${figures}). A service credit of ${Number(b.credit_percent)} % is due.`, link };
    case 'withdrawn':
      return { title: `SLA breach withdrawn: ${b.sla_name} (${b.window_label})`, body: `Recomputed from corrected or late signals, "${b.sla_name}" met its target in ${b.window_label} (${figures}). The breach and its credit are withdrawn.`, link };
    case 'disputed':
      return { title: `SLA breach ${b.window_label} disputed: ${b.sla_name}`, body: `The vendor disputes the breach of "${b.sla_name}" for ${b.window_label}. See the dispute thread in Bulwark.`, link };
    default:
      return { title: `SLA breach ${b.window_label} ${b.status}: ${b.sla_name}`, body: `The breach of "${b.sla_name}" for ${b.window_label} was ${b.status}${b.resolution_note ? `: ${b.resolution_note}` : '.'}`, link };
  }
}

interface VersionTerms {
  rtoMinutes: number | null;
  rpoMinutes: number | null;
  timeZone?: string;
}
interface VersionRow {
  sla_id: string;
  name: string;
  contract_title: string;
  contract_status: string;
  expiry_date: string | null;
  version: number;
  effective_from: string;
  terms: VersionTerms;
  scope: { serviceIds: string[] };
}
interface SlaInForce {
  slaId: string;
  name: string;
  contractTitle: string;
  contractInForce: boolean;
  contractProblem: string;
  /** The version effective today, if any. */
  current: VersionRow | null;
  /** The next version to take effect, if any. */
  next: VersionRow | null;
}

/** Groups versions (ordered by SLA, effective date, version) into each SLA's current and next version. */
export function slasInForce(versions: VersionRow[], now: Date): SlaInForce[] {
  const bySla = new Map<string, VersionRow[]>();
  for (const v of versions) bySla.set(v.sla_id, [...(bySla.get(v.sla_id) ?? []), v]);
  return [...bySla.values()].map((vs) => {
    const first = vs[0]!;
    const zone = vs[vs.length - 1]!.terms.timeZone ?? 'UTC';
    const today = DateTime.fromJSDate(now, { zone }).toISODate() ?? now.toISOString().slice(0, 10);
    const current = [...vs].reverse().find((v) => v.effective_from <= today) ?? null;
    const next = vs.find((v) => v.effective_from > today) ?? null;
    const expired = first.expiry_date !== null && first.expiry_date < today;
    const contractProblem =
      first.contract_status === 'draft' ? 'is still a draft'
      : first.contract_status === 'terminated' ? 'was terminated'
      : first.contract_status === 'expired' || expired ? `expired${first.expiry_date ? ` on ${first.expiry_date}` : ''}`
      : '';
    return { slaId: first.sla_id, name: first.name, contractTitle: first.contract_title, contractInForce: contractProblem === '', contractProblem, current, next };
  });
}

/** The strictest RTO/RPO over the given terms, and what falls short of the dependency's requirement. */
function judge(d: { rto: number; rpo: number }, terms: VersionTerms[]): { rto: number | null; rpo: number | null; gaps: string[] } {
  const rtos = terms.map((t) => t.rtoMinutes).filter((x): x is number => x !== null && x !== undefined);
  const rpos = terms.map((t) => t.rpoMinutes).filter((x): x is number => x !== null && x !== undefined);
  const rto = rtos.length ? Math.min(...rtos) : null;
  const rpo = rpos.length ? Math.min(...rpos) : null;
  const gaps: string[] = [];
  if (!terms.length) gaps.push('no SLA covers this service');
  else {
    if (rto === null) gaps.push('the SLA sets no RTO');
    else if (rto > d.rto) gaps.push(`contractual RTO ${rto} min exceeds the required ${d.rto} min`);
    if (rpo === null) gaps.push('the SLA sets no RPO');
    else if (rpo > d.rpo) gaps.push(`contractual RPO ${rpo} min exceeds the required ${d.rpo} min`);
  }
  return { rto, rpo, gaps };
}
