import { Controller, Get, HttpCode, Inject, Injectable, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource, type EntityManager } from 'typeorm';

import { notificationListSchema, type NotificationList, type Role } from '@bulwark/api-schema';

import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { NotFound } from '../errors/domain.exception.js';
import { JobOutbox } from '../queue/job-outbox.js';
import { Allow } from '../tenancy/access.decorators.js';
import { RequestContext } from '../tenancy/request-context.js';
import { Returns, ReturnsNothing } from '../validation/returns.decorator.js';
import { IdParam } from '../validation/uuid.pipe.js';

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
 * Who is told: the union of the users each field names, minus `except`. Always active users of the
 * organization the notice is sent in. Domains say "who" in these terms, never in SQL.
 */
export interface Recipients {
  /** Every user holding one of these roles. */
  roles?: readonly Role[];
  /** The vendor contacts of this vendor. */
  vendorContactsOf?: string;
  /** The internal owner of this vendor (if it has one). */
  vendorOwnerOf?: string;
  /** These users (ids that are null or of another organization are ignored). */
  userIds?: readonly (string | null)[];
  /** Never these users (e.g. the one who acted and is confirmed separately). */
  except?: readonly (string | null)[];
}

/** The one place recipients become a query: the active users of `organizationId` that `r` names. */
export async function resolveRecipients(m: EntityManager, organizationId: string, r: Recipients): Promise<{ id: string; email: string }[]> {
  const ids = (xs: readonly (string | null)[] | undefined) => (xs ?? []).filter((x): x is string => !!x);
  return m.query(
    `SELECT id, email FROM users
      WHERE organization_id = $1 AND active
        AND (role = ANY($2::text[])
             OR (role = 'vendor_contact' AND vendor_id = $3::uuid)
             OR id = (SELECT owner_id FROM vendors WHERE id = $4::uuid AND organization_id = $1)
             OR id = ANY($5::uuid[]))
        AND NOT (id = ANY($6::uuid[]))
      ORDER BY id`,
    [organizationId, [...(r.roles ?? [])], r.vendorContactsOf ?? null, r.vendorOwnerOf ?? null, ids(r.userIds), ids(r.except)],
  );
}

/**
 * Tells users about something in-app and by e-mail. Recipients are a typed `Recipients` value (the
 * organization is always the one given), so domains describe "who" without a user service.
 * With `m` in a transaction, the notifications are part of it and so are their e-mail jobs (the job
 * outbox): queued once it commits, never for a rolled-back change, and never lost to a queue outage;
 * each e-mail is sent once per key (`MailDeliveries`).
 */
