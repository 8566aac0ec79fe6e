import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type {
  InvitationListQuery,
  InvitationPreview,
  InvitationView,
  InviteContactInput,
  InviteUserInput,
  LoginResponse,
  Page,
} from '@bulwark/api-schema';
import { Vendor } from '@bulwark/inventory';
import {
  APP_CONFIG,
  AuditLogService,
  Conflict,
  DomainException,
  findScoped,
  Forbidden,
  InjectQueue,
  NotFound,
  RequestContext,
  scoped,
  systemActor,
  type AppConfig,
  type QueuePort,
} from '@bulwark/platform';

import { AuthService } from './auth.service.js';
import { Invitation } from './invitation.entity.js';
import { Organization } from './organization.entity.js';
import { hashPassword } from './password.js';
import { User } from './user.entity.js';

const ROLE_LABELS: Record<Invitation['role'], string> = {
  admin: 'an admin',
  vendor_manager: 'a vendor manager',
  procurement: 'procurement',
  auditor: 'an auditor',
  vendor_contact: 'a vendor contact',
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function statusOf(i: Invitation, now = new Date()): InvitationView['status'] {
  if (i.acceptedAt) return 'accepted';
  // Closed after it had run out (a new invitation to the address superseded it): it expired, nobody revoked it.
  if (i.revokedAt) return i.revokedAt >= i.expiresAt ? 'expired' : 'revoked';
  if (i.expiresAt <= now) return 'expired';
  return 'pending';
}

export function toInvitationView(i: Invitation): InvitationView {
  return {
    id: i.id,
    vendorId: i.vendorId,
    role: i.role,
    email: i.email,
    name: i.name,
    status: statusOf(i),
    expiresAt: i.expiresAt.toISOString(),
    createdAt: i.createdAt.toISOString(),
    acceptedAt: i.acceptedAt?.toISOString() ?? null,
  };
}

/**
 * An address that already has an account. Accounts are global (users.email is unique across
 * organizations), so the answer is the same whether the account is in this organization or another:
 * saying which would tell one organization's admins who has an account elsewhere.
 */
const emailUnavailable = () =>
  new Conflict(
    'invitation.email_unavailable',
    'This e-mail address cannot be invited. If the person already has a Bulwark account, ask them to sign in with it; otherwise use another address.',
  );

const gone = () =>
  new DomainException(
    'invitation.invalid',
    'not_found',
    'This invitation link is invalid, expired, revoked or already used. Ask for a new one.',
  );

const pendingConflict = (email: string) =>
  new Conflict('invitation.pending', `${email} already has a pending invitation; re-send it instead`);

/**
 * Inserts a new open invitation. Two requests inviting the same address at once both pass `assertInvitable`;
 * the database's unique index (one open invitation per address) stops the second, reported as the same conflict.
 */
async function insertOpen(m: EntityManager, invitation: Invitation): Promise<Invitation> {
  try {
    return await m.save(invitation);
  } catch (err) {
    const e = err as { driverError?: { code?: string; constraint?: string } };
    if (e.driverError?.code === '23505' && e.driverError.constraint === 'invitations_one_open_per_address')
      throw pendingConflict(invitation.email);
    throw err;
  }
}

/**
 * Invitations: a random token mailed as a link (only its hash is stored), valid for
 * INVITATION_TTL_HOURS, single use, revocable. Re-sending issues a new token and voids the old one.
 * The mail goes through the queue with retries, so a mail failure never blocks the invitation.
 * Vendor contacts are invited from their vendor by admins and vendor managers; staff (an internal
 * role, no vendor) only by admins, who alone may re-send or revoke those.
 */
@Injectable()
export class InvitationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly auth: AuthService,
    @InjectQueue() private readonly queue: QueuePort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(q: InvitationListQuery): Promise<Page<InvitationView>> {
    const qb = scoped(this.dataSource.manager, Invitation, 'i');
    if (q.vendorId) qb.andWhere('i.vendorId = :vendorId', { vendorId: q.vendorId });
    if (q.kind === 'vendor') qb.andWhere('i.vendorId IS NOT NULL');
    if (q.kind === 'internal') qb.andWhere('i.vendorId IS NULL');
    const { key, dir } = q.sort;
    qb.orderBy(`i.${key}`, dir);
    // Tie-breakers; never re-add the sort key itself, which would replace its direction.
    if (key !== 'createdAt') qb.addOrderBy('i.createdAt', 'DESC');
    qb.addOrderBy('i.id');
    const [rows, total] = await qb
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    return { items: rows.map(toInvitationView), total, page: q.page, pageSize: q.pageSize };
  }

  async inviteStaff(input: InviteUserInput): Promise<InvitationView> {
    const invitation = await this.dataSource.transaction(async (m) => {
      const { invitation, token } = await this.create(m, { vendorId: null, role: input.role, email: input.email, name: input.name });
      await this.mail(invitation, null, token);
      return invitation;
    });
    return toInvitationView(invitation);
  }

  /** Checks the address is free, stores the invitation with a fresh token's hash, and audits it. */
  private async create(m: EntityManager, input: { vendorId: string | null; role: Invitation['role']; email: string; name: string }) {
    const email = input.email.trim().toLowerCase();
    await this.assertInvitable(m, email);
    const token = randomBytes(32).toString('base64url');
    const invitation = await insertOpen(
      m,
      m.create(Invitation, {
        vendorId: input.vendorId,
        role: input.role,
        email,
        name: input.name,
        tokenHash: sha256(token),
        expiresAt: this.expiry(),
        invitedBy: RequestContext.actor().userId,
        sendCount: 1,
      }),
    );
    const diff = input.vendorId ? { vendorId: input.vendorId, email } : { role: input.role, email };
    await this.audit.append(m, { action: 'invitation.created', entityType: 'invitation', entityId: invitation.id, diff });
    return { invitation, token };
  }

  private async assertInvitable(m: EntityManager, email: string): Promise<void> {
    const existing = await m.getRepository(User).findOne({ where: { email } });
    if (existing) throw emailUnavailable();
    const pending = await scoped(m, Invitation, 'i')
      .andWhere('i.email = :email AND i.acceptedAt IS NULL AND i.revokedAt IS NULL AND i.expiresAt > now()', { email })
      .getOne();
    if (pending) throw pendingConflict(email);
    // An expired link still counts as open for the database's one-open-invitation rule: close it (as expired).
    await m
      .createQueryBuilder()
      .update(Invitation)
      .set({ revokedAt: () => 'expires_at' })
      .where('organization_id = :org AND email = :email AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at <= now()', {
        org: RequestContext.actor().organizationId,
        email,
      })
      .execute();
  }

  /** Staff invitations are the admin's alone. */
  private assertMayManage(invitation: Invitation): void {
    if (invitation.role !== 'vendor_contact' && RequestContext.actor().role !== 'admin')
      throw new Forbidden('Only an admin manages invitations of staff');
  }

  async invite(input: InviteContactInput): Promise<InvitationView> {
    const invitation = await this.dataSource.transaction(async (m) => {
      const vendor = await findScoped(m, Vendor, input.vendorId, 'vendor');
      const { invitation, token } = await this.create(m, {
        vendorId: vendor.id,
        role: 'vendor_contact',
        email: input.email,
        name: input.name,
      });
      await this.mail(invitation, vendor.name, token);
      return invitation;
    });
    return toInvitationView(invitation);
  }

  /**
   * Invites a vendor's contact as part of another change, in its transaction (a questionnaire sent to a vendor
   * without portal contacts: the invitation and the request arrive together). `note` is added to the mail. A
   * refused address or a queue that cannot take the mail fails the whole change.
   */
  async inviteContactIn(m: EntityManager, input: { vendorId: string; email: string; name: string }, note: string): Promise<InvitationView> {
    const vendor = await findScoped(m, Vendor, input.vendorId, 'vendor');
    const { invitation, token } = await this.create(m, {
      vendorId: vendor.id,
      role: 'vendor_contact',
      email: input.email,
      name: input.name,
    });
    await this.mail(invitation, vendor.name, token, note);
    return toInvitationView(invitation);
  }

  async resend(id: string): Promise<InvitationView> {
    const invitation = await this.dataSource.transaction(async (m) => {
      const invitation = await findScoped(m, Invitation, id, 'invitation', { lock: true });
      this.assertMayManage(invitation);
      if (invitation.acceptedAt) throw new Conflict('invitation.accepted', 'This invitation was already accepted');
      if (invitation.revokedAt) throw new Conflict('invitation.revoked', 'This invitation was revoked; create a new one');
      const token = randomBytes(32).toString('base64url');
      invitation.tokenHash = sha256(token);
      invitation.expiresAt = this.expiry();
      invitation.sendCount += 1;
      await m.save(invitation);
      const vendor = invitation.vendorId ? await findScoped(m, Vendor, invitation.vendorId, 'vendor') : null;
      await this.audit.append(m, {
        action: 'invitation.resent',
        entityType: 'invitation',
        entityId: invitation.id,
        diff: { sendCount: invitation.sendCount },
      });
      await this.mail(invitation, vendor?.name ?? null, token);
      return invitation;
    });
    return toInvitationView(invitation);
  }

  async revoke(id: string): Promise<InvitationView> {
    return this.dataSource.transaction(async (m) => {
      const invitation = await findScoped(m, Invitation, id, 'invitation', { lock: true });
      this.assertMayManage(invitation);
      if (invitation.acceptedAt) throw new Conflict('invitation.accepted', 'This invitation was already accepted');
      if (!invitation.revokedAt) {
        invitation.revokedAt = new Date();
        await m.save(invitation);
        await this.audit.append(m, { action: 'invitation.revoked', entityType: 'invitation', entityId: invitation.id });
      }
      return toInvitationView(invitation);
    });
  }

  /** What the invitee sees before setting a password. */
  async peek(token: string): Promise<InvitationPreview> {
    const found = await this.byToken(this.dataSource.manager, token);
    if (!found) throw gone();
    const { invitation } = found;
    return {
      email: invitation.email,
      name: invitation.name,
      role: invitation.role,
      organizationName: found.organization.name,
      vendorName: found.vendor?.name ?? null,
      expiresAt: invitation.expiresAt.toISOString(),
    };
  }

  /** Consumes the token, creates the user (a vendor contact bound to the vendor, or staff with the invited role), and signs them in. */
  async accept(token: string, password: string, name: string | undefined, userAgent: string | undefined): Promise<LoginResponse> {
    // The token is looked up before the (deliberately slow) password hash, so a burst of bogus tokens on
    // this public route costs a query each, never an argon2 run; it is checked again under lock below.
    if (!(await this.byToken(this.dataSource.manager, token))) throw gone();
    const hash = await hashPassword(password);
    return this.dataSource.transaction(async (m) => {
      const found = await this.byToken(m, token, true);
      if (!found) throw gone();
      const { invitation } = found;
      return RequestContext.runAs(systemActor(invitation.organizationId, invitation.email), async () => {
        const exists = await m.getRepository(User).findOne({ where: { email: invitation.email } });
        if (exists) throw emailUnavailable();
        invitation.acceptedAt = new Date();
        await m.save(invitation);
        const user = await m.save(
          m.create(User, {
            email: invitation.email,
            name: name ?? invitation.name,
            role: invitation.role,
            vendorId: invitation.vendorId,
            passwordHash: hash,
            active: true,
          }),
        );
        await this.audit.append(m, {
          action: 'invitation.accepted',
          entityType: 'invitation',
          entityId: invitation.id,
          diff: { userId: user.id },
        });
        const issued = await this.auth.issue(m, user, userAgent);
        return { user: issued.sessionUser, token: issued.token, expiresAt: issued.expiresAt.toISOString() };
      });
    });
  }

  private async byToken(m: EntityManager, token: string, lock = false) {
    if (!/^[A-Za-z0-9_-]{20,200}$/.test(token)) return null;
    const qb = m
      .getRepository(Invitation)
      .createQueryBuilder('i')
      .where('i.tokenHash = :h', { h: sha256(token) });
    if (lock) qb.setLock('pessimistic_write');
    const invitation = await qb.getOne();
    if (!invitation || statusOf(invitation) !== 'pending') return null;
    const vendor = invitation.vendorId
      ? await m.getRepository(Vendor).findOneBy({ id: invitation.vendorId, organizationId: invitation.organizationId })
      : null;
    const organization = await m.getRepository(Organization).findOneBy({ id: invitation.organizationId });
    if ((invitation.vendorId && !vendor) || !organization) throw new NotFound('invitation');
    return { invitation, vendor, organization };
  }

  private expiry(): Date {
    return new Date(Date.now() + this.config.auth.invitationTtlHours * 3600_000);
  }

  /**
   * Queues the invitation's mail as the last step of its transaction, so an invitation exists only with its
   * mail queued: when the queue cannot take it, the request fails (503) and nothing is kept, and the
   * admin simply sends it again. The link is never stored in the clear for a later delivery (only the
   * token's hash is), which a job outbox row would do (ADR 0010).
   */
  private async mail(invitation: Invitation, vendorName: string | null, token: string, note?: string): Promise<void> {
    const link = `${this.config.http.publicUrl}/invite/${token}`;
    const purpose = vendorName
      ? `to answer resilience requests for ${vendorName} in Bulwark`
      : `to Bulwark as ${ROLE_LABELS[invitation.role]}`;
    await this.queue.add(
      'mail.send',
      {
        to: invitation.email,
        subject: vendorName
          ? `You are invited to Bulwark for ${vendorName}`
          : `You are invited to Bulwark as ${ROLE_LABELS[invitation.role]}`,
        text: `Hello ${invitation.name},\n\nYou have been invited ${purpose}.\n${note ? `${note}\n` : ''}Set your password here (the link works once and expires ${invitation.expiresAt.toISOString()}):\n\n${link}\n`,
        idempotencyKey: `invitation-${invitation.id}-${invitation.sendCount}`,
      },
      { jobId: `invitation-${invitation.id}-${invitation.sendCount}` },
    );
  }
}
