import { z } from 'zod';
import { roleSchema, uuidSchema } from './common.js';

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
  vendorId: uuidSchema.optional(),
});

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: z.infer<typeof roleSchema>;
  organizationId: string;
  organizationName: string;
  vendorId: string | null;
  vendorName: string | null;
}

export interface LoginResponse {
  user: SessionUser;
  /** Bearer token for API clients; the portal uses the httpOnly cookie instead. */
  token: string;
  expiresAt: string;
}

export interface InvitationView {
  id: string;
  vendorId: string;
  email: string;
  name: string;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  expiresAt: string;
  createdAt: string;
  acceptedAt: string | null;
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: z.infer<typeof roleSchema>;
  vendorId: string | null;
}
