import { Button, Container, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link } from 'react-router';

/** Shown for unknown routes and for records that do not exist or that the user may not see (403/404). */
export function NotFoundPage({ message }: { message?: string }) {
  useDocumentTitle('Not found · Bulwark');
  return (
    <Container size="sm" py={60} data-testid="not-found">
      <Stack align="center" ta="center" gap="sm">
        <Text fz={48} fw={800} c="dimmed" aria-hidden>
          404
        </Text>
        <Title order={2}>Not found or not allowed</Title>
        <Text c="dimmed">{message ?? 'This page does not exist, or you do not have access to it.'}</Text>
        <Button component={Link} to="/" variant="light" mt="md">
          Back to the start page
        </Button>
      </Stack>
    </Container>
  );
}
