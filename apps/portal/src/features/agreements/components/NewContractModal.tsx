import { Modal } from '@mantine/core';
import { useNavigate } from 'react-router';

import { notifySuccess } from '../../../shared/lib/notify';
import type { useCreateContract } from '../api/contracts';
import { ContractForm } from './ContractForm';

/** The "New contract" dialog: creates the contract with `create`, then opens its page. */
export function NewContractModal({
  opened,
  onClose,
  title,
  defaultVendorId,
  create,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  defaultVendorId?: string;
  create: ReturnType<typeof useCreateContract>;
}) {
  const navigate = useNavigate();
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="xl">
      <ContractForm
        defaultVendorId={defaultVendorId}
        submitLabel="Create contract"
        pending={create.isPending}
        error={create.error}
        onCancel={onClose}
        onSubmit={(body) =>
          create.mutate(body, {
            onSuccess: (c) => {
              onClose();
              create.reset();
              notifySuccess(`${c.title} was created.`, 'Contract created');
              void navigate(`/contracts/${c.id}`);
            },
          })
        }
      />
    </Modal>
  );
}
