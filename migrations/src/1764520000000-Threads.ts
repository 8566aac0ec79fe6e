import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Comment threads on any workflow object (docs/adr/0012-threads.md). The breach dispute thread moves onto
 * them: every breach comment becomes a `vendor`-audience comment on the `breach` target, with its id,
 * author, side, body, evidence links and time, and `breach_comments` goes.
 */
export class Threads1764520000000 implements MigrationInterface {
  name = 'Threads1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE thread_comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid REFERENCES vendors(id) ON DELETE CASCADE,
        target_type text NOT NULL,
        target_id uuid NOT NULL,
        audience text NOT NULL CHECK (audience IN ('vendor', 'internal')),
        author_id uuid REFERENCES users(id) ON DELETE SET NULL,
        author_side text NOT NULL CHECK (author_side IN ('customer', 'vendor')),
        body text NOT NULL,
        mentions jsonb NOT NULL DEFAULT '[]',
        evidence_ids jsonb NOT NULL DEFAULT '[]',
        links jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT thread_comments_vendor_audience CHECK (audience = 'internal' OR vendor_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX thread_comments_target ON thread_comments (organization_id, target_type, target_id, created_at)`);
    await q.query(`
      INSERT INTO thread_comments (id, organization_id, vendor_id, target_type, target_id, audience, author_id, author_side, body, links, created_at)
      SELECT id, organization_id, vendor_id, 'breach', breach_id, 'vendor', author_id, author_side, body, evidence_links, created_at
        FROM breach_comments`);
    await q.query(`DROP TABLE breach_comments`);
  }

  async down(q: QueryRunner): Promise<void> {
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
    // Only what the old thread could hold: the breaches' vendor-audience comments.
    await q.query(`
      INSERT INTO breach_comments (id, organization_id, breach_id, vendor_id, author_id, author_side, body, evidence_links, created_at)
      SELECT c.id, c.organization_id, c.target_id, c.vendor_id, c.author_id, c.author_side, c.body, c.links, c.created_at
        FROM thread_comments c JOIN sla_breaches b ON b.id = c.target_id
       WHERE c.target_type = 'breach' AND c.audience = 'vendor'`);
    await q.query(`DROP TABLE thread_comments`);
  }
}
