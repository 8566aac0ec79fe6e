/**
 * SLA attainment benchmark: 1,000 SLAs × 12 monthly windows (UTC, calendar months of 2026) from
 * 1,000,000 signal intervals (≈1,000 per SLA; major/partial outages, degradations and maintenance
 * with an announcement time; overlaps included), in one run on the same data:
 *
 *   (a) the engine: the intervals loaded from PostgreSQL (timed) → attainment() for 12 windows per SLA;
 *   (b) one hand-written SQL aggregate computing the same figures (weighted union of intervals via
 *       tstzmultirange unions per weight threshold, minus qualifying maintenance).
 *
 * Checks that both agree per SLA × window, then prints both times, windows/s and the ratio
 * engine / SQL. Never fails on a timing (only on a disagreement).
 *
 *   npm run bench:attainment       (BENCH_SLAS=100 BENCH_INTERVALS=100000 for a shorter run;
 *                                   BENCH_LOAD=per-sla loads each SLA's intervals by its own query)
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

import {
  attainment,
  DEFAULT_WEIGHTS,
  type AttainmentRules,
  type OutageLevel,
  type SignalInterval,
} from '../../libs/domain/slas/src/lib/attainment';
import { seededRandom } from '../../libs/platform/src/lib/prng';

const SLAS = Number(process.env['BENCH_SLAS'] ?? 1_000);
const INTERVALS = Number(process.env['BENCH_INTERVALS'] ?? 1_000_000);
const LOAD = process.env['BENCH_LOAD'] === 'per-sla' ? 'per-sla' : 'bulk';
const ADMIN = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const H = 3600_000;
const YEAR_START = Date.UTC(2026, 0, 1);
const YEAR_END = Date.UTC(2027, 0, 1);
/** Every window of 2026 is closed. */
const NOW = YEAR_END;

/** The product's rules (rulesOf: major 1, unannounced maintenance 1), with a non-zero degraded weight so all classes count. */
const RULES: AttainmentRules = {
  timeZone: 'UTC',
  window: 'month',
  targetPercent: 99.9,
  weights: { ...DEFAULT_WEIGHTS, degraded: 0.25 },
  maintenanceNoticeHours: 72,
  unannouncedMaintenanceWeight: 1,
  credits: [
    { belowPercent: 99.9, creditPercent: 10 },
    { belowPercent: 99, creditPercent: 25 },
  ],
  creditCapPercent: 30,
};

interface Row {
  sla: number;
  start: number;
  end: number;
  level: OutageLevel;
  announcedAt: number | null;
}

/** ≈INTERVALS / SLAS intervals per SLA, starting from a week before 2026 so some straddle the first window. */
function* generate(): Generator<Row> {
  const rnd = seededRandom(20260101);
  const span = YEAR_END - (YEAR_START - 7 * 24 * H);
  const perSla = Math.floor(INTERVALS / SLAS);
  let extra = INTERVALS - perSla * SLAS;
  for (let sla = 1; sla <= SLAS; sla++) {
    const n = perSla + (extra-- > 0 ? 1 : 0);
    let prev: Row | null = null;
    for (let i = 0; i < n; i++) {
      const p = rnd();
      const level: OutageLevel = p < 0.25 ? 'major_outage' : p < 0.55 ? 'partial_outage' : p < 0.9 ? 'degraded' : 'maintenance';
      const q = rnd();
      // 75 % 1–30 minutes, 22 % 30 minutes–4 hours, 3 % 4–24 hours (whole milliseconds).
      const length = Math.floor(
        q < 0.75 ? 60_000 + rnd() * 29 * 60_000 : q < 0.97 ? 30 * 60_000 + rnd() * 3.5 * H : 4 * H + rnd() * 20 * H,
      );
      let start = YEAR_START - 7 * 24 * H + Math.floor(rnd() * span);
      // Edge cases: an interval starting exactly where the previous one ended, or the same span at another level.
      const edge = rnd();
      if (prev && edge < 0.02) start = prev.end;
      else if (prev && edge < 0.04) start = prev.start;
      const end = prev && edge >= 0.02 && edge < 0.04 ? prev.end : start + length;
      let announcedAt: number | null = null;
      if (level === 'maintenance') {
        const a = rnd();
        // Half announced well ahead (some exactly at the notice period), a third late, the rest unknown.
        announcedAt =
          a < 0.05
            ? start - RULES.maintenanceNoticeHours * H
            : a < 0.5
              ? start - Math.floor((72 + rnd() * 14 * 24) * H)
              : a < 0.85
                ? start - Math.floor(rnd() * 71 * H)
                : null;
      }
      const row: Row = { sla, start, end, level, announcedAt };
      prev = row;
      yield row;
    }
  }
}

