import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per e-mail idempotency key: the send job claims it before sending (`sending`, by its job id)
 * and marks it `sent` after, so a retried or duplicated job never sends the same e-mail twice. A failed
 * send releases the claim (`failed`) for the job's retry.
 */
export class MailDeliveries1763960000010 implements MigrationInterface {
  name = 'MailDeliveries1763960000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mail_deliveries (
        idempotency_key text PRIMARY KEY,
        recipient text NOT NULL,
        subject text NOT NULL,
        status text NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 1,
        claimed_by text,
        claimed_at timestamptz,
        sent_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX mail_deliveries_unsent ON mail_deliveries (created_at) WHERE status <> 'sent'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS mail_deliveries`);
  }
}
