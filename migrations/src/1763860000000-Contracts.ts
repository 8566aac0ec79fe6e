import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Contracts with structured clauses, the services they cover, versioned SLAs and vendor-reported figures. */
export class Contracts1763860000000 implements MigrationInterface {
  name = 'Contracts1763860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contracts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        title text NOT NULL,
        reference text,
        status text NOT NULL CHECK (status IN ('draft','active','expired','terminated')),
        effective_date date NOT NULL,
        expiry_date date CHECK (expiry_date IS NULL OR expiry_date > effective_date),
        renewal_notice_days integer NOT NULL DEFAULT 90,
        annual_value numeric(16,2),
        currency char(3) NOT NULL DEFAULT 'USD',
        clauses jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX contracts_org_vendor ON contracts (organization_id, vendor_id)`);
    await q.query(`
      CREATE TABLE contract_services (
        contract_id uuid NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
        service_id uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        PRIMARY KEY (contract_id, service_id)
      )`);
    await q.query(`
      CREATE TABLE slas (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        contract_id uuid NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
        name text NOT NULL,
        current_version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX slas_org_vendor ON slas (organization_id, vendor_id)`);
    await q.query(`
      CREATE TABLE sla_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        sla_id uuid NOT NULL REFERENCES slas(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        version integer NOT NULL,
        effective_from date NOT NULL,
        terms jsonb NOT NULL,
        scope jsonb NOT NULL,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (sla_id, version)
      )`);
    await q.query(`
      CREATE TABLE sla_vendor_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        sla_id uuid NOT NULL REFERENCES slas(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        window_label text NOT NULL,
        availability numeric(7,4) NOT NULL CHECK (availability BETWEEN 0 AND 100),
        note text,
        reported_by uuid REFERENCES users(id) ON DELETE SET NULL,
        reported_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (sla_id, window_label)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['sla_vendor_reports', 'sla_versions', 'slas', 'contract_services', 'contracts'])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