const iso = (ms: number | null) => (ms === null ? '\\N' : new Date(ms).toISOString());

/** (a) Load one SLA's rows or all of them, then run the engine. */
function toInterval(r: [number, number, number, string, number | null]): SignalInterval {
  return r[3] === 'maintenance'
    ? { start: r[1], end: r[2], level: 'maintenance', announcedAt: r[4] }
    : { start: r[1], end: r[2], level: r[3] as OutageLevel };
}
const SELECT = `SELECT sla, (extract(epoch FROM started_at) * 1000)::float8, (extract(epoch FROM ended_at) * 1000)::float8, level, (extract(epoch FROM announced_at) * 1000)::float8 FROM intervals`;

async function runEngine(db: Client): Promise<Map<string, { availability: number; downtimeMinutes: number; excludedMinutes: number }>> {
  const out = new Map<string, { availability: number; downtimeMinutes: number; excludedMinutes: number }>();
  const compute = (sla: number, intervals: SignalInterval[]) => {
    for (const w of attainment(intervals, RULES, '2026-01', '2026-12', NOW))
      out.set(`${sla}|${w.window}`, {
        availability: w.availability,
        downtimeMinutes: w.downtimeMinutes,
        excludedMinutes: w.excludedMinutes,
      });
  };
  if (LOAD === 'bulk') {
    // One query ordered by SLA (the table is clustered that way); rows arrive as arrays of numbers.
    const res = await db.query<[number, number, number, string, number | null]>({ text: `${SELECT} ORDER BY sla`, rowMode: 'array' });
    let cur: SignalInterval[] = [];
    let sla = res.rows[0]?.[0] ?? 0;
    for (const r of res.rows) {
      if (r[0] !== sla) {
        compute(sla, cur);
        cur = [];
        sla = r[0];
      }
      cur.push(toInterval(r));
    }
    if (cur.length) compute(sla, cur);
    for (let s = 1; s <= SLAS; s++) if (!out.has(`${s}|2026-01`)) compute(s, []);
  } else {
    for (let s = 1; s <= SLAS; s++) {
      const res = await db.query<[number, number, number, string, number | null]>({
        name: 'per-sla',
        text: `${SELECT} WHERE sla = $1`,
        values: [s],
        rowMode: 'array',
      });
      compute(s, res.rows.map(toInterval));
    }
  }
  return out;
}

/**
 * (b) The same figures in one SQL statement. At every instant the heaviest active weight counts,
 * which is the layer-cake sum Σ_k (w_k − w_{k+1}) · |U_k \ X| over the distinct positive weights
 * w_1 > w_2 > … (w_{n+1} = 0), where U_k is the union of the intervals weighing at least w_k and X
 * the union of qualifying maintenance. Inside X nothing counts; what is excluded is
 * max(weight, unannounced-maintenance weight) per instant, i.e. |X ∩ window| × that weight when it
 * is the heaviest (as in the product: major and unannounced maintenance both weigh 1).
 * Availability is rounded as the engine rounds it (half up at 4 decimals, on the same double).
 */
