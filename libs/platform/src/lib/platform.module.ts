import { Global, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';

import { AuditEntityNames } from './audit-log/audit-entity-names.js';
import { AuditLogController } from './audit-log/audit-log.controller.js';
import { AuditLogService } from './audit-log/audit-log.service.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/config.schema.js';
import { DomainEvents } from './events/domain-events.js';
import { HealthController } from './health.controller.js';
import { Inbox, InboxController } from './inbox/inbox.js';
import { MailDeliveries } from './mail/mail-delivery.js';
import { MailJob } from './mail/mail.job.js';
import { MAILER, OutboxMailer, SmtpMailer, type Mailer } from './mail/mail.js';
import { NotificationController, Notifier } from './notifications/notifier.js';
import { BullMqQueue } from './queue/bullmq.driver.js';
import { InProcessQueue } from './queue/inprocess.driver.js';
import { JobOutbox } from './queue/job-outbox.js';
import { JobSchedules } from './queue/job-schedules.js';
import { ManagedQueue, QUEUE_DRIVER, type QueueDriver } from './queue/managed-queue.js';
import { JobRegistry, QUEUE, type QueuePort } from './queue/queue.port.js';
import { Reminders } from './reminders/reminders.js';
import { S3Storage } from './storage/s3-storage.js';
import { LocalStorage, STORAGE, type Storage } from './storage/storage.js';
import { ThreadTargets } from './threads/thread-targets.js';
import { ThreadController } from './threads/thread.controller.js';
import { ThreadService } from './threads/thread.service.js';

export function createQueue(config: AppConfig, registry: JobRegistry): QueueDriver {
  switch (config.queue.driver) {
    case 'bullmq':
      return new BullMqQueue(config.queue.redisUrl!, config.queue.prefix);
    case 'inprocess':
      return new InProcessQueue(registry);
    default:
      throw new Error(`Unknown queue driver ${String(config.queue.driver)}`);
  }
}

export function createMailer(config: AppConfig): Mailer {
  switch (config.mail.driver) {
    case 'smtp':
      return new SmtpMailer(config.mail.smtpUrl!, config.mail.from);
    case 'outbox':
      return new OutboxMailer(config.mail.outboxDir, config.mail.from);
    default:
      throw new Error(`Unknown mail driver ${String(config.mail.driver)}`);
  }
}

/** The S3 driver loads the AWS SDK only when it is first used, so the local driver never does. */
export function createStorage(config: AppConfig): Storage {
  switch (config.storage.driver) {
    case 's3':
      return new S3Storage(config.storage.s3!);
    case 'local':
      return new LocalStorage(config.storage.dir);
    default:
      throw new Error(`Unknown storage driver ${String(config.storage.driver)}`);
  }
}

/** Machinery every feature uses: config, queue, mail, audit log, health, reminders, threads. Knows no domain. */
@Global()
@Module({})
export class PlatformModule implements OnApplicationShutdown {
  private readonly logger = new Logger('Platform');
  constructor(private readonly moduleRef: ModuleRef) {}

  static forRoot(config: AppConfig, opts: { http?: boolean } = {}): DynamicModule {
    return {
      module: PlatformModule,
      imports: [ConfigModule.forRoot(config)],
      controllers:
        opts.http === false ? [] : [HealthController, AuditLogController, NotificationController, InboxController, ThreadController],
      providers: [
        JobRegistry,
        DomainEvents,
        JobSchedules,
        { provide: QUEUE_DRIVER, useFactory: (registry: JobRegistry) => createQueue(config, registry), inject: [JobRegistry] },
        // What every feature injects: the driver, with the declared job schedulers kept reconciled in it.
        { provide: QUEUE, useClass: ManagedQueue },
        JobOutbox,
        { provide: MAILER, useFactory: () => createMailer(config) },
        AuditLogService,
        AuditEntityNames,
        Notifier,
        MailDeliveries,
        MailJob,
        Reminders,
        Inbox,
        ThreadTargets,
        ThreadService,
        { provide: STORAGE, useFactory: () => createStorage(config) },
      ],
      exports: [
        JobRegistry,
        DomainEvents,
        QUEUE,
        JobSchedules,
        JobOutbox,
        MAILER,
        AuditLogService,
        AuditEntityNames,
        Notifier,
        MailDeliveries,
        Reminders,
        Inbox,
        ThreadTargets,
        ThreadService,
        STORAGE,
        ConfigModule,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    const queue = this.moduleRef.get<QueuePort>(QUEUE);
    await queue.close().catch((err: Error) => this.logger.warn(`queue close: ${err.message}`));
    const storage = this.moduleRef.get<Storage>(STORAGE);
    await storage.close().catch((err: Error) => this.logger.warn(`storage close: ${err.message}`));
  }
}
