import { Button, Group, Modal, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';

import { inviteUserSchema, type Role } from '@bulwark/api-schema';

import { isApiError } from '../../../shared/api/client';
import { FormErrorAlert } from '../../../shared/components/feedback';
import { fieldBinder, pickError, useFieldErrors, validate, type FieldErrors } from '../../../shared/lib/forms';
import { notifySuccess } from '../../../shared/lib/notify';
import { useInviteStaff } from '../api/users';
import { INTERNAL_ROLE_OPTIONS, ROLE_DESCRIPTIONS } from './roles';

/** 409s about the address (already a user, already invited) belong under the e-mail field. */
const EMAIL_CONFLICTS = ['invitation.email_unavailable', 'invitation.pending'];

/** "Invite staff": name, e-mail and one of the four internal roles (POST /api/users/invitations). */
export function InviteStaffModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const invite = useInviteStaff();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('');
  const { errors: fieldErrors, clientErrors, setClientErrors } = useFieldErrors(invite.error);

  const emailConflict =
    isApiError(invite.error) && invite.error.status === 409 && EMAIL_CONFLICTS.includes(invite.error.code)
      ? invite.error.message
      : undefined;
  const errors: FieldErrors = { ...fieldErrors, ...(emailConflict ? { email: emailConflict } : {}), ...clientErrors };
  const field = fieldBinder(errors);

  const close = () => {
    setName('');
    setEmail('');
    setRole('');
    setClientErrors({});
    invite.reset();
    onClose();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = validate(inviteUserSchema, { name: name.trim(), email: email.trim(), role });
    if (!v.ok) {
      setClientErrors(role ? v.errors : { ...v.errors, role: 'Choose a role' });
      return;
    }
    setClientErrors({});
    invite.mutate(v.data, {
      onSuccess: (i) => {
        notifySuccess(
          `An invitation was sent to ${i.email}. It shows under “Pending staff invitations” until ${i.name} sets a password.`,
          'Invitation sent',
        );
        close();
      },
    });
  };

  return (
    <Modal opened={opened} onClose={close} title="Invite a member of staff" size="lg">
      <form onSubmit={submit} noValidate data-testid="staff-invite-form">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            They receive an e-mail with a link to set a password and sign in with the role you choose. Vendor contacts are invited from
            their vendor’s Contacts tab instead.
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Name" required autoComplete="off" {...field('name', name, setName, 'staff-invite-name')} data-autofocus />
            <TextInput label="Email" type="email" required autoComplete="off" {...field('email', email, setEmail, 'staff-invite-email')} />
          </SimpleGrid>
          <NativeSelect
            label="Role"
            required
            data={[{ value: '', label: 'Choose a role…' }, ...INTERNAL_ROLE_OPTIONS]}
            value={role}
            onChange={(e) => setRole(e.currentTarget.value)}
            description={(role && ROLE_DESCRIPTIONS[role as Role]) || 'What they may do in Bulwark; you can change it later.'}
            error={pickError(errors, 'role')}
            data-testid="staff-invite-role"
          />
          <FormErrorAlert
            error={Object.keys(clientErrors).length || emailConflict ? undefined : invite.error}
            shownFields={['name', 'email', 'role']}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={invite.isPending} data-testid="staff-invite-submit">
              Send invitation
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
