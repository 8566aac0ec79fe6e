import { Badge, Button, Checkbox, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';

import { can, contactSchema, type ContactView, type InvitationView, type UserView, type VendorDetail } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../../app/session';
import { isApiError } from '../../../../shared/api/client';
import { ConfirmButton } from '../../../../shared/components/ConfirmButton';
import { EmptyState, ErrorAlert, FormErrorAlert, TableSkeleton } from '../../../../shared/components/feedback';
import { FormActions } from '../../../../shared/components/FormActions';
import { blankToNull, formatDateTime } from '../../../../shared/lib/format';
import { pickError, useFieldErrors, validate } from '../../../../shared/lib/forms';
import { notifyError, notifySuccess } from '../../../../shared/lib/notify';
import { useInvitationAction, useInvitations, useInvite } from '../../../identity/api/invitations';
import { useUpdateUser, useUserList } from '../../../identity/api/users';
import { useCreateContact, useDeleteContact, useUpdateContact, type ContactWrite } from '../../api/vendors';

const STATUS_COLORS: Record<InvitationView['status'], string> = { pending: 'blue', accepted: 'teal', revoked: 'gray', expired: 'orange' };

export function ContactsTab({ vendor }: { vendor: VendorDetail }) {
  const { role } = useCurrentUser();
  const canWrite = can(role, 'inventory.write');
  const create = useCreateContact(vendor.id);
  const invitations = useInvitations(vendor.id);
  const portalUsers = useUserList({ vendorId: vendor.id, role: 'vendor_contact', includeInactive: true, pageSize: 200 });
  const hasPortalUsers = (portalUsers.data?.items.length ?? 0) > 0;
  const pendingEmails = new Set((invitations.data ?? []).filter((i) => i.status === 'pending').map((i) => i.email.toLowerCase()));

  return (
    <Stack gap="lg">
      {vendor.contacts.length === 0 ? (
        <EmptyState title="No contacts yet" testId="contacts-empty">
          Add the people you deal with at {vendor.name}. You can then invite them to the portal so they can see and confirm their own data.
        </EmptyState>
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" data-testid="contact-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Title</Table.Th>
                  <Table.Th>Email</Table.Th>
                  <Table.Th>Phone</Table.Th>
                  <Table.Th>Portal</Table.Th>
                  {canWrite && <Table.Th aria-label="Actions" />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {vendor.contacts.map((c) => (
                  <ContactRow
                    key={c.id}
                    contact={c}
                    vendor={vendor}
                    canWrite={canWrite}
                    invitePending={pendingEmails.has(c.email.toLowerCase())}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}

      {canWrite && (
        <Paper withBorder p="lg" radius="md">
          <Title order={3} size="h4" mb="sm">
            Add a contact
          </Title>
          <ContactForm
            testPrefix="contact"
            submitLabel="Add contact"
            pending={create.isPending}
            error={create.error}
            onSubmit={(body, reset) =>
              create.mutate(body, {
                onSuccess: (c) => {
                  reset();
                  create.reset();
                  notifySuccess(`${c.name} was added.`, 'Contact added');
                },
              })
            }
          />
        </Paper>
      )}

      <Paper withBorder p="lg" radius="md">
        <Title order={3} size="h4" mb="sm">
          Portal users
        </Title>
        {portalUsers.isPending ? (
          <TableSkeleton rows={2} />
        ) : portalUsers.isError ? (
          isApiError(portalUsers.error) && portalUsers.error.status === 403 ? (
            <Text size="sm" c="dimmed">
              Your role cannot see portal users.
            </Text>
          ) : (
            <ErrorAlert error={portalUsers.error} onRetry={() => void portalUsers.refetch()} />
          )
        ) : portalUsers.data.items.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="portal-users-empty">
            Nobody from {vendor.name} can sign in to the portal yet.
          </Text>
        ) : (
          <PortalUserTable users={portalUsers.data.items} canWrite={canWrite} />
        )}
      </Paper>

      <Paper withBorder p="lg" radius="md">
        <Title order={3} size="h4" mb="sm">
          Portal invitations
        </Title>
        {invitations.isPending ? (
          <TableSkeleton rows={2} />
        ) : invitations.isError ? (
          isApiError(invitations.error) && invitations.error.status === 403 ? (
            <Text size="sm" c="dimmed">
              Your role cannot see invitations.
            </Text>
          ) : (
            <ErrorAlert error={invitations.error} onRetry={() => void invitations.refetch()} />
          )
        ) : invitations.data.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="invitations-empty">
            {hasPortalUsers
              ? 'No invitations on record. To give someone else access, use “Invite to portal” on a contact above.'
              : `Nobody from ${vendor.name} has been invited yet. Use “Invite to portal” on a contact above.`}
          </Text>
        ) : (
          <InvitationTable vendorId={vendor.id} invitations={invitations.data} canWrite={canWrite} />
        )}
      </Paper>
    </Stack>
  );
}

function ContactRow({
  contact: c,
  vendor,
  canWrite,
  invitePending,
}: {
  contact: ContactView;
  vendor: VendorDetail;
  canWrite: boolean;
  invitePending: boolean;
}) {
  const invite = useInvite(vendor.id);
  const update = useUpdateContact(vendor.id);
  const del = useDeleteContact(vendor.id);
  const [editing, setEditing] = useState(false);
  return (
    <Table.Tr data-testid="contact-row" data-contact-id={c.id}>
      <Table.Td>
        <Group gap={6}>
          <Text size="sm" fw={600}>
            {c.name}
          </Text>
          {c.isPrimary && (
            <Badge size="xs" variant="light">
              Primary
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>{c.title ?? '—'}</Table.Td>
      <Table.Td>{c.email}</Table.Td>
      <Table.Td>{c.phone ?? '—'}</Table.Td>
      <Table.Td>
        {c.hasPortalAccess ? (
          <Badge color="teal" variant="light" size="sm" data-testid="contact-portal-access">
            Has access
          </Badge>
        ) : invitePending ? (
          <Badge color="blue" variant="light" size="sm">
            Invited
          </Badge>
        ) : (
          <Text size="sm" c="dimmed">
            No access
          </Text>
        )}
      </Table.Td>
      {canWrite && (
        <Table.Td>
          <Group gap={4} justify="flex-end" wrap="nowrap">
            {!c.hasPortalAccess && (
              <Button
                size="xs"
                variant="light"
                loading={invite.isPending}
                data-testid="invite-button"
                onClick={() =>
                  invite.mutate(
                    { email: c.email, name: c.name },
                    {
                      onSuccess: (i) => notifySuccess(`An invitation was sent to ${i.email}.`, 'Invitation sent'),
                      onError: (e) => notifyError(e, 'Could not send the invitation'),
                    },
                  )
                }
              >
                {invitePending ? 'Invite again' : 'Invite to portal'}
              </Button>
            )}
            <Button size="xs" variant="subtle" onClick={() => setEditing(true)} data-testid="contact-edit">
              Edit
            </Button>
            <ConfirmButton
              title={`Remove ${c.name}?`}
              message="The contact is removed from this vendor."
              confirmLabel="Remove"
              loading={del.isPending}
              testId="contact-delete"
              onConfirm={() =>
                del.mutateAsync(c.id).then(
                  () => notifySuccess(`${c.name} was removed.`, 'Contact removed'),
                  (e: unknown) => notifyError(e, 'Could not remove the contact'),
                )
              }
            >
              Remove
            </ConfirmButton>
          </Group>
          <Modal opened={editing} onClose={() => setEditing(false)} title={`Edit ${c.name}`}>
            <ContactForm
              contact={c}
              testPrefix="contact-edit"
              submitLabel="Save contact"
              pending={update.isPending}
              error={update.error}
              onCancel={() => setEditing(false)}
              onSubmit={(body) =>
                update.mutate(
                  { id: c.id, ...body },
                  {
                    onSuccess: () => {
                      setEditing(false);
                      notifySuccess('The contact was saved.', 'Saved');
                    },
                  },
                )
              }
            />
          </Modal>
        </Table.Td>
      )}
    </Table.Tr>
  );
}

function ContactForm({
  contact,
  testPrefix,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  contact?: ContactView;
  testPrefix: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (body: ContactWrite, reset: () => void) => void;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(contact?.name ?? '');
  const [email, setEmail] = useState(contact?.email ?? '');
  const [title, setTitle] = useState(contact?.title ?? '');
  const [phone, setPhone] = useState(contact?.phone ?? '');
  const [isPrimary, setPrimary] = useState(contact?.isPrimary ?? false);
  const { errors, clientErrors, setClientErrors } = useFieldErrors(error);

  const reset = () => {
    setName('');
    setEmail('');
    setTitle('');
    setPhone('');
    setPrimary(false);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = { name: name.trim(), email: email.trim(), title: blankToNull(title), phone: blankToNull(phone), isPrimary };
    const v = validate(contactSchema, body);
    if (!v.ok) {
      setClientErrors(v.errors);
      return;
    }
    setClientErrors({});
    onSubmit(body, reset);
  };

  return (
    <form onSubmit={submit} noValidate data-testid={`${testPrefix}-form`}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={pickError(errors, 'name')}
            data-testid={`${testPrefix}-name`}
          />
          <TextInput
            label="Email"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={pickError(errors, 'email')}
            data-testid={`${testPrefix}-email`}
          />
          <TextInput
            label="Job title"
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={pickError(errors, 'title')}
            data-testid={`${testPrefix}-title`}
          />
          <TextInput
            label="Phone"
            type="tel"
            value={phone}
            onChange={(e) => setPhone(e.currentTarget.value)}
            error={pickError(errors, 'phone')}
            data-testid={`${testPrefix}-phone`}
          />
        </SimpleGrid>
        <Checkbox
          label="Primary contact"
          checked={isPrimary}
          onChange={(e) => setPrimary(e.currentTarget.checked)}
          data-testid={`${testPrefix}-primary`}
        />
        <FormErrorAlert error={Object.keys(clientErrors).length ? undefined : error} shownFields={['name', 'email', 'title', 'phone']} />
        <FormActions submitLabel={submitLabel} pending={pending} submitTestId={`${testPrefix}-submit`} onCancel={onCancel} />
      </Stack>
    </form>
  );
}

function InvitationTable({ vendorId, invitations, canWrite }: { vendorId: string; invitations: InvitationView[]; canWrite: boolean }) {
  const action = useInvitationAction(vendorId);
  const run = (id: string, act: 'resend' | 'revoke', email: string) =>
    action.mutateAsync({ id, action: act }).then(
      () =>
        notifySuccess(
          act === 'resend' ? `A new invitation e-mail was sent to ${email}.` : `The invitation for ${email} was revoked.`,
          act === 'resend' ? 'Invitation resent' : 'Invitation revoked',
        ),
      (e: unknown) => notifyError(e, act === 'resend' ? 'Could not resend' : 'Could not revoke'),
    );
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" data-testid="invitation-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Sent</Table.Th>
            <Table.Th>Expires</Table.Th>
            {canWrite && <Table.Th aria-label="Actions" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {invitations.map((i) => (
            <Table.Tr key={i.id} data-testid="invitation-row" data-status={i.status}>
              <Table.Td>{i.name}</Table.Td>
              <Table.Td>{i.email}</Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLORS[i.status]} variant="light" size="sm" data-testid="invitation-status">
                  {i.status}
                </Badge>
              </Table.Td>
              <Table.Td>{formatDateTime(i.createdAt)}</Table.Td>
              <Table.Td>{i.status === 'accepted' ? `accepted ${formatDateTime(i.acceptedAt)}` : formatDateTime(i.expiresAt)}</Table.Td>
              {canWrite && (
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    {(i.status === 'pending' || i.status === 'expired') && (
                      <Button
                        size="xs"
                        variant="subtle"
                        loading={action.isPending && action.variables?.id === i.id && action.variables.action === 'resend'}
                        onClick={() => void run(i.id, 'resend', i.email)}
                        data-testid="invitation-resend"
                      >
                        Resend
                      </Button>
                    )}
                    {i.status === 'pending' && (
                      <ConfirmButton
                        title="Revoke this invitation?"
                        message={`The link sent to ${i.email} will stop working.`}
                        confirmLabel="Revoke"
                        testId="invitation-revoke"
                        onConfirm={() => run(i.id, 'revoke', i.email)}
                      >
                        Revoke
                      </ConfirmButton>
                    )}
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The vendor's accounts (vendor contacts who can or could sign in), whoever created them; managers may deactivate or reactivate them. */
function PortalUserTable({ users, canWrite }: { users: UserView[]; canWrite: boolean }) {
  const update = useUpdateUser();
  const setActive = (u: UserView, active: boolean) =>
    update.mutateAsync({ id: u.id, active }).then(
      () =>
        notifySuccess(
          active ? `${u.name} can sign in again.` : `${u.name} can no longer sign in; their sessions were ended.`,
          active ? 'Access restored' : 'Access removed',
        ),
      (e: unknown) => notifyError(e, active ? 'Could not reactivate' : 'Could not deactivate'),
    );
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" data-testid="portal-user-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Last sign-in</Table.Th>
            {canWrite && <Table.Th aria-label="Actions" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((u) => (
            <Table.Tr key={u.id} data-testid="portal-user-row" data-active={u.active}>
              <Table.Td>{u.name}</Table.Td>
              <Table.Td>{u.email}</Table.Td>
              <Table.Td>
                <Badge color={u.active ? 'teal' : 'gray'} variant="light" size="sm" data-testid="portal-user-status">
                  {u.active ? 'Active' : `Deactivated ${formatDateTime(u.deactivatedAt)}`}
                </Badge>
              </Table.Td>
              <Table.Td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : 'never'}</Table.Td>
              {canWrite && (
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    {u.active ? (
                      <ConfirmButton
                        title={`Deactivate ${u.name}?`}
                        message="They are signed out everywhere at once and can no longer sign in. Their history stays."
                        confirmLabel="Deactivate"
                        testId="portal-user-deactivate"
                        onConfirm={() => setActive(u, false)}
                      >
                        Deactivate
                      </ConfirmButton>
                    ) : (
                      <Button
                        size="xs"
                        variant="subtle"
                        loading={update.isPending && update.variables?.id === u.id}
                        onClick={() => void setActive(u, true)}
                        data-testid="portal-user-reactivate"
                      >
                        Reactivate
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
