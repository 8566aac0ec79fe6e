import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';

import { useCurrentUser } from '../../../app/session';
import { PageHeader } from '../../../shared/components/PageHeader';
import { roleLabel } from '../../../shared/lib/format';
import { ChangePasswordForm } from '../components/ChangePasswordForm';

export function AccountPage() {
  const user = useCurrentUser();
  return (
    <>
      <PageHeader title="Account" testId="account-title" description="Your profile and password." />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Paper withBorder p="lg" radius="md">
          <Title order={3} size="h4" mb="md">
            Profile
          </Title>
          <Stack gap="xs">
            <Text size="sm">
              <b>Name:</b> {user.name}
            </Text>
            <Text size="sm">
              <b>Email:</b> {user.email}
            </Text>
            <Text size="sm">
              <b>Role:</b> {roleLabel(user.role)}
            </Text>
            <Text size="sm">
              <b>Organization:</b> {user.organizationName}
            </Text>
          </Stack>
        </Paper>
        <Paper withBorder p="lg" radius="md">
          <Title order={3} size="h4" mb="md">
            Change password
          </Title>
          <ChangePasswordForm />
        </Paper>
      </SimpleGrid>
    </>
  );
}
