import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A vendor's `description` is the organization's internal notes; `shared_summary` is what the vendor's own
 * contacts see. Existing descriptions stay internal: the new column starts empty for every vendor, so the
 * migration exposes nothing.
 */
export class VendorSharedSummary1764430000000 implements MigrationInterface {
  name = 'VendorSharedSummary1764430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE vendors ADD COLUMN shared_summary text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE vendors DROP COLUMN IF EXISTS shared_summary`);
  }
}
