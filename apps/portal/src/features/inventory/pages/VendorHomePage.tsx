import { Alert, Anchor, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';

import type { VendorSignalSummary } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { isApiError } from '../../../shared/api/client';
import { TableHead } from '../../../shared/components/DataTable';
import { EmptyState, ErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { KeyValue, KeyValueGrid } from '../../../shared/components/KeyValue';
import { NotFoundPage } from '../../../shared/components/NotFoundPage';
import { humanize } from '../../../shared/lib/format';
import { AuditHistory } from '../../audits/components/AuditHistory';
import { EvidenceHomeCard } from '../../evidence/components/EvidenceHomeCard';
import { VendorFindingsSection } from '../../findings/components/VendorFindingsSection';
import { VendorInboxSection } from '../../inbox/components/VendorInboxSection';
import { VendorRequestsSection } from '../../questionnaires/components/VendorRequestsSection';
import { openIssues, useVendorSignals } from '../../signals/api/signals';
import { LevelBadge, StatusBadges } from '../../signals/components/LevelBadge';
import { SourceHealthNotice } from '../../signals/components/SourcesSection';
import { VendorBreachesSection } from '../../slas/components/VendorBreachesSection';
import { VendorNegotiationsSection } from '../../slas/components/VendorNegotiationsSection';
import { VendorSlasSection } from '../../slas/components/VendorSlasSection';
import { useVendorProfile } from '../api/vendors';
import { ModelList } from '../components/ModelList';

/** The vendor contact's start page: their own vendor's profile, services and contacts. */
export function VendorHomePage() {
  const user = useCurrentUser();
  useDocumentTitle(`${user.vendorName ?? 'Your company'} · Bulwark`);
  const vendor = useVendorProfile(user.vendorId);
  const signals = useVendorSignals(user.vendorId);

  const title = (
    <Title order={2} data-testid="vendor-home-title">
      Welcome, {user.name} — {vendor.data?.name ?? user.vendorName ?? 'your company'}
    </Title>
  );

  if (!user.vendorId) {
    return (
      <Stack>
        {title}
        <Alert color="orange" title="No vendor linked">
          Your account is not linked to a vendor. Contact {user.organizationName} to fix this.
        </Alert>
      </Stack>
    );
  }
  if (vendor.isPending) return <PageLoader />;
  if (vendor.isError) {
    if (isApiError(vendor.error) && vendor.error.isNotFoundLike) return <NotFoundPage />;
    return <ErrorAlert error={vendor.error} onRetry={() => void vendor.refetch()} />;
  }
  const v = vendor.data;

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        {title}
        <Text c="dimmed">
          This is the information {user.organizationName} holds about {v.name}. If anything is wrong or missing, tell your contact at{' '}
          {user.organizationName}.
        </Text>
      </Stack>

      <VendorInboxSection />

      {signals.data && <CurrentStatusCard summary={signals.data} />}

      <VendorRequestsSection />

      <VendorFindingsSection />
      <AuditHistory vendorId={v.id} basePath="/vendor-home/audits" />
      <EvidenceHomeCard vendorId={v.id} />

      <VendorNegotiationsSection />

      <VendorSlasSection vendorId={v.id} />

      <VendorBreachesSection />

      <Paper withBorder p="lg" radius="md" data-testid="vendor-home-profile">
        <Title order={3} size="h4" mb="md">
          Company profile
        </Title>
        <KeyValueGrid>
          <KeyValue label="Name">{v.name}</KeyValue>
          <KeyValue label="Legal name">{v.legalName}</KeyValue>
          <KeyValue label="Website">
            {v.website && (
              <Anchor href={v.website} target="_blank" rel="noopener noreferrer">
                {v.website}
              </Anchor>
            )}
          </KeyValue>
          <KeyValue label="Country">{v.country}</KeyValue>
          <KeyValue label="Relationship status">{humanize(v.lifecycle)}</KeyValue>
          <KeyValue label="LEI">{v.identifiers.lei}</KeyValue>
          <KeyValue label="CIK">{v.identifiers.cik}</KeyValue>
          <KeyValue label="Company number">{v.identifiers.companyNumber}</KeyValue>
          <KeyValue label="DUNS">{v.identifiers.duns}</KeyValue>
        </KeyValueGrid>
        {v.sharedSummary && (
          <Text size="sm" mt="md" style={{ whiteSpace: 'pre-wrap' }} data-testid="vendor-home-summary">
            {v.sharedSummary}
          </Text>
        )}
      </Paper>

      <div data-testid="vendor-home-services">
        <Title order={3} size="h4" mb="sm">
          Services ({v.services.length})
        </Title>
        {v.services.length === 0 ? (
          <EmptyState title="No services recorded">No services of {v.name} are recorded yet.</EmptyState>
        ) : (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {v.services.map((s) => {
              const status = signals.data?.services.find((x) => x.serviceId === s.id);
              return (
                <Paper key={s.id} withBorder p="md" radius="md" data-testid="vendor-home-service">
                  <Group gap="xs" mb={4}>
                    <Text fw={600}>{s.name}</Text>
                    <Badge variant="light" size="sm">
                      {humanize(s.kind)}
                    </Badge>
                    {status && (
                      <StatusBadges level={status.level} monitoring={status.monitoring} size="sm" testId="vendor-home-service-status" />
                    )}
                  </Group>
                  <Text size="sm" mb="xs">
                    Regions: {s.regions.length ? s.regions.join(', ') : '—'}
                  </Text>
                  <ModelList models={s.models} />
                </Paper>
              );
            })}
          </SimpleGrid>
        )}
      </div>

      <div data-testid="vendor-home-contacts">
        <Title order={3} size="h4" mb="sm">
          Contacts ({v.contacts.length})
        </Title>
        {v.contacts.length === 0 ? (
          <EmptyState title="No contacts recorded" />
        ) : (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing="sm">
                <TableHead columns={['Name', 'Title', 'Email', 'Phone']} />
                <Table.Tbody>
                  {v.contacts.map((c) => (
                    <Table.Tr key={c.id} data-testid="vendor-home-contact">
                      <Table.Td>
                        <Group gap={6}>
                          {c.name}
                          {c.isPrimary && (
                            <Badge size="xs" variant="light">
                              Primary
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>{c.title ?? '—'}</Table.Td>
                      <Table.Td>{c.email}</Table.Td>
                      <Table.Td>{c.phone ?? '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
      </div>
    </Stack>
  );
}

/** The live status we see for this vendor's services (from its signal sources). */
function CurrentStatusCard({ summary }: { summary: VendorSignalSummary }) {
  const open = summary.openSignals.filter((s) => s.level !== 'operational');
  const issues = openIssues(summary);
  return (
    <Paper withBorder p="lg" radius="md" data-testid="vendor-home-status">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          Current status
        </Title>
        <StatusBadges level={summary.level} monitoring={summary.monitoring} size="lg" filled testId="signals-rollup" />
      </Group>
      <SourceHealthNotice sources={summary.sources} mb="sm" />
      {summary.monitoring === 'not_monitored' && (
        <Text size="sm" c="dimmed" mb="sm" data-testid="vendor-home-not-monitored">
          No status feed of yours is watched here yet, so we show no status for your services.
        </Text>
      )}
      {summary.services.length > 0 && (
        <Group gap="lg" mb={open.length ? 'sm' : 0}>
          {summary.services.map((s) => (
            <Group
              key={s.serviceId ?? 'vendor-wide'}
              gap={6}
              data-testid="vendor-home-status-service"
              data-level={s.level ?? ''}
              data-monitoring={s.monitoring}
            >
              <Text size="sm">{s.serviceName}</Text>
              <StatusBadges level={s.level} monitoring={s.monitoring} size="xs" testId="vendor-home-status-service-level" />
            </Group>
          ))}
        </Group>
      )}
      {open.length === 0 ? (
        <Text size="sm" c="dimmed">
          No open incident is recorded for your services.
        </Text>
      ) : (
        <Stack gap={4}>
          {open.slice(0, 5).map((s) => (
            <Group key={s.id} gap="xs" wrap="nowrap" data-testid="vendor-home-status-signal" data-level={s.level}>
              <LevelBadge level={s.level} size="xs" />
              <Text size="sm" lineClamp={1}>
                {s.title}
              </Text>
            </Group>
          ))}
          {issues > Math.min(open.length, 5) && (
            <Text size="xs" c="dimmed">
              and {issues - Math.min(open.length, 5)} more
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}
