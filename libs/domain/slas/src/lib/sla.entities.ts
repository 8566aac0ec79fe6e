import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import { decimal } from '@bulwark/agreements';
import type { SlaTerms } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

@TenantScoped({ vendor: 'vendorId' })
@Entity('slas')
export class Sla {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('uuid', { name: 'contract_id' }) contractId!: string;
  @Column('text') name!: string;
  /** The newest version's number (which need not be in force yet: see `inForce`). */
  @Column('integer', { name: 'current_version' }) latestVersion!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

export interface SlaScope {
  serviceIds: string[];
  components: string[];
  regions: string[];
}

@TenantScoped({ vendor: 'vendorId' })
@Entity('sla_versions')
export class SlaVersion {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'sla_id' }) slaId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('integer') version!: number;
  @Column('date', { name: 'effective_from' }) effectiveFrom!: string;
  @Column('jsonb') terms!: SlaTerms;
  @Column('jsonb') scope!: SlaScope;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@TenantScoped({ vendor: 'vendorId' })
@Entity('sla_vendor_reports')
export class SlaVendorReport {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'sla_id' }) slaId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('text', { name: 'window_label' }) windowLabel!: string;
  @Column('numeric', { precision: 7, scale: 4, transformer: decimal }) availability!: number;
  @Column('text', { nullable: true }) note!: string | null;
  @Column('uuid', { name: 'reported_by', nullable: true }) reportedBy!: string | null;
  @Column('timestamptz', { name: 'reported_at' }) reportedAt!: Date;
}
