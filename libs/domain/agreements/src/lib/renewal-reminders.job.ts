import { Injectable, type OnModuleInit } from '@nestjs/common';

import { JobRegistry, JobSchedules } from '@bulwark/platform';

import { RenewalReminders } from './renewal-reminders.service.js';

/** Every 6 hours (`contracts:renewal-reminders`), across all organizations: `contracts.renewal-reminders` (persisted names, see `jobs.ts`). */
@Injectable()
export class RenewalRemindersJob implements OnModuleInit {
  constructor(
    private readonly reminders: RenewalReminders,
    private readonly jobs: JobRegistry,
    private readonly schedules: JobSchedules,
  ) {}

  onModuleInit(): void {
    this.jobs.register('contracts.renewal-reminders', async () => {
      await this.reminders.remindRenewals();
    });
    // Declared, not scheduled once: the platform restores it whenever the queue has lost it.
    this.schedules.declare('contracts:renewal-reminders', () => [
      { key: 'contracts:renewal-reminders', everyMs: 6 * 3600_000, name: 'contracts.renewal-reminders', data: {} },
    ]);
  }
}
