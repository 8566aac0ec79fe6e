import { Alert, Button, Container, Stack, Text } from '@mantine/core';
import { isRouteErrorResponse, useRouteError } from 'react-router';

import { NotFoundPage } from '../shared/components/NotFoundPage';

/** Last-resort error screen for render errors inside a route. */
export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  const message = error instanceof Error ? error.message : isRouteErrorResponse(error) ? error.statusText : 'Unknown error';
  return (
    <Container size="sm" py="xl">
      <Alert color="red" title="The page failed to load" role="alert" data-testid="route-error">
        <Stack gap="sm">
          <Text size="sm">{message}</Text>
          <Button variant="light" color="red" onClick={() => window.location.reload()} w="fit-content">
            Reload the page
          </Button>
        </Stack>
      </Alert>
    </Container>
  );
}
