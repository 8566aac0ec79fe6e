import { Injectable, type OnModuleInit } from '@nestjs/common';

import { JobRegistry, JobSchedules } from '@bulwark/platform';

import { QuestionnaireCampaignService } from './questionnaire-campaign.service.js';

declare module '@bulwark/platform' {
  interface JobMap {
    /** Hourly: run every questionnaire campaign cycle whose date has come (all organizations). */
    'questionnaires.campaign-cycles': { at?: string };
  }
}

/**
 * Recurring campaigns' cycles: `questionnaires.campaign-cycles`, hourly (a declared scheduler, embedded and BullMQ
 * alike). A cycle due while the workers were down runs at the next pass; two passes at once run each cycle once.
 */
@Injectable()
export class QuestionnaireCampaignJob implements OnModuleInit {
  constructor(
    private readonly campaigns: QuestionnaireCampaignService,
    private readonly jobs: JobRegistry,
    private readonly schedules: JobSchedules,
  ) {}

  onModuleInit(): void {
    this.jobs.register('questionnaires.campaign-cycles', async () => {
      await this.campaigns.runDue();
    });
    this.schedules.declare('questionnaires:campaign-cycles', () => [
      { key: 'questionnaires:campaign-cycles', everyMs: 3600_000, name: 'questionnaires.campaign-cycles', data: {} },
    ]);
  }
}
