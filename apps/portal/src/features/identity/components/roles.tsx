import { Badge } from '@mantine/core';

import { INTERNAL_ROLES, type Role } from '@bulwark/api-schema';

import { roleLabel } from '../../../shared/lib/format';

export const ROLE_COLORS: Record<Role, string> = {
  admin: 'grape',
  vendor_manager: 'blue',
  procurement: 'teal',
  auditor: 'orange',
  vendor_contact: 'gray',
};

/** What each member-of-staff role may do, in one line (shown when choosing a role). */
export const ROLE_DESCRIPTIONS: Partial<Record<Role, string>> = {
  admin: 'Everything, including users, roles and the audit log.',
  vendor_manager: 'Vendors, services, systems, dependencies, imports and signal sources; deactivates vendor contacts.',
  procurement: 'Contracts, SLAs, negotiations, breaches and credits.',
  auditor: 'Reads everything, including the audit log; changes nothing.',
};

/** The four internal roles as native-select options. */
export const INTERNAL_ROLE_OPTIONS = INTERNAL_ROLES.map((r) => ({ value: r, label: roleLabel(r) }));

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge color={ROLE_COLORS[role]} variant="light" size="sm" data-testid="user-role" data-role={role} style={{ minWidth: 'max-content' }}>
      {roleLabel(role)}
    </Badge>
  );
}
