import { Alert, Anchor, Badge, Breadcrumbs, Button, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure, useDocumentTitle } from '@mantine/hooks';
import { Link } from 'react-router';

import { can, type SlaVersionView, type SlaView } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { isApiError } from '../../../shared/api/client';
import { TableHead } from '../../../shared/components/DataTable';
import { ErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { NotFoundPage } from '../../../shared/components/NotFoundPage';
import { formatDate, formatDateTime, humanize } from '../../../shared/lib/format';
import { notifySuccess } from '../../../shared/lib/notify';
import { useContract } from '../../agreements/api/contracts';
import { formatTarget } from '../../agreements/lib/agreements';
import { useServices } from '../../inventory/api/services';
import { useAddSlaVersion, useSla, type SlaVersionCreate } from '../api/slas';
import { AttainmentSection } from './AttainmentSection';
import { SlaForm } from './SlaForm';
import { SlaTermsView } from './SlaTermsView';
import { StartNegotiationModal } from './StartNegotiation';
import { VendorReportForm } from './VendorReportForm';

/**
 * One SLA: current terms, version history, attainment. `variant="vendor"` is the read-only view a
 * vendor contact gets inside their own layout (`/vendor-home/slas/:id`): no links to internal pages.
 */
export function SlaDetail({ id, variant }: { id: string; variant: 'internal' | 'vendor' }) {
  const sla = useSla(id);
  if (sla.isPending) return <PageLoader />;
  if (sla.isError) {
    if (isApiError(sla.error) && sla.error.isNotFoundLike)
      return <NotFoundPage message="This SLA does not exist, or you do not have access to it." />;
    return <ErrorAlert error={sla.error} onRetry={() => void sla.refetch()} />;
  }
  return <SlaDetailView sla={sla.data} variant={variant} />;
}

function SlaDetailView({ sla: s, variant }: { sla: SlaView; variant: 'internal' | 'vendor' }) {
  useDocumentTitle(`${s.name} · SLAs · Bulwark`);
  const user = useCurrentUser();
  const canWriteContracts = can(user.role, 'sla.write');
  const canStartNegotiations = can(user.role, 'negotiation.write');
  const canWrite = variant === 'internal' && canWriteContracts;
  const canNegotiate = variant === 'internal' && canStartNegotiations;
  const [negotiateOpen, negotiateDialog] = useDisclosure(false);
  const contract = useContract(s.contractId);
  const services = useServices({ vendorId: s.vendorId, pageSize: 200 });
  const [versionOpen, versionDialog] = useDisclosure(false);
  const addVersion = useAddSlaVersion(s.id);
  const vendorServices = services.data?.items.filter((x) => x.vendorId === s.vendorId) ?? [];
  const serviceName = (sid: string) =>
    vendorServices.find((x) => x.id === sid)?.name ?? contract.data?.services.find((x) => x.id === sid)?.name ?? sid;
  const currency = contract.data?.currency ?? null;
  const internal = variant === 'internal';
  // A new version starts from the newest one (which may not be in force yet) and must take effect after it.
  const latest = s.versions[0] ?? s.current;

  return (
    <Stack gap="lg">
      <Breadcrumbs>
        {internal ? (
          [
            <Anchor key="contracts" component={Link} to="/contracts">
              Contracts
            </Anchor>,
            <Anchor key="contract" component={Link} to={`/contracts/${s.contractId}`}>
              {s.contractTitle}
            </Anchor>,
          ]
        ) : (
          <Anchor component={Link} to="/vendor-home">
            {user.vendorName ?? s.vendorName}
          </Anchor>
        )}
        <span>{s.name}</span>
      </Breadcrumbs>

      <Paper withBorder p="lg" radius="md">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="md" mb="md">
          <Stack gap={6}>
            <Group gap="sm">
              <Title order={2} data-testid="sla-title">
                {s.name}
              </Title>
              <Badge variant="light" size="lg" data-testid="sla-current-version">
                v{s.current.version}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {internal ? (
                <>
                  Contract{' '}
                  <Anchor component={Link} to={`/contracts/${s.contractId}`} data-testid="sla-contract-link">
                    {s.contractTitle}
                  </Anchor>{' '}
                  with{' '}
                  <Anchor component={Link} to={`/vendors/${s.vendorId}`} data-testid="sla-vendor-link">
                    {s.vendorName}
                  </Anchor>
                </>
              ) : (
                <>
                  Contract “{s.contractTitle}” · {s.vendorName}
                </>
              )}{' '}
              · <span data-testid="sla-in-force">{inForceLabel(s.current)}</span>
            </Text>
          </Stack>
          {(canWrite || canNegotiate) && (
            <Group gap="xs">
              {canNegotiate && (
                <Button onClick={negotiateDialog.open} data-testid="sla-renegotiate">
                  Renegotiate
                </Button>
              )}
              {canWrite && (
                <Button variant="light" onClick={versionDialog.open} data-testid="sla-new-version-button">
                  New version
                </Button>
              )}
            </Group>
          )}
        </Group>
        {s.upcoming.map((v) => (
          <Alert
            key={v.version}
            mb="md"
            color="blue"
            variant="light"
            title={`v${v.version} takes effect on ${formatDate(v.effectiveFrom)}`}
            data-testid="sla-upcoming"
            data-version={v.version}
          >
            Signed and recorded; until then the terms below (v{s.current.version}) apply and the attainment is measured against them.{' '}
            {upcomingChanges(s.current, v)}
          </Alert>
        ))}
        <SlaTermsView version={s.current} serviceName={serviceName} />
      </Paper>

      <AttainmentSection sla={s} currency={currency} />

      {!internal && can(user.role, 'sla.vendor_report') && (
        <Paper withBorder p="lg" radius="md">
          <Title order={3} size="h4" mb="xs">
            File your figure
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            Your own availability figure for a window. Both figures are shown; a difference of 0.01 points or more is flagged.
          </Text>
          <VendorReportForm sla={s} />
        </Paper>
      )}

      <Paper withBorder p="lg" radius="md" data-testid="sla-versions">
        <Title order={3} size="h4" mb="sm">
          Version history
        </Title>
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" data-testid="sla-version-table">
            <TableHead columns={['Version', 'Effective from', 'Target', 'Window', 'Credits', 'Created']} />
            <Table.Tbody>
              {s.versions.map((v) => (
                <Table.Tr
                  key={v.version}
                  data-testid="sla-version-row"
                  data-version={v.version}
                  data-current={v.version === s.current.version ? 'true' : 'false'}
                  data-status={v.status}
                >
                  <Table.Td>
                    <Group gap={6}>
                      <Text size="sm" fw={600}>
                        v{v.version}
                      </Text>
                      <VersionStatusBadge status={v.status} />
                    </Group>
                  </Table.Td>
                  <Table.Td data-testid="sla-version-effective">{v.effectiveFrom}</Table.Td>
                  <Table.Td data-testid="sla-version-target">{formatTarget(v.terms.availabilityTarget)}</Table.Td>
                  <Table.Td>{humanize(v.terms.window)}</Table.Td>
                  <Table.Td>
                    {v.terms.credits.length ? v.terms.credits.map((c) => `< ${c.belowPercent} % → ${c.creditPercent} %`).join('; ') : '—'}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(v.createdAt)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      {canNegotiate && <StartNegotiationModal opened={negotiateOpen} onClose={negotiateDialog.close} sla={s} />}

      <Modal opened={versionOpen} onClose={versionDialog.close} title={`New version of ${s.name}`} size="xl">
        <SlaForm
          key={`${latest.version}-${String(versionOpen)}`}
          initial={latest}
          services={vendorServices.map((x) => ({ id: x.id, name: x.name, detail: humanize(x.kind) }))}
          submitLabel="Create version"
          pending={addVersion.isPending}
          error={addVersion.error}
          onCancel={versionDialog.close}
          onSubmit={(body: SlaVersionCreate) =>
            addVersion.mutate(body, {
              onSuccess: (updated) => {
                versionDialog.close();
                addVersion.reset();
                notifySuccess(`Version ${updated.versions[0]?.version ?? ''} of ${s.name} was created.`, 'New SLA version');
              },
            })
          }
        />
      </Modal>
    </Stack>
  );
}

/** "in force since …", or before the SLA starts "takes effect on …". */
export function inForceLabel(v: SlaVersionView): string {
  return v.status === 'upcoming' ? `takes effect on ${formatDate(v.effectiveFrom)}` : `in force since ${formatDate(v.effectiveFrom)}`;
}

const VERSION_STATUS: Record<SlaVersionView['status'], { label: string; color: string }> = {
  in_force: { label: 'in force', color: 'teal' },
  upcoming: { label: 'upcoming', color: 'blue' },
  superseded: { label: 'superseded', color: 'gray' },
};

function VersionStatusBadge({ status }: { status: SlaVersionView['status'] }) {
  const { label, color } = VERSION_STATUS[status];
  return (
    <Badge size="xs" variant="light" color={color} data-testid="sla-version-status">
      {label}
    </Badge>
  );
}

/** What the upcoming version changes, in a line: the availability target and the recovery objectives. */
function upcomingChanges(from: SlaVersionView, to: SlaVersionView): string {
  const parts: string[] = [];
  if (from.terms.availabilityTarget !== to.terms.availabilityTarget)
    parts.push(`availability ${formatTarget(from.terms.availabilityTarget)} → ${formatTarget(to.terms.availabilityTarget)}`);
  if (from.terms.rtoMinutes !== to.terms.rtoMinutes) parts.push(`RTO ${minutes(from.terms.rtoMinutes)} → ${minutes(to.terms.rtoMinutes)}`);
  if (from.terms.rpoMinutes !== to.terms.rpoMinutes) parts.push(`RPO ${minutes(from.terms.rpoMinutes)} → ${minutes(to.terms.rpoMinutes)}`);
  return parts.length ? `It changes ${parts.join(', ')}; see the version history.` : 'See the version history for its terms.';
}

const minutes = (m: number | null | undefined) => (m === null || m === undefined ? 'none' : `${m} min`);
