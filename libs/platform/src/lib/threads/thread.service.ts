import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import {
  type Input,
  type ThreadAudience,
  type threadCommentSchema,
  type ThreadCommentView,
  type ThreadPerson,
  type ThreadView,
} from '@bulwark/api-schema';

import { AuditEntityNames } from '../audit-log/audit-entity-names.js';
import { AuditLogService } from '../audit-log/audit-log.service.js';
import { Conflict, DomainException, Invalid, NotFound } from '../errors/domain.exception.js';
import { Notifier, type Recipients } from '../notifications/notifier.js';
import { RequestContext, type Actor } from '../tenancy/request-context.js';
import { scoped } from '../tenancy/tenant-scope.js';
import { ThreadComment } from './thread-comment.entity.js';
import { ThreadTargets, type ThreadTarget, type ThreadTargetType } from './thread-targets.js';

export type NewComment = Input<typeof threadCommentSchema>;

const isVendor = (a: Actor) => a.role === 'vendor_contact';

/**
 * Comment threads on any registered workflow object, written once (docs/adr/0012-threads.md). Two
 * audiences: `vendor` (both sides) and `internal` (never shown, counted or told to a vendor contact). The
 * target's resolver decides who may see the thread at all: the caller's organization, and for a vendor
 * contact only its vendor's objects (anything else is "not found").
 */
