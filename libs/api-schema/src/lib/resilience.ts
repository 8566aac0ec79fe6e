/** The commitment chain: required vs contractual vs measured RTO/RPO per dependency (the resilience area's API shapes). */
export type CommitmentStatus = 'covered' | 'contract_gap' | 'test_gap' | 'untested';

export interface CommitmentRow {
  dependencyId: string;
  systemId: string;
  systemName: string;
  serviceId: string;
  serviceName: string;
  vendorId: string;
  vendorName: string;
  criticality: string;
  requiredRtoMinutes: number;
  requiredRpoMinutes: number;
  contractualRtoMinutes: number | null;
  contractualRpoMinutes: number | null;
  slaId: string | null;
  slaName: string | null;
  /** From joint DR tests; null ("untested") until such a test has run. */
  measuredRtoMinutes: number | null;
  measuredRpoMinutes: number | null;
  status: CommitmentStatus;
  /** Why the status is `contract_gap`: no SLA in force, a draft or expired contract, RTO/RPO short of the requirement. */
  gaps: string[];
  /** Changes already agreed for later: a version that takes effect on a future date, judged against the requirement. */
  notices: string[];
}
