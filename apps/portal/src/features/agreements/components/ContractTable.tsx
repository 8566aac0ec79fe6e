import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';

import type { ContractView } from '@bulwark/api-schema';

import { TableHead, useRowLink } from '../../../shared/components/DataTable';
import { ContractStatusBadge } from '../../../shared/components/statusBadges';
import { formatDate } from '../../../shared/lib/format';
import { formatMoney, renewalWarning } from '../lib/agreements';

const WARNING_COLOR = { past: 'red', soon: 'orange', none: undefined } as const;

/** The renewal-notice date, red when past and orange within 90 days (`data-warning` = past / soon / none). */
export function RenewalNoticeDate({ contract: c, testId = 'contract-renewal-notice' }: { contract: ContractView; testId?: string }) {
  const warning = renewalWarning(c.renewalNoticeDate);
  return (
    <Text
      size="sm"
      component="span"
      c={WARNING_COLOR[warning]}
      fw={warning === 'none' ? undefined : 600}
      data-testid={testId}
      data-warning={warning}
      title={warning === 'past' ? 'The notice date has passed' : warning === 'soon' ? 'Notice due within 90 days' : undefined}
    >
      {c.renewalNoticeDate ? formatDate(c.renewalNoticeDate) : '—'}
      {warning === 'past' && ' (passed)'}
    </Text>
  );
}

/** Contracts table shared by the contracts page and the vendor's Contracts tab. */
export function ContractTable({
  contracts,
  showVendor = true,
  dimmed = false,
}: {
  contracts: ContractView[];
  showVendor?: boolean;
  dimmed?: boolean;
}) {
  const rowLink = useRowLink();
  return (
    <Table.ScrollContainer minWidth={showVendor ? 980 : 860}>
      <Table highlightOnHover verticalSpacing="sm" data-testid="contract-table" style={{ opacity: dimmed ? 0.6 : 1 }}>
        <TableHead
          columns={['Title', showVendor && 'Vendor', 'Status', 'Effective', 'Expiry', 'Renewal notice by', 'Annual value', 'SLAs']}
        />
        <Table.Tbody>
          {contracts.map((c) => (
            <Table.Tr
              key={c.id}
              data-testid="contract-row"
              data-contract-id={c.id}
              data-status={c.status}
              {...rowLink(`/contracts/${c.id}`)}
            >
              <Table.Td>
                <Anchor component={Link} to={`/contracts/${c.id}`} fw={600} data-testid="contract-row-link">
                  {c.title}
                </Anchor>
                {c.reference && (
                  <Text size="xs" c="dimmed">
                    {c.reference}
                  </Text>
                )}
              </Table.Td>
              {showVendor && (
                <Table.Td>
                  <Anchor component={Link} to={`/vendors/${c.vendorId}/contracts`} size="sm" data-testid="contract-row-vendor">
                    {c.vendorName}
                  </Anchor>
                </Table.Td>
              )}
              <Table.Td>
                <ContractStatusBadge status={c.status} />
              </Table.Td>
              <Table.Td data-testid="contract-row-effective">{formatDate(c.effectiveDate)}</Table.Td>
              <Table.Td data-testid="contract-row-expiry">{c.expiryDate ? formatDate(c.expiryDate) : 'Open-ended'}</Table.Td>
              <Table.Td>
                <RenewalNoticeDate contract={c} />
              </Table.Td>
              <Table.Td data-testid="contract-row-value">{formatMoney(c.annualValue, c.currency)}</Table.Td>
              <Table.Td data-testid="contract-row-sla-count">{c.slaCount}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
