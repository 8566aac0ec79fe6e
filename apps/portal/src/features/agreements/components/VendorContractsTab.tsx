import { can } from '@bulwark/api-schema';
import type { VendorDetail } from '@bulwark/api-schema';
import { Anchor, Button, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useNavigate } from 'react-router';
import { useContracts, useCreateContract } from '../api/contracts';
import { useSlas } from '../../slas/api/slas';
import { useCurrentUser } from '../../../app/session';
import { formatTarget } from '../lib/agreements';
import { formatDate, humanize } from '../../../shared/lib/format';
import { notifySuccess } from '../../../shared/lib/notify';
import { ContractForm } from './ContractForm';
import { ContractTable } from './ContractTable';
import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';

/** The vendor's contracts and SLAs (`/vendors/:id/contracts`). */
export function ContractsTab({ vendor }: { vendor: VendorDetail }) {
  const { role } = useCurrentUser();
  const canWriteContracts = can(role, 'contract.write');
  const navigate = useNavigate();
  const contracts = useContracts({ vendorId: vendor.id, page: 1, pageSize: 200 });
  const slas = useSlas({ vendorId: vendor.id });
  const [opened, { open, close }] = useDisclosure(false);
  const create = useCreateContract();

  return (
    <Stack gap="lg" data-testid="vendor-contracts">
      <div>
        <Group justify="space-between" mb="sm">
          <Title order={3} size="h4">
            Contracts
          </Title>
          {canWriteContracts && (
            <Button
              variant="light"
              size="sm"
              onClick={() => {
                create.reset();
                open();
              }}
              data-testid="vendor-new-contract-button"
            >
              + New contract
            </Button>
          )}
        </Group>
        {contracts.isError && !contracts.data ? (
          <ErrorAlert error={contracts.error} title="Could not load the contracts" onRetry={() => void contracts.refetch()} />
        ) : !contracts.data ? (
          <TableSkeleton rows={3} />
        ) : contracts.data.items.length === 0 ? (
          <EmptyState title={`No contracts with ${vendor.name}`} testId="vendor-contracts-empty">
            Contracts record the audit, security and exit clauses agreed with the vendor, and carry its SLAs.
          </EmptyState>
        ) : (
          <Paper withBorder radius="md">
            <ContractTable contracts={contracts.data.items} showVendor={false} />
          </Paper>
        )}
      </div>

      <div>
        <Title order={3} size="h4" mb="sm">
          SLAs
        </Title>
        {slas.isError && !slas.data ? (
          <ErrorAlert error={slas.error} title="Could not load the SLAs" onRetry={() => void slas.refetch()} />
        ) : !slas.data ? (
          <TableSkeleton rows={2} />
        ) : slas.data.length === 0 ? (
          <EmptyState title="No SLAs" testId="vendor-slas-empty">
            SLAs are added on a contract&apos;s page.
          </EmptyState>
        ) : (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={640}>
              <Table highlightOnHover verticalSpacing="sm" data-testid="vendor-sla-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>SLA</Table.Th>
                    <Table.Th>Contract</Table.Th>
                    <Table.Th>Target</Table.Th>
                    <Table.Th>Window</Table.Th>
                    <Table.Th>In force since</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {slas.data.map((s) => (
                    <Table.Tr
                      key={s.id}
                      data-testid="vendor-sla-row"
                      data-sla-id={s.id}
                      className="clickable-row"
                      onClick={(e) => {
                        if ((e.target as HTMLElement).closest('a,button')) return;
                        void navigate(`/slas/${s.id}`);
                      }}
                    >
                      <Table.Td>
                        <Anchor component={Link} to={`/slas/${s.id}`} fw={600} data-testid="vendor-sla-link">
                          {s.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/contracts/${s.contractId}`} size="sm">
                          {s.contractTitle}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{formatTarget(s.current.terms.availabilityTarget)}</Table.Td>
                      <Table.Td>{humanize(s.current.terms.window)}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDate(s.current.effectiveFrom)}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
      </div>

      <Modal opened={opened} onClose={close} title={`New contract with ${vendor.name}`} size="xl">
        <ContractForm
          defaultVendorId={vendor.id}
          submitLabel="Create contract"
          pending={create.isPending}
          error={create.error}
          onCancel={close}
          onSubmit={(body) =>
            create.mutate(body, {
              onSuccess: (c) => {
                close();
                create.reset();
                notifySuccess(`${c.title} was created.`, 'Contract created');
                void navigate(`/contracts/${c.id}`);
              },
            })
          }
        />
      </Modal>
    </Stack>
  );
}
