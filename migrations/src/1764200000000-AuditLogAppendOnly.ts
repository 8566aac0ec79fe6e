import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log becomes append-only and keyed (ADR 0008):
 * - `mac`: HMAC-SHA256 under AUDIT_KEY (a key the database never holds) of the entry's hash, chained through
 *   the previous entry's MAC. Entries written before this migration have none: the first MAC seals them.
 * - A trigger refuses UPDATE, DELETE and TRUNCATE of `audit_log` to every role, the application's included.
 *   The one deletion it lets through is the cascade of deleting an organization: by the time the cascade
 *   reaches `audit_log`, the organization row is gone, and the log goes with everything else of it.
 */
export class AuditLogAppendOnly1764200000000 implements MigrationInterface {
  name = 'AuditLogAppendOnly1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log ADD COLUMN mac text`);
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF NOT EXISTS (SELECT 1 FROM organizations WHERE id = OLD.organization_id) THEN
            RETURN OLD;
          END IF;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Entries are never changed or removed; deleting an organization removes its log with it.';
      END $$`);
    await q.query(
      `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log`);
    await q.query(`DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log`);
    await q.query(`DROP FUNCTION IF EXISTS audit_log_append_only()`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN IF EXISTS mac`);
  }
}
