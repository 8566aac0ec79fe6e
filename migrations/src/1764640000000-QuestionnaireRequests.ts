import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DR questionnaire requests (issue 11, items 4, 5 and 7): a published template version sent to one vendor, with a
 * snapshot of the version (content, hash, number) that a trigger keeps as it was sent, and its answers, one row per
 * question key with a version for optimistic concurrency. Answers to questions that are hidden are kept (a later
 * answer may show them again). The stored score is written once, on acceptance.
 */
export class QuestionnaireRequests1764640000000 implements MigrationInterface {
  name = 'QuestionnaireRequests1764640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE questionnaire_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        template_id uuid NOT NULL REFERENCES questionnaire_templates(id),
        template_version_id uuid NOT NULL REFERENCES questionnaire_template_versions(id),
        template_version integer NOT NULL CHECK (template_version >= 1),
        template_name text NOT NULL,
        content jsonb NOT NULL,
        content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
        status text NOT NULL CHECK (status IN ('sent', 'in_progress', 'submitted', 'in_review', 'changes_requested', 'accepted', 'cancelled')),
        due_date date NOT NULL,
        message text,
        recipient_ids uuid[] NOT NULL DEFAULT '{}',
        reopened_keys text[],
        sent_by uuid REFERENCES users(id) ON DELETE SET NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        submitted_at timestamptz,
        submitted_by uuid REFERENCES users(id) ON DELETE SET NULL,
        accepted_at timestamptz,
        accepted_by uuid REFERENCES users(id) ON DELETE SET NULL,
        score jsonb,
        score_percent numeric,
        cancelled_at timestamptz,
        cancelled_by uuid REFERENCES users(id) ON DELETE SET NULL,
        cancel_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((status = 'accepted') = (accepted_at IS NOT NULL)),
        CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL AND cancel_reason IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX questionnaire_requests_vendor ON questionnaire_requests (organization_id, vendor_id, status)`);
    await q.query(
      `CREATE INDEX questionnaire_requests_due ON questionnaire_requests (due_date) WHERE status IN ('sent', 'in_progress', 'changes_requested')`,
    );
    // What the vendor was asked never changes: the snapshot (content, hash, version) is frozen from the insert on.
    await q.query(`
      CREATE FUNCTION questionnaire_request_snapshot_frozen() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF NEW.content = OLD.content AND NEW.content_hash = OLD.content_hash AND NEW.template_version_id = OLD.template_version_id
           AND NEW.template_version = OLD.template_version AND NEW.vendor_id = OLD.vendor_id AND NEW.organization_id = OLD.organization_id THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'a questionnaire request''s snapshot is frozen' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER questionnaire_request_snapshot_frozen BEFORE UPDATE ON questionnaire_requests FOR EACH ROW EXECUTE FUNCTION questionnaire_request_snapshot_frozen()`,
    );
    await q.query(`
      CREATE TABLE questionnaire_answers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        request_id uuid NOT NULL REFERENCES questionnaire_requests(id) ON DELETE CASCADE,
        question_key text NOT NULL,
        value jsonb,
        comment text,
        version integer NOT NULL DEFAULT 0 CHECK (version >= 0),
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        answered_at timestamptz,
        review_decision text CHECK (review_decision IN ('accepted', 'flagged')),
        review_comment text,
        review_audience text CHECK (review_audience IN ('vendor', 'internal')),
        reviewed_by uuid REFERENCES users(id) ON DELETE SET NULL,
        reviewed_at timestamptz,
        finding_id uuid REFERENCES findings(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (request_id, question_key),
        CHECK ((review_decision IS NULL) = (reviewed_at IS NULL))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS questionnaire_answers`);
    await q.query(`DROP TABLE IF EXISTS questionnaire_requests`);
    await q.query(`DROP FUNCTION IF EXISTS questionnaire_request_snapshot_frozen()`);
  }
}
