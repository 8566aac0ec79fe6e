import { Anchor, Badge, Button, Divider, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';

import { can, type VendorDetail } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../../app/session';
import { isApiError } from '../../../../shared/api/client';
import { KeyValue, KeyValueGrid } from '../../../../shared/components/KeyValue';
import { formatDateTime, humanize } from '../../../../shared/lib/format';
import { CONFLICT_MESSAGE, notifyError, notifySuccess } from '../../../../shared/lib/notify';
import { useUpdateVendor, useVendor } from '../../api/vendors';
import { VendorForm } from '../VendorForm';

export function OverviewTab({ vendor: v }: { vendor: VendorDetail }) {
  const { role } = useCurrentUser();
  const canWrite = can(role, 'inventory.write');
  const [opened, { open, close }] = useDisclosure(false);
  const update = useUpdateVendor(v.id);
  const refetch = useVendor(v.id).refetch;

  return (
    <Paper withBorder p="lg" radius="md">
      <Group justify="space-between" mb="md">
        <Title order={3} size="h4">
          Profile
        </Title>
        {canWrite && (
          <Button variant="light" onClick={open} data-testid="vendor-edit-button">
            Edit vendor
          </Button>
        )}
      </Group>
      <Stack gap="lg">
        <KeyValueGrid>
          <KeyValue label="Legal name">{v.legalName}</KeyValue>
          <KeyValue label="Website">
            {v.website && (
              <Anchor href={v.website} target="_blank" rel="noopener noreferrer">
                {v.website}
              </Anchor>
            )}
          </KeyValue>
          <KeyValue label="Country">{v.country}</KeyValue>
          <KeyValue label="Owner" testId="vendor-owner-name">
            {v.ownerName}
          </KeyValue>
          <KeyValue label="Lifecycle">{humanize(v.lifecycle)}</KeyValue>
          <KeyValue label="Last updated">{formatDateTime(v.updatedAt)}</KeyValue>
        </KeyValueGrid>
        <KeyValueGrid cols={2}>
          <KeyValue label="Internal notes (never shown to the vendor)" testId="vendor-internal-notes">
            {v.description && <Text style={{ whiteSpace: 'pre-wrap' }}>{v.description}</Text>}
          </KeyValue>
          <KeyValue label="Shown to the vendor" testId="vendor-shared-summary-view">
            {v.sharedSummary && <Text style={{ whiteSpace: 'pre-wrap' }}>{v.sharedSummary}</Text>}
          </KeyValue>
        </KeyValueGrid>
        <Divider label="Identifiers" labelPosition="left" />
        <KeyValueGrid cols={4}>
          <KeyValue label="LEI">{v.identifiers.lei && <span className="mono">{v.identifiers.lei}</span>}</KeyValue>
          <KeyValue label="CIK">{v.identifiers.cik && <span className="mono">{v.identifiers.cik}</span>}</KeyValue>
          <KeyValue label="Company number">
            {v.identifiers.companyNumber && <span className="mono">{v.identifiers.companyNumber}</span>}
          </KeyValue>
          <KeyValue label="DUNS">{v.identifiers.duns && <span className="mono">{v.identifiers.duns}</span>}</KeyValue>
        </KeyValueGrid>
        <Divider label="Tier intake" labelPosition="left" />
        <KeyValueGrid cols={5}>
          <KeyValue label="Served criticality">{humanize(v.intake.servedCriticality)}</KeyValue>
          <KeyValue label="Data sensitivity">{humanize(v.intake.dataSensitivity)}</KeyValue>
          <KeyValue label="AI model provider">
            <Badge variant="light" color={v.intake.aiModelProvider ? 'violet' : 'gray'}>
              {v.intake.aiModelProvider ? 'Yes' : 'No'}
            </Badge>
          </KeyValue>
          <KeyValue label="Substitutability">{humanize(v.intake.substitutability)}</KeyValue>
          <KeyValue label="Financial health">{humanize(v.intake.financialHealth)}</KeyValue>
        </KeyValueGrid>
      </Stack>

      <Modal opened={opened} onClose={close} title={`Edit ${v.name}`} size="xl">
        <VendorForm
          vendor={v}
          submitLabel="Save changes"
          pending={update.isPending}
          error={update.error}
          onCancel={close}
          onSubmit={(body) =>
            update.mutate(body, {
              onSuccess: () => {
                notifySuccess('The vendor profile was saved.', 'Saved');
                close();
              },
              onError: (e) => {
                if (isApiError(e) && e.status === 409) {
                  notifyError(new Error(CONFLICT_MESSAGE), 'Changed by someone else');
                  void refetch();
                  close();
                }
              },
            })
          }
        />
      </Modal>
    </Paper>
  );
}
