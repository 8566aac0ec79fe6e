import { Injectable, type OnModuleInit } from '@nestjs/common';

import { DomainEvents, JobOutbox, JobRegistry, JobSchedules, RequestContext, systemActor } from '@bulwark/platform';

import '@bulwark/signals';

import { FindingService } from './finding.service.js';
import { RiskAcceptances } from './risk-acceptance.service.js';

declare module '@bulwark/platform' {
  interface JobMap {
    /** Open (or reopen) the `signal` finding of a vendor whose financial health crossed into distress. */
    'findings.financial-distress': { organizationId: string; vendorId: string; sourceId: string | null; worstLevel: string };
    /** Hourly: record the reopening of findings whose risk acceptance has expired. */
    'findings.expire-acceptances': { at?: string };
  }
}

/** The source key of the finding a financial-distress crossing opens (one per vendor). */
export const FINANCIAL_HEALTH_KEY = 'financial-health';

/**
 * Findings' background work:
 * - `signals.financial-health-changed` into `distressed` queues `findings.financial-distress`, which raises
 *   the vendor's `signal` finding with the key `financial-health` (reopening it if it was closed). The handler
 *   only queues (the job outbox keeps it through a queue outage), so a crash never loses the finding.
 * - `findings.expire-acceptances`, hourly, records the reopening of findings whose risk acceptance expired
 *   (reads already show them open).
 */
@Injectable()
export class FindingsJob implements OnModuleInit {
  constructor(
    private readonly findings: FindingService,
    private readonly acceptances: RiskAcceptances,
    private readonly jobs: JobRegistry,
    private readonly events: DomainEvents,
    private readonly schedules: JobSchedules,
    private readonly outbox: JobOutbox,
  ) {}

  onModuleInit(): void {
    this.events.on('signals.financial-health-changed', async (e) => {
      if (e.to !== 'distressed' || e.from === 'distressed') return;
      await this.outbox.enqueueOrKeep('findings.financial-distress', {
        organizationId: e.organizationId,
        vendorId: e.vendorId,
        sourceId: e.sourceId,
        worstLevel: e.worstLevel,
      });
    });
    this.jobs.register('findings.financial-distress', async ({ organizationId, vendorId, sourceId, worstLevel }) => {
      await RequestContext.runAs(systemActor(organizationId, 'findings@bulwark'), () =>
        this.findings.raise({
          vendorId,
          source: 'signal',
          sourceId,
          sourceKey: FINANCIAL_HEALTH_KEY,
          title: 'Financial distress',
          details: `The vendor's financial signals crossed into distress (worst current level: ${worstLevel.replace(/_/g, ' ')}). Ask for its latest financial statements and a continuity plan.`,
          severity: 'high',
          vendorOwnerId: undefined,
        }),
      );
    });
    this.jobs.register('findings.expire-acceptances', async () => {
      await this.acceptances.reopenExpired();
    });
    this.schedules.declare('findings:', () => [
      { key: 'findings:expire-acceptances', everyMs: 3600_000, name: 'findings.expire-acceptances', data: {} },
    ]);
  }
}
