import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

import type { Lifecycle, Tier, TierIntake } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

@TenantScoped({ vendor: 'id' })
@Entity('vendors')
export class Vendor {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('text')
  name!: string;

  @Column('text')
  slug!: string;

  @Column('text', { name: 'legal_name', nullable: true })
  legalName!: string | null;

  @Column('text', { nullable: true })
  website!: string | null;

  @Column('char', { length: 2, nullable: true })
  country!: string | null;

  /** Internal notes: never shown to the vendor's contacts. */
  @Column('text', { nullable: true })
  description!: string | null;

  /** Written for the vendor's contacts: the one free text of the vendor they see. */
  @Column('text', { name: 'shared_summary', nullable: true })
  sharedSummary!: string | null;

  @Column('text', { nullable: true })
  lei!: string | null;

  @Column('text', { nullable: true })
  cik!: string | null;

  @Column('text', { name: 'company_number', nullable: true })
  companyNumber!: string | null;

  @Column('text', { nullable: true })
  duns!: string | null;

  @Column('text')
  lifecycle!: Lifecycle;

  @Column('uuid', { name: 'owner_id', nullable: true })
  ownerId!: string | null;

  @Column('jsonb')
  intake!: TierIntake;

  @Column('text', { name: 'computed_tier' })
  computedTier!: Tier;

  @Column('integer', { name: 'tier_score' })
  tierScore!: number;

  @Column('text', { name: 'tier_override', nullable: true })
  tierOverride!: Tier | null;

  @Column('text', { name: 'tier_override_reason', nullable: true })
  tierOverrideReason!: string | null;

  @Column('uuid', { name: 'tier_override_by', nullable: true })
  tierOverrideBy!: string | null;

  @Column('timestamptz', { name: 'tier_override_at', nullable: true })
  tierOverrideAt!: Date | null;

  /** The effective tier: the override when present, else the computed one. Kept for filtering and sorting. */
  @Column('text')
  tier!: Tier;

  @VersionColumn()
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
