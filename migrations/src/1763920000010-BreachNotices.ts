import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Breach notices as an outbox: every state change of a breach (detected, withdrawn, re-opened,
 * disputed, upheld, waived) increments `state_seq` in the same transaction; a notice is sent for
 * each state not yet notified (`notified_seq < state_seq`), keyed by (breach, state_seq), so a
 * failed send is retried and a retry never sends twice. Existing breaches count as notified.
 */
export class BreachNotices1763920000010 implements MigrationInterface {
  name = 'BreachNotices1763920000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sla_breaches ADD COLUMN state_seq integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE sla_breaches ADD COLUMN notified_seq integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE sla_breaches ALTER COLUMN notified_seq SET DEFAULT 0`);
    await q.query(`CREATE INDEX sla_breaches_unnotified ON sla_breaches (organization_id, vendor_id) WHERE notified_seq < state_seq`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS sla_breaches_unnotified`);
    await q.query(`ALTER TABLE sla_breaches DROP COLUMN notified_seq`);
    await q.query(`ALTER TABLE sla_breaches DROP COLUMN state_seq`);
  }
}
