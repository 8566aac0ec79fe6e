import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Signal sources (configured plugin instances), normalized signals and their state-change history. */
export class Signals1763850000000 implements MigrationInterface {
  name = 'Signals1763850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE signal_sources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        plugin text NOT NULL,
        name text NOT NULL,
        config jsonb NOT NULL DEFAULT '{}',
        secrets text,
        schedule_seconds integer NOT NULL CHECK (schedule_seconds >= 60),
        enabled boolean NOT NULL DEFAULT true,
        webhook_key text UNIQUE,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','ok','failing','invalid_config','disabled')),
        last_poll_at timestamptz,
        last_success_at timestamptz,
        consecutive_failures integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX signal_sources_org_vendor ON signal_sources (organization_id, vendor_id)`);
    await q.query(`
      CREATE TABLE signals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        source_id uuid NOT NULL REFERENCES signal_sources(id) ON DELETE CASCADE,
        dedupe_key text NOT NULL UNIQUE,
        external_id text NOT NULL,
        signal_type text NOT NULL,
        component text,
        region text,
        level text NOT NULL CHECK (level IN ('operational','info','degraded','partial_outage','major_outage','maintenance','unknown')),
        severity smallint CHECK (severity BETWEEN 0 AND 4),
        lifecycle text,
        title text NOT NULL,
        detail text,
        started_at timestamptz,
        provider_updated_at timestamptz,
        resolved_at timestamptz,
        scheduled_for timestamptz,
        scheduled_until timestamptz,
        score jsonb,
        url text,
        as_of date,
        content_hash text NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX signals_org_vendor ON signals (organization_id, vendor_id, started_at DESC)`);
    await q.query(`CREATE INDEX signals_org_level ON signals (organization_id, level) WHERE resolved_at IS NULL`);
    await q.query(`CREATE INDEX signals_source ON signals (source_id)`);
    await q.query(`
      CREATE TABLE signal_changes (
        id bigserial PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        signal_id uuid NOT NULL REFERENCES signals(id) ON DELETE CASCADE,
        provider_updated_at timestamptz NOT NULL,
        level text NOT NULL,
        lifecycle text,
        severity smallint,
        content_hash text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (signal_id, provider_updated_at, content_hash)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS signal_changes`);
    await q.query(`DROP TABLE IF EXISTS signals`);
    await q.query(`DROP TABLE IF EXISTS signal_sources`);
  }
}
