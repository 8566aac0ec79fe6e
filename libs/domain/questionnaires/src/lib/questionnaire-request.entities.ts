import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

import type { AnswerValue, QuestionnaireRequestStatus, ReviewAudience, ScoreResult, TemplateDocument } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

/**
 * A questionnaire sent to one vendor: a snapshot of a published template version (frozen by a trigger), its due
 * date and recipients, where it stands, and its score once accepted. Vendor contacts read their own vendor's.
 */
@TenantScoped({ vendor: 'vendorId' })
@Entity('questionnaire_requests')
export class QuestionnaireRequest {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('uuid', { name: 'template_id' }) templateId!: string;
  @Column('uuid', { name: 'template_version_id' }) templateVersionId!: string;
  @Column('integer', { name: 'template_version' }) templateVersion!: number;
  @Column('text', { name: 'template_name' }) templateName!: string;
  @Column('jsonb') content!: TemplateDocument;
  @Column('text', { name: 'content_hash' }) contentHash!: string;
  @Column('text') status!: QuestionnaireRequestStatus;
  @Column('date', { name: 'due_date' }) dueDate!: string;
  @Column('text', { nullable: true }) message!: string | null;
  @Column('uuid', { name: 'recipient_ids', array: true }) recipientIds!: string[];
  /** After changes were requested: the only question keys the vendor may change; null: all. */
  @Column('text', { name: 'reopened_keys', array: true, nullable: true }) reopenedKeys!: string[] | null;
  @Column('uuid', { name: 'sent_by', nullable: true }) sentBy!: string | null;
  @Column('timestamptz', { name: 'sent_at' }) sentAt!: Date;
  @Column('timestamptz', { name: 'submitted_at', nullable: true }) submittedAt!: Date | null;
  @Column('uuid', { name: 'submitted_by', nullable: true }) submittedBy!: string | null;
  @Column('timestamptz', { name: 'accepted_at', nullable: true }) acceptedAt!: Date | null;
  @Column('uuid', { name: 'accepted_by', nullable: true }) acceptedBy!: string | null;
  @Column('jsonb', { nullable: true }) score!: ScoreResult | null;
  @Column('numeric', { name: 'score_percent', nullable: true }) scorePercent!: string | null;
  @Column('timestamptz', { name: 'cancelled_at', nullable: true }) cancelledAt!: Date | null;
  @Column('uuid', { name: 'cancelled_by', nullable: true }) cancelledBy!: string | null;
  @Column('text', { name: 'cancel_reason', nullable: true }) cancelReason!: string | null;
  /** The campaign and cycle that sent it (unique per campaign, cycle and vendor). */
  @Column('uuid', { name: 'campaign_id', nullable: true }) campaignId!: string | null;
  @Column('integer', { name: 'campaign_cycle', nullable: true }) campaignCycle!: number | null;
  /** The accepted request whose answers pre-filled this one, when it was accepted and how many answers came from it. */
  @Column('uuid', { name: 'prefilled_from', nullable: true }) prefilledFrom!: string | null;
  @Column('timestamptz', { name: 'prefilled_accepted_at', nullable: true }) prefilledAcceptedAt!: Date | null;
  @Column('integer', { name: 'prefilled_answers', default: 0 }) prefilledAnswers!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @VersionColumn() version!: number;
}

/**
 * One answer of a request, by question key. `version` counts the writes (0: a row that holds only a review
 * decision); a write names the version it read and a stale one is refused with the current answer. Answers to
 * questions that became hidden stay here but are not shown, scored or required.
 */
@TenantScoped({ vendor: 'vendorId' })
@Entity('questionnaire_answers')
export class QuestionnaireAnswer {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('uuid', { name: 'request_id' }) requestId!: string;
  @Column('text', { name: 'question_key' }) questionKey!: string;
  @Column('jsonb', { nullable: true }) value!: AnswerValue;
  @Column('text', { nullable: true }) comment!: string | null;
  @Column('integer') version!: number;
  @Column('uuid', { name: 'updated_by', nullable: true }) updatedBy!: string | null;
  @Column('timestamptz', { name: 'answered_at', nullable: true }) answeredAt!: Date | null;
  @Column('text', { name: 'review_decision', nullable: true }) reviewDecision!: 'accepted' | 'flagged' | null;
  @Column('text', { name: 'review_comment', nullable: true }) reviewComment!: string | null;
  @Column('text', { name: 'review_audience', nullable: true }) reviewAudience!: ReviewAudience | null;
  @Column('uuid', { name: 'reviewed_by', nullable: true }) reviewedBy!: string | null;
  @Column('timestamptz', { name: 'reviewed_at', nullable: true }) reviewedAt!: Date | null;
  @Column('uuid', { name: 'finding_id', nullable: true }) findingId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
