import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Group,
  Loader,
  Popover,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';

import type { NotificationView } from '@bulwark/api-schema';

import { errorMessage } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/lib/format';
import { notifyError } from '../../../shared/lib/notify';
import { timeAgo } from '../../signals/lib/signals';
import { useMarkAllNotificationsRead, useMarkNotificationRead, useNotifications } from '../api/notifications';

function BellIcon() {
  return (
    <svg
      width="20"
      height="20"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
      focusable="false"
    >
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

/** Only same-origin portal paths are followed (never `//host` or absolute URLs). */
function portalPath(link: string | null): string | null {
  return link && link.startsWith('/') && !link.startsWith('//') ? link : null;
}

/** Up / Down / Home / End move the focus between the notification items. */
function onListKeyDown(e: KeyboardEvent<HTMLElement>) {
  if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
  const items = Array.from(e.currentTarget.querySelectorAll<HTMLElement>('[data-testid=notification-item]'));
  if (items.length === 0) return;
  e.preventDefault();
  const at = items.indexOf(document.activeElement as HTMLElement);
  const next =
    e.key === 'Home'
      ? 0
      : e.key === 'End'
        ? items.length - 1
        : e.key === 'ArrowDown'
          ? (at + 1) % items.length
          : (at - 1 + items.length) % items.length;
  items[next]?.focus();
}

/**
 * Header bell: unread count (polled every 60 s) and a panel with the caller's notifications.
 * Opening an item marks it read and follows its link; used in both the internal and the vendor header.
 */
export function NotificationsBell() {
  const [opened, setOpened] = useState(false);
  const navigate = useNavigate();
  const list = useNotifications();
  const markRead = useMarkNotificationRead();
  const markAll = useMarkAllNotificationsRead();
  const unread = list.data?.unread ?? 0;
  const items = list.data?.items ?? [];

  const toggle = (next: boolean) => {
    setOpened(next);
    if (next) void list.refetch();
  };

  const openItem = (n: NotificationView) => {
    if (n.readAt === null) markRead.mutate(n.id, { onError: (e) => notifyError(e, 'Could not mark the notification as read') });
    const to = portalPath(n.link);
    if (to) {
      setOpened(false);
      void navigate(to);
    }
  };

  return (
    <Popover opened={opened} onChange={toggle} position="bottom-end" width={380} shadow="md" withArrow trapFocus returnFocus closeOnEscape>
      <Popover.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          size="lg"
          radius="xl"
          aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
          onClick={() => toggle(!opened)}
          data-testid="notifications-bell"
          style={{ overflow: 'visible', position: 'relative' }}
        >
          <BellIcon />
          {unread > 0 && (
            <Badge
              size="xs"
              color="red"
              variant="filled"
              radius="xl"
              px={4}
              data-testid="notifications-unread"
              data-count={unread}
              aria-hidden
              style={{ position: 'absolute', top: -2, right: -4, pointerEvents: 'none', minWidth: 16 }}
            >
              {unread > 99 ? '99+' : unread}
            </Badge>
          )}
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown p={0} data-testid="notifications-panel" role="dialog" aria-label="Notifications">
        <Group justify="space-between" px="md" py="xs" wrap="nowrap" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
          <Text fw={600} size="sm">
            Notifications{unread > 0 && <> · {unread} unread</>}
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            disabled={unread === 0}
            loading={markAll.isPending}
            onClick={() => markAll.mutate(undefined, { onError: (e) => notifyError(e, 'Could not mark the notifications as read') })}
            data-testid="notifications-read-all"
          >
            Mark all as read
          </Button>
        </Group>
        {list.isPending ? (
          <Group justify="center" p="lg">
            <Loader size="sm" aria-label="Loading notifications" />
          </Group>
        ) : list.isError && !list.data ? (
          <Stack gap={6} p="md" role="alert" data-testid="notifications-error">
            <Text size="sm" c="red">
              {errorMessage(list.error)}
            </Text>
            <Group>
              <Button size="compact-xs" variant="light" color="red" onClick={() => void list.refetch()}>
                Try again
              </Button>
            </Group>
          </Stack>
        ) : items.length === 0 ? (
          <Stack align="center" gap={4} p="lg" ta="center" data-testid="notifications-empty">
            <Text fw={600} size="sm">
              You&apos;re all caught up
            </Text>
            <Text size="xs" c="dimmed">
              Negotiation steps, breaches, financial alerts and renewal reminders show up here.
            </Text>
          </Stack>
        ) : (
          <ScrollArea.Autosize mah={420} type="auto">
            <Box
              component="ul"
              m={0}
              p={0}
              style={{ listStyle: 'none' }}
              aria-label="Notifications, newest first"
              onKeyDown={onListKeyDown}
            >
              {items.map((n) => (
                <li key={n.id}>
                  <NotificationItem notification={n} onOpen={openItem} />
                </li>
              ))}
            </Box>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}

function NotificationItem({ notification: n, onOpen }: { notification: NotificationView; onOpen: (n: NotificationView) => void }) {
  const unread = n.readAt === null;
  return (
    <UnstyledButton
      w="100%"
      px="md"
      py="sm"
      className="bw-notification"
      data-testid="notification-item"
      data-notification-id={n.id}
      data-read={String(!unread)}
      onClick={() => onOpen(n)}
    >
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Box
          mt={6}
          w={8}
          h={8}
          style={{ flex: 'none', borderRadius: '50%', background: unread ? 'var(--mantine-color-blue-6)' : 'transparent' }}
          aria-hidden
        />
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Text size="sm" fw={unread ? 600 : 400} data-testid="notification-title">
            {unread && <VisuallyHidden>Unread: </VisuallyHidden>}
            {n.title}
          </Text>
          <Text size="xs" c="dimmed" lineClamp={2} data-testid="notification-body">
            {n.body}
          </Text>
          <Text size="xs" c="dimmed" title={formatDateTime(n.createdAt)} data-testid="notification-time">
            {timeAgo(n.createdAt)}
          </Text>
        </Stack>
      </Group>
    </UnstyledButton>
  );
}
