import { z } from 'zod';

import { entityId } from './common.js';
import { CRITICALITIES } from './inventory.js';

/** The commitment chain: required vs contractual vs measured RTO/RPO per dependency (the resilience area's API shapes). */
export const COMMITMENT_STATUSES = ['covered', 'contract_gap', 'test_gap', 'untested'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

const minutes = z.number().int().min(0);

export const commitmentRowSchema = z.object({
  dependencyId: entityId,
  systemId: entityId,
  systemName: z.string(),
  serviceId: entityId,
  serviceName: z.string(),
  vendorId: entityId,
  vendorName: z.string(),
  criticality: z.enum(CRITICALITIES),
  requiredRtoMinutes: minutes,
  requiredRpoMinutes: minutes,
  contractualRtoMinutes: minutes.nullable(),
  contractualRpoMinutes: minutes.nullable(),
  slaId: entityId.nullable(),
  slaName: z.string().nullable(),
  /** From joint DR tests; null ("untested") until such a test has run. */
  measuredRtoMinutes: minutes.nullable(),
  measuredRpoMinutes: minutes.nullable(),
  status: z.enum(COMMITMENT_STATUSES),
  /** Why the status is `contract_gap`: no SLA in force, a draft or expired contract, RTO/RPO short of the requirement. */
  gaps: z.array(z.string()),
  /** Changes already agreed for later: a version that takes effect on a future date, judged against the requirement. */
  notices: z.array(z.string()),
});
export type CommitmentRow = z.output<typeof commitmentRowSchema>;
