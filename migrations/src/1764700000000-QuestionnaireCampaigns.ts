import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Questionnaire campaigns (issue 11, item 4): a published template version sent to every vendor a filter targets,
 * once or recurring. Each cycle is a row (unique per campaign and number) and its requests carry the campaign and
 * cycle, unique per (campaign, cycle, vendor): a cycle run twice, or by two processes at once, creates each request
 * once. A request of a later cycle records the accepted request its answers were pre-filled from.
 */
export class QuestionnaireCampaigns1764700000000 implements MigrationInterface {
  name = 'QuestionnaireCampaigns1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE questionnaire_campaigns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        template_id uuid NOT NULL REFERENCES questionnaire_templates(id),
        template_version_id uuid NOT NULL REFERENCES questionnaire_template_versions(id),
        filter jsonb NOT NULL,
        due_in_days integer NOT NULL CHECK (due_in_days BETWEEN 1 AND 365),
        recurrence text CHECK (recurrence IN ('yearly', 'half_yearly', 'quarterly')),
        message text,
        invite_contacts boolean NOT NULL DEFAULT true,
        status text NOT NULL CHECK (status IN ('active', 'paused', 'completed', 'cancelled')),
        next_cycle_on date,
        cycles integer NOT NULL DEFAULT 0 CHECK (cycles >= 0),
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        paused_at timestamptz,
        cancelled_at timestamptz,
        cancelled_by uuid REFERENCES users(id) ON DELETE SET NULL,
        cancel_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL AND cancel_reason IS NOT NULL)),
        CHECK ((status = 'paused') = (paused_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX questionnaire_campaigns_org ON questionnaire_campaigns (organization_id, created_at)`);
    await q.query(`CREATE INDEX questionnaire_campaigns_due ON questionnaire_campaigns (next_cycle_on) WHERE status = 'active'`);
    await q.query(`
      CREATE TABLE questionnaire_campaign_cycles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        campaign_id uuid NOT NULL REFERENCES questionnaire_campaigns(id) ON DELETE CASCADE,
        number integer NOT NULL CHECK (number >= 1),
        template_version_id uuid NOT NULL REFERENCES questionnaire_template_versions(id),
        template_version integer NOT NULL,
        due_date date NOT NULL,
        created integer NOT NULL,
        prefilled integer NOT NULL,
        skipped jsonb NOT NULL DEFAULT '[]',
        ran_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (campaign_id, number)
      )`);
    await q.query(`
      ALTER TABLE questionnaire_requests
        ADD COLUMN campaign_id uuid REFERENCES questionnaire_campaigns(id) ON DELETE SET NULL,
        ADD COLUMN campaign_cycle integer,
        ADD COLUMN prefilled_from uuid REFERENCES questionnaire_requests(id) ON DELETE SET NULL,
        ADD COLUMN prefilled_accepted_at timestamptz,
        ADD COLUMN prefilled_answers integer NOT NULL DEFAULT 0`);
    await q.query(
      `CREATE UNIQUE INDEX questionnaire_requests_campaign_cycle_vendor ON questionnaire_requests (campaign_id, campaign_cycle, vendor_id) WHERE campaign_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS questionnaire_requests_campaign_cycle_vendor`);
    await q.query(`
      ALTER TABLE questionnaire_requests DROP COLUMN IF EXISTS campaign_id, DROP COLUMN IF EXISTS campaign_cycle,
        DROP COLUMN IF EXISTS prefilled_from, DROP COLUMN IF EXISTS prefilled_accepted_at, DROP COLUMN IF EXISTS prefilled_answers`);
    await q.query(`DROP TABLE IF EXISTS questionnaire_campaign_cycles`);
    await q.query(`DROP TABLE IF EXISTS questionnaire_campaigns`);
  }
}
