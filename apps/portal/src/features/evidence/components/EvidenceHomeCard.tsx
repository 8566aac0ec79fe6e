import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

import { useEvidenceList } from '../api/evidence';

/** On the vendor's home: the way into its evidence library, with what needs attention. */
export function EvidenceHomeCard({ vendorId }: { vendorId: string }) {
  const all = useEvidenceList({ vendorId, pageSize: 1 });
  const expiring = useEvidenceList({ vendorId, status: 'expiring', pageSize: 1 });
  const expired = useEvidenceList({ vendorId, status: 'expired', pageSize: 1 });
  const attention = (expiring.data?.total ?? 0) + (expired.data?.total ?? 0);
  return (
    <Paper withBorder p="lg" radius="md" data-testid="vendor-home-evidence">
      <Group justify="space-between" align="center" wrap="wrap">
        <Stack gap={2}>
          <Title order={3} size="h4">
            Evidence library
          </Title>
          <Text size="sm" c="dimmed" data-testid="vendor-home-evidence-summary">
            {all.data
              ? all.data.total === 0
                ? 'Nothing uploaded yet: share your reports, certificates and plans here.'
                : `${all.data.total} item${all.data.total === 1 ? '' : 's'}${attention ? `, ${attention} expiring or expired` : ', all current'}.`
              : 'Loading…'}
          </Text>
        </Stack>
        <Button component={Link} to="/vendor-home/evidence" data-testid="vendor-home-evidence-open">
          Open the evidence library
        </Button>
      </Group>
    </Paper>
  );
}
