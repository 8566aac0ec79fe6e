import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { Notifier } from '@bulwark/platform';

interface NoticeRow {
  id: string;
  sla_name: string;
  vendor_id: string;
  window_label: string;
  availability: string;
  target: string;
  credit_percent: string;
  status: string;
  resolution_note: string | null;
  state_seq: number;
  notified_seq: number;
}

/**
 * Breach notices, told to both sides: from the breach outbox for every change of a breach's state
 * (detected, re-opened, withdrawn, disputed, upheld, waived), and at once for a plain comment.
 */
@Injectable()
export class BreachNotices {
  private readonly logger = new Logger('Breaches');

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifier: Notifier,
  ) {}

  /**
   * The breach outbox: one notice per breach state not yet notified (`notified_seq < state_seq`), to both
   * sides, in-app and by e-mail. Each is sent and marked in one transaction, keyed by (breach, state), so a
   * failed send leaves it pending for the next recompute (job retry, the hourly sweep) and a repeat never
   * sends it twice. Throws if a notice could not be sent, so the job is retried.
   */
  async sendPending(organizationId: string, vendorId?: string): Promise<number> {
    const pending: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM sla_breaches WHERE organization_id = $1 AND ($2::uuid IS NULL OR vendor_id = $2) AND notified_seq < state_seq ORDER BY detected_at, id`,
      [organizationId, vendorId ?? null],
    );
    let sent = 0;
    for (const { id } of pending) {
      await this.dataSource.transaction(async (m) => {
        const [b]: NoticeRow[] = await m.query(
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

  /** After a request's own commit: a notice that cannot be sent now stays pending and goes out with the next recompute (at the latest the hourly sweep). */
  async sendPendingLater(organizationId: string, vendorId: string): Promise<void> {
    try {
      await this.sendPending(organizationId, vendorId);
    } catch (err) {
      this.logger.warn(`breach notices for vendor ${vendorId} left pending: ${(err as Error).message}`);
    }
  }

  /** Both sides of a breach: the vendor's contacts, procurement and the vendor's owner, in-app and by e-mail. */
  async notifyBoth(
    organizationId: string,
    vendorId: string,
    subject: string,
    text: string,
    link: string,
    key: string,
    m?: EntityManager,
  ): Promise<void> {
    const n = await this.notifier.notify(
      organizationId,
      { vendorContactsOf: vendorId, roles: ['procurement'], vendorOwnerOf: vendorId },
      { title: subject, body: text, link, key },
      m,
    );
    this.logger.debug(`notified ${n} about: ${subject}`);
  }
}

/** What a breach notice says for the state the breach is in (`seq` 1 is its detection). */
export function breachNotice(
  b: Pick<NoticeRow, 'id' | 'sla_name' | 'window_label' | 'status' | 'availability' | 'target' | 'credit_percent' | 'resolution_note'>,
  seq: number,
): { title: string; body: string; link: string } {
  const figures = `measured availability ${Number(b.availability)} % against a target of ${Number(b.target)} %`;
  const link = `/breaches/${b.id}`;
  switch (b.status) {
    case 'open':
      return seq === 1
        ? {
            title: `SLA breach: ${b.sla_name} (${b.window_label})`,
            body: `The measured availability of "${b.sla_name}" fell below its target in ${b.window_label} (${figures}). A service credit of ${Number(b.credit_percent)} % is due under the SLA; the vendor can contest it in Bulwark with evidence.`,
            link,
          }
        : {
            title: `SLA breach re-opened: ${b.sla_name} (${b.window_label})`,
            body: `Recomputed from corrected or late signals, "${b.sla_name}" is below its target in ${b.window_label} again (${figures}). A service credit of ${Number(b.credit_percent)} % is due.`,
            link,
          };
    case 'withdrawn':
      return {
        title: `SLA breach withdrawn: ${b.sla_name} (${b.window_label})`,
        body: `Recomputed from corrected or late signals, "${b.sla_name}" met its target in ${b.window_label} (${figures}). The breach and its credit are withdrawn.`,
        link,
      };
    case 'disputed':
      return {
        title: `SLA breach ${b.window_label} disputed: ${b.sla_name}`,
        body: `The vendor disputes the breach of "${b.sla_name}" for ${b.window_label}. See the dispute thread in Bulwark.`,
        link,
      };
    default:
      return {
        title: `SLA breach ${b.window_label} ${b.status}: ${b.sla_name}`,
        body: `The breach of "${b.sla_name}" for ${b.window_label} was ${b.status}${b.resolution_note ? `: ${b.resolution_note}` : '.'}`,
        link,
      };
  }
}
