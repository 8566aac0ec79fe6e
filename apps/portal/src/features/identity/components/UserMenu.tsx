import { Badge, Group, Stack, Text } from '@mantine/core';

import { useCurrentUser } from '../../../app/session';
import { roleLabel } from '../../../shared/lib/format';

export function HeaderIdentity() {
  const user = useCurrentUser();
  return (
    <Group gap="sm" wrap="nowrap">
      <Stack gap={0} align="flex-end" visibleFrom="xs">
        <Text size="sm" fw={600} data-testid="header-user">
          {user.name}
        </Text>
        <Text size="xs" c="dimmed" data-testid="header-org">
          {user.organizationName}
        </Text>
      </Stack>
      <Badge variant="light" data-testid="header-role" data-role={user.role}>
        {roleLabel(user.role)}
      </Badge>
    </Group>
  );
}
