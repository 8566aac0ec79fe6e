import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import {
  BULWARK_TEMPLATE_FORMAT,
  questionCount,
  validateForPublish,
  type BulwarkTemplateFile,
  type Input,
  type newTemplateDraftSchema,
  type Page,
  type publishTemplateSchema,
  type saveTemplateDraftSchema,
  type TemplateDetail,
  type TemplateDocument,
  type templateListQuery,
  type TemplateSource,
  type TemplateStatus,
  type TemplateSummary,
  type TemplateVersionSummary,
  type TemplateVersionView,
} from '@bulwark/api-schema';
import { AuditLogService, Conflict, findScoped, Invalid, likePattern, NotFound, RequestContext, scoped } from '@bulwark/platform';

import { contentHash } from './content-hash.js';
import { QuestionnaireTemplate, QuestionnaireTemplateVersion } from './questionnaire-template.entities.js';

const MANUAL: TemplateSource = { format: 'manual', fileName: null, reference: null };

/** What a new template starts from: its first version's content and where it came from. */
export interface NewTemplate {
  content: TemplateDocument;
  source?: TemplateSource;
  /** The shipped template this is (seeding only). */
  builtinKey?: string;
  /** Publish version 1 at once (seeding the built-in template); otherwise it is a draft. */
  publish?: boolean;
}

/**
 * Questionnaire templates and their versions. A template starts with a draft (version 1); the draft is saved as a
 * whole document with optimistic concurrency (its `revision`); publishing checks the references and freezes the
 * version with its content hash; a new draft starts from a published version. Each change is one transaction with
 * its audit entry. Reads go through the tenant scope (vendor contacts never see templates).
 */
