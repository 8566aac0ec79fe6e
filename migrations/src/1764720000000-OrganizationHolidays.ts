import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The organization's public holiday calendar (issue 12, ADR 0018 addendum): dates with names, kept by admins.
 * A business-day notice skips these days as well as Saturdays and Sundays. One row per date and organization.
 */
export class OrganizationHolidays1764720000000 implements MigrationInterface {
  name = 'OrganizationHolidays1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organization_holidays (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        date date NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, date)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE organization_holidays`);
  }
}
