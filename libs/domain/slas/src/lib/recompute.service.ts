import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager } from 'typeorm';

import type { CreditBasis } from '@bulwark/api-schema';
import { AuditLogService, InjectQueue, RequestContext, type QueuePort } from '@bulwark/platform';

import { AttainmentService } from './attainment.service.js';
import { BreachNotices } from './breach-notices.js';

/**
 * The attainment rollup and breach detection. A recompute (queued when a vendor's health signals
 * change, when SLA terms change, and hourly; see `recompute.job.ts`) refreshes the per-window rollup
 * (`sla_attainment`) and opens, updates or withdraws breaches; the result depends only on the stored
 * signals, so late or re-ordered signals converge to the same figures.
 */
@Injectable()
export class RecomputeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly attainment: AttainmentService,
    private readonly audit: AuditLogService,
    private readonly notices: BreachNotices,
    @InjectQueue() private readonly queue: QueuePort,
  ) {}

  /** Queues a recompute for every vendor that has an SLA, in every organization. */
  async enqueueAll(): Promise<number> {
    const rows: { organization_id: string; vendor_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT organization_id, vendor_id FROM slas`,
    );
    for (const r of rows) await this.enqueue(r.organization_id, r.vendor_id);
    return rows.length;
  }

  /** Queues the recompute of a vendor's SLAs (the job name is persisted: see `jobs.ts`). */
  async enqueue(organizationId: string, vendorId: string): Promise<void> {
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
      const slas: { id: string; name: string }[] = await m.query(
        `SELECT id, name FROM slas WHERE organization_id = $1 AND vendor_id = $2 ORDER BY id`,
        [actor.organizationId, vendorId],
      );
      const to = DateTime.fromMillis(now, { zone: 'utc' }).toFormat('yyyy-MM');
      const from = DateTime.fromMillis(now, { zone: 'utc' }).minus({ months: 12 }).toFormat('yyyy-MM');
      let breaches = 0;
      for (const sla of slas) {
        const windows = await this.attainment.attainment(sla.id, from, to, now, m);
        for (const w of windows) {
          await m.query(
            `INSERT INTO sla_attainment (organization_id, sla_id, vendor_id, window_label, window_start, version, target, availability, downtime_minutes, excluded_minutes, breached, credit_percent, credit_amount, open, computed_at)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14, now())
             ON CONFLICT (sla_id, window_label) DO UPDATE SET version = excluded.version, target = excluded.target, availability = excluded.availability, downtime_minutes = excluded.downtime_minutes,
               excluded_minutes = excluded.excluded_minutes, breached = excluded.breached, credit_percent = excluded.credit_percent, credit_amount = excluded.credit_amount, open = excluded.open, computed_at = now()`,
            [
              actor.organizationId,
              sla.id,
              vendorId,
              w.window,
              new Date(w.start),
              w.version,
              w.target,
              w.availability,
              w.downtimeMinutes,
              w.excludedMinutes,
              w.breached,
              w.creditPercent,
              w.creditAmount,
              w.open,
            ],
          );
          if (w.open) continue; // a breach is judged when its window has closed
          const [existing]: {
            id: string;
            status: string;
            availability: string;
            credit_percent: string;
            credit_amount: string | null;
            credit_basis: unknown;
          }[] = await m.query(
            `SELECT id, status, availability, credit_percent, credit_amount, credit_basis FROM sla_breaches WHERE sla_id = $1 AND window_label = $2 FOR UPDATE`,
            [sla.id, w.window],
          );
          const basis = JSON.stringify(w.creditBasis);
          if (w.breached && !existing) {
            const [b] = await m.query(
              `INSERT INTO sla_breaches (organization_id, sla_id, vendor_id, window_label, availability, target, credit_percent, credit_amount, credit_basis, status, state_seq, notified_seq) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'open', 1, 0) RETURNING id`,
              [actor.organizationId, sla.id, vendorId, w.window, w.availability, w.target, w.creditPercent, w.creditAmount, basis],
            );
            await this.audit.append(m, {
              action: 'sla.breach_detected',
              entityType: 'sla_breach',
              entityId: b.id,
              diff: { slaId: sla.id, window: w.window, availability: w.availability, target: w.target, creditPercent: w.creditPercent },
            });
            breaches += 1;
          } else if (existing && ['open', 'disputed', 'withdrawn'].includes(existing.status)) {
            const status = w.breached ? (existing.status === 'withdrawn' ? 'open' : existing.status) : 'withdrawn';
            if (Number(existing.availability) !== w.availability || status !== existing.status) {
              // A change of state (withdrawn, re-opened) is a new notice; new figures alone are not.
              await m.query(
                `UPDATE sla_breaches SET availability = $2, credit_percent = $3, credit_amount = $4, status = $5, credit_basis = $6, state_seq = state_seq + (CASE WHEN status = $5 THEN 0 ELSE 1 END) WHERE id = $1`,
                [existing.id, w.availability, w.creditPercent, w.creditAmount, status, basis],
              );
              await this.audit.append(m, {
                action: 'sla.breach_recomputed',
                entityType: 'sla_breach',
                entityId: existing.id,
                diff: {
                  availability: { from: Number(existing.availability), to: w.availability },
                  status: { from: existing.status, to: status },
                },
              });
              if (status === 'open' && existing.status === 'withdrawn') breaches += 1;
            } else if (canonical(existing.credit_basis) !== canonical(w.creditBasis)) {
              await this.updateCredit(m, existing, w.creditBasis);
            }
          } else if (
            existing &&
            (existing.credit_basis as CreditBasis | null)?.base == null &&
            canonical(existing.credit_basis) !== canonical(w.creditBasis)
          ) {
            // A decided breach whose credit base was not known (stored before the fees per service, or a fee missing):
            // its amount, on the percent decided, once the fees of the covered services are recorded.
            await this.updateCredit(m, existing, w.creditBasis);
          }
        }
      }
      return { slas: slas.length, breaches };
    });
    await this.notices.sendPending(actor.organizationId, vendorId);
    return result;
  }

  /** A breach's credit amount and how it is computed, when the fees of its services change (its percent stays). */
  private async updateCredit(
    m: EntityManager,
    b: { id: string; credit_percent: string; credit_amount: string | null },
    basis: CreditBasis,
  ): Promise<void> {
    const amount = basis.base === null ? null : Math.round(basis.base * Number(b.credit_percent)) / 100;
    await m.query(`UPDATE sla_breaches SET credit_amount = $2, credit_basis = $3 WHERE id = $1`, [b.id, amount, JSON.stringify(basis)]);
    await this.audit.append(m, {
      action: 'sla.breach_credit_recomputed',
      entityType: 'sla_breach',
      entityId: b.id,
      diff: { creditAmount: { from: b.credit_amount === null ? null : Number(b.credit_amount), to: amount } },
    });
  }
}

/** JSON with object keys sorted (jsonb does not keep their order), to compare a stored value with a computed one. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );
}
