import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { FindingService } from '@bulwark/findings';
import { JobRegistry, RequestContext, systemActor } from '@bulwark/platform';

declare module '@bulwark/platform' {
  interface JobMap {
    /** Open the finding against a vendor that refused an audit the organization escalated. */
    'audits.refusal-finding': { organizationId: string; auditId: string };
  }
}

/** The source key of the finding an escalated refusal opens (one per audit). */
export const refusalFindingKey = (auditId: string) => `audit-refused:${auditId}`;

/**
 * Audits' background work: `audits.refusal-finding`, queued through the job outbox in the escalation's
 * transaction, raises the `audit` finding against the vendor that refused (idempotent by its source key, so a
 * delivery twice is one finding).
 */
@Injectable()
export class AuditsJob implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly findings: FindingService,
    private readonly jobs: JobRegistry,
  ) {}

  onModuleInit(): void {
    this.jobs.register('audits.refusal-finding', ({ organizationId, auditId }) => this.raiseRefusalFinding(organizationId, auditId));
  }

  /** Raises the refusal finding of an escalated audit once: a second delivery (or the demo seed's direct call) finds it raised. */
  async raiseRefusalFinding(organizationId: string, auditId: string): Promise<void> {
    const [a]: { vendor_id: string; title: string; refusal_reason: string | null; clause_name: string | null; window_start: string }[] =
      await this.dataSource.query(
        `SELECT vendor_id, title, refusal_reason, clause_name, to_char(window_start, 'YYYY-MM-DD') AS window_start
           FROM audit_requests WHERE id = $1 AND organization_id = $2`,
        [auditId, organizationId],
      );
    if (!a) return; // deleted since: nothing to raise
    const raised: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM findings WHERE organization_id = $1 AND vendor_id = $2 AND source = 'audit' AND source_key = $3`,
      [organizationId, a.vendor_id, refusalFindingKey(auditId)],
    );
    if (raised.length) return;
    await RequestContext.runAs(systemActor(organizationId, 'audits@bulwark'), () =>
      this.findings.raise({
        vendorId: a.vendor_id,
        source: 'audit',
        sourceId: auditId,
        sourceKey: refusalFindingKey(auditId),
        title: `Audit refused: ${a.title}`,
        details: `The vendor refused the audit "${a.title}" (window from ${a.window_start})${a.clause_name ? ` requested under the ${a.clause_name}` : ' outside the contractual entitlement'}. Reason given: ${a.refusal_reason ?? 'none'}.`,
        severity: 'high',
        vendorOwnerId: undefined,
      }),
    );
  }
}
