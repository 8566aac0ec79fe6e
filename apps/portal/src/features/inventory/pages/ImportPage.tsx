import { Alert, Button, Code, Group, Input, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';

import type { ImportResult } from '@bulwark/api-schema';

import { CsvInput } from '../../../shared/components/CsvInput';
import { TableHead } from '../../../shared/components/DataTable';
import { ErrorAlert } from '../../../shared/components/feedback';
import { PageHeader } from '../../../shared/components/PageHeader';
import { notifySuccess } from '../../../shared/lib/notify';
import { useCsvText } from '../../../shared/lib/useCsvText';
import { useImport, type ImportKind } from '../api/imports';

const SPEC: Record<ImportKind, { columns: { name: string; note: string }[]; sample: string }> = {
  vendors: {
    columns: [
      { name: 'name', note: 'required' },
      { name: 'legal_name', note: '' },
      { name: 'website', note: 'https://…' },
      { name: 'country', note: 'ISO code, e.g. US' },
      { name: 'lifecycle', note: 'prospect, onboarding, active, exiting, terminated' },
      { name: 'lei', note: '20 characters' },
      { name: 'cik', note: 'up to 10 digits' },
      { name: 'company_number', note: '8 characters' },
      { name: 'duns', note: '9 digits' },
      { name: 'served_criticality', note: 'critical, high, medium, low' },
      { name: 'data_sensitivity', note: 'restricted, confidential, internal, public' },
      { name: 'ai_model_provider', note: 'true / false' },
      { name: 'substitutability', note: 'none, difficult, moderate, easy' },
      { name: 'financial_health', note: 'distressed, watch, healthy, unknown' },
      { name: 'description', note: '' },
    ],
    sample: [
      'name,legal_name,website,country,lifecycle,lei,cik,company_number,duns,served_criticality,data_sensitivity,ai_model_provider,substitutability,financial_health,description',
      'Acme Cloud,Acme Cloud Inc.,https://acme.example,US,active,5493001KJTIIGC8Y1R12,,,123456789,critical,confidential,false,difficult,healthy,Primary IaaS provider',
      'Lexica AI,Lexica AI Ltd,https://lexica.example,GB,onboarding,,,12345678,,high,restricted,true,moderate,watch,"Hosted LLM API, EU region"',
    ].join('\n'),
  },
  services: {
    columns: [
      { name: 'vendor', note: 'vendor name, must exist' },
      { name: 'name', note: 'required' },
      { name: 'kind', note: 'cloud_infrastructure, ai_model_api, data_provider, saas, professional_service' },
      { name: 'regions', note: 'semicolon-separated, e.g. eu-west-1;us-east-1' },
      { name: 'description', note: '' },
      { name: 'models', note: 'semicolon-separated model@version or model@version@YYYY-MM-DD (deprecation)' },
    ],
    sample: [
      'vendor,name,kind,regions,description,models',
      'Acme Cloud,Acme Compute,cloud_infrastructure,eu-west-1;us-east-1,Virtual machines and storage,',
      'Lexica AI,Lexica Chat API,ai_model_api,eu-west-2,Chat completion API,lexica-large@2024-11@2026-03-31;lexica-embed@v2',
    ].join('\n'),
  },
};

export function ImportPage() {
  const [kind, setKind] = useState<ImportKind>('vendors');
  const fileInput = useRef<HTMLInputElement>(null);
  const run = useImport();
  const csvText = useCsvText(() => run.reset());
  const { csv, setCsv, setFileName } = csvText;
  const spec = SPEC[kind];

  const changeKind = (k: string) => {
    setKind(k as ImportKind);
    run.reset();
  };

  const submit = (dryRun: boolean) => {
    if (!csv.trim()) return;
    run.mutate(
      { kind, csv, dryRun },
      {
        onSuccess: (res) => {
          if (!res.dryRun && res.ok) notifySuccess(`${res.created} ${kind} imported.`, 'Import complete');
        },
      },
    );
  };

  return (
    <>
      <PageHeader
        title="Import"
        testId="import-title"
        description="Bring vendors and services in from a CSV file. Nothing is written unless every row is valid."
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Paper withBorder p="lg" radius="md">
          <Stack>
            <Input.Wrapper label="What to import" id="import-kind-label">
              <div>
                <SegmentedControl
                  aria-labelledby="import-kind-label"
                  value={kind}
                  onChange={changeKind}
                  data={[
                    { value: 'vendors', label: <span data-testid="import-kind-vendors">Vendors</span> },
                    { value: 'services', label: <span data-testid="import-kind-services">Services</span> },
                  ]}
                  data-testid="import-kind"
                />
              </div>
            </Input.Wrapper>
            <CsvInput
              csv={csvText}
              fileTestId="import-file"
              textTestId="import-csv"
              fileRef={fileInput}
              placeholder={spec.sample.split('\n')[0]}
              minRows={8}
              maxRows={20}
              onEdit={() => {
                if (run.data || run.error) run.reset();
              }}
            />
            <Group>
              <Button
                variant="light"
                onClick={() => submit(true)}
                loading={run.isPending && run.variables?.dryRun === true}
                disabled={!csv.trim() || run.isPending}
                data-testid="import-check"
              >
                Check
              </Button>
              <Button
                onClick={() => submit(false)}
                loading={run.isPending && run.variables?.dryRun === false}
                disabled={!csv.trim() || run.isPending}
                data-testid="import-submit"
              >
                Import
              </Button>
              <Button
                variant="subtle"
                onClick={() => {
                  setCsv(spec.sample);
                  setFileName(null);
                  run.reset();
                }}
                data-testid="import-use-sample"
              >
                Use the sample
              </Button>
              {csv && (
                <Button
                  variant="subtle"
                  color="gray"
                  onClick={() => {
                    setCsv('');
                    setFileName(null);
                    if (fileInput.current) fileInput.current.value = '';
                    run.reset();
                  }}
                >
                  Clear
                </Button>
              )}
            </Group>
            {run.isError && <ErrorAlert error={run.error} title="The import could not run" />}
            {run.data && <ImportOutcome result={run.data} kind={kind} />}
          </Stack>
        </Paper>

        <Paper withBorder p="lg" radius="md">
          <Title order={3} size="h5" mb="xs">
            Columns ({kind})
          </Title>
          <Table verticalSpacing={4} mb="md" data-testid="import-columns">
            <Table.Tbody>
              {spec.columns.map((c) => (
                <Table.Tr key={c.name}>
                  <Table.Td>
                    <Code>{c.name}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {c.note}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={3} size="h5" mb="xs">
            Sample
          </Title>
          <Code block data-testid="import-sample" style={{ whiteSpace: 'pre', overflowX: 'auto' }}>
            {spec.sample}
          </Code>
          <Text size="xs" c="dimmed" mt="xs">
            The first line must be the header. Fields containing commas go in double quotes. Empty cells mean “not known”.
          </Text>
        </Paper>
      </SimpleGrid>
    </>
  );
}

function ImportOutcome({ result, kind }: { result: ImportResult; kind: ImportKind }) {
  if (result.ok) {
    return result.dryRun ? (
      <Alert color="teal" variant="light" title="Check passed" data-testid="import-result" data-ok="true">
        All rows are valid{result.created ? `: ${result.created} ${kind} would be imported` : ''}. Nothing has been written yet; click
        Import to save them.
      </Alert>
    ) : (
      <Alert color="teal" variant="light" title="Import complete" data-testid="import-result" data-ok="true">
        {result.created} {kind} imported.
      </Alert>
    );
  }
  return (
    <Stack gap="xs" data-testid="import-errors">
      <Alert
        color="red"
        variant="light"
        title={`${result.errors.length} problem${result.errors.length === 1 ? '' : 's'} found`}
        data-testid="import-result"
        data-ok="false"
      >
        Nothing was written. Fix the rows below and check again.
      </Alert>
      <Table.ScrollContainer minWidth={480}>
        <Table striped verticalSpacing={4}>
          <TableHead columns={['Row', 'Field', 'Problem']} />
          <Table.Tbody>
            {result.errors.map((e, i) => (
              <Table.Tr key={`${e.row}-${e.field}-${i}`} data-testid="import-error-row">
                <Table.Td>{e.row}</Table.Td>
                <Table.Td>
                  <Code>{e.field || '—'}</Code>
                </Table.Td>
                <Table.Td>{e.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
