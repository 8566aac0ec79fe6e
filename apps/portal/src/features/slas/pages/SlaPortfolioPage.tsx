import { Anchor, Paper, Table, Text } from '@mantine/core';
import { Link } from 'react-router';

import { TableHead } from '../../../shared/components/DataTable';
import { EmptyState } from '../../../shared/components/feedback';
import { ListStates } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { formatAvailability, formatTarget } from '../../agreements/lib/agreements';
import { useSlaPortfolio } from '../api/portfolio';

/** `/sla-portfolio`: every SLA's latest closed window, breaches and credits over 12 months, and the running window. */
export function SlaPortfolioPage() {
  const portfolio = useSlaPortfolio();
  const rows = portfolio.data ?? [];
  return (
    <>
      <PageHeader
        title="SLA portfolio"
        testId="portfolio-title"
        description="All SLAs at a glance, from the attainment rollup: the last closed window, breaches and credits in the last 12 months, and the window in progress."
      />
      <ListStates
        query={portfolio}
        rows={6}
        isEmpty={() => rows.length === 0}
        empty={
          <EmptyState title="No SLAs yet" testId="portfolio-empty">
            Record SLAs on your contracts to see their attainment here.
          </EmptyState>
        }
      >
        {() => (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={900}>
              <Table highlightOnHover verticalSpacing="sm" data-testid="portfolio-table">
                <TableHead
                  columns={[
                    'Vendor',
                    'SLA',
                    'Target',
                    'Last window',
                    'Availability',
                    'Breaches (12 months)',
                    'Credits (12 months, contract currency)',
                    'Current window so far',
                  ]}
                />
                <Table.Tbody>
                  {rows.map((r) => {
                    const below = r.lastAvailability !== null && r.lastAvailability < r.target;
                    const openBelow = r.openWindowAvailability !== null && r.openWindowAvailability < r.target;
                    return (
                      <Table.Tr
                        key={r.slaId}
                        data-testid="portfolio-row"
                        data-sla-id={r.slaId}
                        data-below-target={below ? 'true' : 'false'}
                      >
                        <Table.Td>
                          <Anchor component={Link} to={`/vendors/${r.vendorId}/contracts`} size="sm">
                            {r.vendorName}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Anchor component={Link} to={`/slas/${r.slaId}`} fw={600} size="sm" data-testid="portfolio-sla-link">
                            {r.slaName}
                          </Anchor>
                        </Table.Td>
                        <Table.Td data-testid="portfolio-target" style={{ whiteSpace: 'nowrap' }}>
                          {formatTarget(r.target)}
                        </Table.Td>
                        <Table.Td data-testid="portfolio-last-window">{r.lastWindow ?? '—'}</Table.Td>
                        <Table.Td data-testid="portfolio-last-availability" c={below ? 'red' : undefined} fw={below ? 700 : undefined}>
                          {formatAvailability(r.lastAvailability)}
                        </Table.Td>
                        <Table.Td data-testid="portfolio-breaches" c={r.breaches12m > 0 ? 'red' : undefined}>
                          {r.breaches12m}
                        </Table.Td>
                        <Table.Td data-testid="portfolio-credits">
                          {r.credits12m
                            ? r.credits12m.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
                            : '—'}
                        </Table.Td>
                        <Table.Td data-testid="portfolio-open-availability" c={openBelow ? 'orange.8' : undefined}>
                          {formatAvailability(r.openWindowAvailability)}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Text size="xs" c="dimmed" p="sm">
              Red: the last closed window was below target. Orange: the window in progress is below target so far.
            </Text>
          </Paper>
        )}
      </ListStates>
    </>
  );
}
