import { Badge, Tooltip } from '@mantine/core';

import type { EvidenceKind, EvidenceStatus, EvidenceView } from '@bulwark/api-schema';

import { daysUntil, formatDate } from '../../../shared/lib/format';

export const KIND_LABELS: Record<EvidenceKind, string> = {
  soc2_type2: 'SOC 2 Type II report',
  soc2_type1: 'SOC 2 Type I report',
  iso27001_certificate: 'ISO/IEC 27001 certificate',
  iso22301_certificate: 'ISO 22301 certificate',
  iso42001_certificate: 'ISO/IEC 42001 certificate',
  pen_test: 'Penetration test',
  dr_test_report: 'DR test report',
  bcp_plan: 'Business continuity plan',
  policy: 'Policy',
  insurance: 'Insurance certificate',
  financial_statement: 'Financial statement',
  contract: 'Contract',
  other: 'Other',
};

const STATUS: Record<EvidenceStatus, { color: string; label: string }> = {
  valid: { color: 'green', label: 'Valid' },
  expiring: { color: 'orange', label: 'Expiring' },
  expired: { color: 'red', label: 'Expired' },
  no_expiry: { color: 'gray', label: 'No expiry' },
};

/** Validity: valid, expiring (within 30 days), expired or without an expiry date; the date in the tooltip. */
export function ExpiryBadge({ evidence }: { evidence: Pick<EvidenceView, 'status' | 'validUntil'> }) {
  const s = STATUS[evidence.status];
  const days = evidence.validUntil ? daysUntil(evidence.validUntil) : null;
  const label =
    evidence.status === 'expiring' && days !== null
      ? `Expires ${days <= 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`}`
      : evidence.status === 'expired'
        ? `Expired ${formatDate(evidence.validUntil)}`
        : s.label;
  return (
    <Badge color={s.color} variant="light" data-testid="evidence-status" data-status={evidence.status}>
      {label}
    </Badge>
  );
}

/** Honest scan status: "Not scanned" when no scanner is configured. */
export function ScanBadge({ scan }: { scan: 'not_scanned' | 'clean' }) {
  return scan === 'clean' ? (
    <Badge color="teal" variant="outline" size="sm" data-testid="evidence-scan" data-scan={scan}>
      Scanned: clean
    </Badge>
  ) : (
    <Tooltip label="No malware scanner is configured on this server, so this file was not scanned.">
      <Badge color="gray" variant="outline" size="sm" data-testid="evidence-scan" data-scan={scan} tabIndex={0}>
        Not scanned
      </Badge>
    </Tooltip>
  );
}

export function IntegrityBadge({ integrity }: { integrity: 'ok' | 'failed' }) {
  if (integrity === 'ok') return null;
  return (
    <Tooltip label="A download found the stored file no longer matches its SHA-256; it is not served. Upload it again as a new revision.">
      <Badge color="red" variant="filled" size="sm" data-testid="evidence-integrity-failed" tabIndex={0}>
        Integrity check failed
      </Badge>
    </Tooltip>
  );
}
