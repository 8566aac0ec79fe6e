import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

import { decimal } from '@bulwark/agreements';
import type { BreachStatus, CreditBasis } from '@bulwark/api-schema';
import { TenantScoped } from '@bulwark/platform';

/** One window of an SLA as last recomputed: the rollup the portfolio and "achieved" read. */
@TenantScoped({ vendor: 'vendorId' })
@Entity('sla_attainment')
export class SlaAttainment {
  @PrimaryColumn('uuid', { name: 'sla_id' }) slaId!: string;
  @PrimaryColumn('text', { name: 'window_label' }) windowLabel!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('timestamptz', { name: 'window_start' }) windowStart!: Date;
  @Column('integer') version!: number;
  @Column('numeric', { precision: 7, scale: 4, transformer: decimal }) target!: number;
  @Column('numeric', { precision: 7, scale: 4, transformer: decimal }) availability!: number;
  @Column('numeric', { name: 'downtime_minutes', precision: 12, scale: 2, transformer: decimal }) downtimeMinutes!: number;
  @Column('numeric', { name: 'excluded_minutes', precision: 12, scale: 2, transformer: decimal }) excludedMinutes!: number;
  @Column('boolean') breached!: boolean;
  @Column('numeric', { name: 'credit_percent', precision: 7, scale: 4, transformer: decimal }) creditPercent!: number;
  @Column('numeric', { name: 'credit_amount', precision: 16, scale: 2, nullable: true, transformer: decimal }) creditAmount!: number | null;
  @Column('boolean') open!: boolean;
  @Column('timestamptz', { name: 'computed_at' }) computedAt!: Date;
}

/** A closed window below its target, with the credit due; disputed, upheld, waived or withdrawn. */
@TenantScoped({ vendor: 'vendorId' })
@Entity('sla_breaches')
export class SlaBreach {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'sla_id' }) slaId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('text', { name: 'window_label' }) windowLabel!: string;
  @Column('numeric', { precision: 7, scale: 4, transformer: decimal }) availability!: number;
  @Column('numeric', { precision: 7, scale: 4, transformer: decimal }) target!: number;
  @Column('numeric', { name: 'credit_percent', precision: 7, scale: 4, transformer: decimal }) creditPercent!: number;
  @Column('numeric', { name: 'credit_amount', precision: 16, scale: 2, nullable: true, transformer: decimal }) creditAmount!: number | null;
  /** How `creditAmount` was computed (the fees of the covered services); null when stored before they were recorded. */
  @Column('jsonb', { name: 'credit_basis', nullable: true }) creditBasis!: CreditBasis | null;
  @Column('text') status!: BreachStatus;
  @Column('timestamptz', { name: 'detected_at' }) detectedAt!: Date;
  @Column('uuid', { name: 'resolved_by', nullable: true }) resolvedBy!: string | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt!: Date | null;
  @Column('text', { name: 'resolution_note', nullable: true }) resolutionNote!: string | null;
  /** Bumped at every change of state; the breach outbox sends a notice while `notifiedSeq < stateSeq`. */
  @Column('integer', { name: 'state_seq' }) stateSeq!: number;
  @Column('integer', { name: 'notified_seq' }) notifiedSeq!: number;
}
