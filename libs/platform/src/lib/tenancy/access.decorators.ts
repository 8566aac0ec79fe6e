import { SetMetadata } from '@nestjs/common';
import type { Role } from '@bulwark/contracts';

export const ACCESS_KEY = 'bulwark:access';

export type AccessRule = { kind: 'public' } | { kind: 'roles'; roles: readonly Role[] };

/** Anyone may call this route, signed in or not. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule);

/**
 * Signed-in users with one of these roles may call this route. A route with neither `@Public` nor
 * `@Allow` is refused for everyone: the guard fails closed.
 */
export const Allow = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_KEY, { kind: 'roles', roles } satisfies AccessRule);

/** Role groups used across the API. */
export const READERS: Role[] = ['admin', 'vendor_manager', 'procurement', 'auditor'];
export const INVENTORY_WRITERS: Role[] = ['admin', 'vendor_manager'];
export const EVERYONE: Role[] = ['admin', 'vendor_manager', 'procurement', 'auditor', 'vendor_contact'];
