import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Organizations, identity, inventory and the audit log. Runs unchanged on PostgreSQL 15 and PGlite. */
export class Init1763840000000 implements MigrationInterface {
  name = 'Init1763840000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        slug text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE vendors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        slug text NOT NULL,
        legal_name text,
        website text,
        country char(2),
        description text,
        lei text,
        cik text,
        company_number text,
        duns text,
        lifecycle text NOT NULL CHECK (lifecycle IN ('prospect','onboarding','active','exiting','terminated')),
        owner_id uuid,
        intake jsonb NOT NULL,
        computed_tier text NOT NULL CHECK (computed_tier IN ('critical','high','medium','low')),
        tier_score integer NOT NULL,
        tier_override text CHECK (tier_override IN ('critical','high','medium','low')),
        tier_override_reason text,
        tier_override_by uuid,
        tier_override_at timestamptz,
        tier text NOT NULL CHECK (tier IN ('critical','high','medium','low')),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT vendors_override_reason CHECK (tier_override IS NULL OR tier_override_reason IS NOT NULL),
        UNIQUE (organization_id, slug)
      )`);
    await q.query(`CREATE UNIQUE INDEX vendors_org_name ON vendors (organization_id, lower(name))`);
    await q.query(`CREATE INDEX vendors_org_tier ON vendors (organization_id, tier)`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        email text NOT NULL UNIQUE CHECK (email = lower(email)),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin','vendor_manager','procurement','auditor','vendor_contact')),
        vendor_id uuid REFERENCES vendors(id) ON DELETE CASCADE,
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        password_changed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_vendor_contact CHECK ((role = 'vendor_contact') = (vendor_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX users_org ON users (organization_id)`);
    await q.query(`ALTER TABLE vendors ADD CONSTRAINT vendors_owner FOREIGN KEY (owner_id) REFERENCES users(id) ON DELETE SET NULL`);
    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        user_agent text
      )`);
    await q.query(`CREATE INDEX sessions_user ON sessions (user_id)`);
    await q.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        email text NOT NULL,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        revoked_at timestamptz,
        invited_by uuid REFERENCES users(id) ON DELETE SET NULL,
        send_count integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX invitations_org_vendor ON invitations (organization_id, vendor_id)`);
    await q.query(`
      CREATE TABLE vendor_contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        name text NOT NULL,
        email text NOT NULL,
        title text,
        phone text,
        is_primary boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (vendor_id, email)
      )`);
    await q.query(`
      CREATE TABLE services (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('cloud_infrastructure','ai_model_api','data_provider','saas','professional_service')),
        description text,
        regions text[] NOT NULL DEFAULT '{}',
        models jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX services_vendor_name ON services (vendor_id, lower(name))`);
    await q.query(`CREATE INDEX services_org ON services (organization_id)`);
    await q.query(`
      CREATE TABLE subcontractor_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        service_id uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
        sub_service_id uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (service_id, sub_service_id),
        CHECK (service_id <> sub_service_id)
      )`);
    await q.query(`
      CREATE TABLE internal_systems (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        description text,
        owner_name text,
        risk_class text NOT NULL CHECK (risk_class IN ('unacceptable','high','limited','minimal')),
        is_ai_system boolean NOT NULL DEFAULT true,
        criticality text NOT NULL CHECK (criticality IN ('critical','high','medium','low')),
        required_rto_minutes integer NOT NULL CHECK (required_rto_minutes >= 0),
        required_rpo_minutes integer NOT NULL CHECK (required_rpo_minutes >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX internal_systems_org_name ON internal_systems (organization_id, lower(name))`);
    await q.query(`
      CREATE TABLE dependencies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        system_id uuid NOT NULL REFERENCES internal_systems(id) ON DELETE CASCADE,
        service_id uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
        criticality text NOT NULL CHECK (criticality IN ('critical','high','medium','low')),
        alternative_service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        contingency_plan jsonb,
        notes text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (system_id, service_id),
        CHECK (alternative_service_id IS NULL OR alternative_service_id <> service_id)
      )`);
    await q.query(`CREATE INDEX dependencies_org ON dependencies (organization_id)`);
    await q.query(`CREATE INDEX dependencies_service ON dependencies (service_id)`);
    await q.query(`
      CREATE TABLE audit_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        at timestamptz NOT NULL,
        actor_id uuid,
        actor_email text,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id uuid,
        diff jsonb,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        UNIQUE (organization_id, seq)
      )`);
    await q.query(`CREATE INDEX audit_log_entity ON audit_log (organization_id, entity_type, entity_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'audit_log',
      'dependencies',
      'internal_systems',
      'subcontractor_links',
      'services',
      'vendor_contacts',
      'invitations',
      'sessions',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`ALTER TABLE vendors DROP CONSTRAINT IF EXISTS vendors_owner`);
    await q.query(`DROP TABLE IF EXISTS users`);
    await q.query(`DROP TABLE IF EXISTS vendors`);
    await q.query(`DROP TABLE IF EXISTS organizations`);
  }
}
