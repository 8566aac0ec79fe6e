import { Module } from '@nestjs/common';

import { AuditEntityNames } from '@bulwark/platform';

import { AttainmentService } from './attainment.service.js';
import { BreachInbox } from './breach-inbox.js';
import { BreachNotices } from './breach-notices.js';
import { BreachController } from './breach.controller.js';
import { BreachService } from './breach.service.js';
import { NegotiationInbox } from './negotiation-inbox.js';
import { NegotiationInsights } from './negotiation-insights.js';
import { NegotiationController } from './negotiation.controller.js';
import { NegotiationService } from './negotiation.service.js';
import { PortfolioController } from './portfolio.controller.js';
import { PortfolioService } from './portfolio.service.js';
import { RecomputeJob } from './recompute.job.js';
import { RecomputeService } from './recompute.service.js';
import { SlaController } from './sla.controller.js';
import { SlaService } from './sla.service.js';
import { SlaThreadTargets } from './thread-targets.js';

/** SLAs: versions and terms, attainment and its rollup, breaches and credits, the portfolio, negotiation. */
@Module({
  controllers: [SlaController, BreachController, PortfolioController, NegotiationController],
  providers: [
    SlaService,
    AttainmentService,
    RecomputeService,
    RecomputeJob,
    BreachNotices,
    BreachService,
    PortfolioService,
    NegotiationService,
    NegotiationInsights,
    NegotiationInbox,
    BreachInbox,
    SlaThreadTargets,
  ],
  exports: [SlaService, AttainmentService, RecomputeService, BreachService, NegotiationService],
})
export class SlasModule {
  /** How this area's records are named in the audit log. */
  constructor(names: AuditEntityNames) {
    names.register('sla', { table: 'slas', label: 't.name' });
    names.register('negotiation', { table: 'negotiations', label: 't.sla_name' });
    names.register('sla_breach', {
      table: 'sla_breaches',
      label: "(SELECT s.name FROM slas s WHERE s.id = t.sla_id) || ' · ' || t.window_label",
    });
  }
}
