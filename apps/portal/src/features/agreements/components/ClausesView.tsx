import { Badge, Divider, Stack, Text, Title } from '@mantine/core';

import type { ContractClauses } from '@bulwark/api-schema';

import { KeyValue, KeyValueGrid } from '../../../shared/components/KeyValue';
import { humanize } from '../../../shared/lib/format';

function Prose({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <Text size="sm" component="span" style={{ whiteSpace: 'pre-wrap' }}>
      {text}
    </Text>
  );
}

const notAgreed = (
  <Text size="sm" c="dimmed" component="span">
    Not agreed
  </Text>
);

/** The structured clauses of a contract as a readable key/value layout. */
export function ClausesView({ clauses }: { clauses: ContractClauses }) {
  const rta = clauses.rightToAudit;
  const exit = clauses.exitAssistance;
  return (
    <Stack gap="md" data-testid="contract-clauses">
      <div data-testid="clause-right-to-audit" data-present={rta ? 'true' : 'false'}>
        <Title order={4} size="h5" mb="xs">
          Right to audit
        </Title>
        {rta ? (
          <KeyValueGrid cols={3}>
            <KeyValue label="Scope">
              <Prose text={rta.scope || null} />
            </KeyValue>
            <KeyValue label="Notice">{`${rta.noticeDays} ${rta.noticeBasis === 'business' ? 'business ' : ''}day${rta.noticeDays === 1 ? '' : 's'}`}</KeyValue>
            <KeyValue label="Audits per 12 months">{rta.auditsPer12Months}</KeyValue>
            <KeyValue label="Mode">{humanize(rta.mode)}</KeyValue>
            <KeyValue label="Cost borne by">{humanize(rta.costBearer)}</KeyValue>
            <KeyValue label="Regulator access">
              <Badge variant="light" color={rta.regulatorAccess ? 'teal' : 'gray'} size="sm">
                {rta.regulatorAccess ? 'Yes' : 'No'}
              </Badge>
            </KeyValue>
          </KeyValueGrid>
        ) : (
          notAgreed
        )}
      </div>
      <Divider />
      <KeyValueGrid cols={2}>
        <KeyValue label="Breach notification" testId="clause-breach-notification">
          {clauses.breachNotificationHours === null
            ? notAgreed
            : `within ${clauses.breachNotificationHours} hour${clauses.breachNotificationHours === 1 ? '' : 's'}`}
        </KeyValue>
        <KeyValue label="Data integrity" testId="clause-data-integrity">
          {clauses.dataIntegrity ? <Prose text={clauses.dataIntegrity} /> : notAgreed}
        </KeyValue>
        <KeyValue label="Encryption" testId="clause-encryption">
          {clauses.encryption ? <Prose text={clauses.encryption} /> : notAgreed}
        </KeyValue>
        <KeyValue label="Access control" testId="clause-access-control">
          {clauses.accessControl ? <Prose text={clauses.accessControl} /> : notAgreed}
        </KeyValue>
      </KeyValueGrid>
      <Divider />
      <div data-testid="clause-exit-assistance" data-present={exit ? 'true' : 'false'}>
        <Title order={4} size="h5" mb="xs">
          Exit assistance
        </Title>
        {exit ? (
          <KeyValueGrid cols={3}>
            <KeyValue label="Assistance period">{`${exit.months} month${exit.months === 1 ? '' : 's'}`}</KeyValue>
            <KeyValue label="Data return format">{exit.dataReturnFormat}</KeyValue>
            <KeyValue label="Included in the fees">{exit.included ? 'Yes' : 'No'}</KeyValue>
          </KeyValueGrid>
        ) : (
          notAgreed
        )}
      </div>
    </Stack>
  );
}
