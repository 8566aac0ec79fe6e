import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import type { Criticality } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

export interface ContingencyPlan {
  steps: string[];
  expectedSwitchMinutes?: number | null;
  dataPortability: 'full' | 'partial' | 'none' | 'unknown';
}

/** Internal system → service, with an alternative and an exit plan. Internal information: vendors never see it. */
@TenantScoped({ vendor: null })
@Entity('dependencies')
export class Dependency {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'system_id' })
  systemId!: string;

  @Column('uuid', { name: 'service_id' })
  serviceId!: string;

  @Column('text')
  criticality!: Criticality;

  @Column('uuid', { name: 'alternative_service_id', nullable: true })
  alternativeServiceId!: string | null;

  @Column('jsonb', { name: 'contingency_plan', nullable: true })
  contingencyPlan!: ContingencyPlan | null;

  @Column('text', { nullable: true })
  notes!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
