import { Injectable, type OnModuleInit } from '@nestjs/common';

import { DomainEvents, JobOutbox, JobRegistry, JobSchedules, RequestContext, systemActor } from '@bulwark/platform';

import '@bulwark/signals';
import './events.js';

import { RecomputeService } from './recompute.service.js';

/**
 * The attainment recompute as background work. Job names and the scheduler key keep their original
 * `contracts.` prefix: they are persisted in Redis (see `libs/platform/src/lib/queue/jobs.ts`).
 *
 * - `contracts.recompute-attainment` recomputes one vendor; queued when the vendor's health signals
 *   change (`signals.vendor-health-changed`) and when an SLA or a version of its terms is created
 *   (`slas.terms-changed`), each after its transaction commits. With the queue down it is kept in the
 *   job outbox and queued when the queue is back: the committed change neither fails nor loses it.
 * - `contracts.recompute-all`, hourly (`contracts:recompute-all`, a declared scheduler the platform
 *   keeps in the queue), queues every vendor with an SLA, so windows that close without new signals are
 *   judged too.
 */
@Injectable()
export class RecomputeJob implements OnModuleInit {
  constructor(
    private readonly recompute: RecomputeService,
    private readonly jobs: JobRegistry,
    private readonly events: DomainEvents,
    private readonly schedules: JobSchedules,
    private readonly outbox: JobOutbox,
  ) {}

  onModuleInit(): void {
    this.jobs.register('contracts.recompute-attainment', async ({ organizationId, vendorId }) => {
      await RequestContext.runAs(systemActor(organizationId, 'attainment@bulwark'), () => this.recompute.recompute(vendorId));
    });
    this.jobs.register('contracts.recompute-all', async () => {
      await this.recompute.enqueueAll();
    });
    // Late, corrected or resolved signals change what was measured; new terms change what it is judged against.
    const follow = ({ organizationId, vendorId }: { organizationId: string; vendorId: string }) =>
      this.outbox.enqueueOrKeep('contracts.recompute-attainment', { organizationId, vendorId });
    this.events.on('signals.vendor-health-changed', follow);
    this.events.on('slas.terms-changed', follow);
    this.schedules.declare('contracts:recompute-all', () => [
      { key: 'contracts:recompute-all', everyMs: 3600_000, name: 'contracts.recompute-all', data: {} },
    ]);
  }
}
