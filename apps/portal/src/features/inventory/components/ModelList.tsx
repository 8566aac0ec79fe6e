import { Badge, Table, Text } from '@mantine/core';

import type { AiModel } from '@bulwark/api-schema';

import { TableHead } from '../../../shared/components/DataTable';
import { daysUntil, deprecationState, formatDate } from '../../../shared/lib/format';

export function DeprecationBadge({ date }: { date: string | null | undefined }) {
  const state = deprecationState(date);
  if (state === 'none' || !date)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  const days = daysUntil(date);
  if (state === 'past') {
    return (
      <Badge color="red" variant="filled" data-testid="model-deprecation" data-warning="past" title={`Deprecated ${-days} days ago`}>
        Deprecated {formatDate(date)}
      </Badge>
    );
  }
  if (state === 'soon') {
    return (
      <Badge color="orange" variant="light" data-testid="model-deprecation" data-warning="soon" title={`${days} days left`}>
        {formatDate(date)} · {days === 0 ? 'today' : `in ${days} d`}
      </Badge>
    );
  }
  return (
    <Text size="sm" data-testid="model-deprecation" data-warning="none">
      {formatDate(date)}
    </Text>
  );
}

/** AI models with version and deprecation date; dates within 90 days or past are highlighted. */
export function ModelList({ models }: { models: AiModel[] }) {
  if (models.length === 0) return null;
  return (
    <Table withTableBorder={false} verticalSpacing={4} data-testid="model-list">
      <TableHead columns={['AI model', 'Version', 'Deprecation']} />
      <Table.Tbody>
        {models.map((m, i) => (
          <Table.Tr key={`${m.model}@${m.version}-${i}`} data-testid="model-row">
            <Table.Td>{m.model}</Table.Td>
            <Table.Td>
              <span className="mono">{m.version}</span>
            </Table.Td>
            <Table.Td>
              <DeprecationBadge date={m.deprecationDate} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
