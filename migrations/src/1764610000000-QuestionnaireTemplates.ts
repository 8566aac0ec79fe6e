import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DR questionnaire templates (issue 11): templates and their versions. A version is a draft (edited as a whole
 * document, `revision` counting the saves, at most one per template) or published: frozen with the SHA-256 of its
 * canonical content. A trigger refuses any change to what a published version says (its content, hash, number,
 * status, publication) and its deletion, for every role; deleting its template or organization removes it with
 * them (by then the parent row is gone, as for the audit log). The built-in template is unique per organization.
 */
export class QuestionnaireTemplates1764610000000 implements MigrationInterface {
  name = 'QuestionnaireTemplates1764610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE questionnaire_templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        builtin_key text,
        latest_published_version integer CHECK (latest_published_version >= 1),
        draft_version integer CHECK (draft_version >= 1),
        question_count integer NOT NULL DEFAULT 0 CHECK (question_count >= 0),
        archived_at timestamptz,
        archived_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(
      `CREATE UNIQUE INDEX questionnaire_templates_builtin ON questionnaire_templates (organization_id, builtin_key) WHERE builtin_key IS NOT NULL`,
    );
    await q.query(`CREATE INDEX questionnaire_templates_org ON questionnaire_templates (organization_id, lower(name))`);
    await q.query(`
      CREATE TABLE questionnaire_template_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        template_id uuid NOT NULL REFERENCES questionnaire_templates(id) ON DELETE CASCADE,
        version integer NOT NULL CHECK (version >= 1),
        status text NOT NULL CHECK (status IN ('draft', 'published')),
        content jsonb NOT NULL,
        content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
        question_count integer NOT NULL CHECK (question_count >= 0),
        revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
        source jsonb,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        published_by uuid REFERENCES users(id) ON DELETE SET NULL,
        published_at timestamptz,
        UNIQUE (template_id, version),
        CHECK ((status = 'published') = (published_at IS NOT NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX questionnaire_template_versions_one_draft ON questionnaire_template_versions (template_id) WHERE status = 'draft'`,
    );
    await q.query(`
      CREATE FUNCTION questionnaire_version_frozen() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.status <> 'published'
             OR NOT EXISTS (SELECT 1 FROM questionnaire_templates WHERE id = OLD.template_id)
             OR NOT EXISTS (SELECT 1 FROM organizations WHERE id = OLD.organization_id) THEN
            RETURN OLD;
          END IF;
        ELSIF OLD.status <> 'published'
           OR (NEW.content = OLD.content AND NEW.content_hash = OLD.content_hash AND NEW.status = OLD.status
               AND NEW.version = OLD.version AND NEW.template_id = OLD.template_id AND NEW.organization_id = OLD.organization_id
               AND NEW.question_count = OLD.question_count AND NEW.revision = OLD.revision
               AND NEW.published_at IS NOT DISTINCT FROM OLD.published_at) THEN
          -- A draft changes freely; a published version only loses a deleted user's id.
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'a published questionnaire template version is frozen: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Create a new draft from it instead.';
      END $$`);
    await q.query(
      `CREATE TRIGGER questionnaire_version_frozen BEFORE UPDATE OR DELETE ON questionnaire_template_versions FOR EACH ROW EXECUTE FUNCTION questionnaire_version_frozen()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS questionnaire_template_versions`);
    await q.query(`DROP FUNCTION IF EXISTS questionnaire_version_frozen()`);
    await q.query(`DROP TABLE IF EXISTS questionnaire_templates`);
  }
}
