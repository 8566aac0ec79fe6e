import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

import type { EvidenceConfidentiality, EvidenceKind, EvidenceTargetType } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

const bigintNumber = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

export type ScanStatus = 'not_scanned' | 'clean';
export type IntegrityStatus = 'ok' | 'failed';

/** A piece of evidence of a vendor (a SOC 2 report, a certificate…): its files are its revisions. */
@TenantScoped({ vendor: 'vendorId' })
@Entity('evidence_items')
export class EvidenceItem {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('text') title!: string;
  @Column('text') kind!: EvidenceKind;
  @Column('text') confidentiality!: EvidenceConfidentiality;
  @Column('uuid', { name: 'owner_id', nullable: true }) ownerId!: string | null;
  @Column('uuid', { name: 'current_revision_id', nullable: true }) currentRevisionId!: string | null;
  /** The current revision's valid-until, kept here for the expiry queries and reminders. */
  @Column('date', { name: 'valid_until', nullable: true }) validUntil!: string | null;
  @Column('text') integrity!: IntegrityStatus;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @VersionColumn() version!: number;
}

/** One uploaded file of an evidence item: immutable, content-addressed (SHA-256). */
@TenantScoped({ vendor: 'vendorId' })
@Entity('evidence_revisions')
export class EvidenceRevision {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'evidence_id' }) evidenceId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('integer') number!: number;
  @Column('text', { name: 'file_name' }) fileName!: string;
  @Column('text', { name: 'media_type' }) mediaType!: string;
  @Column('bigint', { name: 'size_bytes', transformer: bigintNumber }) sizeBytes!: number;
  @Column('text') sha256!: string;
  @Column('text') scan!: ScanStatus;
  @Column('text') integrity!: IntegrityStatus;
  @Column('date', { name: 'effective_date', nullable: true }) effectiveDate!: string | null;
  @Column('date', { name: 'valid_from', nullable: true }) validFrom!: string | null;
  @Column('date', { name: 'valid_until', nullable: true }) validUntil!: string | null;
  @Column('uuid', { name: 'uploaded_by', nullable: true }) uploadedBy!: string | null;
  @CreateDateColumn({ name: 'uploaded_at', type: 'timestamptz' }) uploadedAt!: Date;
}

/** A revision given as evidence for something (a contract, a finding…). */
@TenantScoped({ vendor: 'vendorId' })
@Entity('evidence_links')
export class EvidenceLink {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'evidence_id' }) evidenceId!: string;
  @Column('uuid', { name: 'revision_id' }) revisionId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('text', { name: 'target_type' }) targetType!: EvidenceTargetType;
  @Column('uuid', { name: 'target_id' }) targetId!: string;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
