import { Alert, Paper, Stack } from '@mantine/core';

import type { VendorDetail } from '@bulwark/api-schema';

import { EmptyState } from '../../../../shared/components/feedback';
import { DependencyTable } from '../DependencyTable';

export function DependenciesTab({ vendor }: { vendor: VendorDetail }) {
  const deps = vendor.dependencies;
  const spofs = deps.filter((d) => d.singlePointOfFailure);
  if (deps.length === 0) {
    return (
      <EmptyState title="No internal system depends on this vendor" testId="vendor-dependencies-empty">
        Record dependencies from an internal system&apos;s page (Internal systems → system → Add dependency).
      </EmptyState>
    );
  }
  return (
    <Stack gap="md">
      {spofs.length > 0 && (
        <Alert
          color="red"
          variant="light"
          title={`${spofs.length} single point${spofs.length === 1 ? '' : 's'} of failure`}
          data-testid="vendor-spof-alert"
        >
          These dependencies have no alternative service or contingency plan: if {vendor.name} fails, the system fails.
        </Alert>
      )}
      <Paper withBorder radius="md">
        <DependencyTable dependencies={deps} show="system" />
      </Paper>
    </Stack>
  );
}
