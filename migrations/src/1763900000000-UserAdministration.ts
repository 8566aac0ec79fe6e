import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * User administration: invitations can also bring in internal users (with a role and no vendor),
 * and users remember when they were deactivated and when they last signed in.
 */
export class UserAdministration1763900000000 implements MigrationInterface {
  name = 'UserAdministration1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invitations ADD COLUMN role text NOT NULL DEFAULT 'vendor_contact'
      CHECK (role IN ('admin','vendor_manager','procurement','auditor','vendor_contact'))`);
    await q.query(`ALTER TABLE invitations ALTER COLUMN vendor_id DROP NOT NULL`);
    await q.query(
      `ALTER TABLE invitations ADD CONSTRAINT invitations_vendor_iff_contact CHECK ((role = 'vendor_contact') = (vendor_id IS NOT NULL))`,
    );
    await q.query(`ALTER TABLE users ADD COLUMN deactivated_at timestamptz`);
    await q.query(`ALTER TABLE users ADD COLUMN last_login_at timestamptz`);
    await q.query(
      `UPDATE users u SET last_login_at = s.last FROM (SELECT user_id, max(created_at) AS last FROM sessions GROUP BY user_id) s WHERE s.user_id = u.id`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN last_login_at`);
    await q.query(`ALTER TABLE users DROP COLUMN deactivated_at`);
    await q.query(`DELETE FROM invitations WHERE vendor_id IS NULL`);
    await q.query(`ALTER TABLE invitations DROP CONSTRAINT invitations_vendor_iff_contact`);
    await q.query(`ALTER TABLE invitations ALTER COLUMN vendor_id SET NOT NULL`);
    await q.query(`ALTER TABLE invitations DROP COLUMN role`);
  }
}
