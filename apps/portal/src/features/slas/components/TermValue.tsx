import { Stack, Text } from '@mantine/core';

import { creditRows, formatTermValue } from '../lib/terms';

/** A term's value, readable: credit schedules as one row per threshold. */
export function TermValue({ term, value, testId, strong = false }: { term: string; value: unknown; testId?: string; strong?: boolean }) {
  if (term === 'credits' && Array.isArray(value) && value.length > 0) {
    return (
      <Stack gap={0} data-testid={testId}>
        {creditRows(value).map((r) => (
          <Text key={r} size="sm" fw={strong ? 600 : undefined}>
            {r}
          </Text>
        ))}
      </Stack>
    );
  }
  return (
    <Text size="sm" fw={strong ? 600 : undefined} data-testid={testId} component="span">
      {formatTermValue(term, value)}
    </Text>
  );
}
