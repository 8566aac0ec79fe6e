import { INTERNAL_ROLES, type Role } from '@bulwark/api-schema';

export const INVENTORY_WRITERS: readonly Role[] = ['admin', 'vendor_manager'];
export const AUDIT_READERS: readonly Role[] = ['auditor', 'admin'];
/** Signal sources run plugins against the network and hold credentials. */
export const SIGNAL_SOURCE_WRITERS: readonly Role[] = ['admin', 'vendor_manager'];

/** Contracts and SLA terms belong to procurement (and admins). */
export const CONTRACT_WRITERS: readonly Role[] = ['admin', 'procurement'];

/** Negotiations are opened, advanced and cancelled by procurement (and admins); the vendor answers. */
export const NEGOTIATION_STARTERS: readonly Role[] = CONTRACT_WRITERS;

/** Who opens the Users page: admins manage everyone, vendor managers deactivate vendor contacts. */
export const USER_MANAGERS: readonly Role[] = ['admin', 'vendor_manager'];

/** Who decides a disputed SLA breach (upheld or waived). */
export const BREACH_RESOLVERS: readonly Role[] = ['admin', 'procurement', 'vendor_manager'];

export function isInternal(role: Role): boolean {
  return INTERNAL_ROLES.includes(role);
}

/** Vendors, services, systems, dependencies, contacts, invitations and imports. */
export function canWriteInventory(role: Role): boolean {
  return INVENTORY_WRITERS.includes(role);
}

/** Create, edit, delete, test, poll and upload to signal sources; everyone internal may read them. */
export function canManageSources(role: Role): boolean {
  return SIGNAL_SOURCE_WRITERS.includes(role);
}

export function canWriteContracts(role: Role): boolean {
  return CONTRACT_WRITERS.includes(role);
}

/** Vendor contacts (and admins) may file the vendor's own availability figure for an SLA window. */
export function canFileVendorReports(role: Role): boolean {
  return role === 'vendor_contact' || role === 'admin';
}

export function canReadAudit(role: Role): boolean {
  return AUDIT_READERS.includes(role);
}

export function homePath(role: Role): string {
  return role === 'vendor_contact' ? '/vendor-home' : '/vendors';
}

export function canStartNegotiations(role: Role): boolean {
  return NEGOTIATION_STARTERS.includes(role);
}

export function canResolveBreaches(role: Role): boolean {
  return BREACH_RESOLVERS.includes(role);
}

/** Internal resolvers and the vendor's contacts write on a breach's dispute thread (auditors read). */
export function canCommentOnBreaches(role: Role): boolean {
  return role === 'vendor_contact' || BREACH_RESOLVERS.includes(role);
}

/** The Users page (`/admin/users`) and its nav item. */
export function canManageUsers(role: Role): boolean {
  return USER_MANAGERS.includes(role);
}

/** Only admins invite staff (and re-send or revoke staff invitations). */
export function canInviteStaff(role: Role): boolean {
  return role === 'admin';
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
  if (actor.role === 'vendor_manager') return { showRole: false, roleLockedReason: null, toggleActive: !self && !staffTarget, rename: !staffTarget };
  return { showRole: false, roleLockedReason: null, toggleActive: false, rename: false };
}
