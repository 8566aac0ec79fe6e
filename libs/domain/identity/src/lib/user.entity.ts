import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import type { Role } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

@TenantScoped({ vendor: 'vendorId' })
@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  /** Stored lower-cased; unique across Bulwark because it is the login name. */
  @Column('text', { unique: true })
  email!: string;

  @Column('text')
  name!: string;

  @Column('text')
  role!: Role;

  @Column('uuid', { name: 'vendor_id', nullable: true })
  vendorId!: string | null;

  @Column('text', { name: 'password_hash', select: false })
  passwordHash!: string;

  @Column('boolean', { default: true })
  active!: boolean;

  @Column('timestamptz', { name: 'deactivated_at', nullable: true })
  deactivatedAt!: Date | null;

  @Column('timestamptz', { name: 'last_login_at', nullable: true })
  lastLoginAt!: Date | null;

  @Column('timestamptz', { name: 'password_changed_at', nullable: true })
  passwordChangedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
