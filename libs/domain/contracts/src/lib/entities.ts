import type { ContractClauses, ContractStatus, SlaTerms } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

const decimal = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@TenantScoped({ vendor: 'vendorId' })
@Entity('contracts')
export class Contract {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('text') title!: string;
  @Column('text', { nullable: true }) reference!: string | null;
  @Column('text') status!: ContractStatus;
  @Column('date', { name: 'effective_date' }) effectiveDate!: string;
  @Column('date', { name: 'expiry_date', nullable: true }) expiryDate!: string | null;
  @Column('integer', { name: 'renewal_notice_days' }) renewalNoticeDays!: number;
  @Column('numeric', { name: 'annual_value', nullable: true, transformer: decimal }) annualValue!: number | null;
  @Column('char', { length: 3 }) currency!: string;
  @Column('jsonb') clauses!: ContractClauses;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @VersionColumn() version!: number;
}

@TenantScoped({ vendor: null })
@Entity('contract_services')
export class ContractService {
  @PrimaryColumn('uuid', { name: 'contract_id' }) contractId!: string;
  @PrimaryColumn('uuid', { name: 'service_id' }) serviceId!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
}

@TenantScoped({ vendor: 'vendorId' })
@Entity('slas')
export class Sla {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('uuid', { name: 'contract_id' }) contractId!: string;
  @Column('text') name!: string;
  @Column('integer', { name: 'current_version' }) currentVersion!: number;
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
