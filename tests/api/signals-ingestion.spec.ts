import { ingestSignals, type IngestTarget } from '@bulwark/signals';
import { signal, SIGNAL_LEVELS, type NormalizedSignal } from '@bulwark/plugin-sdk';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootApp, type TestApp } from '../support/app';

let t: TestApp;
let ds: DataSource;
let target: IngestTarget;

beforeAll(async () => {
  t = await bootApp();
  ds = t.app.get(DataSource);
  const [org] = await ds.query(`INSERT INTO organizations (name, slug) VALUES ('Ingest Org', 'ingest-org') RETURNING id`);
  const [vendor] = await ds.query(
    `INSERT INTO vendors (organization_id, name, slug, lifecycle, intake, computed_tier, tier_score, tier) VALUES ($1, 'Acme Cloud', 'acme-cloud', 'active', '{}', 'low', 0, 'low') RETURNING id`,
    [org.id],
  );
  const [source] = await ds.query(`INSERT INTO signal_sources (organization_id, vendor_id, plugin, name, schedule_seconds) VALUES ($1, $2, 'statuspage', 'Acme status', 300) RETURNING id`, [org.id, vendor.id]);
  target = { organizationId: org.id, vendorId: vendor.id, serviceId: null, sourceId: source.id };
});
afterAll(async () => t?.close());

async function reset(): Promise<void> {
  await ds.query(`DELETE FROM signals WHERE source_id = $1`, [target.sourceId]);
}

/** The stored state: every business column of every signal, and the change history, in a canonical order. */
async function state() {
  const signals = await ds.query(
    `SELECT dedupe_key, external_id, signal_type, component, region, level, severity, lifecycle, title, detail, started_at, provider_updated_at, resolved_at, score, content_hash
       FROM signals WHERE source_id = $1 ORDER BY dedupe_key`,
    [target.sourceId],
  );
  const history = await ds.query(
    `SELECT s.external_id, c.provider_updated_at, c.level, c.lifecycle, c.content_hash FROM signal_changes c JOIN signals s ON s.id = c.signal_id
      WHERE s.source_id = $1 ORDER BY s.external_id, c.provider_updated_at, c.content_hash`,
    [target.sourceId],
  );
  return { signals, history };
}

const ingest = (batch: NormalizedSignal[]) => ds.transaction((m) => ingestSignals(m, target, batch));

const signalArb = fc
  .record({
    id: fc.constantFrom('inc-1', 'inc-2', 'inc-3', 'component:api'),
    minute: fc.integer({ min: 0, max: 5 }),
    level: fc.constantFrom(...SIGNAL_LEVELS),
    resolved: fc.boolean(),
    title: fc.constantFrom('Elevated errors', 'Degraded performance', 'Outage'),
  })
  .map(({ id, minute, level, resolved, title }) => {
    const at = new Date(Date.UTC(2026, 10, 22, 10, minute)).toISOString();
    return signal({
      externalId: id,
      signalType: id.startsWith('component') ? 'component_status' : 'service_incident',
      level,
      title,
      lifecycle: resolved ? 'resolved' : 'open',
      startedAt: '2026-11-22T09:00:00.000Z',
      updatedAt: at,
      resolvedAt: resolved ? at : null,
    });
  });

describe('signal ingestion', () => {
  it('upserts by dedupe key: polling twice stores what polling once stores', async () => {
    await reset();
    const batch = [
      signal({ externalId: 'inc-1', signalType: 'service_incident', level: 'major_outage', title: 'API down', lifecycle: 'open', updatedAt: '2026-11-22T10:00:00Z' }),
      signal({ externalId: 'component:api', signalType: 'component_status', level: 'partial_outage', title: 'API', updatedAt: '2026-11-22T10:00:00Z' }),
    ];
    expect((await ingest(batch)).changed).toBe(2);
    const once = await state();
    expect((await ingest(batch)).changed).toBe(0);
    expect(await state()).toEqual(once);
    expect(once.signals).toHaveLength(2);
    expect(once.signals.find((s: { external_id: string }) => s.external_id === 'inc-1')).toMatchObject({ level: 'major_outage', severity: 4 });
  });

  it('keeps the state-change history and never lets an older poll overwrite a newer state', async () => {
    await reset();
    const open = signal({ externalId: 'inc-9', signalType: 'service_incident', level: 'degraded', title: 'Errors', lifecycle: 'open', updatedAt: '2026-11-22T10:00:00Z' });
    const resolved = { ...open, level: 'operational' as const, lifecycle: 'resolved' as const, updatedAt: '2026-11-22T11:00:00Z', resolvedAt: '2026-11-22T11:00:00Z' };
    await ingest([resolved]);
    await ingest([open]); // a late, older copy
    const s = await state();
    expect(s.signals[0]).toMatchObject({ level: 'operational', lifecycle: 'resolved' });
    expect(s.history.map((h: { level: string }) => h.level)).toEqual(['degraded', 'operational']);
  });

  it('property: any batch ingested twice, or in any order, or split in any way, gives the same stored state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(signalArb, { minLength: 1, maxLength: 12 }), fc.infiniteStream(fc.integer()), async (batch, randoms) => {
        await reset();
        await ingest(batch);
        const reference = await state();
        await ingest(batch);
        expect(await state()).toEqual(reference);

        await reset();
        const shuffled = [...batch].sort(() => (randoms.next().value % 2 === 0 ? 1 : -1));
        for (const s of shuffled) await ingest([s]);
        expect(await state()).toEqual(reference);
      }),
      { numRuns: 40 },
    );
  });
});
