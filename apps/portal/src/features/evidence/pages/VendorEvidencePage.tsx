import { Anchor, Stack } from '@mantine/core';
import { Link } from 'react-router';

import { useCurrentUser } from '../../../app/session';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EvidenceLibrary } from '../components/EvidenceLibrary';

/** The vendor contact's evidence library (`/vendor-home/evidence`). */
export function VendorEvidencePage() {
  const user = useCurrentUser();
  return (
    <Stack gap={0}>
      <Anchor component={Link} to="/vendor-home" size="sm" mb="xs">
        ← Back to {user.vendorName ?? 'your company'}
      </Anchor>
      <PageHeader
        title="Evidence library"
        testId="vendor-evidence-title"
        description={`Reports, certificates and plans you share with ${user.organizationName}. Every upload is kept as a revision; you are reminded before anything expires.`}
      />
      {user.vendorId && <EvidenceLibrary vendorId={user.vendorId} />}
    </Stack>
  );
}
