import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-window attainment rollup (for dashboards), breaches with credits, and their dispute threads. */
export class Breaches1763880000000 implements MigrationInterface {
  name = 'Breaches1763880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sla_attainment (
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        sla_id uuid NOT NULL REFERENCES slas(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        window_label text NOT NULL,
        window_start timestamptz NOT NULL,
        version integer NOT NULL,
        target numeric(7,4) NOT NULL,
        availability numeric(7,4) NOT NULL,
        downtime_minutes numeric(12,2) NOT NULL,
        excluded_minutes numeric(12,2) NOT NULL,
        breached boolean NOT NULL,
        credit_percent numeric(7,4) NOT NULL,
        credit_amount numeric(16,2),
        open boolean NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (sla_id, window_label)
      )`);
    await q.query(`CREATE INDEX sla_attainment_org ON sla_attainment (organization_id, window_start)`);
    await q.query(`
      CREATE TABLE sla_breaches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        sla_id uuid NOT NULL REFERENCES slas(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        window_label text NOT NULL,
        availability numeric(7,4) NOT NULL,
        target numeric(7,4) NOT NULL,
        credit_percent numeric(7,4) NOT NULL,
        credit_amount numeric(16,2),
        status text NOT NULL CHECK (status IN ('open','disputed','upheld','waived','withdrawn')),
        detected_at timestamptz NOT NULL DEFAULT now(),
        resolved_by uuid REFERENCES users(id) ON DELETE SET NULL,
        resolved_at timestamptz,
        resolution_note text,
        UNIQUE (sla_id, window_label)
      )`);
    await q.query(`
      CREATE TABLE breach_comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        breach_id uuid NOT NULL REFERENCES sla_breaches(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        author_id uuid REFERENCES users(id) ON DELETE SET NULL,
        author_side text NOT NULL CHECK (author_side IN ('customer','vendor')),
        body text NOT NULL,
        evidence_links jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['breach_comments', 'sla_breaches', 'sla_attainment']) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
