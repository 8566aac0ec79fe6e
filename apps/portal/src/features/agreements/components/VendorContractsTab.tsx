import { Button, Group, Paper, Stack, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';

import { can, type VendorDetail } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { useSlas } from '../../slas/api/slas';
import { useContracts, useCreateContract } from '../api/contracts';
import { ContractTable } from './ContractTable';
import { NewContractModal } from './NewContractModal';
import { SlaTable } from './SlaTable';

/** The vendor's contracts and SLAs (`/vendors/:id/contracts`). */
export function ContractsTab({ vendor }: { vendor: VendorDetail }) {
  const { role } = useCurrentUser();
  const canWriteContracts = can(role, 'contract.write');
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
          <SlaTable slas={slas.data} testIdPrefix="vendor" showContract />
        )}
      </div>

      <NewContractModal
        opened={opened}
        onClose={close}
        title={`New contract with ${vendor.name}`}
        defaultVendorId={vendor.id}
        create={create}
      />
    </Stack>
  );
}
