import { z } from 'zod';

import { entityId, paginationQuery, roleSchema, sortSchema, timestamp, uuidSchema } from './common.js';

export const loginSchema = z.strictObject({
  email: z.email().max(320),
  password: z.string().min(1).max(512),
});
export type LoginInput = z.infer<typeof loginSchema>;

/** Password rule: at least 12 characters (NIST 800-63B style length over composition). */
export const passwordSchema = z.string().min(12, 'must be at least 12 characters').max(512);

export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(512),
  newPassword: passwordSchema,
});

export const inviteContactSchema = z.strictObject({
  vendorId: uuidSchema,
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
});
export type InviteContactInput = z.infer<typeof inviteContactSchema>;

export const acceptInvitationSchema = z.strictObject({
  token: z.string().min(20).max(200),
  name: z.string().trim().min(1).max(200).optional(),
  password: passwordSchema,
});

export const invitationListQuery = z.strictObject({
  ...paginationQuery,
  /** Default: the newest first. */
  sort: sortSchema(['createdAt', 'expiresAt', 'email', 'name'] as const, '-createdAt'),
  vendorId: uuidSchema.optional(),
  /** `vendor`: vendor-contact invitations; `internal`: invitations of staff (admin, manager, procurement, auditor). */
  kind: z.enum(['vendor', 'internal']).optional(),
});

export type InvitationListQuery = z.infer<typeof invitationListQuery>;

export const internalRoleSchema = z.enum(['admin', 'vendor_manager', 'procurement', 'auditor'], {
  message: 'must be an internal role (admin, vendor_manager, procurement or auditor); vendor contacts are invited from their vendor',
});

/** An admin invites a member of staff with a role. */
export const inviteUserSchema = z.strictObject({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  role: internalRoleSchema,
});
export type InviteUserInput = z.infer<typeof inviteUserSchema>;

/** Changes to a user: the role (internal users only), the display name, or whether the account is active. */
export const updateUserSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    role: internalRoleSchema.optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => b.name !== undefined || b.role !== undefined || b.active !== undefined, {
    message: 'give at least one of name, role, active',
  });
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const userListQuery = z.strictObject({
  ...paginationQuery,
  pageSize: z.coerce.number().int().min(1).max(500).default(200),
  q: z.string().trim().max(200).optional(),
  role: roleSchema.optional(),
  vendorId: uuidSchema.optional(),
  /** Inactive (deactivated) users are left out unless asked for. */
  includeInactive: booleanQuery.optional(),
});
export type UserListQuery = z.infer<typeof userListQuery>;

export const sessionUserSchema = z.object({
  id: entityId,
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  organizationId: entityId,
  organizationName: z.string(),
  vendorId: entityId.nullable(),
  vendorName: z.string().nullable(),
});
export type SessionUser = z.output<typeof sessionUserSchema>;

export const loginResponseSchema = z.object({
  user: sessionUserSchema,
  /** Bearer token for API clients; the portal uses the httpOnly cookie instead. */
  token: z.string(),
  expiresAt: timestamp,
});
export type LoginResponse = z.output<typeof loginResponseSchema>;

export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;

export const invitationViewSchema = z.object({
  id: entityId,
  /** Null for an invitation of an internal user. */
  vendorId: entityId.nullable(),
  role: roleSchema,
  email: z.string(),
  name: z.string(),
  status: z.enum(INVITATION_STATUSES),
  expiresAt: timestamp,
  createdAt: timestamp,
  acceptedAt: timestamp.nullable(),
});
export type InvitationView = z.output<typeof invitationViewSchema>;

export const userViewSchema = z.object({
  id: entityId,
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  vendorId: entityId.nullable(),
  vendorName: z.string().nullable(),
  active: z.boolean(),
  createdAt: timestamp,
  lastLoginAt: timestamp.nullable(),
  deactivatedAt: timestamp.nullable(),
});
export type UserView = z.output<typeof userViewSchema>;

/** What an invitee sees before setting a password. */
export const invitationPreviewSchema = z.object({
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  organizationName: z.string(),
  /** Null for an internal user's invitation. */
  vendorName: z.string().nullable(),
  expiresAt: timestamp,
});
export type InvitationPreview = z.output<typeof invitationPreviewSchema>;
