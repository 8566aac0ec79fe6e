import { Anchor, Breadcrumbs, Paper } from '@mantine/core';
import { Link, useNavigate } from 'react-router';

import { PageHeader } from '../../../shared/components/PageHeader';
import { notifySuccess } from '../../../shared/lib/notify';
import { useCreateVendor } from '../api/vendors';
import { VendorForm } from '../components/VendorForm';

export function NewVendorPage() {
  const create = useCreateVendor();
  const navigate = useNavigate();
  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/vendors">
          Vendors
        </Anchor>
        <span>New vendor</span>
      </Breadcrumbs>
      <PageHeader
        title="New vendor"
        testId="new-vendor-title"
        description="The tier is computed from the intake answers; you can override it later."
      />
      <Paper withBorder p="lg" radius="md" maw={960}>
        <VendorForm
          submitLabel="Create vendor"
          pending={create.isPending}
          error={create.error}
          onSubmit={(body) =>
            create.mutate(body, {
              onSuccess: (v) => {
                notifySuccess(`${v.name} was created with tier ${v.tier}.`, 'Vendor created');
                void navigate(`/vendors/${v.id}`);
              },
            })
          }
          onCancel={() => void navigate('/vendors')}
        />
      </Paper>
    </>
  );
}
