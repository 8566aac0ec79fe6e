import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The evidence vault: evidence items of a vendor, their immutable revisions (content-addressed files with
 * their SHA-256, detected media type, scan and integrity status, effective and validity dates) and the
 * links of a revision to what it is evidence for (a contract now; findings and more later).
 */
export class EvidenceVault1764500000000 implements MigrationInterface {
  name = 'EvidenceVault1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evidence_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        title text NOT NULL,
        kind text NOT NULL,
        confidentiality text NOT NULL DEFAULT 'confidential' CHECK (confidentiality IN ('public', 'confidential', 'restricted')),
        owner_id uuid REFERENCES users(id) ON DELETE SET NULL,
        current_revision_id uuid,
        valid_until date,
        integrity text NOT NULL DEFAULT 'ok' CHECK (integrity IN ('ok', 'failed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX evidence_items_vendor ON evidence_items (organization_id, vendor_id, created_at DESC)`);
    await q.query(`CREATE INDEX evidence_items_valid_until ON evidence_items (valid_until) WHERE valid_until IS NOT NULL`);
    await q.query(`
      CREATE TABLE evidence_revisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        evidence_id uuid NOT NULL REFERENCES evidence_items(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        number integer NOT NULL,
        file_name text NOT NULL,
        media_type text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes > 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        scan text NOT NULL CHECK (scan IN ('not_scanned', 'clean')),
        integrity text NOT NULL DEFAULT 'ok' CHECK (integrity IN ('ok', 'failed')),
        effective_date date,
        valid_from date,
        valid_until date,
        uploaded_by uuid REFERENCES users(id) ON DELETE SET NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT evidence_revisions_number UNIQUE (evidence_id, number),
        CONSTRAINT evidence_revisions_validity CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from <= valid_until)
      )`);
    await q.query(
      `ALTER TABLE evidence_items ADD CONSTRAINT evidence_items_current FOREIGN KEY (current_revision_id) REFERENCES evidence_revisions(id) DEFERRABLE INITIALLY DEFERRED`,
    );
    await q.query(`
      CREATE TABLE evidence_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        evidence_id uuid NOT NULL REFERENCES evidence_items(id) ON DELETE CASCADE,
        revision_id uuid NOT NULL REFERENCES evidence_revisions(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        target_type text NOT NULL,
        target_id uuid NOT NULL,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT evidence_links_once UNIQUE (revision_id, target_type, target_id)
      )`);
    await q.query(`CREATE INDEX evidence_links_target ON evidence_links (organization_id, target_type, target_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS evidence_links`);
    await q.query(`ALTER TABLE IF EXISTS evidence_items DROP CONSTRAINT IF EXISTS evidence_items_current`);
    await q.query(`DROP TABLE IF EXISTS evidence_revisions`);
    await q.query(`DROP TABLE IF EXISTS evidence_items`);
  }
}
