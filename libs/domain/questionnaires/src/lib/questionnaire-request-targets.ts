import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { EvidenceTargets, type EvidenceTargetResolver, type ResolvedTarget } from '@bulwark/evidence';
import { scoped, ThreadTargets } from '@bulwark/platform';

import { QuestionnaireAnswer, QuestionnaireRequest } from './questionnaire-request.entities.js';
import { requestLinks } from './questionnaire-request.service.js';

/**
 * A request's discussion: the reviewer's questions on flagged answers (the vendor's audience or internal notes)
 * and the vendor's replies. Closed once the request is accepted or cancelled.
 */
@Injectable()
export class QuestionnaireRequestThreadTarget implements OnModuleInit {
  constructor(private readonly targets: ThreadTargets) {}

  onModuleInit(): void {
    this.targets.register({
      type: 'questionnaire_request',
      resolve: async (m, id, { lock }) => {
        const [r]: { organization_id: string; vendor_id: string; template_name: string; status: string }[] = await m.query(
          `SELECT organization_id, vendor_id, template_name, status FROM questionnaire_requests WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
          [id],
        );
        if (!r) return null;
        const links = requestLinks(id);
        return {
          organizationId: r.organization_id,
          vendorId: r.vendor_id,
          title: `Questionnaire: ${r.template_name}`,
          link: links.internal,
          vendorLink: links.vendor,
          closedReason: r.status === 'cancelled' ? 'The questionnaire was cancelled' : null,
          internalRecipients: { roles: ['vendor_manager'], vendorOwnerOf: r.vendor_id },
        };
      },
    });
  }
}

/** Evidence linked to an answer (an evidence question's answer names items of the vendor's library). */
@Injectable()
export class QuestionnaireAnswerEvidenceTarget implements EvidenceTargetResolver, OnModuleInit {
  readonly type = 'questionnaire_answer' as const;

  constructor(private readonly targets: EvidenceTargets) {}

  onModuleInit(): void {
    this.targets.register(this);
  }

  async resolve(m: EntityManager, ids: string[]): Promise<Map<string, ResolvedTarget>> {
    if (!ids.length) return new Map();
    const rows = await scoped(m, QuestionnaireAnswer, 'a').andWhere('a.id IN (:...ids)', { ids }).getMany();
    const requests = rows.length
      ? await scoped(m, QuestionnaireRequest, 'r')
          .andWhere('r.id IN (:...ids)', { ids: [...new Set(rows.map((a) => a.requestId))] })
          .getMany()
      : [];
    return new Map(
      rows.map((a) => {
        const r = requests.find((x) => x.id === a.requestId);
        // The question as the vendor was asked it (its text in the request's snapshot), else its key.
        const text = r?.content.sections.flatMap((s) => s.questions).find((q) => q.key === a.questionKey)?.text ?? a.questionKey;
        const question = text.length > 90 ? `${text.slice(0, 89)}…` : text;
        return [a.id, { vendorId: a.vendorId, label: `${r?.templateName ?? 'Questionnaire'} · ${question}` }];
      }),
    );
  }
}
