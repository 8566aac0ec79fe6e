import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { CommitmentRow } from '@bulwark/api-schema';
import { RequestContext } from '@bulwark/platform';

import { commitmentRow, slasInForce, type DependencyRequirement, type VersionRow } from './commitment.js';

/** The commitment chain: for every dependency, what the system requires, what the contracts promise and (with joint DR tests) what was measured. */
@Injectable()
export class CommitmentChainService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Per dependency: required RTO/RPO vs the strictest contractual RTO/RPO of the SLAs in force that cover
   * its service. In force means the SLA version effective today (in the SLA's time zone) under an active,
   * unexpired contract; a version that takes effect later is reported as a notice, not as today's terms.
   */
  async commitmentChain(): Promise<CommitmentRow[]> {
    const actor = RequestContext.actor();
    const deps: DependencyRequirement[] = await this.dataSource.query(
      `SELECT d.id, i.id AS system_id, i.name AS system_name, s.id AS service_id, s.name AS service_name, v.id AS vendor_id, v.name AS vendor_name, d.criticality, i.required_rto_minutes AS rto, i.required_rpo_minutes AS rpo
         FROM dependencies d JOIN internal_systems i ON i.id = d.system_id JOIN services s ON s.id = d.service_id JOIN vendors v ON v.id = s.vendor_id
        WHERE d.organization_id = $1 ORDER BY i.name, s.name`,
      [actor.organizationId],
    );
    const versions: VersionRow[] = await this.dataSource.query(
      `SELECT s.id AS sla_id, s.name, c.title AS contract_title, c.status AS contract_status, to_char(c.expiry_date, 'YYYY-MM-DD') AS expiry_date,
              v.version, to_char(v.effective_from, 'YYYY-MM-DD') AS effective_from, v.terms, v.scope
         FROM slas s JOIN contracts c ON c.id = s.contract_id JOIN sla_versions v ON v.sla_id = s.id
        WHERE s.organization_id = $1
        ORDER BY s.id, v.effective_from, v.version`,
      [actor.organizationId],
    );
    const slas = slasInForce(versions, new Date());
    return deps.map((d) => commitmentRow(d, slas));
  }
}
