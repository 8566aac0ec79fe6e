import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import { TenantScoped } from '../tenancy/tenant-scope.js';

@TenantScoped({ vendor: null })
@Entity('audit_log')
@Index(['organizationId', 'seq'], { unique: true })
export class AuditEntry {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('bigint', { transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  seq!: number;

  @Column('timestamptz')
  at!: Date;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId!: string | null;

  @Column('text', { name: 'actor_email', nullable: true })
  actorEmail!: string | null;

  @Column('text')
  action!: string;

  @Column('text', { name: 'entity_type' })
  entityType!: string;

  @Column('uuid', { name: 'entity_id', nullable: true })
  entityId!: string | null;

  @Column('jsonb', { nullable: true })
  diff!: Record<string, unknown> | null;

  @Column('text', { name: 'prev_hash' })
  prevHash!: string;

  @Column('text')
  hash!: string;

  /** HMAC under AUDIT_KEY of `hash`, chained through the previous entry's MAC; null on entries older than the key (ADR 0008). */
  @Column('text', { nullable: true })
  mac!: string | null;
}
