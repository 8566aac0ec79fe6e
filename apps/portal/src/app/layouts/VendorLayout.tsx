import { AppShell, Button, Container, Group, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';

import { useLogout } from '../../features/identity/api/auth';
import { ChangePasswordForm } from '../../features/identity/components/ChangePasswordForm';
import { HeaderIdentity } from '../../features/identity/components/UserMenu';
import { InboxCountBadge } from '../../features/inbox/components/InboxCountBadge';
import { NotificationsBell } from '../../features/notifications/components/NotificationsBell';
import { Brand } from '../../shared/components/Brand';
import { notifyError } from '../../shared/lib/notify';

/** The vendor contact's portal: no internal navigation, just their vendor. */
export function VendorLayout({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const logout = useLogout();
  const [pwOpened, pw] = useDisclosure(false);
  return (
    <AppShell header={{ height: 60 }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Brand />
          <Group gap="sm" wrap="nowrap">
            <Button
              component={Link}
              to="/vendor-home#inbox"
              variant="subtle"
              size="xs"
              rightSection={<InboxCountBadge waitingOn="vendor" testId="vendor-nav-inbox-count" />}
              data-testid="vendor-nav-inbox"
            >
              Waiting on you
            </Button>
            <NotificationsBell />
            <HeaderIdentity />
            <Button variant="subtle" size="xs" onClick={pw.open} data-testid="vendor-change-password">
              Change password
            </Button>
            <Button
              variant="default"
              size="xs"
              data-testid="nav-signout"
              loading={logout.isPending}
              onClick={() =>
                logout.mutate(undefined, {
                  onSuccess: () => void navigate('/login', { replace: true }),
                  onError: (e) => notifyError(e, 'Could not sign out'),
                })
              }
            >
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Container size="lg">{children}</Container>
      </AppShell.Main>
      <Modal opened={pwOpened} onClose={pw.close} title="Change password" centered>
        <ChangePasswordForm onDone={pw.close} />
      </Modal>
    </AppShell>
  );
}
