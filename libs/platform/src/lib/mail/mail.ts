import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Logger } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';

import type { MailJob } from '../queue/jobs.js';

export const MAILER = Symbol('bulwark:mailer');
export const InjectMailer = (): ParameterDecorator => Inject(MAILER);

export interface Mailer {
  readonly driver: 'smtp' | 'outbox';
  send(mail: MailJob): Promise<void>;
}

/** Development mail: each message is written as a JSON file to the outbox folder, never sent. */
export class OutboxMailer implements Mailer {
  readonly driver = 'outbox' as const;
  constructor(
    private readonly dir: string,
    private readonly from: string,
  ) {}

  async send(mail: MailJob): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const safeKey = mail.idempotencyKey.replace(/[^a-z0-9_-]/gi, '_');
    const file = join(this.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${safeKey}.json`);
    // Written aside then renamed, so a reader never sees a half-written message.
    await writeFile(`${file}.tmp`, JSON.stringify({ from: this.from, ...mail, writtenAt: new Date().toISOString() }, null, 2), {
      mode: 0o600,
    });
    await rename(`${file}.tmp`, file);
  }
}

export class SmtpMailer implements Mailer {
  readonly driver = 'smtp' as const;
  private readonly transport: Transporter;
  private readonly logger = new Logger('SmtpMailer');
  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = createTransport(url);
  }

  async send(mail: MailJob): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: `<${mail.idempotencyKey}@bulwark>`,
    });
    this.logger.log(`sent "${mail.subject}"`);
  }
}
