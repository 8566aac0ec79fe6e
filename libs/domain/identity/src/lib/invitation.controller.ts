import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { z } from 'zod';

import {
  acceptInvitationSchema,
  invitationListQuery,
  invitationPreviewSchema,
  invitationViewSchema,
  inviteContactSchema,
  loginResponseSchema,
  pageOf,
  type InviteContactInput,
} from '@bulwark/api-schema';
import { Allow, APP_CONFIG, IdParam, Public, Returns, ZodBody, ZodQuery, type AppConfig } from '@bulwark/platform';

import { sessionCookieOptions } from './auth.controller.js';
import { SESSION_COOKIE } from './auth.service.js';
import { InvitationService } from './invitation.service.js';
import { LoginRateLimiter } from './login-rate-limiter.js';

@ApiTags('invitations')
@Controller('invitations')
export class InvitationController {
  constructor(
    private readonly invitations: InvitationService,
    private readonly limiter: LoginRateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Allow('invitation.read')
  @Returns(pageOf(invitationViewSchema))
  list(@ZodQuery(invitationListQuery) q: z.infer<typeof invitationListQuery>) {
    return this.invitations.list(q);
  }

  @Post()
  @Allow('invitation.write')
  @Returns(invitationViewSchema, 201)
  invite(@ZodBody(inviteContactSchema) body: InviteContactInput) {
    return this.invitations.invite(body);
  }

  @Post(':id/resend')
  @Allow('invitation.write')
  @HttpCode(200)
  @Returns(invitationViewSchema)
  resend(@IdParam() id: string) {
    return this.invitations.resend(id);
  }

  @Post(':id/revoke')
  @Allow('invitation.write')
  @HttpCode(200)
  @Returns(invitationViewSchema)
  revoke(@IdParam() id: string) {
    return this.invitations.revoke(id);
  }

  @Get('by-token/:token')
  @Public()
  @Returns(invitationPreviewSchema)
  async peek(@Param('token') token: string, @Req() req: Request) {
    return this.limitedTokenUse(req, () => this.invitations.peek(token));
  }

  @Post('accept')
  @Public()
  @HttpCode(200)
  @Returns(loginResponseSchema)
  async accept(
    @ZodBody(acceptInvitationSchema) body: z.infer<typeof acceptInvitationSchema>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.limitedTokenUse(req, () =>
      this.invitations.accept(body.token, body.password, body.name, req.headers['user-agent']),
    );
    res.cookie(SESSION_COOKIE, result.token, sessionCookieOptions(this.config, new Date(result.expiresAt)));
    return result;
  }

  /** Public routes holding a token: an address that keeps presenting bad tokens gets 429 (see LoginRateLimiter). */
  private async limitedTokenUse<T>(req: Request, use: () => Promise<T>): Promise<T> {
    const ip = req.ip ?? 'unknown';
    await this.limiter.attemptTokenUse(ip);
    const result = await use();
    await this.limiter.tokenUseSucceeded(ip);
    return result;
  }
}
