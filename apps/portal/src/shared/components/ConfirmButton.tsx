import { Button, Group, Modal, Text, type ButtonProps } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';

/** A button that asks for confirmation in a dialog before running a destructive action. */
export function ConfirmButton({
  children,
  title,
  message,
  confirmLabel = 'Delete',
  onConfirm,
  loading,
  testId,
  ...buttonProps
}: ButtonProps & {
  children: ReactNode;
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  onConfirm: () => void | Promise<unknown>;
  loading?: boolean;
  testId?: string;
  'aria-label'?: string;
}) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button color="red" variant="subtle" size="xs" {...buttonProps} onClick={open} data-testid={testId}>
        {children}
      </Button>
      <Modal opened={opened} onClose={close} title={title} centered>
        <Text size="sm" mb="lg">
          {message}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={loading}
            data-testid={testId ? `${testId}-confirm` : 'confirm-action'}
            onClick={() => {
              void Promise.resolve()
                .then(onConfirm)
                .catch(() => undefined)
                .finally(close);
            }}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
