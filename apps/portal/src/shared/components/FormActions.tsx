import { Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';

/** A form's buttons, right-aligned: Cancel (when `onCancel` is given), any `children`, then the submit button. */
export function FormActions({
  submitLabel,
  pending,
  submitTestId,
  onCancel,
  children,
}: {
  submitLabel: ReactNode;
  pending: boolean;
  submitTestId?: string;
  onCancel?: () => void;
  children?: ReactNode;
}) {
  return (
    <Group justify="flex-end">
      {onCancel && (
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
      )}
      {children}
      <Button type="submit" loading={pending} data-testid={submitTestId}>
        {submitLabel}
      </Button>
    </Group>
  );
}
