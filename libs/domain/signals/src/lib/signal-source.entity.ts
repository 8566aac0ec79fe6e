import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

import { TenantScoped } from '@bulwark/platform';

export type SourceStatus = 'pending' | 'ok' | 'failing' | 'invalid_config' | 'disabled';

/** One configured plugin instance watching a vendor (or one of its services). */
@TenantScoped({ vendor: 'vendorId' })
@Entity('signal_sources')
export class SignalSource {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'vendor_id' })
  vendorId!: string;

  @Column('uuid', { name: 'service_id', nullable: true })
  serviceId!: string | null;

  @Column('text')
  plugin!: string;

  @Column('text')
  name!: string;

  /** Non-secret configuration. Secret fields live encrypted in `secrets`. */
  @Column('jsonb')
  config!: Record<string, unknown>;

  /** AES-256-GCM ciphertext of the secret config fields; never returned by the API. */
  @Column('text', { nullable: true, select: false })
  secrets!: string | null;

  @Column('integer', { name: 'schedule_seconds' })
  scheduleSeconds!: number;

  @Column('boolean')
  enabled!: boolean;

  @Column('text', { name: 'webhook_key', nullable: true, select: false })
  webhookKey!: string | null;

  @Column('text')
  status!: SourceStatus;

  @Column('timestamptz', { name: 'last_poll_at', nullable: true })
  lastPollAt!: Date | null;

  @Column('timestamptz', { name: 'last_success_at', nullable: true })
  lastSuccessAt!: Date | null;

  @Column('integer', { name: 'consecutive_failures' })
  consecutiveFailures!: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