function attainmentSql(rules: AttainmentRules): { text: string; values: unknown[] } {
  const weights = { ...rules.weights, maintenance: rules.unannouncedMaintenanceWeight };
  if (Object.values(rules.weights).some((w) => w > rules.unannouncedMaintenanceWeight))
    throw new Error('The SQL assumes no outage weighs more than unannounced maintenance');
  const levels = [...new Set(Object.values(weights).filter((w) => w > 0))].sort((a, b) => b - a);
  const unions = levels.map((w, k) => `coalesce(range_agg(r) FILTER (WHERE NOT excluded AND weight >= ${w}), '{}') AS u${k}`);
  // The length of a multirange, in milliseconds (exact: epoch differences are numeric).
  const len = (mr: string) => `(SELECT coalesce(sum(extract(epoch FROM upper(p) - lower(p))), 0) * 1000 FROM unnest(${mr}) AS p)`;
  const text = `
    WITH w AS (
      SELECT to_char(s, 'YYYY-MM') AS label, tstzrange(s, s + interval '1 month') AS r
        FROM generate_series($1::timestamptz, $2::timestamptz, interval '1 month') AS s
    ),
    iv AS (
      SELECT sla, tstzrange(started_at, least(ended_at, $3::timestamptz)) AS r,
             (level = 'maintenance' AND announced_at IS NOT NULL AND started_at - announced_at >= make_interval(hours => $4)) AS excluded,
             CASE level WHEN 'major_outage' THEN ${weights.major_outage} WHEN 'partial_outage' THEN ${weights.partial_outage} WHEN 'degraded' THEN ${weights.degraded} ELSE ${weights.maintenance} END AS weight
        FROM intervals
       WHERE least(ended_at, $3::timestamptz) > started_at
    ),
    clipped AS (
      SELECT iv.sla, w.label, iv.r * w.r AS r, iv.excluded, iv.weight FROM iv JOIN w ON iv.r && w.r
    ),
    per_window AS (
      SELECT sla, label, coalesce(range_agg(r) FILTER (WHERE excluded), '{}') AS x, ${unions.join(', ')} FROM clipped GROUP BY sla, label
    ),
    figures AS (
      SELECT sla, label, (${levels.map((w, k) => `${w - (levels[k + 1] ?? 0)} * ${len(`u${k} - x`)}`).join(' + ')}) AS downtime_ms, ${weights.maintenance} * ${len('x')} AS excluded_ms
        FROM per_window
    )
    SELECT s.sla, w.label,
           greatest(0, least(100, floor(100 * (1 - coalesce(f.downtime_ms, 0)::float8 / (extract(epoch FROM upper(w.r) - lower(w.r)) * 1000)::float8) * 10000 + 0.5) / 10000)) AS availability,
           round(coalesce(f.downtime_ms, 0) / 60000, 2)::float8 AS downtime_minutes,
           round(coalesce(f.excluded_ms, 0) / 60000, 2)::float8 AS excluded_minutes
      FROM generate_series(1, $5::int) AS s(sla) CROSS JOIN w
      LEFT JOIN figures f ON f.sla = s.sla AND f.label = w.label`;
  return { text, values: ['2026-01-01', '2026-12-01', new Date(NOW).toISOString(), rules.maintenanceNoticeHours, SLAS] };
}

