import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { TenantScoped } from '@bulwark/platform';
import type { RawRef, SignalLevel, SignalScore } from '@bulwark/plugin-sdk';

/** A normalized signal as stored: upserted by `dedupeKey` (source id + external id). */
@TenantScoped({ vendor: 'vendorId' })
@Entity('signals')
export class StoredSignal {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'vendor_id' })
  vendorId!: string;

  @Column('uuid', { name: 'service_id', nullable: true })
  serviceId!: string | null;

  /** Null once the source is deleted: the signals it recorded stay, with their history. */
  @Column('uuid', { name: 'source_id', nullable: true })
  sourceId!: string | null;

  @Column('text', { name: 'dedupe_key' })
  dedupeKey!: string;

  @Column('text', { name: 'external_id' })
  externalId!: string;

  @Column('text', { name: 'signal_type' })
  signalType!: string;

  @Column('text', { nullable: true })
  component!: string | null;

  @Column('text', { nullable: true })
  region!: string | null;

  @Column('text')
  level!: SignalLevel;

  @Column('smallint', { nullable: true })
  severity!: number | null;

  @Column('text', { nullable: true })
  lifecycle!: string | null;

  @Column('text')
  title!: string;

  @Column('text', { nullable: true })
  detail!: string | null;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt!: Date | null;

  @Column('timestamptz', { name: 'provider_updated_at', nullable: true })
  providerUpdatedAt!: Date | null;

  @Column('timestamptz', { name: 'resolved_at', nullable: true })
  resolvedAt!: Date | null;

  @Column('timestamptz', { name: 'scheduled_for', nullable: true })
  scheduledFor!: Date | null;

  @Column('timestamptz', { name: 'scheduled_until', nullable: true })
  scheduledUntil!: Date | null;

  @Column('jsonb', { nullable: true })
  score!: SignalScore | null;

  @Column('text', { nullable: true })
  url!: string | null;

  @Column('date', { name: 'as_of', nullable: true })
  asOf!: string | null;

  /** When the provider announced a scheduled maintenance. */
  @Column('timestamptz', { name: 'announced_at', nullable: true })
  announcedAt!: Date | null;

  /** Where the current state was read from; the body is in the file storage by its SHA-256. */
  @Column('jsonb', { name: 'raw_ref', nullable: true })
  rawRef!: RawRef | null;

  @Column('text', { name: 'content_hash' })
  contentHash!: string;

  @Column('timestamptz', { name: 'first_seen_at' })
  firstSeenAt!: Date;

  @Column('timestamptz', { name: 'changed_at' })
  changedAt!: Date;
}
