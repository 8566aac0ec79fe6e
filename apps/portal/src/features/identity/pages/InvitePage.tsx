import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { acceptInvitationSchema } from '@bulwark/api-schema';

import { errorMessage, isApiError } from '../../../shared/api/client';
import { Brand } from '../../../shared/components/Brand';
import { FormErrorAlert, PageLoader } from '../../../shared/components/feedback';
import { formatDateTime, roleLabel } from '../../../shared/lib/format';
import { fieldBinder, useFieldErrors, validate, type FieldErrors } from '../../../shared/lib/forms';
import { notifySuccess } from '../../../shared/lib/notify';
import { useAcceptInvitation, useInvitationPreview } from '../api/auth';
import { ROLE_DESCRIPTIONS } from '../components/roles';
import { homePath } from '../lib/permissions';

export function InvitePage() {
  useDocumentTitle('Accept invitation · Bulwark');
  const { token = '' } = useParams();
  const preview = useInvitationPreview(token);
  const accept = useAcceptInvitation();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');

  useEffect(() => {
    if (preview.data) setName((n) => n || preview.data.name);
  }, [preview.data]);

  const { errors, clientErrors, setClientErrors } = useFieldErrors(accept.error);
  const field = fieldBinder(errors);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const trimmedName = name.trim();
    const v = validate(acceptInvitationSchema, { token, password, ...(trimmedName ? { name: trimmedName } : {}) });
    const errs: FieldErrors = v.ok ? {} : { ...v.errors };
    if (!trimmedName) errs['name'] = 'Enter your name';
    if (password !== confirm) errs['confirm'] = 'The two passwords do not match';
    setClientErrors(errs);
    if (!v.ok || Object.keys(errs).length) return;
    accept.mutate(v.data, {
      onSuccess: (res) => {
        notifySuccess(`Welcome to Bulwark, ${res.user.name}.`, 'Password set');
        // Same landing as after sign-in: staff → the internal home, vendor contacts → their vendor home.
        void navigate(homePath(res.user.role), { replace: true });
      },
    });
  };

  let body;
  if (preview.isPending) {
    body = <PageLoader label="Checking your invitation…" />;
  } else if (preview.isError) {
    const gone = isApiError(preview.error) && [400, 404, 410, 422].includes(preview.error.status);
    body = (
      <Alert color="red" variant="light" title="This invitation cannot be used" role="alert" data-testid="invite-error">
        <Stack gap="xs">
          <Text size="sm">
            {gone
              ? 'The link is invalid, has expired, or has already been used. Ask your contact at the organization to send a new invitation.'
              : errorMessage(preview.error)}
          </Text>
          <Text size="sm">
            Already have an account? <Link to="/login">Sign in</Link>.
          </Text>
        </Stack>
      </Alert>
    );
  } else {
    const inv = preview.data;
    body = (
      <Stack gap="md">
        {inv.vendorName === null ? (
          // A member of staff: no vendor, the role decides what they see.
          <Stack gap={4} data-testid="invite-summary" data-role={inv.role}>
            <Text size="sm">
              You are invited to <b>{inv.organizationName}</b> as <b>{roleLabel(inv.role)}</b>.
            </Text>
            {ROLE_DESCRIPTIONS[inv.role] && (
              <Text size="sm" c="dimmed">
                {roleLabel(inv.role)}: {ROLE_DESCRIPTIONS[inv.role]}
              </Text>
            )}
            <Text size="sm">
              The invitation is for <b>{inv.name}</b> ({inv.email}) and expires {formatDateTime(inv.expiresAt)}.
            </Text>
          </Stack>
        ) : (
          <Text size="sm" data-testid="invite-summary" data-role={inv.role}>
            <b>{inv.organizationName}</b> invited <b>{inv.name}</b> ({inv.email}) to the Bulwark portal as a contact for{' '}
            <b>{inv.vendorName}</b>. The invitation expires {formatDateTime(inv.expiresAt)}.
          </Text>
        )}
        <form onSubmit={submit} noValidate data-testid="invite-form">
          <Stack>
            <TextInput label="Email" value={inv.email} readOnly disabled autoComplete="username" />
            <TextInput label="Your name" required autoComplete="name" {...field('name', name, setName, 'invite-name')} />
            <PasswordInput
              label="Password"
              description="At least 12 characters."
              required
              autoComplete="new-password"
              {...field('password', password, setPassword, 'invite-password')}
            />
            <PasswordInput
              label="Repeat password"
              required
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.currentTarget.value)}
              error={errors['confirm']}
              data-testid="invite-password-confirm"
            />
            <FormErrorAlert error={Object.keys(clientErrors).length ? undefined : accept.error} shownFields={['name', 'password']} />
            <Button type="submit" loading={accept.isPending} data-testid="invite-submit">
              Set password
            </Button>
          </Stack>
        </form>
      </Stack>
    );
  }

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Paper withBorder shadow="sm" radius="md" p="xl" w="100%" maw={480}>
        <Stack gap="lg">
          <Stack gap={4}>
            <Brand />
            <Title order={1} size="h3" data-testid="invite-title">
              Accept your invitation
            </Title>
          </Stack>
          {body}
        </Stack>
      </Paper>
    </Center>
  );
}
