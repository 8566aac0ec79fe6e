import { Injectable, type OnModuleInit } from '@nestjs/common';

import { JobRegistry } from '../queue/queue.port.js';
import { MailDeliveries } from './mail-delivery.js';

/**
 * `mail.send`: one e-mail, sent once per idempotency key however often the job runs (retries,
 * duplicates, other processes). Also `system.ping`, the no-op job the health and queue tests use.
 */
@Injectable()
export class MailJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobRegistry,
    private readonly deliveries: MailDeliveries,
  ) {}

  onModuleInit(): void {
    this.jobs.register('mail.send', async (mail, { jobId }) => {
      await this.deliveries.deliver(mail, jobId);
    });
    this.jobs.register('system.ping', async () => undefined);
  }
}
