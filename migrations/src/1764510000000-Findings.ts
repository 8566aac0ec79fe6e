import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Findings and remediation: one table of findings for every source, their append-only history
 * (`finding_events`, with the evidence ids each step carried) and their risk acceptances (append-only:
 * extending an acceptance is a new row). A finding is identified within its source by its key: raising
 * the same (vendor, source, key) again reopens the existing row instead of adding one.
 */
export class Findings1764510000000 implements MigrationInterface {
  name = 'Findings1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE findings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        source text NOT NULL CHECK (source IN ('questionnaire_answer', 'audit', 'joint_test', 'signal', 'contract', 'manual')),
        source_id uuid,
        source_key text,
        title text NOT NULL,
        details text NOT NULL DEFAULT '',
        severity text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'plan_proposed', 'changes_requested', 'plan_accepted',
          'in_remediation', 'ready_for_verification', 'closed', 'risk_accepted')),
        returned_from text,
        vendor_owner_id uuid REFERENCES users(id) ON DELETE SET NULL,
        due_date date NOT NULL,
        root_cause text,
        corrective_action text,
        target_date date,
        risk_accepted_until date,
        raised_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (status <> 'risk_accepted' OR risk_accepted_until IS NOT NULL)
      )`);
    // One finding per problem: a source key names it within its source, for one vendor.
    await q.query(
      `CREATE UNIQUE INDEX findings_source_key ON findings (organization_id, vendor_id, source, source_key) WHERE source_key IS NOT NULL`,
    );
    await q.query(`CREATE INDEX findings_org_vendor ON findings (organization_id, vendor_id, status)`);
    await q.query(`CREATE INDEX findings_due ON findings (due_date) WHERE status NOT IN ('closed', 'risk_accepted')`);
    await q.query(`
      CREATE TABLE finding_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL,
        finding_id uuid NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
        kind text NOT NULL,
        from_status text,
        to_status text,
        note text,
        evidence_ids uuid[] NOT NULL DEFAULT '{}',
        actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
        actor_side text NOT NULL CHECK (actor_side IN ('vendor', 'internal', 'system')),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX finding_events_finding ON finding_events (finding_id, created_at)`);
    await q.query(`
      CREATE TABLE finding_risk_acceptances (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL,
        finding_id uuid NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
        reason text NOT NULL,
        expires_at date NOT NULL,
        requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
        requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        approved_by uuid REFERENCES users(id) ON DELETE SET NULL,
        approved_at timestamptz,
        CHECK (approved_by IS NULL OR approved_by <> requested_by)
      )`);
    await q.query(`CREATE INDEX finding_risk_acceptances_finding ON finding_risk_acceptances (finding_id, requested_at)`);
    // At most one acceptance awaiting its approval per finding.
    await q.query(
      `CREATE UNIQUE INDEX finding_risk_acceptances_pending ON finding_risk_acceptances (finding_id) WHERE approved_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS finding_risk_acceptances`);
    await q.query(`DROP TABLE IF EXISTS finding_events`);
    await q.query(`DROP TABLE IF EXISTS findings`);
  }
}
