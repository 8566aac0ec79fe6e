import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Right-to-audit requests (ADR 0018): the requests (`audit_requests`, with the clause and the entitlement as they
 * stood when the request was made, any override with its reason, the vendor's pending counter-proposal), their
 * requested items ("provided by client"), and their append-only history. Also:
 * - `organizations.time_zone` (IANA, default UTC): the zone in which a notice period is counted;
 * - the right-to-audit clause's `noticeBasis` (`calendar` | `business`), set to `calendar` on every stored clause.
 */
export class AuditRequests1764630000000 implements MigrationInterface {
  name = 'AuditRequests1764630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC'`);
    await q.query(
      `UPDATE contracts SET clauses = jsonb_set(clauses, '{rightToAudit,noticeBasis}', '"calendar"')
        WHERE jsonb_typeof(clauses->'rightToAudit') = 'object' AND NOT (clauses->'rightToAudit' ? 'noticeBasis')`,
    );
    await q.query(`
      CREATE TABLE audit_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        contract_id uuid REFERENCES contracts(id) ON DELETE SET NULL,
        clause jsonb,
        clause_name text,
        title text NOT NULL,
        mode text NOT NULL CHECK (mode IN ('remote', 'on_site')),
        auditor_kind text NOT NULL CHECK (auditor_kind IN ('internal', 'external_firm', 'regulator')),
        auditor_name text,
        scope_service_ids uuid[] NOT NULL DEFAULT '{}',
        scope_topics text[] NOT NULL DEFAULT '{}',
        scope_system_ids uuid[] NOT NULL DEFAULT '{}',
        objectives text NOT NULL DEFAULT '',
        window_start date NOT NULL,
        window_end date NOT NULL,
        time_zone text NOT NULL,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued', 'acknowledged', 'scheduled', 'fieldwork',
          'report_issued', 'closed', 'refused', 'escalated', 'cancelled')),
        entitlement jsonb,
        override_reason text,
        override_by uuid REFERENCES users(id) ON DELETE SET NULL,
        override_at timestamptz,
        outside_entitlement boolean NOT NULL DEFAULT false,
        counter_start date,
        counter_end date,
        counter_note text,
        counter_at timestamptz,
        refusal_reason text,
        cancel_reason text,
        fieldwork_start date,
        fieldwork_end date,
        attendees text[] NOT NULL DEFAULT '{}',
        report_evidence_id uuid REFERENCES evidence_items(id) ON DELETE SET NULL,
        issued_at timestamptz,
        closed_at timestamptz,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (window_end >= window_start),
        CHECK ((counter_start IS NULL) = (counter_end IS NULL)),
        CHECK (status <> 'refused' OR refusal_reason IS NOT NULL),
        CHECK (status <> 'cancelled' OR cancel_reason IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX audit_requests_org_vendor ON audit_requests (organization_id, vendor_id, status)`);
    await q.query(`CREATE INDEX audit_requests_contract ON audit_requests (contract_id, window_start)`);
    await q.query(`
      CREATE TABLE audit_request_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        audit_id uuid NOT NULL REFERENCES audit_requests(id) ON DELETE CASCADE,
        reference text NOT NULL,
        description text NOT NULL,
        due_date date NOT NULL,
        owner_id uuid REFERENCES users(id) ON DELETE SET NULL,
        status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'delivered', 'returned', 'accepted')),
        evidence_ids uuid[] NOT NULL DEFAULT '{}',
        not_applicable_reason text,
        response_note text,
        responded_at timestamptz,
        decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
        decided_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        -- An item is accepted only with evidence or a not-applicable reason.
        CHECK (status <> 'accepted' OR cardinality(evidence_ids) > 0 OR not_applicable_reason IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX audit_request_items_reference ON audit_request_items (audit_id, lower(reference))`);
    await q.query(`CREATE INDEX audit_request_items_due ON audit_request_items (due_date) WHERE status <> 'accepted'`);
    await q.query(`
      CREATE TABLE audit_request_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL,
        audit_id uuid NOT NULL REFERENCES audit_requests(id) ON DELETE CASCADE,
        item_id uuid REFERENCES audit_request_items(id) ON DELETE CASCADE,
        kind text NOT NULL,
        from_status text,
        to_status text,
        note text,
        actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
        actor_side text NOT NULL CHECK (actor_side IN ('vendor', 'internal', 'system')),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX audit_request_events_audit ON audit_request_events (audit_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_request_events`);
    await q.query(`DROP TABLE audit_request_items`);
    await q.query(`DROP TABLE audit_requests`);
    await q.query(
      `UPDATE contracts SET clauses = jsonb_set(clauses, '{rightToAudit}', (clauses->'rightToAudit') - 'noticeBasis')
        WHERE jsonb_typeof(clauses->'rightToAudit') = 'object'`,
    );
    await q.query(`ALTER TABLE organizations DROP COLUMN time_zone`);
  }
}
