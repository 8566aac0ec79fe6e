import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

import type { ThreadAudience } from '@bulwark/api-schema';

import { TenantScoped } from '../tenancy/tenant-scope.js';

/**
 * One comment on a thread: the thread is (target type, target id), any workflow object an area has
 * registered (`ThreadTargets`). Vendor-bound: a vendor contact reads only its vendor's threads, and of
 * them only the `vendor` audience (`ThreadService`).
 */
@TenantScoped({ vendor: 'vendorId' })
@Entity('thread_comments')
export class ThreadComment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id', nullable: true }) vendorId!: string | null;
  @Column('text', { name: 'target_type' }) targetType!: string;
  @Column('uuid', { name: 'target_id' }) targetId!: string;
  @Column('text') audience!: ThreadAudience;
  @Column('uuid', { name: 'author_id', nullable: true }) authorId!: string | null;
  @Column('text', { name: 'author_side' }) authorSide!: 'customer' | 'vendor';
  @Column('text') body!: string;
  /** Users mentioned (ids). */
  @Column('jsonb') mentions!: string[];
  /** Evidence items attached (ids of the evidence vault, stored as given). */
  @Column('jsonb', { name: 'evidence_ids' }) evidenceIds!: string[];
  /** Web links (the breach dispute thread's evidence links). */
  @Column('jsonb') links!: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
