import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import { Strategy as LocalStrategyBase } from 'passport-local';

import { loginSchema } from '@bulwark/api-schema';
import { APP_CONFIG, Invalid, zodFieldErrors, type AppConfig } from '@bulwark/platform';

import { AuthService, SESSION_COOKIE, type Principal, type TokenPayload } from './auth.service.js';
import type { User } from './user.entity.js';

/** passport-local: e-mail and password from the JSON body. */
@Injectable()
export class LocalStrategy extends PassportStrategy(LocalStrategyBase, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  validate(req: Request, email: string, password: string): Promise<User> {
    return this.auth.validateCredentials(email, password, req.ip ?? 'unknown');
  }
}

function fromCookie(req: Request): string | null {
  const cookies = (req as Request & { cookies?: Record<string, string> }).cookies;
  return cookies?.[SESSION_COOKIE] ?? null;
}

/** JWT from the portal's httpOnly cookie or an API client's Bearer header; the session must still be live. */
@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([ExtractJwt.fromAuthHeaderAsBearerToken(), fromCookie]),
      secretOrKey: config.auth.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(payload: TokenPayload): Promise<Principal | false> {
    return (await this.auth.resolve(payload)) ?? false;
  }
}

/** Validates the login body first (422 naming the field), then runs passport-local. */
@Injectable()
export class LoginGuard extends AuthGuard('local') {
  override canActivate(context: ExecutionContext) {
    const req = context.switchToHttp().getRequest<Request>();
    const parsed = loginSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new Invalid('body.invalid', 'The request body is invalid', zodFieldErrors(parsed.error));
    return super.canActivate(context) as Promise<boolean>;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    return user;
  }
}

export const JwtAuthGuard = AuthGuard('jwt');
