import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

import type { FindingSeverity, FindingSource, FindingStatus } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

/** One finding, whatever raised it; vendor contacts see their own vendor's. */
@TenantScoped({ vendor: 'vendorId' })
@Entity('findings')
export class Finding {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('text') source!: FindingSource;
  @Column('uuid', { name: 'source_id', nullable: true }) sourceId!: string | null;
  @Column('text', { name: 'source_key', nullable: true }) sourceKey!: string | null;
  @Column('text') title!: string;
  @Column('text') details!: string;
  @Column('text') severity!: FindingSeverity;
  /** As stored: a `risk_accepted` whose acceptance has expired reads `open` (see `effectiveStatus`) until the sweep records it. */
  @Column('text') status!: FindingStatus;
  @Column('text', { name: 'returned_from', nullable: true }) returnedFrom!: FindingStatus | null;
  @Column('uuid', { name: 'vendor_owner_id', nullable: true }) vendorOwnerId!: string | null;
  @Column('date', { name: 'due_date' }) dueDate!: string;
  @Column('text', { name: 'root_cause', nullable: true }) rootCause!: string | null;
  @Column('text', { name: 'corrective_action', nullable: true }) correctiveAction!: string | null;
  @Column('date', { name: 'target_date', nullable: true }) targetDate!: string | null;
  @Column('date', { name: 'risk_accepted_until', nullable: true }) riskAcceptedUntil!: string | null;
  @Column('timestamptz', { name: 'raised_at' }) raisedAt!: Date;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @VersionColumn() version!: number;
}

/** One step in a finding's history: append-only. */
@TenantScoped({ vendor: 'vendorId' })
@Entity('finding_events')
export class FindingEvent {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('uuid', { name: 'finding_id' }) findingId!: string;
  @Column('text') kind!: string;
  @Column('text', { name: 'from_status', nullable: true }) fromStatus!: FindingStatus | null;
  @Column('text', { name: 'to_status', nullable: true }) toStatus!: FindingStatus | null;
  @Column('text', { nullable: true }) note!: string | null;
  @Column('uuid', { name: 'evidence_ids', array: true }) evidenceIds!: string[];
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId!: string | null;
  @Column('text', { name: 'actor_side' }) actorSide!: 'vendor' | 'internal' | 'system';
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** A risk acceptance: requested by one person, approved by another, until its expiry. Append-only: extending is a new row. */
@TenantScoped({ vendor: 'vendorId' })
@Entity('finding_risk_acceptances')
export class FindingRiskAcceptance {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('uuid', { name: 'finding_id' }) findingId!: string;
  @Column('text') reason!: string;
  @Column('date', { name: 'expires_at' }) expiresAt!: string;
  @Column('uuid', { name: 'requested_by', nullable: true }) requestedBy!: string | null;
  @CreateDateColumn({ name: 'requested_at', type: 'timestamptz' }) requestedAt!: Date;
  @Column('uuid', { name: 'approved_by', nullable: true }) approvedBy!: string | null;
  @Column('timestamptz', { name: 'approved_at', nullable: true }) approvedAt!: Date | null;
}
