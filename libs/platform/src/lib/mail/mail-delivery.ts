import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { MailJob } from '../queue/jobs.js';
import { InjectMailer, type Mailer } from './mail.js';

/** How long a claim by another job holds before it is taken over (that job's process is presumed dead). */
export const MAIL_CLAIM_LEASE_SECONDS = 15 * 60;

/**
 * Sends each e-mail once per idempotency key, across job retries, duplicate jobs and processes. The send
 * job claims the key in `mail_deliveries` before sending and marks it sent after:
 * - already sent: nothing is sent again (a retry after the send succeeded, a duplicate enqueue);
 * - claimed by another job that is still within its lease: this one fails and is retried later;
 * - claimed by this same job (a retry, or a re-run after its worker died): taken over and sent;
 * - a failed send releases the claim, so the retry sends it.
 * The one case left is a crash between the send and its marking: the retry sends again (at least once
 * rather than never); SMTP gets the key as its Message-ID, so receivers can tell the copies apart.
 */
@Injectable()
export class MailDeliveries {
  private readonly logger = new Logger('MailDeliveries');

  constructor(
    private readonly dataSource: DataSource,
    @InjectMailer() private readonly mailer: Mailer,
  ) {}

  async deliver(mail: MailJob, jobId: string): Promise<'sent' | 'already_sent'> {
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO mail_deliveries (idempotency_key, recipient, subject, status, attempts, claimed_by, claimed_at)
       VALUES ($1, $2, $3, 'sending', 1, $4, now())
       ON CONFLICT (idempotency_key) DO UPDATE SET status = 'sending', attempts = mail_deliveries.attempts + 1, claimed_by = excluded.claimed_by, claimed_at = now(), last_error = NULL
        WHERE mail_deliveries.status = 'failed'
           OR (mail_deliveries.status = 'sending' AND (mail_deliveries.claimed_by = excluded.claimed_by OR mail_deliveries.claimed_at < now() - make_interval(secs => $5)))
       RETURNING 1`,
      [mail.idempotencyKey, mail.to, mail.subject, jobId, MAIL_CLAIM_LEASE_SECONDS],
    );
    if (!claimed.length) {
      const [row]: { status: string }[] = await this.dataSource.query(`SELECT status FROM mail_deliveries WHERE idempotency_key = $1`, [
        mail.idempotencyKey,
      ]);
      if (row?.status === 'sent') {
        this.logger.debug(`mail ${mail.idempotencyKey} was sent already`);
        return 'already_sent';
      }
      throw new Error(`mail ${mail.idempotencyKey} is being sent by another job`);
    }
    try {
      await this.mailer.send(mail);
    } catch (err) {
      await this.dataSource
        .query(
          `UPDATE mail_deliveries SET status = 'failed', claimed_by = NULL, claimed_at = NULL, last_error = $3 WHERE idempotency_key = $1 AND claimed_by = $2`,
          [mail.idempotencyKey, jobId, (err as Error).message.slice(0, 1000)],
        )
        .catch((e: Error) => this.logger.warn(`releasing the claim on mail ${mail.idempotencyKey}: ${e.message}`));
      throw err;
    }
    await this.dataSource.query(`UPDATE mail_deliveries SET status = 'sent', sent_at = now() WHERE idempotency_key = $1`, [
      mail.idempotencyKey,
    ]);
    return 'sent';
  }
}
