import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import type { Role, SessionUser, UserView } from '@bulwark/api-schema';

import { ConfirmButton } from '../../../shared/components/ConfirmButton';
import { formatDate, formatDateTime, roleLabel } from '../../../shared/lib/format';
import { apiFieldErrors, pickError } from '../../../shared/lib/forms';
import { notifyError, notifySuccess } from '../../../shared/lib/notify';
import { timeAgo } from '../../signals/lib/signals';
import { useUpdateUser } from '../api/users';
import { userActions } from '../lib/permissions';
import { INTERNAL_ROLE_OPTIONS, RoleBadge } from './roles';

const RECENT_MS = 30 * 86_400_000;

/** "never", "5 min ago" / "3 d ago" within a month, else the date. */
function lastSignIn(iso: string | null): string {
  if (!iso) return 'never';
  return Date.now() - new Date(iso).getTime() < RECENT_MS ? timeAgo(iso) : formatDate(iso);
}

export function UserRow({ user: u, me, inactiveShown }: { user: UserView; me: SessionUser; inactiveShown: boolean }) {
  const can = userActions(me, u);
  const self = me.id === u.id;
  const update = useUpdateUser();

  const deactivate = () =>
    update.mutateAsync({ id: u.id, active: false }).then(
      () =>
        notifySuccess(
          `${u.name} was signed out everywhere and can no longer sign in.${inactiveShown ? '' : ' Turn on “Show deactivated” to see the account.'}`,
          'User deactivated',
        ),
      (e: unknown) => notifyError(e, `Could not deactivate ${u.name}`),
    );

  const reactivate = () =>
    update.mutate(
      { id: u.id, active: true },
      {
        onSuccess: () => notifySuccess(`${u.name} can sign in again.`, 'User reactivated'),
        onError: (e) => notifyError(e, `Could not reactivate ${u.name}`),
      },
    );

  return (
    <Table.Tr
      data-testid="user-row"
      data-user-id={u.id}
      data-email={u.email}
      data-role={u.role}
      data-active={u.active}
      data-self={self || undefined}
    >
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={600} c={u.active ? undefined : 'dimmed'} data-testid="user-name">
            {u.name}
          </Text>
          {self && (
            <Badge size="xs" variant="outline" color="gray" data-testid="user-self" style={{ flexShrink: 0 }}>
              You
            </Badge>
          )}
          {can.rename && <RenameButton user={u} />}
        </Group>
        <Text size="xs" c="dimmed" data-testid="user-email">
          {u.email}
        </Text>
      </Table.Td>
      <Table.Td>
        <RoleBadge role={u.role} />
      </Table.Td>
      <Table.Td>
        {u.vendorId ? (
          <Anchor component={Link} to={`/vendors/${u.vendorId}/contacts`} size="sm" data-testid="user-vendor-link">
            {u.vendorName ?? 'Vendor'}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td data-testid="user-status" data-active={u.active}>
        {u.active ? (
          <Badge color="teal" variant="light" size="sm" style={{ minWidth: 'max-content' }}>
            Active
          </Badge>
        ) : (
          <Stack gap={2} align="flex-start">
            <Badge color="gray" variant="filled" size="sm" style={{ minWidth: 'max-content' }}>
              Deactivated
            </Badge>
            {u.deactivatedAt && (
              <Text size="xs" c="dimmed" title={formatDateTime(u.deactivatedAt)} style={{ whiteSpace: 'nowrap' }}>
                since {formatDate(u.deactivatedAt)}
              </Text>
            )}
          </Stack>
        )}
      </Table.Td>
      <Table.Td>
        <Text
          size="sm"
          c={u.lastLoginAt ? undefined : 'dimmed'}
          title={u.lastLoginAt ? formatDateTime(u.lastLoginAt) : 'Has never signed in'}
          data-testid="user-last-login"
          style={{ whiteSpace: 'nowrap' }}
        >
          {lastSignIn(u.lastLoginAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" justify="flex-end" wrap="nowrap">
          {can.showRole && <RoleControl user={u} lockedReason={can.roleLockedReason} />}
          {can.toggleActive &&
            (u.active ? (
              <ConfirmButton
                title={`Deactivate ${u.name}?`}
                message={
                  <>
                    <b>{u.name}</b> ({u.email}) is signed out of every session immediately and can no longer sign in. Nothing they recorded
                    is deleted, and you can reactivate the account later.
                  </>
                }
                confirmLabel="Deactivate"
                loading={update.isPending}
                testId="user-deactivate"
                onConfirm={deactivate}
                aria-label={`Deactivate ${u.name}`}
              >
                Deactivate
              </ConfirmButton>
            ) : (
              <Button
                size="xs"
                variant="light"
                color="teal"
                loading={update.isPending}
                onClick={reactivate}
                data-testid="user-reactivate"
                aria-label={`Reactivate ${u.name}`}
              >
                Reactivate
              </Button>
            ))}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** A native select of the four staff roles with an explicit "Save" (arrow keys on a select must not fire requests). */
function RoleControl({ user: u, lockedReason }: { user: UserView; lockedReason: string | null }) {
  const update = useUpdateUser();
  const [draft, setDraft] = useState<Role>(u.role);
  const reasonId = useId();
  useEffect(() => setDraft(u.role), [u.role]);
  const changed = draft !== u.role;

  const save = () =>
    update.mutate(
      { id: u.id, role: draft as Exclude<Role, 'vendor_contact'> },
      {
        onSuccess: (v) =>
          notifySuccess(
            `${v.name} is now ${roleLabel(v.role)}. It applies from their next click; they get a notification.`,
            'Role changed',
          ),
        onError: (e) => {
          setDraft(u.role);
          notifyError(e, 'Could not change the role');
        },
      },
    );

  const select = (
    <NativeSelect
      size="xs"
      aria-label={`Role of ${u.name}`}
      aria-describedby={lockedReason ? reasonId : undefined}
      data={INTERNAL_ROLE_OPTIONS}
      value={draft}
      disabled={!!lockedReason || update.isPending}
      onChange={(e) => setDraft(e.currentTarget.value as Role)}
      w={150}
      data-testid="user-role-select"
    />
  );

  if (lockedReason) {
    return (
      <Tooltip label={lockedReason} events={{ hover: true, focus: true, touch: true }} withArrow>
        {/* A disabled control gets no pointer or focus events: the wrapper carries the tooltip. */}
        <span tabIndex={0} data-testid="user-role-locked" style={{ display: 'inline-block' }}>
          {select}
          <VisuallyHidden id={reasonId}>{lockedReason}</VisuallyHidden>
        </span>
      </Tooltip>
    );
  }

  return (
    <Group gap={4} wrap="nowrap">
      {select}
      {changed && (
        <>
          <Button size="xs" onClick={save} loading={update.isPending} data-testid="user-role-apply">
            Save role
          </Button>
          <Button
            size="xs"
            variant="subtle"
            color="gray"
            onClick={() => setDraft(u.role)}
            disabled={update.isPending}
            data-testid="user-role-cancel"
          >
            Cancel
          </Button>
        </>
      )}
    </Group>
  );
}

/** A pencil next to the name: corrects the display name in a small dialog. */
function RenameButton({ user: u }: { user: UserView }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [name, setName] = useState(u.name);
  const update = useUpdateUser();
  const error = pickError(apiFieldErrors(update.error), 'name');

  const start = () => {
    setName(u.name);
    update.reset();
    open();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(
      { id: u.id, name: name.trim() },
      {
        onSuccess: (v) => {
          close();
          notifySuccess(`${u.name} is now shown as ${v.name}.`, 'Name changed');
        },
        onError: (err) => {
          if (!pickError(apiFieldErrors(err), 'name')) notifyError(err, 'Could not change the name');
        },
      },
    );
  };

  return (
    <>
      <Tooltip label="Edit name">
        <ActionIcon
          variant="subtle"
          color="gray"
          size="sm"
          onClick={start}
          aria-label={`Edit the name of ${u.name}`}
          data-testid="user-rename"
        >
          ✎
        </ActionIcon>
      </Tooltip>
      <Modal opened={opened} onClose={close} title={`Edit the name of ${u.email}`} centered>
        <form onSubmit={submit} noValidate data-testid="user-rename-form">
          <Stack gap="md">
            <TextInput
              label="Name"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={error ?? (name.trim() ? undefined : 'Enter a name')}
              data-testid="user-rename-name"
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button
                type="submit"
                loading={update.isPending}
                disabled={!name.trim() || name.trim() === u.name}
                data-testid="user-rename-submit"
              >
                Save name
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
