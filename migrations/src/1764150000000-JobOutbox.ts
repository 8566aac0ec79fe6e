import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The job outbox: a job that follows a committed change (the e-mail of a notification, a recompute) is
 * written here in the change's own transaction, queued once it commits and deleted when the queue has
 * taken it. What the queue could not take (Redis down) stays, and a relay in every process queues it
 * later, under the same job id. See ADR 0010.
 */
export class JobOutbox1764150000000 implements MigrationInterface {
  name = 'JobOutbox1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE job_outbox (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        data jsonb NOT NULL,
        job_id text,
        delay_ms integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS job_outbox`);
  }
}
