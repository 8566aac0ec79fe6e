import { Anchor, Badge, Breadcrumbs, Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure, useDocumentTitle } from '@mantine/hooks';
import { Link, useNavigate, useParams } from 'react-router';

import { can, type ContractView } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { isApiError } from '../../../shared/api/client';
import { EmptyState, ErrorAlert, PageLoader, TableSkeleton } from '../../../shared/components/feedback';
import { KeyValue, KeyValueGrid } from '../../../shared/components/KeyValue';
import { NotFoundPage } from '../../../shared/components/NotFoundPage';
import { ContractStatusBadge } from '../../../shared/components/statusBadges';
import { formatDate, humanize } from '../../../shared/lib/format';
import { notifyError, notifySuccess } from '../../../shared/lib/notify';
import { AuditHistory } from '../../audits/components/AuditHistory';
import { useServices } from '../../inventory/api/services';
import { useCreateSla, useSlas, type SlaCreate } from '../../slas/api/slas';
import { SlaForm } from '../../slas/components/SlaForm';
import { StartNegotiationModal } from '../../slas/components/StartNegotiation';
import { useContract, useUpdateContract } from '../api/contracts';
import { ClausesView } from '../components/ClausesView';
import { ContractDocumentsSection } from '../components/ContractDocuments';
import { ContractForm } from '../components/ContractForm';
import { RenewalNoticeDate } from '../components/ContractTable';
import { SlaTable } from '../components/SlaTable';
import { formatMoney } from '../lib/agreements';

const CONTRACT_CONFLICT =
  'Someone else changed this contract in the meantime. The latest version has been loaded: review it and try again.';

export function ContractDetailPage() {
  const { id = '' } = useParams();
  const contract = useContract(id);
  if (contract.isPending) return <PageLoader />;
  if (contract.isError) {
    if (isApiError(contract.error) && contract.error.isNotFoundLike)
      return <NotFoundPage message="This contract does not exist, or you do not have access to it." />;
    return <ErrorAlert error={contract.error} onRetry={() => void contract.refetch()} />;
  }
  return <ContractDetailView contract={contract.data} onReload={() => void contract.refetch()} />;
}

