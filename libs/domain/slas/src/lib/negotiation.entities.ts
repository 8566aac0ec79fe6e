import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

import type { NegotiationStatus, SlaTerms, TermAnswer } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

import type { SlaScope } from './sla.entities.js';

@TenantScoped({ vendor: 'vendorId' })
@Entity('negotiations')
export class Negotiation {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('uuid', { name: 'contract_id' }) contractId!: string;
  @Column('uuid', { name: 'sla_id', nullable: true }) slaId!: string | null;
  @Column('text', { name: 'sla_name' }) slaName!: string;
  @Column('jsonb') scope!: SlaScope;
  @Column('date', { name: 'effective_from' }) effectiveFrom!: string;
  @Column('text') status!: NegotiationStatus;
  @Column('integer', { name: 'current_round' }) currentRound!: number;
  @Column('uuid', { name: 'procurement_signed_by', nullable: true }) procurementSignedBy!: string | null;
  @Column('timestamptz', { name: 'procurement_signed_at', nullable: true }) procurementSignedAt!: Date | null;
  @Column('uuid', { name: 'vendor_signed_by', nullable: true }) vendorSignedBy!: string | null;
  @Column('timestamptz', { name: 'vendor_signed_at', nullable: true }) vendorSignedAt!: Date | null;
  @Column('integer', { name: 'resulting_version', nullable: true }) resultingVersion!: number | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @VersionColumn() version!: number;
}

@TenantScoped({ vendor: 'vendorId' })
@Entity('negotiation_rounds')
export class NegotiationRound {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('uuid', { name: 'negotiation_id' }) negotiationId!: string;
  @Column('integer') round!: number;
  @Column('jsonb') terms!: SlaTerms;
  @Column('uuid', { name: 'proposed_by', nullable: true }) proposedBy!: string | null;
  @Column('timestamptz', { name: 'proposed_at' }) proposedAt!: Date;
  @Column('jsonb', { nullable: true }) responses!: Record<string, TermAnswer> | null;
  @Column('uuid', { name: 'responded_by', nullable: true }) respondedBy!: string | null;
  @Column('timestamptz', { name: 'responded_at', nullable: true }) respondedAt!: Date | null;
}
