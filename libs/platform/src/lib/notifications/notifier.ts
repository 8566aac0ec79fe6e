import { Controller, Get, HttpCode, Injectable, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { NotificationList } from '@bulwark/api-schema';
import { DataSource, type EntityManager } from 'typeorm';
import { afterCommit } from '../database/after-commit.js';
import { InjectQueue, type QueuePort } from '../queue/queue.port.js';
import { Allow } from '../tenancy/access.decorators.js';
import { RequestContext } from '../tenancy/request-context.js';
import { IdParam } from '../validation/uuid.pipe.js';
import { NotFound } from '../errors/domain.exception.js';

export interface Notice {
  title: string;
  body: string;
  /** Portal path, e.g. `/negotiations/<id>`. */
  link?: string | null;
  /** Same key for the same user → one notification and one e-mail. */
  key: string;
  /** In-app only, no e-mail (e.g. a confirmation to the user who just acted). */
  inAppOnly?: boolean;
}

/**
 * Tells users about something in-app and by e-mail. Recipients are chosen by a SQL condition over
 * `users` (the organization is always the caller's), so domains describe "who" without a user service.
 * With `m` in a transaction, the notifications are part of it and the e-mails are queued only after it
 * commits; each e-mail is sent once per key (`MailDeliveries`).
 */
@Injectable()
export class Notifier {
  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue() private readonly queue: QueuePort,
  ) {}

  async toUsers(organizationId: string, where: string, params: unknown[], notice: Notice, m: EntityManager = this.dataSource.manager): Promise<number> {
    const users: { id: string; email: string }[] = await m.query(`SELECT id, email FROM users WHERE organization_id = $1 AND active AND (${where})`, [organizationId, ...params]);
    for (const u of users) {
      const inserted: unknown[] = await m.query(
        `INSERT INTO notifications (organization_id, user_id, title, body, link, dedupe_key) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id`,
        [organizationId, u.id, notice.title, notice.body, notice.link ?? null, notice.key],
      );
      if (!inserted.length || notice.inAppOnly) continue;
      const idempotencyKey = `${notice.key}-${u.id}`.slice(0, 200);
      const mail = { to: u.email, subject: notice.title, text: notice.link ? `${notice.body}\n\nOpen in Bulwark: ${notice.link}` : notice.body, idempotencyKey };
      // Queued once the notification is committed (never for a rolled-back change), under the key as its job id.
      await afterCommit(m, () => this.queue.add('mail.send', mail, { jobId: `mail-${idempotencyKey.replace(/:/g, '_')}` }));
    }
    return users.length;
  }

  async list(): Promise<NotificationList> {
    const actor = RequestContext.actor();
    const rows: { id: string; title: string; body: string; link: string | null; created_at: Date; read_at: Date | null }[] = await this.dataSource.query(
      `SELECT id, title, body, link, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY created_at DESC LIMIT 100`,
      [actor.userId],
    );
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL`, [actor.userId]);
    return { items: rows.map((r) => ({ id: r.id, title: r.title, body: r.body, link: r.link, createdAt: r.created_at.toISOString(), readAt: r.read_at?.toISOString() ?? null })), unread: n };
  }

  async markRead(id: string | null): Promise<void> {
    const actor = RequestContext.actor();
    if (id) {
      const mine: unknown[] = await this.dataSource.query(`SELECT 1 FROM notifications WHERE id = $1 AND user_id = $2`, [id, actor.userId]);
      if (!mine.length) throw new NotFound('notification', id);
    }
    await this.dataSource.query(`UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL ${id ? 'AND id = $2' : ''}`, id ? [actor.userId, id] : [actor.userId]);
  }
}

@ApiTags('notifications')
@Controller('notifications')
export class NotificationController {
  constructor(private readonly notifier: Notifier) {}

  /** The caller's own notifications, newest first. */
  @Get()
  @Allow('notification.read')
  list() {
    return this.notifier.list();
  }

  @Post(':id/read')
  @Allow('notification.read')
  @HttpCode(204)
  read(@IdParam() id: string) {
    return this.notifier.markRead(id);
  }

  @Post('read-all')
  @Allow('notification.read')
  @HttpCode(204)
  readAll() {
    return this.notifier.markRead(null);
  }
}
