import { Anchor, Badge, Button, Code, Group, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { Fragment, lazy, Suspense, useState } from 'react';

import type { SignalView } from '@bulwark/api-schema';

import { formatDate, humanize } from '../../../shared/lib/format';
import { useScoreModels } from '../api/signals';
import { fieldLabel } from '../lib/configSchema';
import { bandColor, formatScoreValue, modelName, modelZones, type ScoreModels } from '../lib/signals';
import { LevelBadge, levelColor } from './LevelBadge';

const ScoreHistoryChart = lazy(() => import('./charts').then((m) => ({ default: m.ScoreHistoryChart })));

type Score = NonNullable<SignalView['score']>;

/** The current financial signal per kind, model and source (the API sends the current ones first, then history newest first). */
function latestPerModel(financial: SignalView[]): SignalView[] {
  const seen = new Set<string>();
  const out: SignalView[] = [];
  for (const s of financial) {
    const key = `${s.signalType}:${s.score?.model ?? ''}:${s.sourceId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

/** Score history points (oldest first) per model, for the line chart. */
function history(financial: SignalView[], scoreModels: ScoreModels) {
  const scored = financial.filter(
    (s) =>
      s.signalType === 'financial_score' && s.score && s.score.value !== null && Number.isFinite(s.score.value) && (s.asOf ?? s.updatedAt),
  );
  const models = [...new Set(scored.map((s) => s.score!.model))];
  const byDate = new Map<string, Record<string, number>>();
  for (const s of scored) {
    const date = (s.asOf ?? s.updatedAt)!.slice(0, 10);
    const row = byDate.get(date) ?? {};
    if (!(s.score!.model in row)) row[s.score!.model] = s.score!.value!;
    byDate.set(date, row);
  }
  const data = [...byDate.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, row]) => ({ label: formatDate(date), ...row }));
  return { data, models: models.map((m) => ({ key: m, label: modelName(m, scoreModels) })), points: scored.length };
}

export function FinancialPanel({ financial }: { financial: SignalView[] }) {
  const scoreModels = useScoreModels();
  const latest = latestPerModel(financial);
  const hist = history(financial, scoreModels);
  const zones = hist.models.length === 1 ? modelZones(hist.models[0]!.key, scoreModels) : undefined;

  if (financial.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="signals-financial-empty">
        No financial signals yet. Add a financial source (e.g. SEC EDGAR for US filers) to score this vendor&apos;s financial health.
      </Text>
    );
  }

  return (
    <Stack gap="md">
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing="xs" fz="sm" data-testid="financial-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Signal</Table.Th>
              <Table.Th>Model</Table.Th>
              <Table.Th ta="right">Value</Table.Th>
              <Table.Th>Band</Table.Th>
              <Table.Th>As of</Table.Th>
              <Table.Th>Level</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {latest.map((s) => (
              <FinancialRow key={s.id} signal={s} scoreModels={scoreModels} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {hist.points >= 2 && hist.data.length >= 2 && (
        <Stack gap={4} data-testid="financial-history">
          <Text size="sm" fw={600}>
            Score history
          </Text>
          <Suspense fallback={<Skeleton h={220} />}>
            <ScoreHistoryChart data={hist.data} models={hist.models} zones={zones} />
          </Suspense>
          {zones && (
            <Text size="xs" c="dimmed">
              Zones: distress below {zones.distress}, grey between, safe above {zones.safe}.
            </Text>
          )}
        </Stack>
      )}
    </Stack>
  );
}

function FinancialRow({ signal: s, scoreModels }: { signal: SignalView; scoreModels: ScoreModels }) {
  const [open, setOpen] = useState(false);
  const inputs = s.score?.inputs ?? {};
  const hasInputs = Object.keys(inputs).length > 0;
  return (
    <Fragment>
      <Table.Tr data-testid="financial-row" data-level={s.level} data-signal-id={s.id}>
        <Table.Td>
          {s.url ? (
            <Anchor href={s.url} target="_blank" rel="noopener noreferrer" size="sm">
              {s.title}
            </Anchor>
          ) : (
            <Text size="sm">{s.title}</Text>
          )}
          <Text size="xs" c="dimmed">
            {humanize(s.signalType)}
          </Text>
        </Table.Td>
        <Table.Td data-testid="financial-model">{s.score ? modelName(s.score.model, scoreModels) : '—'}</Table.Td>
        <Table.Td ta="right" data-testid="financial-value">
          <Text span size="sm" fw={600} className="mono">
            {formatScoreValue(s.score?.value)}
          </Text>
        </Table.Td>
        <Table.Td>
          {s.score?.band ? (
            <Badge
              color={bandColor(s.score.band, levelColor(s.level))}
              variant="filled"
              size="sm"
              autoContrast
              data-testid="financial-band"
              data-band={s.score.band}
            >
              {s.score.band}
            </Badge>
          ) : (
            '—'
          )}
        </Table.Td>
        <Table.Td data-testid="financial-asof">{formatDate(s.asOf ?? s.updatedAt)}</Table.Td>
        <Table.Td>
          <LevelBadge level={s.level} size="xs" />
        </Table.Td>
        <Table.Td>
          {hasInputs && (
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => setOpen((o) => !o)}
              aria-expanded={open}
              data-testid="financial-inputs-toggle"
            >
              {open ? 'Hide inputs' : 'Inputs used'}
            </Button>
          )}
        </Table.Td>
      </Table.Tr>
      {open && hasInputs && (
        <Table.Tr>
          <Table.Td colSpan={7} bg="var(--mantine-color-gray-0)">
            {s.detail && (
              <Text size="xs" c="dimmed" mb="xs" style={{ whiteSpace: 'pre-wrap' }}>
                {s.detail}
              </Text>
            )}
            <InputsTable inputs={inputs} />
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function formatNumber(n: number): string {
  return Math.abs(n) >= 1000 ? n.toLocaleString(undefined, { maximumFractionDigits: 0 }) : String(Math.round(n * 10_000) / 10_000);
}

function plainValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(plainValue).join(', ');
  if (isRecord(v))
    return Object.entries(v)
      .map(([k, x]) => `${k} = ${plainValue(x)}`)
      .join(', ');
  return String(v);
}

/** `score.inputs`: each key with its value and, for filed facts, concept, accession, period and whether it is an approximation. */
function InputsTable({ inputs }: { inputs: Score['inputs'] }) {
  return (
    <Table.ScrollContainer minWidth={980}>
      <Table verticalSpacing={4} fz="xs" withTableBorder data-testid="financial-inputs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Input</Table.Th>
            <Table.Th ta="right">Value</Table.Th>
            <Table.Th>Concept</Table.Th>
            <Table.Th>Accession</Table.Th>
            <Table.Th>Period end / filed</Table.Th>
            <Table.Th>Approximation</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {Object.entries(inputs).map(([key, raw]) => {
            const fact = isRecord(raw) && 'value' in raw ? raw : null;
            const components = fact && Array.isArray(fact['components']) ? (fact['components'] as unknown[]).filter(isRecord) : [];
            const approximation = fact && typeof fact['approximation'] === 'string' ? fact['approximation'] : null;
            return (
              <Table.Tr key={key} data-testid="financial-input-row" data-input={key} data-approximation={String(!!approximation)}>
                <Table.Td>
                  <Text size="xs" fw={600}>
                    {fieldLabel(key)}
                  </Text>
                  <Text size="xs" c="dimmed" className="mono">
                    {key}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" className="mono" style={{ whiteSpace: fact ? 'nowrap' : undefined }}>
                  {fact ? plainValue(fact['value']) : plainValue(raw)}
                </Table.Td>
                <Table.Td>
                  {fact && typeof fact['concept'] === 'string' ? <Code>{fact['concept']}</Code> : '—'}
                  {components.length > 0 && (
                    <Stack gap={0} mt={2}>
                      {components.map((c, i) => (
                        <Text key={i} size="xs" c="dimmed" className="mono">
                          {plainValue(c['concept'])} = {plainValue(c['value'])}
                          {typeof c['accn'] === 'string' ? ` (${c['accn']})` : ''}
                        </Text>
                      ))}
                    </Stack>
                  )}
                </Table.Td>
                <Table.Td className="mono" style={{ whiteSpace: 'nowrap' }}>
                  {fact && typeof fact['accn'] === 'string' ? fact['accn'] : '—'}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {fact ? (
                    <>
                      {plainValue(fact['end'])}
                      {typeof fact['filed'] === 'string' && (
                        <Text size="xs" c="dimmed">
                          filed {fact['filed']}
                        </Text>
                      )}
                    </>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>
                  {approximation ? (
                    <Tooltip label={approximation} multiline w={360} withinPortal>
                      <Group gap={4} wrap="nowrap">
                        <Badge
                          size="xs"
                          color="orange"
                          variant="light"
                          data-testid="financial-input-approximation"
                          style={{ flexShrink: 0 }}
                        >
                          approximation
                        </Badge>
                        <Text size="xs" c="dimmed" lineClamp={2}>
                          {approximation}
                        </Text>
                      </Group>
                    </Tooltip>
                  ) : fact ? (
                    <Text size="xs" c="dimmed">
                      no
                    </Text>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
