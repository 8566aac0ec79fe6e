import { Anchor, Badge, Breadcrumbs, Button, Group, NativeSelect, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { can, type Lifecycle, type VendorDetail } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { isApiError } from '../../../shared/api/client';
import { LifecycleBadge, TierBadge } from '../../../shared/components/badges';
import { ErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { NotFoundPage } from '../../../shared/components/NotFoundPage';
import { humanize } from '../../../shared/lib/format';
import { CONFLICT_MESSAGE, notifyError, notifySuccess } from '../../../shared/lib/notify';
import { ContractsTab } from '../../agreements/components/VendorContractsTab';
import { AuditHistory } from '../../audits/components/AuditHistory';
import { EvidenceLibrary } from '../../evidence/components/EvidenceLibrary';
import { VendorQuestionnairesTab } from '../../questionnaires/components/VendorQuestionnairesTab';
import { SignalsTab } from '../../signals/components/VendorSignalsTab';
import { useUpdateVendor, useVendor } from '../api/vendors';
import { ContactsTab } from '../components/vendor/ContactsTab';
import { DependenciesTab } from '../components/vendor/DependenciesTab';
import { OverviewTab } from '../components/vendor/OverviewTab';
import { ServicesTab } from '../components/vendor/ServicesTab';
import { TierTab } from '../components/vendor/TierTab';

const TABS = [
  'overview',
  'tier',
  'services',
  'contacts',
  'dependencies',
  'signals',
  'contracts',
  'evidence',
  'questionnaires',
  'audits',
] as const;
type Tab = (typeof TABS)[number];

export function VendorDetailPage() {
  const { id = '', tab } = useParams();
  const navigate = useNavigate();
  const vendor = useVendor(id);
  const current: Tab = (TABS as readonly string[]).includes(tab ?? '') ? (tab as Tab) : 'overview';

  if (vendor.isPending) return <PageLoader />;
  if (vendor.isError) {
    if (isApiError(vendor.error) && vendor.error.isNotFoundLike)
      return <NotFoundPage message="This vendor does not exist, or you do not have access to it." />;
    return <ErrorAlert error={vendor.error} onRetry={() => void vendor.refetch()} />;
  }
  const v = vendor.data;
  const spofs = v.dependencies.filter((d) => d.singlePointOfFailure).length;

  return (
    <>
      <DocTitle name={v.name} />
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/vendors">
          Vendors
        </Anchor>
        <span>{v.name}</span>
      </Breadcrumbs>
      <Paper withBorder p="lg" radius="md" mb="lg">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
          <Stack gap={6}>
            <Group gap="sm" align="center">
              <Title order={2} data-testid="vendor-title">
                {v.name}
              </Title>
              <TierBadge tier={v.tier} overridden={v.tierOverridden} size="lg" />
            </Group>
            {v.legalName && v.legalName !== v.name && (
              <Text c="dimmed" size="sm">
                {v.legalName}
              </Text>
            )}
            <Group gap="xs">
              <LifecycleBadge value={v.lifecycle} size="md" />
              {v.serviceKinds.map((k) => (
                <Badge key={k} variant="default" size="sm">
                  {humanize(k)}
                </Badge>
              ))}
              {spofs > 0 && (
                <Badge color="red" variant="light" size="sm">
                  {spofs} single point{spofs === 1 ? '' : 's'} of failure
                </Badge>
              )}
            </Group>
          </Stack>
          <LifecycleControl vendor={v} />
        </Group>
      </Paper>

      <Tabs
        value={current}
        onChange={(t) => void navigate(`/vendors/${v.id}${t && t !== 'overview' ? `/${t}` : ''}`, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="overview" data-testid="tab-overview">
            Overview
          </Tabs.Tab>
          <Tabs.Tab value="tier" data-testid="tab-tier">
            Tier
          </Tabs.Tab>
          <Tabs.Tab value="services" data-testid="tab-services">
            Services ({v.services.length})
          </Tabs.Tab>
          <Tabs.Tab value="contacts" data-testid="tab-contacts">
            Contacts ({v.contacts.length})
          </Tabs.Tab>
          <Tabs.Tab value="dependencies" data-testid="tab-dependencies">
            Dependencies ({v.dependencies.length})
          </Tabs.Tab>
          <Tabs.Tab value="signals" data-testid="tab-signals">
            Signals
          </Tabs.Tab>
          <Tabs.Tab value="contracts" data-testid="tab-contracts">
            Contracts
          </Tabs.Tab>
          <Tabs.Tab value="evidence" data-testid="tab-evidence">
            Evidence
          </Tabs.Tab>
          <Tabs.Tab value="questionnaires" data-testid="tab-questionnaires">
            Questionnaires
          </Tabs.Tab>
          <Tabs.Tab value="audits" data-testid="tab-audits">
            Audits
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview">
          <OverviewTab vendor={v} />
        </Tabs.Panel>
        <Tabs.Panel value="tier">
          <TierTab vendor={v} />
        </Tabs.Panel>
        <Tabs.Panel value="services">
          <ServicesTab vendor={v} />
        </Tabs.Panel>
        <Tabs.Panel value="contacts">
          <ContactsTab vendor={v} />
        </Tabs.Panel>
        <Tabs.Panel value="dependencies">
          <DependenciesTab vendor={v} />
        </Tabs.Panel>
        <Tabs.Panel value="signals">
          <SignalsTab vendor={v} />
        </Tabs.Panel>
        <Tabs.Panel value="contracts">
          <ContractsTab vendor={v} />
        </Tabs.Panel>
        <Tabs.Panel value="evidence">
          <EvidenceLibrary vendorId={v.id} />
        </Tabs.Panel>
        <Tabs.Panel value="questionnaires">
          <VendorQuestionnairesTab vendorId={v.id} vendorName={v.name} />
        </Tabs.Panel>
        <Tabs.Panel value="audits">
          <AuditHistory vendorId={v.id} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function DocTitle({ name }: { name: string }) {
  useDocumentTitle(`${name} · Vendors · Bulwark`);
  return null;
}

/** Moves the vendor to one of the lifecycle stages the API allows from here. */
function LifecycleControl({ vendor }: { vendor: VendorDetail }) {
  const { role } = useCurrentUser();
  const canWrite = can(role, 'inventory.write');
  const update = useUpdateVendor(vendor.id);
  const vendorQuery = useVendor(vendor.id);
  const [target, setTarget] = useState('');
  const options = vendor.allowedLifecycleTransitions;
  if (!canWrite) return null;
  if (options.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="lifecycle-final">
        {humanize(vendor.lifecycle)} is a final stage.
      </Text>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!target) return;
        update.mutate(
          { lifecycle: target as Lifecycle, version: vendor.version },
          {
            onSuccess: (v) => {
              setTarget('');
              notifySuccess(`${v.name} is now ${humanize(v.lifecycle).toLowerCase()}.`, 'Lifecycle updated');
            },
            onError: (e) => {
              if (isApiError(e) && e.status === 409) {
                notifyError(new Error(CONFLICT_MESSAGE), 'Changed by someone else');
                void vendorQuery.refetch();
              } else notifyError(e, 'Could not change the lifecycle');
            },
          },
        );
      }}
    >
      <Group align="flex-end" gap="xs">
        <NativeSelect
          label="Move lifecycle to"
          data={[{ value: '', label: 'Choose a stage…' }, ...options.map((o) => ({ value: o, label: humanize(o) }))]}
          value={target}
          onChange={(e) => setTarget(e.currentTarget.value)}
          data-testid="lifecycle-select"
        />
        <Button type="submit" variant="light" disabled={!target} loading={update.isPending} data-testid="lifecycle-apply">
          Move
        </Button>
      </Group>
    </form>
  );
}
