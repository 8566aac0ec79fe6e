import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

import type { ContractClauses, ContractStatus } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

/** A `numeric` column read as a number. */
export const decimal = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

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
export class ContractServiceLink {
  @PrimaryColumn('uuid', { name: 'contract_id' }) contractId!: string;
  @PrimaryColumn('uuid', { name: 'service_id' }) serviceId!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  /** The service's fee per year in the contract's currency (null: not recorded): the credit base of the SLAs covering it. */
  @Column('numeric', { name: 'annual_fee', precision: 16, scale: 2, nullable: true, transformer: decimal }) annualFee!: number | null;
}
