import { AppShell, Burger, Divider, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';

import { can } from '@bulwark/api-schema';

import { useLogout } from '../../features/identity/api/auth';
import { HeaderIdentity } from '../../features/identity/components/UserMenu';
import { InboxCountBadge } from '../../features/inbox/components/InboxCountBadge';
import { NotificationsBell } from '../../features/notifications/components/NotificationsBell';
import { Brand } from '../../shared/components/Brand';
import { notifyError } from '../../shared/lib/notify';
import { useCurrentUser } from '../session';

interface NavItem {
  to: string;
  label: string;
  testId: string;
  icon: string;
  show?: boolean;
  badge?: ReactNode;
}

export function InternalLayout({ children }: { children: ReactNode }) {
  const user = useCurrentUser();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();

  useEffect(() => close(), [location.pathname, close]);

  const items: NavItem[] = [
    { to: '/inbox', label: 'Inbox', testId: 'nav-inbox', icon: '✉', badge: <InboxCountBadge waitingOn="us" testId="nav-inbox-count" /> },
    { to: '/vendors', label: 'Vendors', testId: 'nav-vendors', icon: '▦' },
    { to: '/systems', label: 'Internal systems', testId: 'nav-systems', icon: '⚙' },
    { to: '/map', label: 'Dependency map', testId: 'nav-map', icon: '⇄' },
    { to: '/concentration', label: 'Concentration', testId: 'nav-concentration', icon: '◔' },
    { to: '/signals', label: 'Live status', testId: 'nav-signals', icon: '◎' },
    { to: '/contracts', label: 'Contracts', testId: 'nav-contracts', icon: '§' },
    { to: '/evidence', label: 'Expiring evidence', testId: 'nav-evidence', icon: '✓' },
    { to: '/negotiations', label: 'Negotiations', testId: 'nav-negotiations', icon: '⇆' },
    { to: '/breaches', label: 'Breaches and credits', testId: 'nav-breaches', icon: '⚠' },
    { to: '/findings', label: 'Findings', testId: 'nav-findings', icon: '⚑' },
    { to: '/audits', label: 'Audits', testId: 'nav-audits', icon: '⌕' },
    {
      to: '/questionnaires',
      label: 'Questionnaires',
      testId: 'nav-questionnaires',
      icon: '☑',
      show: can(user.role, 'questionnaire_template.read'),
    },
    {
      to: '/questionnaire-requests',
      label: 'Questionnaire requests',
      testId: 'nav-questionnaire-requests',
      icon: '✍',
      show: can(user.role, 'questionnaire_request.read'),
    },
    {
      to: '/questionnaire-campaigns',
      label: 'Questionnaire campaigns',
      testId: 'nav-questionnaire-campaigns',
      icon: '⟳',
      show: can(user.role, 'questionnaire_campaign.read'),
    },
    { to: '/sla-portfolio', label: 'SLA portfolio', testId: 'nav-sla-portfolio', icon: '▤' },
    { to: '/commitment-chain', label: 'Commitment chain', testId: 'nav-commitment-chain', icon: '⇶' },
    { to: '/import', label: 'Import', testId: 'nav-import', icon: '⇪', show: can(user.role, 'inventory.write') },
    { to: '/audit-log', label: 'Audit log', testId: 'nav-audit-log', icon: '☰', show: can(user.role, 'audit.read') },
    { to: '/admin/users', label: 'Users', testId: 'nav-users', icon: '☺', show: can(user.role, 'user.write') },
    { to: '/admin/organization', label: 'Organization', testId: 'nav-organization', icon: '⚙', show: can(user.role, 'organization.write') },
  ];

  const isActive = (to: string) => location.pathname === to || location.pathname.startsWith(`${to}/`);

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Link to="/vendors" style={{ color: 'inherit', textDecoration: 'none' }} aria-label="Bulwark home">
              <Brand />
            </Link>
            <Text c="dimmed" size="sm" visibleFrom="md" data-testid="header-org-name">
              {user.organizationName}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <NotificationsBell />
            <HeaderIdentity />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <AppShell.Section grow component={ScrollArea}>
          <nav>
            {items
              .filter((i) => i.show !== false)
              .map((i) => (
                <NavLink
                  key={i.to}
                  component={Link}
                  to={i.to}
                  label={i.label}
                  leftSection={<span aria-hidden>{i.icon}</span>}
                  rightSection={i.badge}
                  active={isActive(i.to)}
                  aria-current={isActive(i.to) ? 'page' : undefined}
                  data-testid={i.testId}
                />
              ))}
          </nav>
        </AppShell.Section>
        <AppShell.Section>
          <Divider my="xs" />
          <NavLink
            component={Link}
            to="/account"
            label="Account"
            leftSection={<span aria-hidden>◉</span>}
            active={isActive('/account')}
            data-testid="nav-account"
          />
          <NavLink
            component="button"
            type="button"
            label={logout.isPending ? 'Signing out…' : 'Sign out'}
            leftSection={<span aria-hidden>⎋</span>}
            data-testid="nav-signout"
            disabled={logout.isPending}
            onClick={() =>
              logout.mutate(undefined, {
                onSuccess: () => void navigate('/login', { replace: true }),
                onError: (e) => notifyError(e, 'Could not sign out'),
              })
            }
          />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
