import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SLA negotiations between procurement and the vendor, round by round. */
export class Negotiations1763870000000 implements MigrationInterface {
  name = 'Negotiations1763870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE negotiations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        contract_id uuid NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
        sla_id uuid REFERENCES slas(id) ON DELETE SET NULL,
        sla_name text NOT NULL,
        scope jsonb NOT NULL,
        effective_from date NOT NULL,
        status text NOT NULL CHECK (status IN ('proposed','countered','agreed','signed_off','cancelled')),
        current_round integer NOT NULL DEFAULT 1,
        procurement_signed_by uuid REFERENCES users(id) ON DELETE SET NULL,
        procurement_signed_at timestamptz,
        vendor_signed_by uuid REFERENCES users(id) ON DELETE SET NULL,
        vendor_signed_at timestamptz,
        resulting_version integer,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX negotiations_org_vendor ON negotiations (organization_id, vendor_id)`);
    await q.query(`
      CREATE TABLE negotiation_rounds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        negotiation_id uuid NOT NULL REFERENCES negotiations(id) ON DELETE CASCADE,
        round integer NOT NULL,
        terms jsonb NOT NULL,
        proposed_by uuid REFERENCES users(id) ON DELETE SET NULL,
        proposed_at timestamptz NOT NULL DEFAULT now(),
        responses jsonb,
        responded_by uuid REFERENCES users(id) ON DELETE SET NULL,
        responded_at timestamptz,
        UNIQUE (negotiation_id, round)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS negotiation_rounds`);
    await q.query(`DROP TABLE IF EXISTS negotiations`);
  }
}
