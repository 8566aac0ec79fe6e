import { PasswordInput, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';

import { changePasswordSchema } from '@bulwark/api-schema';

import { FormErrorAlert } from '../../../shared/components/feedback';
import { FormActions } from '../../../shared/components/FormActions';
import { fieldBinder, useFieldErrors, validate, type FieldErrors } from '../../../shared/lib/forms';
import { notifySuccess } from '../../../shared/lib/notify';
import { useChangePassword } from '../api/auth';

export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const change = useChangePassword();
  const { errors, clientErrors, setClientErrors } = useFieldErrors(change.error);
  const field = fieldBinder(errors);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = validate(changePasswordSchema, { currentPassword, newPassword });
    const errs: FieldErrors = v.ok ? {} : { ...v.errors };
    if (newPassword !== confirm) errs['confirm'] = 'The two new passwords do not match';
    setClientErrors(errs);
    if (!v.ok || Object.keys(errs).length) return;
    change.mutate(v.data, {
      onSuccess: () => {
        notifySuccess('Your password has been changed.');
        setCurrent('');
        setNew('');
        setConfirm('');
        change.reset();
        onDone?.();
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="change-password-form">
      <Stack>
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          required
          {...field('currentPassword', currentPassword, setCurrent, 'password-current')}
        />
        <PasswordInput
          label="New password"
          description="At least 12 characters. A long passphrase is best."
          autoComplete="new-password"
          required
          {...field('newPassword', newPassword, setNew, 'password-new')}
        />
        <PasswordInput
          label="Repeat new password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
          error={errors['confirm']}
          data-testid="password-confirm"
        />
        <FormErrorAlert
          error={Object.keys(clientErrors).length ? undefined : change.error}
          shownFields={['currentPassword', 'newPassword']}
        />
        <FormActions submitLabel="Change password" pending={change.isPending} submitTestId="password-submit" />
      </Stack>
    </form>
  );
}
