import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { TenantScoped } from '@bulwark/platform';

/** `serviceId` runs on `subServiceId` (another vendor's service: a fourth party). */
@TenantScoped({ vendor: 'vendorId' })
@Entity('subcontractor_links')
export class SubcontractorLink {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  /** Vendor of `serviceId`, denormalized so a vendor contact sees its own links. */
  @Column('uuid', { name: 'vendor_id' })
  vendorId!: string;

  @Column('uuid', { name: 'service_id' })
  serviceId!: string;

  @Column('uuid', { name: 'sub_service_id' })
  subServiceId!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
