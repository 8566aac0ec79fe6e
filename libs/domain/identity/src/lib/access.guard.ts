import { Injectable, Logger, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';

import { ACCESS_KEY, Forbidden, RequestContext, Unauthenticated, type AccessRule } from '@bulwark/platform';

import type { Principal } from './auth.service.js';
import { JwtAuthGuard } from './strategies.js';

/**
 * The one place every route is authorized. A route declares `@Public()` or `@Allow(...roles)`;
 * a route that declares neither is refused (fail closed). On success the tenant context is set.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('AccessGuard');
  private readonly jwt = new JwtAuthGuard();

  constructor(private readonly reflector: Reflector) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (!rule) {
      this.logger.error(`${ctx.getClass().name}.${ctx.getHandler().name} has no access rule; refusing`);
      throw new Forbidden('This route is not open to anyone');
    }
    if (rule.kind === 'public') return true;
    try {
      await this.jwt.canActivate(ctx);
    } catch (err) {
      // Only a missing, invalid or revoked credential is a 401. Anything else (the database being
      // unreachable while the session is looked up) is answered as what it is by the error filter:
      // a 503 must never look like a logout.
      if (err instanceof UnauthorizedException || err instanceof Unauthenticated) throw new Unauthenticated();
      throw err;
    }
    const principal = ctx.switchToHttp().getRequest<Request & { user?: Principal }>().user;
    if (!principal) throw new Unauthenticated();
    RequestContext.setActor(principal.actor);
    if (!rule.roles.includes(principal.user.role)) throw new Forbidden();
    return true;
  }
}
