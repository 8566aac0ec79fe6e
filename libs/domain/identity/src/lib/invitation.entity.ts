import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

import type { Role } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

/**
 * An invitation: for a vendor contact (role `vendor_contact`, bound to a vendor) or for a member of staff
 * (an internal role, no vendor). Expiring, single use, revocable. Only the token's hash is stored.
 */
@TenantScoped({ vendor: 'vendorId' })
@Entity('invitations')
export class Invitation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'vendor_id', nullable: true })
  vendorId!: string | null;

  @Column('text', { default: 'vendor_contact' })
  role!: Role;

  @Column('text')
  email!: string;

  @Column('text')
  name!: string;

  @Column('text', { name: 'token_hash', unique: true, select: false })
  tokenHash!: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'accepted_at', nullable: true })
  acceptedAt!: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('uuid', { name: 'invited_by', nullable: true })
  invitedBy!: string | null;

  @Column('integer', { name: 'send_count', default: 0 })
  sendCount!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