@Injectable()
export class Notifier {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: JobOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A portal path as a link that works from a mail client: on `PUBLIC_URL`. */
  private absolute(path: string): string {
    return new URL(path.replace(/^\/*/, ''), `${this.config.http.publicUrl}/`).toString();
  }

  async notify(
    organizationId: string,
    recipients: Recipients,
    notice: Notice,
    m: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const users = await resolveRecipients(m, organizationId, recipients);
    for (const u of users) {
      const inserted: unknown[] = await m.query(
        `INSERT INTO notifications (organization_id, user_id, title, body, link, dedupe_key) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id`,
        [organizationId, u.id, notice.title, notice.body, notice.link ?? null, notice.key],
      );
      if (!inserted.length || notice.inAppOnly) continue;
      const idempotencyKey = `${notice.key}-${u.id}`.slice(0, 200);
      const mail = {
        to: u.email,
        subject: notice.title,
        text: notice.link ? `${notice.body}\n\nOpen in Bulwark: ${this.absolute(notice.link)}` : notice.body,
        idempotencyKey,
      };
      // Recorded with the notification, queued once it is committed, under the key as its job id.
      await this.outbox.add(m, 'mail.send', mail, { jobId: `mail-${idempotencyKey.replace(/:/g, '_')}` });
    }
    return users.length;
  }

  /**
   * Many notices at once, each to its own users (ids of active users of the organization; others are ignored):
   * the notifications in one statement per chunk, their e-mails in the job outbox, in `m`'s transaction. The same
   * rules as `notify` (one per user and key, in-app only when asked), for senders of hundreds of notices at once.
   */
  async notifyAll(
    organizationId: string,
    items: readonly { userIds: readonly string[]; notice: Notice }[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const ids = [...new Set(items.flatMap((i) => i.userIds))];
    if (!ids.length) return 0;
    const users: { id: string; email: string }[] = await m.query(
      `SELECT id, email FROM users WHERE organization_id = $1 AND active AND id = ANY($2::uuid[])`,
      [organizationId, ids],
    );
    const email = new Map(users.map((u) => [u.id, u.email]));
    const rows = items.flatMap((i) => [...new Set(i.userIds)].filter((u) => email.has(u)).map((u) => ({ user: u, notice: i.notice })));
    const byKey = new Map(rows.map((r) => [`${r.user}|${r.notice.key}`, r]));
    let told = 0;
    for (let i = 0; i < rows.length; i += 1_000) {
      const chunk = rows.slice(i, i + 1_000);
      const inserted: { user_id: string; dedupe_key: string }[] = await m.query(
        `INSERT INTO notifications (organization_id, user_id, title, body, link, dedupe_key)
         SELECT $1, x.user_id, x.title, x.body, x.link, x.dedupe_key
           FROM jsonb_to_recordset($2::jsonb) AS x(user_id uuid, title text, body text, link text, dedupe_key text)
         ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING user_id, dedupe_key`,
        [
          organizationId,
          JSON.stringify(
            chunk.map((r) => ({
              user_id: r.user,
              title: r.notice.title,
              body: r.notice.body,
              link: r.notice.link ?? null,
              dedupe_key: r.notice.key,
            })),
          ),
        ],
      );
      told += inserted.length;
      const mails = inserted.flatMap((x) => {
        const r = byKey.get(`${x.user_id}|${x.dedupe_key}`);
        if (!r || r.notice.inAppOnly) return [];
        const idempotencyKey = `${r.notice.key}-${r.user}`.slice(0, 200);
        return [
          {
            data: {
              to: email.get(r.user)!,
              subject: r.notice.title,
              text: r.notice.link ? `${r.notice.body}\n\nOpen in Bulwark: ${this.absolute(r.notice.link)}` : r.notice.body,
              idempotencyKey,
            },
            jobId: `mail-${idempotencyKey.replace(/:/g, '_')}`,
          },
        ];
      });
      await this.outbox.addAll(m, 'mail.send', mails);
    }
    return told;
  }

  async list(): Promise<NotificationList> {
    const actor = RequestContext.actor();
    const rows: { id: string; title: string; body: string; link: string | null; created_at: Date; read_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT id, title, body, link, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY created_at DESC LIMIT 100`,
        [actor.userId],
      );
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL`, [
      actor.userId,
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        title: r.title,
        body: r.body,
        link: r.link,
        createdAt: r.created_at.toISOString(),
        readAt: r.read_at?.toISOString() ?? null,
      })),
      unread: n,
    };
  }

  async markRead(id: string | null): Promise<void> {
    const actor = RequestContext.actor();
    if (id) {
      const mine: unknown[] = await this.dataSource.query(`SELECT 1 FROM notifications WHERE id = $1 AND user_id = $2`, [id, actor.userId]);
      if (!mine.length) throw new NotFound('notification', id);
    }
    await this.dataSource.query(
      `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL ${id ? 'AND id = $2' : ''}`,
      id ? [actor.userId, id] : [actor.userId],
    );
  }
}

@ApiTags('notifications')
@Controller('notifications')
export class NotificationController {
  constructor(private readonly notifier: Notifier) {}

  /** The caller's own notifications, newest first. */
  @Get()
  @Allow('notification.read')
  @Returns(notificationListSchema)
  list() {
    return this.notifier.list();
  }

  @Post(':id/read')
  @Allow('notification.read')
  @HttpCode(204)
  @ReturnsNothing()
  read(@IdParam() id: string) {
    return this.notifier.markRead(id);
  }

  @Post('read-all')
  @Allow('notification.read')
  @HttpCode(204)
  @ReturnsNothing()
  readAll() {
    return this.notifier.markRead(null);
  }
}
