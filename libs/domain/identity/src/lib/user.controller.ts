import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { UserView } from '@bulwark/contracts';
import { Allow, READERS, scoped } from '@bulwark/platform';
import { DataSource } from 'typeorm';
import { User } from './user.entity.js';

@ApiTags('users')
@Controller('users')
export class UserController {
  constructor(private readonly dataSource: DataSource) {}

  /** The organization's users (for owner pickers and the admin). */
  @Get()
  @Allow(...READERS)
  async list(): Promise<UserView[]> {
    const users = await scoped(this.dataSource.manager, User, 'u').andWhere('u.active').orderBy('u.name').getMany();
    return users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, vendorId: u.vendorId }));
  }
}
