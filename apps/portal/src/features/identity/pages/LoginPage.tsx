import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';

import { errorMessage, isApiError } from '../../../shared/api/client';
import { Brand } from '../../../shared/components/Brand';
import { PageLoader } from '../../../shared/components/feedback';
import { useLogin, useSessionQuery } from '../api/auth';
import { homePath, isInternal } from '../lib/permissions';

function safeFrom(state: unknown): string | null {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login') ? from : null;
}

export function LoginPage() {
  useDocumentTitle('Sign in · Bulwark');
  const session = useSessionQuery();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({});

  if (session.isPending) return <PageLoader fullScreen />;
  if (session.data && !login.isPending && !login.isSuccess) return <Navigate to={homePath(session.data.role)} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const m: typeof missing = {};
    if (!email.trim()) m.email = 'Enter your e-mail address';
    if (!password) m.password = 'Enter your password';
    setMissing(m);
    if (m.email || m.password) return;
    login.mutate(
      { email: email.trim(), password },
      {
        onSuccess: (res) => {
          const from = safeFrom(location.state);
          const target = isInternal(res.user.role) ? (from && !from.startsWith('/vendor-home') ? from : '/vendors') : '/vendor-home';
          void navigate(target, { replace: true });
        },
      },
    );
  };

  const err = login.error;
  const rateLimited = isApiError(err) && err.status === 429;
  const badCredentials = isApiError(err) && (err.status === 401 || err.status === 400 || err.status === 422);

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Paper withBorder shadow="sm" radius="md" p="xl" w="100%" maw={420}>
        <Stack gap="lg">
          <Stack gap={4}>
            <Brand />
            <Title order={1} size="h3">
              Sign in
            </Title>
            <Text size="sm" c="dimmed">
              Third-party resilience portal
            </Text>
          </Stack>
          <form onSubmit={submit} noValidate data-testid="login-form">
            <Stack>
              <TextInput
                label="Email"
                type="email"
                autoComplete="username"
                required
                autoFocus
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                error={missing.email}
                data-testid="login-email"
              />
              <PasswordInput
                label="Password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                error={missing.password}
                data-testid="login-password"
              />
              {err && (
                <Alert
                  color="red"
                  variant="light"
                  role="alert"
                  data-testid="login-error"
                  title={rateLimited ? 'Too many attempts, try again later' : badCredentials ? 'Sign-in failed' : 'Something went wrong'}
                >
                  {rateLimited ? (isApiError(err) && err.message ? err.message : 'Too many attempts, try again later.') : errorMessage(err)}
                </Alert>
              )}
              <Button type="submit" fullWidth loading={login.isPending} data-testid="login-submit">
                Sign in
              </Button>
            </Stack>
          </form>
        </Stack>
      </Paper>
    </Center>
  );
}
