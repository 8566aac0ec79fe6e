import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import type { Criticality, RiskClass } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

/** One of the organization's own AI systems or business services. Vendors never see these. */
@TenantScoped({ vendor: null })
@Entity('internal_systems')
export class InternalSystem {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('text')
  name!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('text', { name: 'owner_name', nullable: true })
  ownerName!: string | null;

  @Column('text', { name: 'risk_class' })
  riskClass!: RiskClass;

  @Column('boolean', { name: 'is_ai_system', default: true })
  isAiSystem!: boolean;

  @Column('text')
  criticality!: Criticality;

  @Column('integer', { name: 'required_rto_minutes' })
  requiredRtoMinutes!: number;

  @Column('integer', { name: 'required_rpo_minutes' })
  requiredRpoMinutes!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