function ContractDetailView({ contract: c, onReload }: { contract: ContractView; onReload: () => void }) {
  useDocumentTitle(`${c.title} · Contracts · Bulwark`);
  const { role } = useCurrentUser();
  const canWriteContracts = can(role, 'contract.write');
  const canStartNegotiations = can(role, 'negotiation.write');
  const [negotiateOpen, negotiateDialog] = useDisclosure(false);
  const navigate = useNavigate();
  const [editing, edit] = useDisclosure(false);
  const [slaOpen, slaDialog] = useDisclosure(false);
  const update = useUpdateContract(c.id);
  const createSla = useCreateSla();
  const slas = useSlas({ contractId: c.id });
  const services = useServices({ vendorId: c.vendorId, pageSize: 200 });
  const vendorServices = (services.data?.items ?? []).filter((s) => s.vendorId === c.vendorId);

  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/contracts">
          Contracts
        </Anchor>
        <span>{c.title}</span>
      </Breadcrumbs>
      <Paper withBorder p="lg" radius="md" mb="lg">
        <Group justify="space-between" align="flex-start" mb="md" wrap="wrap">
          <Stack gap={6}>
            <Group gap="sm">
              <Title order={2} data-testid="contract-title">
                {c.title}
              </Title>
              <ContractStatusBadge status={c.status} size="md" testId="contract-status-badge" />
            </Group>
            <Text size="sm" c="dimmed">
              with{' '}
              <Anchor component={Link} to={`/vendors/${c.vendorId}/contracts`} data-testid="contract-vendor-link">
                {c.vendorName}
              </Anchor>
              {c.reference && <> · ref. {c.reference}</>}
            </Text>
          </Stack>
          {canWriteContracts && (
            <Group gap="xs">
              <Button
                variant="light"
                onClick={() => {
                  update.reset();
                  edit.open();
                }}
                data-testid="contract-edit-button"
              >
                Edit contract
              </Button>
            </Group>
          )}
        </Group>
        <KeyValueGrid cols={5}>
          <KeyValue label="Effective" testId="contract-effective">
            {formatDate(c.effectiveDate)}
          </KeyValue>
          <KeyValue label="Expiry" testId="contract-expiry">
            {c.expiryDate ? formatDate(c.expiryDate) : 'Open-ended'}
          </KeyValue>
          <KeyValue label={`Renewal notice by (${c.renewalNoticeDays} days)`}>
            <RenewalNoticeDate contract={c} />
          </KeyValue>
          <KeyValue label="Annual value" testId="contract-annual-value-text">
            {formatMoney(c.annualValue, c.currency)}
          </KeyValue>
          <KeyValue label="Covered services" testId="contract-services-list">
            {c.services.length === 0 ? (
              'None recorded'
            ) : (
              <Group gap={4}>
                {c.services.map((s) => (
                  <Badge key={s.id} variant="default" size="sm" tt="none" data-testid="contract-service">
                    {s.name}
                  </Badge>
                ))}
              </Group>
            )}
          </KeyValue>
        </KeyValueGrid>
      </Paper>

      <Paper withBorder p="lg" radius="md" mb="lg">
        <Title order={3} size="h4" mb="md">
          Clauses
        </Title>
        <ClausesView clauses={c.clauses} />
      </Paper>

      <ContractDocumentsSection contractId={c.id} vendorId={c.vendorId} canUpload={canWriteContracts} />

      <Stack mb="lg">
        <AuditHistory contractId={c.id} />
      </Stack>

      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          SLAs
        </Title>
        <Group gap="xs">
          {canStartNegotiations && (
            <Button onClick={negotiateDialog.open} data-testid="negotiation-new-button">
              Start negotiation
            </Button>
          )}
          {canWriteContracts && (
            <Button
              variant="light"
              onClick={() => {
                createSla.reset();
                slaDialog.open();
              }}
              data-testid="new-sla-button"
            >
              + New SLA
            </Button>
          )}
        </Group>
      </Group>
      {slas.isError && !slas.data ? (
        <ErrorAlert error={slas.error} title="Could not load the SLAs" onRetry={() => void slas.refetch()} />
      ) : !slas.data ? (
        <TableSkeleton rows={2} />
      ) : slas.data.length === 0 ? (
        <EmptyState title="No SLAs on this contract" testId="contract-slas-empty">
          Add an SLA to track availability against its target, breaches and service credits, computed from the vendor&apos;s health signals.
        </EmptyState>
      ) : (
        <SlaTable slas={slas.data} testIdPrefix="contract" />
      )}

      <Modal opened={editing} onClose={edit.close} title={`Edit ${c.title}`} size="xl">
        <ContractForm
          key={`${c.version}-${String(editing)}`}
          contract={c}
          submitLabel="Save contract"
          pending={update.isPending}
          error={isApiError(update.error) && update.error.status === 409 ? undefined : update.error}
          onCancel={edit.close}
          onSubmit={(body) =>
            update.mutate(body, {
              onSuccess: () => {
                edit.close();
                notifySuccess('The contract was saved.', 'Saved');
              },
              onError: (e) => {
                if (isApiError(e) && e.status === 409) {
                  notifyError(new Error(CONTRACT_CONFLICT), 'Changed by someone else');
                  onReload();
                }
              },
            })
          }
        />
      </Modal>

      {canStartNegotiations && <StartNegotiationModal opened={negotiateOpen} onClose={negotiateDialog.close} contract={c} />}

      <Modal opened={slaOpen} onClose={slaDialog.close} title={`New SLA on ${c.title}`} size="xl">
        <SlaForm
          contractId={c.id}
          services={vendorServices.map((s) => ({ id: s.id, name: s.name, detail: humanize(s.kind) }))}
          defaultServiceIds={c.services.map((s) => s.id)}
          submitLabel="Create SLA"
          pending={createSla.isPending}
          error={createSla.error}
          onCancel={slaDialog.close}
          onSubmit={(body: SlaCreate) =>
            createSla.mutate(body, {
              onSuccess: (s) => {
                slaDialog.close();
                createSla.reset();
                notifySuccess(`${s.name} was created.`, 'SLA created');
                void navigate(`/slas/${s.id}`);
              },
            })
          }
        />
      </Modal>
    </>
  );
}