async function main(): Promise<void> {
  const dbName = `bulwark_bench_attainment_${process.pid}`;
  const admin = new Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN);
  url.pathname = `/${dbName}`;
  const db = new Client({ connectionString: url.toString() });
  try {
    await db.connect();
    // Calendar months in the rules' time zone (generate_series and + '1 month' follow the session zone).
    await db.query(`SET TIME ZONE '${RULES.timeZone}'`);
    const version = (await db.query<{ server_version: string }>(`SHOW server_version`)).rows[0]!.server_version;
    console.log(
      `attainment benchmark: ${SLAS.toLocaleString()} SLAs × 12 monthly windows from ${INTERVALS.toLocaleString()} intervals, PostgreSQL ${version} at ${url.host}, load: ${LOAD}`,
    );
    await db.query(`
      CREATE UNLOGGED TABLE intervals (
        sla integer NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz NOT NULL,
        level text NOT NULL CHECK (level IN ('major_outage', 'partial_outage', 'degraded', 'maintenance')),
        announced_at timestamptz
      )`);
    const t0 = performance.now();
    // Lines in chunks of 5,000 (one stream chunk per line would dominate the load time).
    const lines = function* () {
      let chunk: string[] = [];
      for (const r of generate()) {
        chunk.push(`${r.sla}\t${iso(r.start)}\t${iso(r.end)}\t${r.level}\t${iso(r.announcedAt)}\n`);
        if (chunk.length === 5_000) {
          yield chunk.join('');
          chunk = [];
        }
      }
      if (chunk.length) yield chunk.join('');
    };
    await pipeline(
      Readable.from(lines()),
      db.query(copyFrom(`COPY intervals (sla, started_at, ended_at, level, announced_at) FROM STDIN`)),
    );
    await db.query(`CREATE INDEX intervals_sla ON intervals (sla)`);
    await db.query(`ANALYZE intervals`);
    const loaded = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM intervals`)).rows[0]!.n;
    console.log(`data: ${loaded.toLocaleString()} rows by COPY in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

    const windows = SLAS * 12;
    // (a) engine, load included.
    const t1 = performance.now();
    const engine = await runEngine(db);
    const engineMs = performance.now() - t1;

    // (b) one SQL statement.
    const sql = attainmentSql(RULES);
    const t2 = performance.now();
    const res = await db.query<{ sla: number; label: string; availability: number; downtime_minutes: number; excluded_minutes: number }>(
      sql,
    );
    const sqlMs = performance.now() - t2;

    // Agreement per SLA × window.
    let maxAvail = 0;
    let maxDown = 0;
    let maxExcl = 0;
    let worst = '';
    let compared = 0;
    for (const r of res.rows) {
      const e = engine.get(`${r.sla}|${r.label}`);
      if (!e) throw new Error(`The engine has no figure for SLA ${r.sla} ${r.label}`);
      compared++;
      const d = Math.abs(e.availability - r.availability);
      if (d > maxAvail) {
        maxAvail = d;
        worst = `SLA ${r.sla} ${r.label}: engine ${e.availability}, SQL ${r.availability}`;
      }
      maxDown = Math.max(maxDown, Math.abs(e.downtimeMinutes - r.downtime_minutes));
      maxExcl = Math.max(maxExcl, Math.abs(e.excludedMinutes - r.excluded_minutes));
    }
    if (compared !== windows || engine.size !== windows)
      throw new Error(`Expected ${windows} windows; SQL gave ${compared}, the engine ${engine.size}`);
    const avg = [...engine.values()].reduce((s, e) => s + e.availability, 0) / engine.size;

    const rate = (ms: number) => Math.round((windows / ms) * 1000);
    console.log(
      `agreement:                ${compared.toLocaleString()} SLA×windows compared; max |Δ availability| ${maxAvail.toFixed(6)} pp, max |Δ downtime| ${maxDown.toFixed(2)} min, max |Δ excluded| ${maxExcl.toFixed(2)} min${worst ? ` (worst: ${worst})` : ''}`,
    );
    console.log(`                          (mean availability ${avg.toFixed(4)} %: the data is deliberately dense)`);
    console.log(`(a) engine incl. load:    ${rate(engineMs).toLocaleString().padStart(8)} windows/s  (${(engineMs / 1000).toFixed(2)} s)`);
    console.log(`(b) SQL aggregate:        ${rate(sqlMs).toLocaleString().padStart(8)} windows/s  (${(sqlMs / 1000).toFixed(2)} s)`);
    console.log(`ratio engine / SQL:       ${(engineMs / sqlMs).toFixed(2)}  (aim: at most 3)`);
    if (maxAvail > 0.0001 + 1e-9) throw new Error(`The engine and the SQL disagree: ${worst}`);
  } finally {
    await db.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
