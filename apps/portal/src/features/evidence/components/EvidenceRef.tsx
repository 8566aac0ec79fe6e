import { Anchor, Group, Text } from '@mantine/core';

import { evidenceDownloadUrl, useEvidenceItem } from '../api/evidence';
import { ExpiryBadge } from './evidenceLabels';

/** An evidence item named by its id elsewhere (a finding, a comment): its title, validity and a download of its current revision. */
export function EvidenceRef({ id }: { id: string }) {
  const item = useEvidenceItem(id);
  if (item.isPending)
    return (
      <Text size="sm" c="dimmed" data-testid="evidence-ref">
        Loading evidence…
      </Text>
    );
  if (item.isError)
    return (
      <Text size="sm" c="dimmed" data-testid="evidence-ref" data-evidence-id={id}>
        Evidence not available to you ({id.slice(0, 8)}…)
      </Text>
    );
  const e = item.data;
  return (
    <Group gap="xs" data-testid="evidence-ref" data-evidence-id={id}>
      <Anchor href={evidenceDownloadUrl(e.id, e.current.id)} size="sm" data-testid="evidence-ref-download">
        {e.title}
      </Anchor>
      <Text size="xs" c="dimmed">
        {e.current.fileName}
      </Text>
      <ExpiryBadge evidence={e} />
    </Group>
  );
}