@Injectable()
export class ThreadService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly targets: ThreadTargets,
    private readonly audit: AuditLogService,
    private readonly notifier: Notifier,
    names: AuditEntityNames,
  ) {
    names.register('thread_comment', { table: 'thread_comments', label: `t.target_type || ' comment (' || t.audience || ')'` });
  }

  /** The thread as the caller may see it. */
  async get(targetType: string, targetId: string): Promise<ThreadView> {
    const m = this.dataSource.manager;
    const actor = RequestContext.actor();
    const { target } = await this.target(m, targetType, targetId, false);
    const comments = await this.commentsOn(m, targetType, [targetId]);
    const mayPost = actor.role !== 'auditor' && actor.role !== 'system';
    return {
      targetType,
      targetId,
      title: target.title,
      vendorId: target.vendorId,
      link: isVendor(actor) ? (target.vendorLink ?? target.link) : target.link,
      canPost: mayPost && !target.closedReason,
      closedReason: target.closedReason ?? null,
      audiences: isVendor(actor) ? ['vendor'] : target.vendorId ? ['vendor', 'internal'] : ['internal'],
      total: comments.length,
      comments,
    };
  }

  /**
   * The comments on these targets the caller may see, oldest first: through the tenant scope (a vendor
   * contact: its vendor's), and for a vendor contact only the `vendor` audience. `audience` narrows further.
   */
  async commentsOn(m: EntityManager, targetType: string, targetIds: string[], audience?: ThreadAudience): Promise<ThreadCommentView[]> {
    if (!targetIds.length) return [];
    const actor = RequestContext.actor();
    const qb = scoped(m, ThreadComment, 'c')
      .andWhere('c.targetType = :type', { type: targetType })
      .andWhere('c.targetId IN (:...ids)', { ids: targetIds });
    if (isVendor(actor)) qb.andWhere(`c.audience = 'vendor'`);
    if (audience) qb.andWhere('c.audience = :audience', { audience });
    const rows = await qb.orderBy('c.createdAt').addOrderBy('c.id').getMany();
    const userIds = [...new Set(rows.flatMap((c) => [c.authorId, ...c.mentions]).filter((x): x is string => !!x))];
    const users: { id: string; name: string | null }[] = userIds.length
      ? await m.query(`SELECT id, name FROM users WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [actor.organizationId, userIds])
      : [];
    const nameOf = (id: string | null) => (id ? (users.find((u) => u.id === id)?.name ?? null) : null);
    return rows.map((c) => ({
      id: c.id,
      targetId: c.targetId,
      audience: c.audience,
      authorSide: c.authorSide,
      authorId: c.authorId,
      authorName: nameOf(c.authorId),
      body: c.body,
      mentions: c.mentions.map((id) => ({ id, name: nameOf(id) })),
      evidenceIds: c.evidenceIds,
      links: c.links,
      createdAt: c.createdAt.toISOString(),
    }));
  }

  /**
   * Adds a comment: one transaction with the target's reaction (`onComment`), its audit entry and its
   * notifications. Mentions must name active people of the organization who may read the comment.
   */
  async post(targetType: string, targetId: string, input: NewComment, tx?: EntityManager): Promise<ThreadCommentView> {
    const actor = RequestContext.actor();
    if (actor.role === 'system' || actor.role === 'auditor')
      throw new DomainException('auth.forbidden', 'forbidden', 'Auditors read threads');
    if (isVendor(actor) && input.audience !== 'vendor')
      throw new DomainException(
        'thread.audience_forbidden',
        'forbidden',
        'Vendor contacts write only comments the organization shares with the vendor',
        [{ path: 'audience', message: 'vendor contacts write only to the vendor audience' }],
      );
    // With `tx`, the comment is part of the caller's transaction (a review's flag and its comment commit together).
    const write = async (m: EntityManager) => {
      const { def, target } = await this.target(m, targetType, targetId, true);
      if (target.closedReason) throw new Conflict('thread.closed', target.closedReason);
      if (input.audience === 'vendor' && !target.vendorId)
        throw new Invalid('body.invalid', 'This thread has no vendor side', [
          { path: 'audience', message: 'this thread is internal only' },
        ]);
      const mentions = [...new Set(input.mentions)];
      await this.checkMentions(m, actor, target, input.audience, mentions);
      await this.targets.assertAttachments(m, target, [...new Set(input.evidenceIds)]);
      const comment = await m.save(
        m.create(ThreadComment, {
          organizationId: actor.organizationId,
          vendorId: target.vendorId,
          targetType,
          targetId,
          audience: input.audience,
          authorId: actor.userId,
          authorSide: isVendor(actor) ? 'vendor' : 'customer',
          body: input.body,
          mentions,
          evidenceIds: [...new Set(input.evidenceIds)],
          links: [...new Set(input.links)],
        }),
      );
      const reaction = (await def.onComment?.(m, { targetId, target, comment, actor })) ?? {};
      await this.audit.append(m, {
        action: 'thread.commented',
        entityType: 'thread_comment',
        entityId: comment.id,
        // The body is not copied into the log: the comment is its own record, and an internal one must not travel.
        diff: { targetType, targetId, audience: comment.audience, mentions, evidenceIds: comment.evidenceIds },
      });
      await this.notify(m, actor, target, comment, !!reaction.notified);
      return comment.id;
    };
    const id = tx ? await write(tx) : await this.dataSource.transaction(write);
    const [view] = (await this.commentsOn(tx ?? this.dataSource.manager, targetType, [targetId])).filter((c) => c.id === id);
    return view!;
  }

  /** Whom a comment of `audience` on the target may mention: active people of the organization who may read it. */
  async people(targetType: string, targetId: string, audience: ThreadAudience): Promise<ThreadPerson[]> {
    const m = this.dataSource.manager;
    const actor = RequestContext.actor();
    if (isVendor(actor) && audience !== 'vendor')
      throw new DomainException('thread.audience_forbidden', 'forbidden', 'Vendor contacts see only the vendor audience', [
        { path: 'audience', message: 'vendor contacts see only the vendor audience' },
      ]);
    const { target } = await this.target(m, targetType, targetId, false);
    const rows: { id: string; name: string; role: string }[] = await m.query(
      `SELECT id, name, role FROM users
        WHERE organization_id = $1 AND active AND (role <> 'vendor_contact' OR ($2::text = 'vendor' AND vendor_id = $3::uuid))
        ORDER BY lower(name), id`,
      [actor.organizationId, audience, target.vendorId],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, side: r.role === 'vendor_contact' ? 'vendor' : 'customer' }));
  }

  /** The registered target, if the caller may see it; else 404 (never saying whether it exists elsewhere). */
  private async target(
    m: EntityManager,
    targetType: string,
    targetId: string,
    lock: boolean,
  ): Promise<{ def: ThreadTargetType; target: ThreadTarget }> {
    const def = this.targets.get(targetType);
    if (!def)
      throw new Invalid('thread.unknown_target_type', `Threads do not hang on "${targetType}"`, [
        { path: 'targetType', message: `must be one of ${this.targets.list().join(', ')}` },
      ]);
    const actor = RequestContext.actor();
    const target = await def.resolve(m, targetId, { lock });
    if (
      !target ||
      target.organizationId !== actor.organizationId ||
      (isVendor(actor) && (!target.vendorId || target.vendorId !== actor.vendorId))
    )
      throw new NotFound(targetType, targetId);
    return { def, target };
  }

  private async checkMentions(
    m: EntityManager,
    actor: Actor,
    target: ThreadTarget,
    audience: ThreadAudience,
    ids: string[],
  ): Promise<void> {
    if (!ids.length) return;
    const ok: { id: string }[] = await m.query(
      `SELECT id FROM users
        WHERE organization_id = $1 AND active AND id = ANY($2::uuid[])
          AND (role <> 'vendor_contact' OR ($3::text = 'vendor' AND vendor_id = $4::uuid))`,
      [actor.organizationId, ids, audience, target.vendorId],
    );
    const bad = ids.map((id, i) => ({ id, i })).filter((x) => !ok.some((r) => r.id === x.id));
    if (bad.length)
      throw new Invalid(
        'body.invalid',
        'Only people who can read the comment can be mentioned',
        bad.map((b) => ({ path: `mentions.${b.i}`, message: 'not a person who can read this comment' })),
      );
  }

  /**
   * Mentioned people are told once, by the mention. Otherwise: a `vendor` comment tells the other side (the
   * vendor's contacts, or the organization's people who follow the target and took part); an `internal`
   * comment tells only the organization's people. The author is never told of their own comment.
   */
  private async notify(m: EntityManager, actor: Actor, target: ThreadTarget, c: ThreadComment, notified: boolean): Promise<void> {
    const author = (await m.query(`SELECT name FROM users WHERE id = $1`, [actor.userId]))[0]?.name ?? actor.email;
    const linkFor = (side: 'customer' | 'vendor') => (side === 'vendor' ? (target.vendorLink ?? target.link) : target.link);
    const excerpt = c.body.length > 280 ? `${c.body.slice(0, 277)}...` : c.body;
    const mentioned = c.mentions.filter((id) => id !== actor.userId);
    // Mentions: each person once; vendor contacts among them only ever for a `vendor` comment (checked above).
    for (const side of ['customer', 'vendor'] as const) {
      const ids: { id: string }[] = mentioned.length
        ? await m.query(`SELECT id FROM users WHERE id = ANY($1::uuid[]) AND (role = 'vendor_contact') = $2`, [
            mentioned,
            side === 'vendor',
          ])
        : [];
      if (ids.length)
        await this.notifier.notify(
          actor.organizationId,
          { userIds: ids.map((r) => r.id) },
          { title: `${author} mentioned you: ${target.title}`, body: excerpt, link: linkFor(side), key: `thread-mention-${c.id}` },
          m,
        );
    }
    if (notified) return;
    const except = [actor.userId, ...mentioned];
    const participants: { author_id: string }[] = await m.query(
      `SELECT DISTINCT author_id FROM thread_comments
        WHERE organization_id = $1 AND target_type = $2 AND target_id = $3 AND author_side = 'customer' AND author_id IS NOT NULL`,
      [actor.organizationId, c.targetType, c.targetId],
    );
    const internal: Recipients = {
      ...(target.internalRecipients ?? { vendorOwnerOf: target.vendorId ?? undefined }),
      // Never the vendor's people, whatever a resolver says: internal comments stay internal.
      roles: (target.internalRecipients?.roles ?? []).filter((r) => r !== 'vendor_contact'),
      vendorContactsOf: undefined,
      userIds: [...(target.internalRecipients?.userIds ?? []), ...participants.map((p) => p.author_id)],
    };
    const notice = (side: 'customer' | 'vendor') => ({
      title: `${c.audience === 'internal' ? 'Internal note' : 'New comment'}: ${target.title}`,
      body: `${author}: ${excerpt}`,
      link: linkFor(side),
      key: `thread-comment-${c.id}`,
    });
    if (c.audience === 'vendor' && c.authorSide === 'customer' && target.vendorId)
      await this.notifier.notify(actor.organizationId, { vendorContactsOf: target.vendorId, except }, notice('vendor'), m);
    else await this.notifier.notify(actor.organizationId, { ...internal, except }, notice('customer'), m);
  }
}
