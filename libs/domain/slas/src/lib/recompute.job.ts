import { Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';

import { DomainEvents, InjectQueue, JobRegistry, RequestContext, systemActor, type QueuePort } from '@bulwark/platform';

import '@bulwark/signals';
import './events.js';

import { RecomputeService } from './recompute.service.js';

/**
 * The attainment recompute as background work. Job names and the scheduler key keep their original
 * `contracts.` prefix: they are persisted in Redis (see `libs/platform/src/lib/queue/jobs.ts`).
 *
 * - `contracts.recompute-attainment` recomputes one vendor; queued when the vendor's health signals
 *   change (`signals.vendor-health-changed`) and when an SLA or a version of its terms is created
 *   (`slas.terms-changed`), each after its transaction commits.
 * - `contracts.recompute-all`, hourly (`contracts:recompute-all`), queues every vendor with an SLA, so
 *   windows that close without new signals are judged too.
 */
@Injectable()
export class RecomputeJob implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly recompute: RecomputeService,
    private readonly jobs: JobRegistry,
    private readonly events: DomainEvents,
    @InjectQueue() private readonly queue: QueuePort,
  ) {}

  onModuleInit(): void {
    this.jobs.register('contracts.recompute-attainment', async ({ organizationId, vendorId }) => {
      await RequestContext.runAs(systemActor(organizationId, 'attainment@bulwark'), () => this.recompute.recompute(vendorId));
    });
    this.jobs.register('contracts.recompute-all', async () => {
      await this.recompute.enqueueAll();
    });
    // Late, corrected or resolved signals change what was measured; new terms change what it is judged against.
    this.events.on('signals.vendor-health-changed', ({ organizationId, vendorId }) => this.recompute.enqueue(organizationId, vendorId));
    this.events.on('slas.terms-changed', ({ organizationId, vendorId }) => this.recompute.enqueue(organizationId, vendorId));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.schedule('contracts:recompute-all', 3600_000, 'contracts.recompute-all', {});
  }
}
