import { Injectable, type OnModuleInit } from '@nestjs/common';

import { JobRegistry, JobSchedules, Reminders } from '@bulwark/platform';

/**
 * The 6-hourly `contracts.renewal-reminders` job of earlier versions, retired: renewal notices are a
 * subject of the platform's reminder sweep (`reminders.sweep`). Its scheduler is declared empty so the
 * reconciliation removes it from Redis, and a job of that name still queued runs a sweep.
 */
@Injectable()
export class RenewalRemindersJob implements OnModuleInit {
  constructor(
    private readonly reminders: Reminders,
    private readonly jobs: JobRegistry,
    private readonly schedules: JobSchedules,
  ) {}

  onModuleInit(): void {
    this.jobs.register('contracts.renewal-reminders', async () => {
      await this.reminders.sweep();
    });
    this.schedules.declare('contracts:renewal-reminders', () => []);
  }
}
