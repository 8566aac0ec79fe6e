import { Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import {
  invitationViewSchema,
  inviteUserSchema,
  pageOf,
  updateUserSchema,
  userListQuery,
  userViewSchema,
  type InviteUserInput,
  type UpdateUserInput,
  type UserListQuery,
} from '@bulwark/api-schema';
import { Allow, IdParam, Returns, ZodBody, ZodQuery } from '@bulwark/platform';

import { InvitationService } from './invitation.service.js';
import { UserService } from './user.service.js';

@ApiTags('users')
@Controller('users')
export class UserController {
  constructor(
    private readonly users: UserService,
    private readonly invitations: InvitationService,
  ) {}

  /** The organization's users (owner pickers, the admin's user list). Deactivated users only when asked for. */
  @Get()
  @Allow('user.read')
  @Returns(pageOf(userViewSchema))
  list(@ZodQuery(userListQuery) q: UserListQuery) {
    return this.users.list(q);
  }

  /** An admin invites a member of staff with a role; the invitee sets a password from the e-mailed link. */
  @Post('invitations')
  @Allow('user.invite_staff')
  @Returns(invitationViewSchema, 201)
  invite(@ZodBody(inviteUserSchema) body: InviteUserInput) {
    return this.invitations.inviteStaff(body);
  }

  @Get(':id')
  @Allow('user.read')
  @Returns(userViewSchema)
  get(@IdParam() id: string) {
    return this.users.get(id);
  }

  /** Role, name, deactivate/reactivate. Admins for staff; vendor managers for vendor contacts only (checked in the service). */
  @Patch(':id')
  @Allow('user.write')
  @Returns(userViewSchema)
  update(@IdParam() id: string, @ZodBody(updateUserSchema) body: UpdateUserInput) {
    return this.users.update(id, body);
  }
}
