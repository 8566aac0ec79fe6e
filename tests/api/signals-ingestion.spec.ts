import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { signal, SIGNAL_LEVELS, type NormalizedSignal } from '@bulwark/plugin-sdk';
import { contentHash, ingestSignals, type IngestOptions, type IngestTarget } from '@bulwark/signals';

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
  const [source] = await ds.query(
    `INSERT INTO signal_sources (organization_id, vendor_id, plugin, name, schedule_seconds) VALUES ($1, $2, 'statuspage', 'Acme status', 300) RETURNING id`,
    [org.id, vendor.id],
  );
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

const ingest = (batch: NormalizedSignal[], opts?: IngestOptions) => ds.transaction((m) => ingestSignals(m, target, batch, opts));
const at = (iso: string) => new Date(iso);
async function row(externalId: string) {
  const [r] = await ds.query(
    `SELECT level, lifecycle, resolved_at, provider_updated_at, announced_at FROM signals WHERE source_id = $1 AND external_id = $2`,
    [target.sourceId, externalId],
  );
  return r as
    { level: string; lifecycle: string | null; resolved_at: Date | null; provider_updated_at: Date; announced_at: Date | null } | undefined;
}
async function changesOf(externalId: string) {
  return (
    await ds.query(
      `SELECT c.provider_updated_at, c.level, c.lifecycle FROM signal_changes c JOIN signals s ON s.id = c.signal_id WHERE s.source_id = $1 AND s.external_id = $2 ORDER BY c.provider_updated_at, c.content_hash`,
      [target.sourceId, externalId],
    )
  ).map(
    (c: { provider_updated_at: Date; level: string; lifecycle: string | null }) =>
      `${c.provider_updated_at.toISOString()} ${c.level} ${c.lifecycle}`,
  );
}

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
      signal({
        externalId: 'inc-1',
        signalType: 'service_incident',
        level: 'major_outage',
        title: 'API down',
        lifecycle: 'open',
        updatedAt: '2026-11-22T10:00:00Z',
      }),
      signal({
        externalId: 'component:api',
        signalType: 'component_status',
        level: 'partial_outage',
        title: 'API',
        updatedAt: '2026-11-22T10:00:00Z',
      }),
    ];
    expect((await ingest(batch)).changed).toBe(2);
    const once = await state();
    expect((await ingest(batch)).changed).toBe(0);
    expect(await state()).toEqual(once);
    expect(once.signals).toHaveLength(2);
    expect(once.signals.find((s: { external_id: string }) => s.external_id === 'inc-1')).toMatchObject({
      level: 'major_outage',
      severity: 4,
    });
  });

  it('keeps the state-change history and never lets an older poll overwrite a newer state', async () => {
    await reset();
    const open = signal({
      externalId: 'inc-9',
      signalType: 'service_incident',
      level: 'degraded',
      title: 'Errors',
      lifecycle: 'open',
      updatedAt: '2026-11-22T10:00:00Z',
    });
    const resolved = {
      ...open,
      level: 'operational' as const,
      lifecycle: 'resolved' as const,
      updatedAt: '2026-11-22T11:00:00Z',
      resolvedAt: '2026-11-22T11:00:00Z',
    };
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

  it('property: replaying a poll changes nothing, and after a complete snapshot exactly its open signals are open', async () => {
    const pollArb = fc.array(signalArb, { maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(fc.array(pollArb, { minLength: 1, maxLength: 4 }), async (polls) => {
        await reset();
        // Polls an hour after the signals' times, a minute apart: every snapshot is newer than what it lists.
        const observed = polls.map((_, i) => new Date(Date.UTC(2026, 10, 22, 11, i)));
        for (const [i, poll] of polls.entries()) await ingest(poll, { observedAt: observed[i], complete: true });
        const after = await state();
        const last = polls.at(-1)!;
        const replay = await ingest(last, { observedAt: new Date(Date.UTC(2026, 10, 22, 12)), complete: true });
        expect(replay).toMatchObject({ changed: 0, resolved: 0 });
        expect(await state()).toEqual(after);
        const stillOpen = (
          await ds.query(
            `SELECT external_id FROM signals WHERE source_id = $1 AND resolved_at IS NULL AND coalesce(lifecycle, '') NOT IN ('resolved', 'completed') ORDER BY 1`,
            [target.sourceId],
          )
        ).map((r: { external_id: string }) => r.external_id);
        const stored = new Map((after.signals as { external_id: string; lifecycle: string | null }[]).map((r) => [r.external_id, r]));
        // Open = listed by the last snapshot and open in its stored (winning) state.
        const expected = [...new Set(last.map((x) => x.externalId))].filter((id) => stored.get(id)?.lifecycle === 'open').sort();
        expect(stillOpen).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });
});

describe('complete snapshots resolve what drops out of the feed', () => {
  const inc = (id: string, updatedAt: string, extra: Partial<NormalizedSignal> = {}) =>
    signal({
      externalId: id,
      signalType: 'service_incident',
      level: 'partial_outage',
      title: `Incident ${id}`,
      lifecycle: 'open',
      startedAt: '2026-11-22T09:00:00.000Z',
      updatedAt,
      ...extra,
    });

  it('resolves open signals absent from a complete poll at the poll time, records it, and is idempotent', async () => {
    await reset();
    const first = [
      inc('gone', '2026-11-22T10:00:00.000Z'),
      inc('stays', '2026-11-22T10:00:00.000Z'),
      inc('closed', '2026-11-22T10:00:00.000Z', { lifecycle: 'resolved', resolvedAt: '2026-11-22T10:00:00.000Z' }),
      signal({
        externalId: 'mnt',
        signalType: 'maintenance',
        level: 'maintenance',
        title: 'Upgrade',
        lifecycle: 'scheduled',
        scheduledFor: '2026-11-23T09:00:00.000Z',
        updatedAt: '2026-11-22T10:00:00.000Z',
      }),
      signal({ externalId: 'component:api', signalType: 'component_status', level: 'degraded', title: 'API' }), // undated
    ];
    await ingest(first, { observedAt: at('2026-11-22T10:05:00Z'), complete: true });
    const r = await ingest([inc('stays', '2026-11-22T10:00:00.000Z')], { observedAt: at('2026-11-22T10:10:00Z'), complete: true });
    expect(r).toMatchObject({ changed: 0, resolved: 3 });
    expect(await row('gone')).toMatchObject({ lifecycle: 'resolved', resolved_at: at('2026-11-22T10:10:00Z'), level: 'partial_outage' });
    expect(await row('mnt')).toMatchObject({ lifecycle: 'completed', resolved_at: at('2026-11-22T10:10:00Z') });
    expect(await row('component:api')).toMatchObject({ resolved_at: at('2026-11-22T10:10:00Z') });
    expect(await row('stays')).toMatchObject({ lifecycle: 'open', resolved_at: null });
    expect((await row('closed'))?.resolved_at).toEqual(at('2026-11-22T10:00:00Z'));
    expect(await changesOf('gone')).toEqual([
      '2026-11-22T10:00:00.000Z partial_outage open',
      '2026-11-22T10:10:00.000Z partial_outage resolved',
    ]);
    const once = await state();
    // The same snapshot again, later: nothing more is resolved or recorded.
    expect(
      await ingest([inc('stays', '2026-11-22T10:00:00.000Z')], { observedAt: at('2026-11-22T10:15:00Z'), complete: true }),
    ).toMatchObject({ changed: 0, resolved: 0 });
    expect(await state()).toEqual(once);
  });

  it('a partial batch (push, fallback feed) or an empty partial batch resolves nothing', async () => {
    await reset();
    await ingest([inc('a', '2026-11-22T10:00:00.000Z'), inc('b', '2026-11-22T10:00:00.000Z')], { observedAt: at('2026-11-22T10:05:00Z') });
    expect(await ingest([inc('a', '2026-11-22T10:00:00.000Z')], { observedAt: at('2026-11-22T10:10:00Z') })).toMatchObject({ resolved: 0 });
    expect(await ingest([], { observedAt: at('2026-11-22T10:10:00Z') })).toMatchObject({ resolved: 0 });
    expect(await row('b')).toMatchObject({ lifecycle: 'open', resolved_at: null });
    // An empty complete snapshot (an empty Azure channel) resolves everything open.
    expect(await ingest([], { observedAt: at('2026-11-22T10:20:00Z'), complete: true })).toMatchObject({ resolved: 2 });
  });

  it('a stale snapshot does not close what a later state says; a later provider update reopens', async () => {
    await reset();
    await ingest([inc('late', '2026-11-22T10:30:00.000Z')], { observedAt: at('2026-11-22T10:31:00Z') });
    // A poll taken at 10:20 (finished late) does not list it: its state is newer than that poll.
    expect(await ingest([], { observedAt: at('2026-11-22T10:20:00Z'), complete: true })).toMatchObject({ resolved: 0 });
    expect(await ingest([], { observedAt: at('2026-11-22T10:40:00Z'), complete: true })).toMatchObject({ resolved: 1 });
    // Listed again with its old timestamp (a stale cached copy): stays resolved.
    await ingest([inc('late', '2026-11-22T10:30:00.000Z')], { observedAt: at('2026-11-22T10:45:00Z'), complete: true });
    expect((await row('late'))?.lifecycle).toBe('resolved');
    // The provider updates it after the resolution: open again.
    await ingest([inc('late', '2026-11-22T10:50:00.000Z')], { observedAt: at('2026-11-22T10:55:00Z'), complete: true });
    expect(await row('late')).toMatchObject({ lifecycle: 'open', resolved_at: null });
  });
});

describe('signals without a provider timestamp', () => {
  it('take the observation time: a later observation wins whatever the hashes, and repeats add nothing', async () => {
    const degraded = signal({ externalId: 'component:db', signalType: 'component_status', level: 'degraded', title: 'DB' });
    const fine = { ...degraded, level: 'operational' as const };
    // Both orders, so one of them has the later state with the smaller hash.
    for (const [earlier, later] of [
      [degraded, fine],
      [fine, degraded],
    ] as const) {
      await reset();
      await ingest([earlier], { observedAt: at('2026-11-22T10:00:00Z') });
      expect((await ingest([later], { observedAt: at('2026-11-22T10:05:00Z') })).changed).toBe(1);
      expect(await row('component:db')).toMatchObject({ level: later.level, provider_updated_at: at('2026-11-22T10:05:00Z') });
      const settled = await state();
      expect((await ingest([later], { observedAt: at('2026-11-22T10:10:00Z') })).changed).toBe(0);
      expect(await state()).toEqual(settled);
      // Flapping back is a new state again.
      await ingest([earlier], { observedAt: at('2026-11-22T10:15:00Z') });
      expect(await changesOf('component:db')).toEqual([
        `2026-11-22T10:00:00.000Z ${earlier.level} null`,
        `2026-11-22T10:05:00.000Z ${later.level} null`,
        `2026-11-22T10:15:00.000Z ${earlier.level} null`,
      ]);
    }
    expect(contentHash(degraded)).not.toBe(contentHash(fine));
  });
});

describe('maintenance announcements', () => {
  it('stores the provider announcement time in announced_at', async () => {
    await reset();
    const m = signal({
      externalId: 'maintenance:x',
      signalType: 'maintenance',
      level: 'maintenance',
      title: 'Upgrade',
      lifecycle: 'scheduled',
      scheduledFor: '2026-11-30T02:00:00.000Z',
      updatedAt: '2026-11-22T10:00:00.000Z',
      announcedAt: '2026-11-20T08:00:00.000Z',
    });
    await ingest([m]);
    expect((await row('maintenance:x'))?.announced_at).toEqual(at('2026-11-20T08:00:00Z'));
  });
});
