import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';

import type { Page, UpdateUserInput, UserListQuery, UserView } from '@bulwark/api-schema';
import { AuditLogService, Conflict, findScoped, Forbidden, Notifier, RequestContext, scoped } from '@bulwark/platform';

import { Session } from './session.entity.js';
import { User } from './user.entity.js';

type UserRow = User & { vendorName?: string | null };

export function toUserView(u: UserRow): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    vendorId: u.vendorId,
    vendorName: u.vendorName ?? null,
    active: u.active,
    createdAt: u.createdAt.toISOString(),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    deactivatedAt: u.deactivatedAt?.toISOString() ?? null,
  };
}

/**
 * The organization's users. Admins manage everyone: invite staff (see InvitationService), change a
 * member of staff's role, deactivate and reactivate. Vendor managers may deactivate or rename vendor
 * contacts (someone left the supplier) but never touch staff. Nobody can lock themselves out, and the
 * organization always keeps one active admin. Deactivation revokes every session at once.
 */
@Injectable()
export class UserService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly notifier: Notifier,
  ) {}

  async list(q: UserListQuery): Promise<Page<UserView>> {
    const qb = scoped(this.dataSource.manager, User, 'u')
      .leftJoin('vendors', 'v', 'v.id = u.vendorId AND v.organization_id = u.organizationId')
      .addSelect('v.name', 'vendor_name');
    if (!q.includeInactive) qb.andWhere('u.active');
    if (q.role) qb.andWhere('u.role = :role', { role: q.role });
    if (q.vendorId) qb.andWhere('u.vendorId = :vendorId', { vendorId: q.vendorId });
    if (q.q) qb.andWhere('(u.name ILIKE :q OR u.email ILIKE :q)', { q: `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    const total = await qb.clone().getCount();
    const { entities, raw } = await qb
      .orderBy('u.active', 'DESC')
      .addOrderBy('u.name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .offset((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .getRawAndEntities<{ vendor_name: string | null }>();
    return {
      items: entities.map((u, i) => toUserView({ ...u, vendorName: raw[i]?.vendor_name ?? null })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async get(id: string): Promise<UserView> {
    return this.view(this.dataSource.manager, await findScoped(this.dataSource.manager, User, id, 'user'));
  }

  async update(id: string, input: UpdateUserInput): Promise<UserView> {
    const actor = RequestContext.actor();
    const { view, notice } = await this.dataSource.transaction(async (m) => {
      // Admins are locked first (in id order), then the target: two admins demoting each other at once
      // queue up here instead of deadlocking, and the second sees the first's change.
      const admins = input.role !== undefined || input.active === false ? await this.lockAdmins(m, actor.organizationId) : [];
      const user = await findScoped(m, User, id, 'user', { lock: true });
      const staffTarget = user.role !== 'vendor_contact';
      if (actor.role !== 'admin' && (staffTarget || input.role !== undefined))
        throw new Forbidden('Only an admin can change a member of staff');
      // The actor's role was read when the request was authenticated. An admin demoted (or deactivated)
      // by a concurrent request that committed while this one waited for the lock is an admin no more.
      if (actor.role === 'admin' && (input.role !== undefined || input.active === false) && !admins.some((a) => a.id === actor.userId)) {
        throw new Forbidden('You are no longer an active admin; nothing was changed');
      }
      if (input.role !== undefined && !staffTarget) {
        throw new Conflict(
          'user.vendor_contact_role',
          'A vendor contact stays a vendor contact; invite the person as staff with another e-mail address',
        );
      }
      if (user.id === actor.userId && ((input.role !== undefined && input.role !== user.role) || input.active === false)) {
        throw new Conflict('user.self', 'You cannot change your own role or deactivate yourself; ask another admin');
      }
      const diff: Record<string, { from: unknown; to: unknown }> = {};
      // With the actor checked above this cannot trigger through the API; it keeps the invariant should
      // another caller (a CLI, a future role) ever change users without being an admin itself.
      const losesAdmin =
        user.role === 'admin' && user.active && ((input.role !== undefined && input.role !== 'admin') || input.active === false);
      if (losesAdmin && !admins.some((a) => a.id !== user.id && a.active && a.role === 'admin')) {
        throw new Conflict('user.last_admin', 'This is the only active admin of the organization; make someone else an admin first');
      }
      if (input.name !== undefined && input.name !== user.name) {
        diff.name = { from: user.name, to: input.name };
        user.name = input.name;
      }
      if (input.role !== undefined && input.role !== user.role) {
        diff.role = { from: user.role, to: input.role };
        user.role = input.role;
      }
      let revoked = 0;
      if (input.active !== undefined && input.active !== user.active) {
        diff.active = { from: user.active, to: input.active };
        user.active = input.active;
        user.deactivatedAt = input.active ? null : new Date();
        if (!input.active) {
          const result = await m.update(Session, { userId: user.id, revokedAt: IsNull() }, { revokedAt: new Date() });
          revoked = result.affected ?? 0;
        }
      }
      if (Object.keys(diff).length === 0) return { view: await this.view(m, user), notice: null };
      await m.save(user);
      await this.audit.append(m, {
        action: diff.active ? (user.active ? 'user.reactivated' : 'user.deactivated') : 'user.updated',
        entityType: 'user',
        entityId: user.id,
        diff: { ...diff, ...(revoked ? { sessionsRevoked: revoked } : {}) },
      });
      return {
        view: await this.view(m, user),
        notice: diff.role ? { user, from: String(diff.role.from), to: String(diff.role.to), at: user.updatedAt.getTime() } : null,
      };
    });
    if (notice) {
      await this.notifier.notify(
        notice.user.organizationId,
        { userIds: [notice.user.id] },
        {
          title: 'Your Bulwark role changed',
          body: `An admin changed your role from ${notice.from.replace('_', ' ')} to ${notice.to.replace('_', ' ')}.`,
          link: '/',
          key: `role-${notice.user.id}-${notice.at}`,
        },
      );
    }
    return view;
  }

  /** The organization's active admins, locked in a fixed order. */
  private lockAdmins(m: EntityManager, organizationId: string): Promise<User[]> {
    return m
      .getRepository(User)
      .createQueryBuilder('u')
      .where('u.organizationId = :org AND u.role = :role AND u.active', { org: organizationId, role: 'admin' })
      .orderBy('u.id')
      .setLock('pessimistic_write')
      .getMany();
  }

  private async view(m: EntityManager, user: User): Promise<UserView> {
    const vendorName = user.vendorId
      ? ((
          (await m.query(`SELECT name FROM vendors WHERE id = $1 AND organization_id = $2`, [user.vendorId, user.organizationId])) as {
            name: string;
          }[]
        )[0]?.name ?? null)
      : null;
    return toUserView({ ...user, vendorName });
  }
}
