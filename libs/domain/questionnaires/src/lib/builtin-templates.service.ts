import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { templateDocumentSchema } from '@bulwark/api-schema';
import { RequestContext, systemActor } from '@bulwark/platform';

import { BUILTIN_TEMPLATES } from './builtin/builtin-templates.js';
import { QuestionnaireTemplateService } from './questionnaire-template.service.js';

const SEED_ACTOR = 'questionnaires@bulwark';

/**
 * Seeds the templates Bulwark ships (the "AI supplier disaster recovery" template) for every organization, as a
 * published version 1 with its audit entry. Idempotent and safe with several processes starting at once: per
 * organization and template, under a transaction-scoped advisory lock, only when the organization has no template
 * with that built-in key (archived or edited ones included: an organization's own changes are never overwritten).
 *
 * Why at start-up and not in a migration: the content is typed data in this library, and migrations may not
 * depend on domain libraries (nor should they freeze a copy of the content in SQL). Start-up covers every
 * organization that exists (also one restored from a backup); whatever creates an organization calls `ensureFor`.
 */
@Injectable()
export class BuiltInTemplates implements OnApplicationBootstrap {
  private readonly logger = new Logger('QuestionnaireTemplates');

  constructor(
    private readonly dataSource: DataSource,
    private readonly templates: QuestionnaireTemplateService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const keys = BUILTIN_TEMPLATES.map((b) => b.key);
      const orgs: { id: string }[] = await this.dataSource.query(
        `SELECT o.id FROM organizations o
          WHERE (SELECT count(*) FROM questionnaire_templates t WHERE t.organization_id = o.id AND t.builtin_key = ANY($1)) < $2`,
        [keys, keys.length],
      );
      let seeded = 0;
      for (const o of orgs) seeded += await this.ensureFor(o.id);
      if (seeded) this.logger.log(`Seeded ${seeded} built-in questionnaire template(s)`);
    } catch (err) {
      // Never stops the start: the next start (or the organization's creation) seeds what is missing.
      this.logger.error(`Seeding the built-in questionnaire templates failed: ${(err as Error).message}`);
    }
  }

  /** Seeds the shipped templates the organization lacks; answers how many were created. */
  async ensureFor(organizationId: string): Promise<number> {
    let created = 0;
    for (const b of BUILTIN_TEMPLATES) {
      const content = templateDocumentSchema.parse(b.document);
      const done = await RequestContext.runAs(systemActor(organizationId, SEED_ACTOR), () =>
        this.dataSource.transaction(async (m) => {
          await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`questionnaire-builtin:${organizationId}:${b.key}`]);
          const exists: unknown[] = await m.query(`SELECT 1 FROM questionnaire_templates WHERE organization_id = $1 AND builtin_key = $2`, [
            organizationId,
            b.key,
          ]);
          if (exists.length) return false;
          await this.templates.create(
            {
              content,
              builtinKey: b.key,
              publish: true,
              source: { format: 'builtin', fileName: null, reference: `${b.key}@${b.revision}` },
            },
            m,
          );
          return true;
        }),
      );
      if (done) created += 1;
    }
    return created;
  }
}
