import { Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';

import { InjectQueue, JobRegistry, type QueuePort } from '@bulwark/platform';

import { RenewalReminders } from './renewal-reminders.service.js';

/** Every 6 hours (`contracts:renewal-reminders`), across all organizations: `contracts.renewal-reminders` (persisted names, see `jobs.ts`). */
@Injectable()
export class RenewalRemindersJob implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly reminders: RenewalReminders,
    private readonly jobs: JobRegistry,
    @InjectQueue() private readonly queue: QueuePort,
  ) {}

  onModuleInit(): void {
    this.jobs.register('contracts.renewal-reminders', async () => {
      await this.reminders.remindRenewals();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.schedule('contracts:renewal-reminders', 6 * 3600_000, 'contracts.renewal-reminders', {});
  }
}
