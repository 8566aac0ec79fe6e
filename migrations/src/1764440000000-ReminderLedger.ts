import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reminder ledger: one row per (subject, due date, rule) a sweep has handled, sent or skipped (a
 * step superseded by a later one when a sweep was missed). Its uniqueness is what makes every reminder
 * step happen once, whichever sweep, process or retry gets there first. Contracts already reminded of
 * their renewal notice by the previous mechanism (`contracts.renewal_reminded_for`) are recorded as
 * having had their 30-day step, so the upgrade sends nothing twice.
 */
export class ReminderLedger1764440000000 implements MigrationInterface {
  name = 'ReminderLedger1764440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reminder_ledger (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        due_date date NOT NULL,
        rule text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('sent', 'skipped')),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reminder_ledger_once UNIQUE (subject_type, subject_id, due_date, rule)
      )`);
    await q.query(`CREATE INDEX reminder_ledger_org ON reminder_ledger (organization_id, recorded_at DESC)`);
    await q.query(`
      INSERT INTO reminder_ledger (organization_id, subject_type, subject_id, due_date, rule, outcome)
      SELECT organization_id, 'contract.renewal_notice', id, expiry_date - renewal_notice_days, 'due-30d', 'sent'
        FROM contracts WHERE renewal_reminded_for IS NOT NULL AND renewal_reminded_for = expiry_date`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS reminder_ledger`);
  }
}
