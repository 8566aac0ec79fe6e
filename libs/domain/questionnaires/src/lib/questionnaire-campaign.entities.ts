import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

import type { CampaignFilter, CampaignRecurrence, CampaignStatus } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

/**
 * A questionnaire campaign: a template sent to every vendor a filter targets, once or on a recurrence. The
 * organization's planning: vendor contacts never read it (they see their own requests only).
 */
@TenantScoped({ vendor: null })
@Entity('questionnaire_campaigns')
export class QuestionnaireCampaign {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text') name!: string;
  @Column('uuid', { name: 'template_id' }) templateId!: string;
  @Column('uuid', { name: 'template_version_id' }) templateVersionId!: string;
  @Column('jsonb') filter!: CampaignFilter;
  @Column('integer', { name: 'due_in_days' }) dueInDays!: number;
  @Column('text', { nullable: true }) recurrence!: CampaignRecurrence | null;
  @Column('text', { nullable: true }) message!: string | null;
  /** Vendors without a portal account get an invitation to their contact on file with the request. */
  @Column('boolean', { name: 'invite_contacts' }) inviteContacts!: boolean;
  @Column('text') status!: CampaignStatus;
  /** `YYYY-MM-DD`: when the next cycle runs (null: no further cycle). */
  @Column('date', { name: 'next_cycle_on', nullable: true }) nextCycleOn!: string | null;
  @Column('integer') cycles!: number;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @Column('timestamptz', { name: 'paused_at', nullable: true }) pausedAt!: Date | null;
  @Column('timestamptz', { name: 'cancelled_at', nullable: true }) cancelledAt!: Date | null;
  @Column('uuid', { name: 'cancelled_by', nullable: true }) cancelledBy!: string | null;
  @Column('text', { name: 'cancel_reason', nullable: true }) cancelReason!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @VersionColumn() version!: number;
}
