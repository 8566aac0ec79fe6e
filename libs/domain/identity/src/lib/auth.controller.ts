import { Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { CookieOptions, Request, Response } from 'express';
import { z } from 'zod';

import {
  changePasswordSchema,
  loginResponseSchema,
  loginSchema,
  sessionUserSchema,
  type LoginResponse,
  type SessionUser,
} from '@bulwark/api-schema';
import { Allow, APP_CONFIG, Public, RequestContext, Returns, ReturnsNothing, ZodBody, type AppConfig } from '@bulwark/platform';

import { AuthService, SESSION_COOKIE, type Principal } from './auth.service.js';
import { LoginGuard } from './strategies.js';
import type { User } from './user.entity.js';

export function sessionCookieOptions(config: AppConfig, expires?: Date): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: config.auth.cookieSecure, path: '/', ...(expires ? { expires } : {}) };
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Signs in; sets the httpOnly session cookie and returns a Bearer token for API clients. */
  @Post('login')
  @Public()
  @UseGuards(LoginGuard)
  @HttpCode(200)
  @ApiBody({ schema: z.toJSONSchema(loginSchema) as object })
  @Returns(loginResponseSchema)
  async login(@Req() req: Request & { user: User }, @Res({ passthrough: true }) res: Response): Promise<LoginResponse> {
    const result = await this.auth.login(req.user, req.headers['user-agent']);
    res.cookie(SESSION_COOKIE, result.token, sessionCookieOptions(this.config, new Date(result.expiresAt)));
    return result;
  }

  @Post('logout')
  @Allow('session.use')
  @HttpCode(204)
  @ReturnsNothing()
  async logout(@Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(RequestContext.actor());
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(this.config));
  }

  @Get('me')
  @Allow('session.use')
  @Returns(sessionUserSchema)
  me(@Req() req: Request & { user: Principal }): SessionUser {
    return req.user.user;
  }

  /** Ends every session of the user (all devices) and starts a fresh one for this client. */
  @Post('change-password')
  @Allow('session.use')
  @HttpCode(200)
  @Returns(loginResponseSchema)
  async changePassword(
    @ZodBody(changePasswordSchema) body: z.infer<typeof changePasswordSchema>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponse> {
    const result = await this.auth.changePassword(
      RequestContext.actor(),
      body.currentPassword,
      body.newPassword,
      req.headers['user-agent'],
      req.ip ?? 'unknown',
    );
    res.cookie(SESSION_COOKIE, result.token, sessionCookieOptions(this.config, new Date(result.expiresAt)));
    return result;
  }
}
