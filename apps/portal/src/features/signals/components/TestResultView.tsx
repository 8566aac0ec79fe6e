import { Alert, Anchor, Badge, List, Stack, Table, Text } from '@mantine/core';

import type { TestSourceResult } from '@bulwark/api-schema';

import { errorMessage } from '../../../shared/api/client';
import { TableHead } from '../../../shared/components/DataTable';
import { formatDate, formatDateTime, humanize } from '../../../shared/lib/format';
import { useScoreModels } from '../api/signals';
import { bandColor, formatScoreValue, modelName } from '../lib/signals';
import { LevelBadge, levelColor } from './LevelBadge';

/**
 * What a test run would ingest (nothing is stored): one row per signal, or the plugin's error.
 * `data-ok` on the container is true / false.
 */
export function TestResultView({
  result,
  error,
  testId,
  rowTestId,
}: {
  result?: TestSourceResult;
  error?: unknown;
  testId: string;
  rowTestId: string;
}) {
  const scoreModels = useScoreModels();
  if (!result) {
    // The test request itself failed (e.g. invalid settings: messages are under the inputs).
    return (
      <Alert color="red" variant="light" title="The test could not run" data-testid={testId} data-ok="false" role="alert">
        <Text size="sm">{errorMessage(error)}</Text>
      </Alert>
    );
  }
  const seconds = (result.durationMs / 1000).toFixed(1);
  return (
    <Stack gap="xs" data-testid={testId} data-ok={String(result.ok)}>
      {result.ok ? (
        <Alert
          color="teal"
          variant="light"
          title={`Test passed: ${result.signals.length} signal${result.signals.length === 1 ? '' : 's'} would be ingested`}
        >
          <Text size="sm">Fetched and read in {seconds} s. Nothing has been stored.</Text>
        </Alert>
      ) : (
        <Alert color="red" variant="light" title="Test failed" role="alert">
          <Text size="sm" data-testid={`${testId}-error`} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {result.error ?? 'The plugin failed without a message.'}
          </Text>
          <Text size="xs" c="dimmed" mt={4}>
            After {seconds} s.
          </Text>
        </Alert>
      )}
      {result.selfTest && (
        <Alert
          color={result.selfTest.ok ? 'teal' : 'orange'}
          variant="outline"
          title={result.selfTest.ok ? 'Self-test passed' : 'Self-test failed'}
          data-testid={`${testId}-selftest`}
          data-ok={String(result.selfTest.ok)}
        >
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {result.selfTest.message || 'The plugin gave no message.'}
          </Text>
        </Alert>
      )}
      {result.warnings.length > 0 && (
        <Alert
          color="yellow"
          variant="light"
          title={`${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}`}
          data-testid={`${testId}-warnings`}
        >
          <List size="sm">
            {result.warnings.map((w, i) => (
              <List.Item key={i}>{w}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {result.ok && result.signals.length > 0 && (
        <Table.ScrollContainer minWidth={900} mah={420}>
          <Table striped verticalSpacing={4} fz="sm" stickyHeader>
            <TableHead columns={['Level', 'Title', 'Component', 'Region', 'Lifecycle', 'Started', 'Resolved', 'Score']} />
            <Table.Tbody>
              {result.signals.map((s) => (
                <Table.Tr key={`${s.signalType}:${s.externalId}`} data-testid={rowTestId} data-level={s.level}>
                  <Table.Td>
                    <LevelBadge level={s.level} size="xs" />
                  </Table.Td>
                  <Table.Td>
                    {s.url ? (
                      <Anchor href={s.url} target="_blank" rel="noopener noreferrer" size="sm">
                        {s.title}
                      </Anchor>
                    ) : (
                      s.title
                    )}
                    <Text size="xs" c="dimmed">
                      {humanize(s.signalType)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{s.component ?? '—'}</Table.Td>
                  <Table.Td>{s.region ?? '—'}</Table.Td>
                  <Table.Td>{s.lifecycle ? humanize(s.lifecycle) : '—'}</Table.Td>
                  <Table.Td>{formatDateTime(s.startedAt ?? s.scheduledFor)}</Table.Td>
                  <Table.Td>{formatDateTime(s.resolvedAt)}</Table.Td>
                  <Table.Td>
                    {s.score ? (
                      <Stack gap={2}>
                        <Text size="sm">
                          {modelName(s.score.model, scoreModels)} {formatScoreValue(s.score.value)}
                        </Text>
                        {s.score.band && (
                          <Badge size="xs" variant="light" color={bandColor(s.score.band, levelColor(s.level))}>
                            {s.score.band}
                          </Badge>
                        )}
                        {s.asOf && (
                          <Text size="xs" c="dimmed">
                            as of {formatDate(s.asOf)}
                          </Text>
                        )}
                      </Stack>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