@Injectable()
export class QuestionnaireTemplateService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  async list(q: Input<typeof templateListQuery>): Promise<Page<TemplateSummary>> {
    const qb = scoped(this.dataSource.manager, QuestionnaireTemplate, 't');
    if (q.status === 'active') qb.andWhere('t.archivedAt IS NULL');
    if (q.status === 'archived') qb.andWhere('t.archivedAt IS NOT NULL');
    if (q.search) qb.andWhere('(t.name ILIKE :s OR t.description ILIKE :s)', { s: likePattern(q.search) });
    qb.orderBy(q.sort.key === 'name' ? 't.name' : 't.updatedAt', q.sort.dir).addOrderBy('t.id', 'ASC');
    const [rows, total] = await qb
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    return { items: rows.map(summary), total, page: q.page, pageSize: q.pageSize };
  }

  async get(id: string, m: EntityManager = this.dataSource.manager): Promise<TemplateDetail> {
    const t = await findScoped(m, QuestionnaireTemplate, id, 'questionnaire_template');
    const versions = await scoped(m, QuestionnaireTemplateVersion, 'v')
      .andWhere('v.templateId = :id', { id })
      .orderBy('v.version', 'DESC')
      .getMany();
    const names = await this.userNames(m, versions);
    const shown = versions.find((v) => v.version === (t.draftVersion ?? t.latestPublishedVersion)) ?? versions[0];
    if (!shown) throw new NotFound('questionnaire_template', id);
    return { ...summary(t), versions: versions.map((v) => versionSummary(v, names)), current: versionView(shown, names) };
  }

  async getVersion(id: string, version: number): Promise<TemplateVersionView> {
    const m = this.dataSource.manager;
    const v = await this.findVersion(m, id, version);
    return versionView(v, await this.userNames(m, [v]));
  }

  /** Creates a template with its first version (a draft, or published at once for the built-in template). */
  async create(input: NewTemplate, m?: EntityManager): Promise<TemplateDetail> {
    if (!m) return this.dataSource.transaction((tx) => this.create(input, tx));
    const actor = RequestContext.actor();
    const hash = contentHash(input.content);
    const n = questionCount(input.content);
    if (input.publish) this.assertPublishable(input.content);
    const t = await m.save(
      m.create(QuestionnaireTemplate, {
        name: input.content.name,
        description: input.content.description,
        builtinKey: input.builtinKey ?? null,
        latestPublishedVersion: input.publish ? 1 : null,
        draftVersion: input.publish ? null : 1,
        questionCount: n,
        archivedAt: null,
        archivedBy: null,
        createdBy: actor.userId,
      }),
    );
    const now = new Date();
    await m.save(
      m.create(QuestionnaireTemplateVersion, {
        templateId: t.id,
        version: 1,
        status: input.publish ? 'published' : 'draft',
        content: input.content,
        contentHash: hash,
        questionCount: n,
        revision: 1,
        source: input.source ?? MANUAL,
        createdBy: actor.userId,
        updatedBy: actor.userId,
        publishedBy: input.publish ? actor.userId : null,
        publishedAt: input.publish ? now : null,
      }),
    );
    await this.audit.append(m, {
      action: input.builtinKey ? 'questionnaire_template.seeded' : 'questionnaire_template.created',
      entityType: 'questionnaire_template',
      entityId: t.id,
      diff: {
        name: t.name,
        version: 1,
        status: input.publish ? 'published' : 'draft',
        contentHash: hash,
        questionCount: n,
        source: input.source ?? MANUAL,
        ...(input.builtinKey ? { builtinKey: input.builtinKey } : {}),
      },
    });
    return this.get(t.id, m);
  }

  /** Replaces the draft's whole document; `revision` must be the draft's current one (else 409, nothing saved). */
  async saveDraft(id: string, version: number, input: Input<typeof saveTemplateDraftSchema>): Promise<TemplateDetail> {
    return this.dataSource.transaction(async (m) => {
      const t = await this.lockWritable(m, id);
      const v = await this.findVersion(m, id, version);
      if (v.status !== 'draft')
        throw new Conflict(
          'questionnaire_template.frozen',
          `Version ${version} is published and cannot change: create a new draft from it`,
        );
      if (v.revision !== input.revision)
        throw new Conflict(
          'questionnaire_template.stale',
          `The draft was saved by someone else meanwhile (revision ${v.revision}, you edited ${input.revision}). Reload it and apply your changes again.`,
        );
      const before = { hash: v.contentHash, name: v.content.name, revision: v.revision };
      const hash = contentHash(input.content);
      const n = questionCount(input.content);
      const actor = RequestContext.actor();
      Object.assign(v, { content: input.content, contentHash: hash, questionCount: n, revision: v.revision + 1, updatedBy: actor.userId });
      await m.save(v);
      Object.assign(t, { name: input.content.name, description: input.content.description, questionCount: n });
      await m.save(t);
      await this.audit.append(m, {
        action: 'questionnaire_template.draft_saved',
        entityType: 'questionnaire_template',
        entityId: t.id,
        diff: {
          version,
          revision: { from: before.revision, to: v.revision },
          contentHash: { from: before.hash, to: hash },
          questionCount: n,
          ...(before.name !== input.content.name ? { name: { from: before.name, to: input.content.name } } : {}),
        },
      });
      return this.get(id, m);
    });
  }

  /** Freezes the draft as a published version, after checking its references (422 naming each path). */
  async publish(id: string, version: number, input: Input<typeof publishTemplateSchema>): Promise<TemplateDetail> {
    return this.dataSource.transaction(async (m) => {
      const t = await this.lockWritable(m, id);
      const v = await this.findVersion(m, id, version);
      if (v.status !== 'draft') throw new Conflict('questionnaire_template.already_published', `Version ${version} is already published`);
      if (input.revision !== undefined && input.revision !== v.revision)
        throw new Conflict(
          'questionnaire_template.stale',
          `The draft changed after you reviewed it (revision ${v.revision}, you reviewed ${input.revision}). Review it again before publishing.`,
        );
      this.assertPublishable(v.content);
      const actor = RequestContext.actor();
      Object.assign(v, { status: 'published', publishedBy: actor.userId, publishedAt: new Date(), updatedBy: actor.userId });
      await m.save(v);
      Object.assign(t, { latestPublishedVersion: version, draftVersion: null, questionCount: v.questionCount, name: v.content.name });
      await m.save(t);
      await this.audit.append(m, {
        action: 'questionnaire_template.published',
        entityType: 'questionnaire_template',
        entityId: t.id,
        diff: { version, contentHash: v.contentHash, questionCount: v.questionCount, revision: v.revision },
      });
      return this.get(id, m);
    });
  }

  /** Opens a new draft with the content of a published version (the latest unless told). */
  async newDraft(id: string, input: Input<typeof newTemplateDraftSchema>): Promise<TemplateDetail> {
    return this.dataSource.transaction(async (m) => {
      const t = await this.lockWritable(m, id);
      if (t.draftVersion !== null)
        throw new Conflict('questionnaire_template.draft_exists', `Version ${t.draftVersion} is already an open draft: edit it instead`);
      if (t.latestPublishedVersion === null)
        throw new Conflict('questionnaire_template.not_published', 'The template has no published version to start a draft from');
      const fromVersion = input.fromVersion ?? t.latestPublishedVersion;
      const from = await scoped(m, QuestionnaireTemplateVersion, 'v')
        .andWhere('v.templateId = :id AND v.version = :n', { id, n: fromVersion })
        .getOne();
      if (!from || from.status !== 'published')
        throw new Invalid('questionnaire_template.invalid_version', 'A draft starts from a published version', [
          { path: 'fromVersion', message: `version ${fromVersion} is not a published version of this template` },
        ]);
      const last: { max: number }[] = await m.query(
        `SELECT max(version)::int AS max FROM questionnaire_template_versions WHERE template_id = $1`,
        [id],
      );
      const next = (last[0]?.max ?? 0) + 1;
      const actor = RequestContext.actor();
      await m.save(
        m.create(QuestionnaireTemplateVersion, {
          templateId: id,
          version: next,
          status: 'draft',
          content: from.content,
          contentHash: from.contentHash,
          questionCount: from.questionCount,
          revision: 1,
          source: { format: 'manual', fileName: null, reference: `version ${fromVersion}` },
          createdBy: actor.userId,
          updatedBy: actor.userId,
          publishedBy: null,
          publishedAt: null,
        }),
      );
      Object.assign(t, {
        draftVersion: next,
        questionCount: from.questionCount,
        name: from.content.name,
        description: from.content.description,
      });
      await m.save(t);
      await this.audit.append(m, {
        action: 'questionnaire_template.draft_created',
        entityType: 'questionnaire_template',
        entityId: id,
        diff: { version: next, fromVersion, contentHash: from.contentHash },
      });
      return this.get(id, m);
    });
  }

  /** Archives (or restores) a template: archived ones leave the default list and take no new drafts or publications. */
  async setArchived(id: string, archived: boolean): Promise<TemplateDetail> {
    return this.dataSource.transaction(async (m) => {
      const t = await findScoped(m, QuestionnaireTemplate, id, 'questionnaire_template', { lock: true });
      if ((t.archivedAt !== null) === archived) return this.get(id, m);
      const actor = RequestContext.actor();
      Object.assign(t, { archivedAt: archived ? new Date() : null, archivedBy: archived ? actor.userId : null });
      await m.save(t);
      await this.audit.append(m, {
        action: archived ? 'questionnaire_template.archived' : 'questionnaire_template.restored',
        entityType: 'questionnaire_template',
        entityId: id,
        diff: { name: t.name },
      });
      return this.get(id, m);
    });
  }

  /** A version as Bulwark's own template file (import reads it back into the same content and hash). */
  async exportVersion(id: string, version: number): Promise<{ file: BulwarkTemplateFile; fileName: string }> {
    const v = await this.findVersion(this.dataSource.manager, id, version);
    const file: BulwarkTemplateFile = {
      format: BULWARK_TEMPLATE_FORMAT,
      formatVersion: 1,
      exportedAt: new Date().toISOString(),
      source: { version: v.version, contentHash: v.contentHash, publishedAt: v.publishedAt?.toISOString() ?? null },
      template: v.content,
    };
    const slug =
      v.content.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 60) || 'template';
    return { file, fileName: `${slug}-v${v.version}.questionnaire.json` };
  }

  private assertPublishable(content: TemplateDocument): void {
    const problems = validateForPublish(content);
    if (problems.length)
      throw new Invalid(
        'questionnaire_template.invalid',
        `The template cannot be published: ${problems.length} problem${problems.length === 1 ? '' : 's'} (${problems[0]!.path}: ${problems[0]!.message})`,
        problems.map((p) => ({ path: p.path, message: p.message })),
      );
  }

  private async lockWritable(m: EntityManager, id: string): Promise<QuestionnaireTemplate> {
    const t = await findScoped(m, QuestionnaireTemplate, id, 'questionnaire_template', { lock: true });
    if (t.archivedAt) throw new Conflict('questionnaire_template.archived', 'The template is archived: restore it first');
    return t;
  }

  private async findVersion(m: EntityManager, id: string, version: number): Promise<QuestionnaireTemplateVersion> {
    await findScoped(m, QuestionnaireTemplate, id, 'questionnaire_template');
    const v = await scoped(m, QuestionnaireTemplateVersion, 'v')
      .andWhere('v.templateId = :id AND v.version = :n', { id, n: version })
      .getOne();
    if (!v) throw new NotFound('questionnaire_template_version', `${id} v${version}`);
    return v;
  }

  private async userNames(m: EntityManager, versions: QuestionnaireTemplateVersion[]): Promise<Map<string, string | null>> {
    const ids = [...new Set(versions.flatMap((v) => [v.createdBy, v.publishedBy]).filter((x): x is string => !!x))];
    const rows: { id: string; name: string | null; email: string }[] = ids.length
      ? await m.query(`SELECT id, name, email FROM users WHERE id = ANY($1::uuid[])`, [ids])
      : [];
    return new Map(rows.map((r) => [r.id, r.name ?? r.email]));
  }
}

