import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import type { AiModel, ServiceKind } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

@TenantScoped({ vendor: 'vendorId' })
@Entity('services')
export class Service {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'vendor_id' })
  vendorId!: string;

  @Column('text')
  name!: string;

  @Column('text')
  kind!: ServiceKind;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  regions!: string[];

  @Column('jsonb', { default: () => "'[]'" })
  models!: AiModel[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
