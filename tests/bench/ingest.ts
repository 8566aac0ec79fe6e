/**
 * Ingestion benchmark: 200k normalized signals through the real ingestion path (ingestSignals:
 * dedupe, rank, upsert, history) against a raw COPY of the same rows into the same table, in one
 * run on the same database. Prints rows/s of both and the ratio. Never fails on a timing.
 *
 *   npm run bench:ingest            (BENCH_ROWS=50000 for a shorter run)
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';

import { contentHash, ingestSignals, stateTime } from '../../libs/domain/signals/src/lib/ingestion';
import { signal, type NormalizedSignal } from '../../libs/plugin-sdk/src/index';
import { MIGRATIONS } from '../../migrations/src/index';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 200_000);
const ADMIN = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LEVELS = ['operational', 'degraded', 'partial_outage', 'major_outage'] as const;

function makeSignals(n: number): NormalizedSignal[] {
  const base = Date.UTC(2026, 0, 1);
  return Array.from({ length: n }, (_, i) =>
    signal({
      externalId: `incident-${i}`,
      signalType: 'service_incident',
      level: LEVELS[i % 4]!,
      lifecycle: i % 3 === 0 ? 'resolved' : 'open',
      title: `Incident ${i}: elevated error rates`,
      service: `component-${i % 50}`,
      region: ['us-east-1', 'eu-west-1', 'global'][i % 3]!,
      startedAt: new Date(base + i * 60_000).toISOString(),
      updatedAt: new Date(base + i * 60_000 + 30_000).toISOString(),
      resolvedAt: i % 3 === 0 ? new Date(base + i * 60_000 + 600_000).toISOString() : null,
    }),
  );
}

const csv = (v: unknown) =>
  v === null || v === undefined ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');

async function main(): Promise<void> {
  const dbName = `bulwark_bench_${process.pid}`;
  const admin = new Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN);
  url.pathname = `/${dbName}`;
  try {
    // Imports stay decorator-free (tsx runs this file), so migrate with a bare DataSource.
    const ds = new DataSource({ type: 'postgres', url: url.toString(), entities: [], migrations: MIGRATIONS, installExtensions: false });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    const [org] = await ds.query(`INSERT INTO organizations (name, slug) VALUES ('Bench', 'bench') RETURNING id`);
    const [vendor] = await ds.query(
      `INSERT INTO vendors (organization_id, name, slug, lifecycle, intake, computed_tier, tier_score, tier) VALUES ($1, 'V', 'v', 'active', '{}', 'low', 0, 'low') RETURNING id`,
      [org.id],
    );
    const newSource = async () =>
      (
        await ds.query(
          `INSERT INTO signal_sources (organization_id, vendor_id, plugin, name, schedule_seconds) VALUES ($1, $2, 'statuspage', 's', 300) RETURNING id`,
          [org.id, vendor.id],
        )
      )[0].id as string;
    const signals = makeSignals(ROWS);
    console.log(`ingest benchmark: ${ROWS.toLocaleString()} signals, PostgreSQL at ${url.host}`);

    // Baseline: COPY of the same rows (with the hash and state time computed, as the real path must).
    const copySource = await newSource();
    const t0 = performance.now();
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    const lines = function* () {
      for (const s of signals) {
        yield (
          [
            randomUUID(),
            org.id,
            vendor.id,
            copySource,
            `${copySource}:${s.externalId}`,
            s.externalId,
            s.signalType,
            s.service,
            s.region,
            s.level,
            null,
            s.lifecycle,
            s.title,
            s.startedAt,
            stateTime(s, new Date()),
            s.resolvedAt,
            contentHash(s),
          ]
            .map(csv)
            .join('\t') + '\n'
        );
      }
    };
    await pipeline(
      Readable.from(lines()),
      client.query(
        copyFrom(
          `COPY signals (id, organization_id, vendor_id, source_id, dedupe_key, external_id, signal_type, component, region, level, severity, lifecycle, title, started_at, provider_updated_at, resolved_at, content_hash) FROM STDIN`,
        ),
      ),
    );
    const copyMs = performance.now() - t0;
    await client.end();

    // The real path, in transactions of 10k (as a large poll or an upload would arrive).
    const source = await newSource();
    const t1 = performance.now();
    for (let i = 0; i < signals.length; i += 10_000) {
      await ds.transaction((m) =>
        ingestSignals(m, { organizationId: org.id, vendorId: vendor.id, serviceId: null, sourceId: source }, signals.slice(i, i + 10_000)),
      );
    }
    const ingestMs = performance.now() - t1;

    // Re-ingesting the same batch (an unchanged poll) must change nothing.
    const t2 = performance.now();
    let changed = 0;
    for (let i = 0; i < signals.length; i += 10_000) {
      changed += (
        await ds.transaction((m) =>
          ingestSignals(
            m,
            { organizationId: org.id, vendorId: vendor.id, serviceId: null, sourceId: source },
            signals.slice(i, i + 10_000),
          ),
        )
      ).changed;
    }
    const reMs = performance.now() - t2;
    const stored = (await ds.query(`SELECT count(*)::int AS n FROM signals WHERE source_id = $1`, [source]))[0].n;

    const rate = (ms: number) => Math.round((ROWS / ms) * 1000);
    console.log(`raw COPY:                 ${rate(copyMs).toLocaleString().padStart(10)} rows/s  (${(copyMs / 1000).toFixed(2)} s)`);
    console.log(
      `ingestion path:           ${rate(ingestMs).toLocaleString().padStart(10)} rows/s  (${(ingestMs / 1000).toFixed(2)} s, ${stored.toLocaleString()} rows + history)`,
    );
    console.log(`re-ingest, unchanged:     ${rate(reMs).toLocaleString().padStart(10)} rows/s  (${changed} rows changed)`);
    console.log(`ratio ingestion / COPY:   ${(copyMs / ingestMs).toFixed(2)}  (aim: at least 0.30)`);
    await ds.destroy();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
