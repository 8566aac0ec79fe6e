import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

import type { AuditItemStatus, AuditMode, AuditorKind, AuditStatus, ContractClauses, Entitlement } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

/** A right-to-audit request to a vendor; vendor contacts see their own vendor's once issued (the service hides drafts). */
@TenantScoped({ vendor: 'vendorId' })
@Entity('audit_requests')
export class AuditRequest {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('uuid', { name: 'contract_id', nullable: true }) contractId!: string | null;
  /** The clause as it stood when the request was made. */
  @Column('jsonb', { nullable: true }) clause!: ContractClauses['rightToAudit'];
  @Column('text', { name: 'clause_name', nullable: true }) clauseName!: string | null;
  @Column('text') title!: string;
  @Column('text') mode!: AuditMode;
  @Column('text', { name: 'auditor_kind' }) auditorKind!: AuditorKind;
  @Column('text', { name: 'auditor_name', nullable: true }) auditorName!: string | null;
  @Column('uuid', { name: 'scope_service_ids', array: true }) scopeServiceIds!: string[];
  @Column('text', { name: 'scope_topics', array: true }) scopeTopics!: string[];
  @Column('uuid', { name: 'scope_system_ids', array: true }) scopeSystemIds!: string[];
  @Column('text') objectives!: string;
  @Column('date', { name: 'window_start' }) windowStart!: string;
  @Column('date', { name: 'window_end' }) windowEnd!: string;
  @Column('text', { name: 'time_zone' }) timeZone!: string;
  @Column('text') status!: AuditStatus;
  /** The entitlement computed when the request was made or last issued. */
  @Column('jsonb', { nullable: true }) entitlement!: Entitlement | null;
  @Column('text', { name: 'override_reason', nullable: true }) overrideReason!: string | null;
  @Column('uuid', { name: 'override_by', nullable: true }) overrideBy!: string | null;
  @Column('timestamptz', { name: 'override_at', nullable: true }) overrideAt!: Date | null;
  @Column('boolean', { name: 'outside_entitlement' }) outsideEntitlement!: boolean;
  @Column('date', { name: 'counter_start', nullable: true }) counterStart!: string | null;
  @Column('date', { name: 'counter_end', nullable: true }) counterEnd!: string | null;
  @Column('text', { name: 'counter_note', nullable: true }) counterNote!: string | null;
  @Column('timestamptz', { name: 'counter_at', nullable: true }) counterAt!: Date | null;
  @Column('text', { name: 'refusal_reason', nullable: true }) refusalReason!: string | null;
  @Column('text', { name: 'cancel_reason', nullable: true }) cancelReason!: string | null;
  @Column('date', { name: 'fieldwork_start', nullable: true }) fieldworkStart!: string | null;
  @Column('date', { name: 'fieldwork_end', nullable: true }) fieldworkEnd!: string | null;
  @Column('text', { array: true }) attendees!: string[];
  @Column('uuid', { name: 'report_evidence_id', nullable: true }) reportEvidenceId!: string | null;
  @Column('timestamptz', { name: 'issued_at', nullable: true }) issuedAt!: Date | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @VersionColumn() version!: number;
}

/** One requested item ("provided by client"): answered by the vendor, accepted or returned by the organization. */
@TenantScoped({ vendor: 'vendorId' })
@Entity('audit_request_items')
export class AuditItem {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('uuid', { name: 'audit_id' }) auditId!: string;
  @Column('text') reference!: string;
  @Column('text') description!: string;
  @Column('date', { name: 'due_date' }) dueDate!: string;
  @Column('uuid', { name: 'owner_id', nullable: true }) ownerId!: string | null;
  @Column('text') status!: AuditItemStatus;
  @Column('uuid', { name: 'evidence_ids', array: true }) evidenceIds!: string[];
  @Column('text', { name: 'not_applicable_reason', nullable: true }) notApplicableReason!: string | null;
  @Column('text', { name: 'response_note', nullable: true }) responseNote!: string | null;
  @Column('timestamptz', { name: 'responded_at', nullable: true }) respondedAt!: Date | null;
  @Column('uuid', { name: 'decided_by', nullable: true }) decidedBy!: string | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @VersionColumn() version!: number;
}

/** One step in an audit's history (or one of its items'): append-only. */
@TenantScoped({ vendor: 'vendorId' })
@Entity('audit_request_events')
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('uuid', { name: 'audit_id' }) auditId!: string;
  @Column('uuid', { name: 'item_id', nullable: true }) itemId!: string | null;
  @Column('text') kind!: string;
  @Column('text', { name: 'from_status', nullable: true }) fromStatus!: AuditStatus | null;
  @Column('text', { name: 'to_status', nullable: true }) toStatus!: AuditStatus | null;
  @Column('text', { nullable: true }) note!: string | null;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId!: string | null;
  @Column('text', { name: 'actor_side' }) actorSide!: 'vendor' | 'internal' | 'system';
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
