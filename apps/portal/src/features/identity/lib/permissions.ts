import { INTERNAL_ROLES, type Role } from '@bulwark/api-schema';

/** Portal-only rules about people: who counts as staff, where each role lands, what a user row offers. Who may do what is `can(role, permission)` from `@bulwark/api-schema`. */

export function isInternal(role: Role): boolean {
  return INTERNAL_ROLES.includes(role);
}

export function homePath(role: Role): string {
  return role === 'vendor_contact' ? '/vendor-home' : '/vendors';
}

export interface UserActions {
  /** Show the role picker (staff only, admins only). */
  showRole: boolean;
  /** Why the role picker is disabled (it is your own account), or null when it can be used. */
  roleLockedReason: string | null;
  /** Deactivate / reactivate (never yourself). */
  toggleActive: boolean;
  /** Correct the display name (admins: anyone; vendor managers: vendor contacts). */
  rename: boolean;
}

/**
 * What the signed-in user may do to a user of the list, mirroring the API: admins change the role of
 * staff and (de)activate anyone; vendor managers only (de)activate vendor contacts; nobody changes
 * their own role or deactivates themselves.
 */
export function userActions(actor: { id: string; role: Role }, target: { id: string; role: Role }): UserActions {
  const self = actor.id === target.id;
  const staffTarget = isInternal(target.role);
  if (actor.role === 'admin') {
    return {
      showRole: staffTarget,
      roleLockedReason: self ? 'You cannot change your own role; ask another admin.' : null,
      toggleActive: !self,
      rename: true,
    };
  }
  if (actor.role === 'vendor_manager')
    return { showRole: false, roleLockedReason: null, toggleActive: !self && !staffTarget, rename: !staffTarget };
  return { showRole: false, roleLockedReason: null, toggleActive: false, rename: false };
}
