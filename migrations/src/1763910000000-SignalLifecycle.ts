import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signals outlive their source: deleting a source keeps the signals it recorded, and their history,
 * with `source_id` set to null (the dedupe key keeps the old source id, so it stays unique).
 * `announced_at` is when the provider announced a scheduled maintenance (Statuspage `created_at`).
 */
export class SignalLifecycle1763910000000 implements MigrationInterface {
  name = 'SignalLifecycle1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE signals DROP CONSTRAINT signals_source_id_fkey`);
    await q.query(`ALTER TABLE signals ALTER COLUMN source_id DROP NOT NULL`);
    await q.query(
      `ALTER TABLE signals ADD CONSTRAINT signals_source_id_fkey FOREIGN KEY (source_id) REFERENCES signal_sources(id) ON DELETE SET NULL`,
    );
    await q.query(`ALTER TABLE signals ADD COLUMN announced_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE signals DROP COLUMN announced_at`);
    await q.query(`DELETE FROM signals WHERE source_id IS NULL`);
    await q.query(`ALTER TABLE signals DROP CONSTRAINT signals_source_id_fkey`);
    await q.query(`ALTER TABLE signals ALTER COLUMN source_id SET NOT NULL`);
    await q.query(
      `ALTER TABLE signals ADD CONSTRAINT signals_source_id_fkey FOREIGN KEY (source_id) REFERENCES signal_sources(id) ON DELETE CASCADE`,
    );
  }
}
