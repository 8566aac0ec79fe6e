import { Injectable, type OnModuleInit } from '@nestjs/common';

import { JobRegistry, PermanentJobError } from '@bulwark/platform';

import { PollService } from './poll.service.js';

/**
 * The `signals.poll` job: one poll of a source (`PollService.poll`). Scheduled per enabled polled
 * source under the key `source:<id>` (`SignalSourceService.reschedule`), and queued at once by "poll
 * now" and by a config change. A permanent failure (bad config, unreadable feed) is not retried; any
 * other failure is, with backoff.
 */
@Injectable()
export class PollJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobRegistry,
    private readonly polls: PollService,
  ) {}

  onModuleInit(): void {
    this.jobs.register('signals.poll', async ({ sourceId }) => {
      const outcome = await this.polls.poll(sourceId);
      if (outcome.status === 'failed') {
        if (outcome.permanent) throw new PermanentJobError(outcome.error);
        throw new Error(outcome.error);
      }
    });
  }
}
