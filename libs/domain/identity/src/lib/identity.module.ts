import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';

import { APP_CONFIG, AuditEntityNames, type AppConfig } from '@bulwark/platform';

import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { InvitationController } from './invitation.controller.js';
import { InvitationService } from './invitation.service.js';
import { LoginRateLimiter } from './login-rate-limiter.js';
import { OrganizationController } from './organization.controller.js';
import { OrganizationService } from './organization.service.js';
import { JwtStrategy, LocalStrategy } from './strategies.js';
import { UserController } from './user.controller.js';
import { UserService } from './user.service.js';

@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.auth.jwtSecret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  controllers: [AuthController, InvitationController, UserController, OrganizationController],
  providers: [
    AuthService,
    InvitationService,
    UserService,
    OrganizationService,
    LoginRateLimiter,
    LocalStrategy,
    JwtStrategy,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, InvitationService],
})
export class IdentityModule {
  /** How this area's records are named in the audit log. */
  constructor(names: AuditEntityNames) {
    names.register('user', { table: 'users', label: "t.name || ' <' || t.email || '>'" });
    names.register('invitation', { table: 'invitations', label: 't.email' });
  }
}
