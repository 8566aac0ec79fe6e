import { SetMetadata } from '@nestjs/common';

import { rolesWith, type Permission, type Role } from '@bulwark/api-schema';

export const ACCESS_KEY = 'bulwark:access';

export type AccessRule = { kind: 'public' } | { kind: 'roles'; permission: Permission; roles: readonly Role[] };

/** Anyone may call this route, signed in or not. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule);

/**
 * Signed-in users whose role holds this permission (the `PERMISSIONS` table of `@bulwark/api-schema`,
 * the same one the portal asks with `can(role, permission)`) may call this route. A route with neither
 * `@Public` nor `@Allow` is refused for everyone: the guard fails closed.
 */
export const Allow = (permission: Permission): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_KEY, { kind: 'roles', permission, roles: rolesWith(permission) } satisfies AccessRule);
