import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * At most one open invitation (neither accepted nor revoked) per address in an organization, enforced by the
 * database, so two administrators inviting the same person at the same moment cannot create two live links.
 * Open duplicates left by earlier versions are closed first, keeping the newest (their `revoked_at` is set
 * to the time of this migration, or to their expiry when they had already expired).
 */
export class OneOpenInvitation1764300000000 implements MigrationInterface {
  name = 'OneOpenInvitation1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE invitations i SET revoked_at = LEAST(now(), i.expires_at)
      WHERE i.accepted_at IS NULL AND i.revoked_at IS NULL
        AND EXISTS (
          SELECT 1 FROM invitations n
          WHERE n.organization_id = i.organization_id AND n.email = i.email
            AND n.accepted_at IS NULL AND n.revoked_at IS NULL
            AND (n.created_at, n.id) > (i.created_at, i.id)
        )`);
    await q.query(`
      CREATE UNIQUE INDEX invitations_one_open_per_address ON invitations (organization_id, email)
      WHERE accepted_at IS NULL AND revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS invitations_one_open_per_address`);
  }
}
