import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource, IsNull, type EntityManager } from 'typeorm';

import type { LoginResponse, SessionUser } from '@bulwark/api-schema';
import { APP_CONFIG, AuditLogService, DomainException, Invalid, RequestContext, type Actor, type AppConfig } from '@bulwark/platform';

import { LoginRateLimiter } from './login-rate-limiter.js';
import { hashPassword, verifyPassword } from './password.js';
import { Session } from './session.entity.js';
import { User } from './user.entity.js';

export const SESSION_COOKIE = 'bulwark_session';

export interface TokenPayload {
  sub: string;
  sid: string;
  org: string;
}

export interface Principal {
  actor: Actor;
  user: SessionUser;
}

interface SessionRow {
  session_id: string;
  user_id: string;
  email: string;
  name: string;
  role: SessionUser['role'];
  organization_id: string;
  organization_name: string;
  vendor_id: string | null;
  vendor_name: string | null;
}

const invalidCredentials = () => new DomainException('auth.invalid_credentials', 'unauthenticated', 'E-mail or password is wrong');

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly limiter: LoginRateLimiter,
    private readonly audit: AuditLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Checks the password with the rate limit applied; returns the user on success. */
  async validateCredentials(email: string, password: string, ip: string): Promise<User> {
    const normalized = email.trim().toLowerCase();
    // One attempt is taken before the password is checked (atomically), so parallel attempts cannot all be evaluated.
    await this.limiter.attempt(normalized, ip);
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: normalized })
      .getOne();
    const ok = await verifyPassword(user?.active ? user.passwordHash : null, password);
    if (!user || !ok) throw invalidCredentials();
    await this.limiter.recordSuccess(normalized, ip);
    return user;
  }

  /** Opens a session for the user and returns its token; audited as `auth.login`. */
  async login(user: User, userAgent: string | undefined): Promise<LoginResponse> {
    return this.dataSource.transaction(async (m) => {
      const issued = await this.issue(m, user, userAgent);
      await RequestContext.runAs(this.actorOf(user, issued.sessionId), () =>
        this.audit.append(m, { action: 'auth.login', entityType: 'user', entityId: user.id }),
      );
      return { user: issued.sessionUser, token: issued.token, expiresAt: issued.expiresAt.toISOString() };
    });
  }

  /** Creates the session row and signs its token, within the caller's transaction. */
  async issue(m: EntityManager, user: User, userAgent: string | undefined) {
    const expiresAt = new Date(Date.now() + this.config.auth.sessionTtlHours * 3600_000);
    const session = await m.save(
      m.create(Session, {
        userId: user.id,
        organizationId: user.organizationId,
        expiresAt,
        revokedAt: null,
        userAgent: userAgent?.slice(0, 300) ?? null,
      }),
    );
    const payload: TokenPayload = { sub: user.id, sid: session.id, org: user.organizationId };
    const token = await this.jwt.signAsync(payload, { expiresIn: this.config.auth.sessionTtlHours * 3600 });
    await m.update(User, { id: user.id }, { lastLoginAt: new Date() });
    const row = await this.sessionRow(m, session.id);
    if (!row) throw new Error('session vanished');
    return { token, expiresAt, sessionId: session.id, sessionUser: toSessionUser(row) };
  }

  /** Resolves a token's session: it must exist, be unrevoked and unexpired, and its user active. */
  async resolve(payload: TokenPayload): Promise<Principal | null> {
    if (!payload?.sid || !/^[0-9a-f-]{36}$/i.test(payload.sid)) return null;
    const row = await this.sessionRow(this.dataSource.manager, payload.sid, true);
    if (!row || row.user_id !== payload.sub) return null;
    const user = toSessionUser(row);
    return {
      user,
      actor: {
        userId: user.id,
        email: user.email,
        role: user.role,
        organizationId: user.organizationId,
        vendorId: user.vendorId,
        sessionId: row.session_id,
      },
    };
  }

  async logout(actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.update(Session, { id: actor.sessionId!, revokedAt: IsNull() }, { revokedAt: new Date() });
      await this.audit.append(m, { action: 'auth.logout', entityType: 'user', entityId: actor.userId });
    });
  }

  /** Changes the password, revokes every session of the user, and opens a fresh one for this client. */
  async changePassword(actor: Actor, current: string, next: string, userAgent: string | undefined, ip = 'unknown'): Promise<LoginResponse> {
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: actor.userId })
      .getOneOrFail();
    // The current password is a password guess like a sign-in: the same per-account limit applies.
    await this.limiter.attempt(user.email, ip);
    if (!(await verifyPassword(user.passwordHash, current))) {
      throw new Invalid('auth.wrong_password', 'The current password is wrong', [{ path: 'currentPassword', message: 'is wrong' }]);
    }
    await this.limiter.recordSuccess(user.email, ip);
    if (current === next)
      throw new Invalid('auth.same_password', 'Choose a different password', [
        { path: 'newPassword', message: 'must differ from the current password' },
      ]);
    const hash = await hashPassword(next);
    return this.dataSource.transaction(async (m) => {
      await m.update(User, { id: user.id }, { passwordHash: hash, passwordChangedAt: new Date() });
      await m.update(Session, { userId: user.id, revokedAt: IsNull() }, { revokedAt: new Date() });
      await this.audit.append(m, {
        action: 'auth.password_changed',
        entityType: 'user',
        entityId: user.id,
        diff: { sessionsRevoked: true },
      });
      const issued = await this.issue(m, user, userAgent);
      return { user: issued.sessionUser, token: issued.token, expiresAt: issued.expiresAt.toISOString() };
    });
  }

  private actorOf(user: User, sessionId: string): Actor {
    return { userId: user.id, email: user.email, role: user.role, organizationId: user.organizationId, vendorId: user.vendorId, sessionId };
  }

  private async sessionRow(m: EntityManager, sessionId: string, activeOnly = false): Promise<SessionRow | undefined> {
    const rows: SessionRow[] = await m.query(
      `SELECT s.id AS session_id, u.id AS user_id, u.email, u.name, u.role, u.organization_id, o.name AS organization_name,
              u.vendor_id, v.name AS vendor_name
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         JOIN organizations o ON o.id = u.organization_id
         LEFT JOIN vendors v ON v.id = u.vendor_id
        WHERE s.id = $1 ${activeOnly ? 'AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active' : ''}`,
      [sessionId],
    );
    return rows[0];
  }
}

function toSessionUser(r: SessionRow): SessionUser {
  return {
    id: r.user_id,
    email: r.email,
    name: r.name,
    role: r.role,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    vendorId: r.vendor_id,
    vendorName: r.vendor_name,
  };
}

export { hashPassword };
