import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

import type { TemplateDocument, TemplateSource, TemplateVersionStatus } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

/**
 * A questionnaire template: its name, where its versions stand, and whether it is archived. Vendor contacts never
 * read templates (they will read the snapshot their request holds), so the scope has no vendor column.
 */
@TenantScoped({ vendor: null })
@Entity('questionnaire_templates')
export class QuestionnaireTemplate {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  /** The name of the version shown (the draft if there is one, else the latest published). */
  @Column('text') name!: string;
  @Column('text') description!: string;
  /** The shipped template this is (`ai-supplier-dr`), or null. */
  @Column('text', { name: 'builtin_key', nullable: true }) builtinKey!: string | null;
  @Column('integer', { name: 'latest_published_version', nullable: true }) latestPublishedVersion!: number | null;
  @Column('integer', { name: 'draft_version', nullable: true }) draftVersion!: number | null;
  @Column('integer', { name: 'question_count' }) questionCount!: number;
  @Column('timestamptz', { name: 'archived_at', nullable: true }) archivedAt!: Date | null;
  @Column('uuid', { name: 'archived_by', nullable: true }) archivedBy!: string | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @VersionColumn() version!: number;
}

/**
 * One version of a template: a draft (edited as a whole document, `revision` counting the saves) or a published
 * version, frozen with its content hash (the database refuses any change to a published version's content).
 */
@TenantScoped({ vendor: null })
@Entity('questionnaire_template_versions')
export class QuestionnaireTemplateVersion {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'template_id' }) templateId!: string;
  @Column('integer') version!: number;
  @Column('text') status!: TemplateVersionStatus;
  @Column('jsonb') content!: TemplateDocument;
  @Column('text', { name: 'content_hash' }) contentHash!: string;
  @Column('integer', { name: 'question_count' }) questionCount!: number;
  @Column('integer') revision!: number;
  @Column('jsonb', { nullable: true }) source!: TemplateSource | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('uuid', { name: 'updated_by', nullable: true }) updatedBy!: string | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column('uuid', { name: 'published_by', nullable: true }) publishedBy!: string | null;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt!: Date | null;
}