function statusOf(t: QuestionnaireTemplate): TemplateStatus {
  if (t.archivedAt) return 'archived';
  return t.latestPublishedVersion !== null ? 'published' : 'draft';
}

function summary(t: QuestionnaireTemplate): TemplateSummary {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    builtIn: t.builtinKey !== null,
    status: statusOf(t),
    latestPublishedVersion: t.latestPublishedVersion,
    draftVersion: t.draftVersion,
    questionCount: t.questionCount,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    archivedAt: t.archivedAt?.toISOString() ?? null,
  };
}

function versionSummary(v: QuestionnaireTemplateVersion, names: Map<string, string | null>): TemplateVersionSummary {
  return {
    id: v.id,
    version: v.version,
    status: v.status,
    revision: v.revision,
    contentHash: v.contentHash,
    questionCount: v.questionCount,
    sectionCount: v.content.sections.length,
    createdAt: v.createdAt.toISOString(),
    createdByName: v.createdBy ? (names.get(v.createdBy) ?? null) : null,
    updatedAt: v.updatedAt.toISOString(),
    publishedAt: v.publishedAt?.toISOString() ?? null,
    publishedByName: v.publishedBy ? (names.get(v.publishedBy) ?? null) : null,
  };
}

function versionView(v: QuestionnaireTemplateVersion, names: Map<string, string | null>): TemplateVersionView {
  return {
    ...versionSummary(v, names),
    templateId: v.templateId,
    content: v.content,
    problems: v.status === 'draft' ? validateForPublish(v.content) : [],
    source: v.source,
  };
}
