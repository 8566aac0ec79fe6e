import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFixtureServer, type FixtureServer } from '@bulwark/plugin-sdk/testing';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '@bulwark/plugin-webhook-ingest';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { ROOT } from '../support/services';
import { pollAndWait } from '../support/wait';

/**
 * Signal detail: one signal, its state history, and the raw body its state was read from (rawRef),
 * stored once per distinct body in the file storage and checked against its SHA-256 on download.
 */
const FIX = join(ROOT, 'plugins', 'statuspage', 'fixtures');
const github = readFileSync(join(FIX, 'github-2022-11-25-summary-active-major-incident.json'));
const healthy = readFileSync(join(FIX, 'handwritten-summary-healthy.json'));
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const INCIDENT = 'incident:ljwdk6qml8z8';

let t: TestApp;
let feed: FixtureServer;
let ds: DataSource;
let manager: string;
let contact: string;
let openai: { vendorId: string; serviceId: string };
let sourceId: string;
let incidentId: string;

/** The stored objects of the local storage driver (files named by their SHA-256). */
function storedObjects(): string[] {
  const root = join(t.dataDir, 'files');
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'tmp') walk(p);
      } else if (!name.endsWith('.tmp')) out.push(name); // a write in flight (an audit anchor being replaced) is not an object
    }
  };
  walk(root);
  return out.sort();
}

const binary = (
  res: { on: (e: string, cb: (c?: Buffer) => void) => void; setEncoding?: unknown },
  cb: (err: Error | null, body: Buffer) => void,
) => {
  const chunks: Buffer[] = [];
  res.on('data', (c?: Buffer) => chunks.push(c!));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

beforeAll(async () => {
  feed = await startFixtureServer({
    '/api/v2/summary.json': { body: github },
    '/api/v2/incidents.json': { status: 404, body: 'not found' },
  });
  t = await bootApp({ FEED_ALLOWED_HOSTS: '127.0.0.1:*' });
  await seedOrgs(t, true);
  ds = t.app.get(DataSource);
  manager = await login(t, 'manager@demo.bulwark.test');
  contact = await login(t, 'contact@openai.demo.bulwark.test');
  const [row] = await ds.query(
    `SELECT v.id AS vendor_id, s.id AS service_id FROM vendors v JOIN services s ON s.vendor_id = v.id JOIN organizations o ON o.id = v.organization_id
      WHERE o.slug = 'demo-org' AND v.name = 'OpenAI' AND s.name = 'OpenAI API'`,
  );
  openai = { vendorId: row.vendor_id, serviceId: row.service_id };
});
afterAll(async () => {
  await t?.close();
  await feed?.close();
});

describe('a polled signal: detail, history and raw evidence', () => {
  it('keeps the polled body once, content-addressed, and each signal points into it', async () => {
    const before = storedObjects();
    const res = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({
        vendorId: openai.vendorId,
        serviceId: openai.serviceId,
        plugin: 'statuspage',
        config: { baseUrl: feed.url },
        scheduleSeconds: 86400,
      });
    expect(res.status).toBe(201);
    sourceId = res.body.id;
    expect(await pollAndWait(t, manager, sourceId)).toMatchObject({ status: 'ok' });
    // Many signals, one body (incidents.json answered 404: nothing of it is kept).
    expect(storedObjects()).toEqual([...before, sha256(github)].sort());
    const rows: { external_id: string; raw_ref: Record<string, unknown> | null }[] = await ds.query(
      `SELECT external_id, raw_ref FROM signals WHERE source_id = $1`,
      [sourceId],
    );
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows)
      expect(r.raw_ref).toMatchObject({
        fetchUrl: `${feed.url}/api/v2/summary.json`,
        sha256: sha256(github),
        origin: 'poll',
        sizeBytes: github.length,
        contentType: 'application/json',
      });
    expect(rows.find((r) => r.external_id === INCIDENT)!.raw_ref!['pointer']).toBe('/incidents/0');
    incidentId = (await ds.query(`SELECT id FROM signals WHERE source_id = $1 AND external_id = $2`, [sourceId, INCIDENT]))[0].id;
  });

  it('GET /signals/:id answers the list view of the signal, with its rawRef', async () => {
    const one = await t.http.get(`/api/signals/${incidentId}`).set(auth(manager));
    expect(one.status).toBe(200);
    const listed = (await t.http.get('/api/signals').query({ sourceId, pageSize: 200 }).set(auth(manager))).body.items.find(
      (s: { id: string }) => s.id === incidentId,
    );
    const { stateSince, ...view } = one.body;
    expect(view).toEqual(listed);
    expect(stateSince).toBe(one.body.updatedAt);
    expect(one.body).toMatchObject({
      externalId: INCIDENT,
      level: 'partial_outage',
      lifecycle: 'open',
      rawRef: { pointer: '/incidents/0', sha256: sha256(github), fetchedAt: expect.stringMatching(/Z$/) },
    });
  });

  it('downloads the raw body as an attachment, byte for byte, with its digest', async () => {
    const res = await t.http.get(`/api/signals/${incidentId}/raw`).set(auth(manager)).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="signal-[0-9a-f-]+-[0-9a-f]{12}\.json"$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['digest']).toBe(`sha-256=${Buffer.from(sha256(github), 'hex').toString('base64')}`);
    expect(sha256(res.body as Buffer)).toBe(sha256(github));
  });

  it('a re-poll of the same state stores nothing, not even a re-formatted copy no signal references', async () => {
    const before = storedObjects();
    feed.routes['/api/v2/summary.json'] = { body: Buffer.from(`${github.toString('utf8')}\n\n`) };
    expect(await pollAndWait(t, manager, sourceId)).toMatchObject({ status: 'ok' });
    expect(storedObjects()).toEqual(before);
    // The signals keep the evidence of the state they have.
    expect((await t.http.get(`/api/signals/${incidentId}`).set(auth(manager))).body.rawRef.sha256).toBe(sha256(github));
  });

  it('history lists the recorded states oldest first; a resolution points at no new body', async () => {
    feed.routes['/api/v2/summary.json'] = { body: healthy };
    expect(await pollAndWait(t, manager, sourceId)).toMatchObject({ status: 'ok' });
    const history = await t.http.get(`/api/signals/${incidentId}/history`).set(auth(manager));
    expect(history.status).toBe(200);
    expect(history.body.map((h: { lifecycle: string }) => h.lifecycle)).toEqual(['open', 'resolved']);
    expect(history.body[0]).toEqual({
      stateAt: expect.stringMatching(/^2022-11-25T/),
      level: 'partial_outage',
      lifecycle: 'open',
      severity: 3,
      recordedAt: expect.stringMatching(/Z$/),
    });
    expect(Date.parse(history.body[1].stateAt)).toBeGreaterThan(Date.parse(history.body[0].stateAt));
    // The healthy page's components changed: its body is kept too (referenced by them).
    expect(storedObjects()).toContain(sha256(healthy));
  });

  it('a stored body that no longer matches its SHA-256 is never served: 500 with an error id', async () => {
    const sha = sha256(github);
    const file = join(t.dataDir, 'files', sha.slice(0, 2), sha.slice(2, 4), sha);
    const original = readFileSync(file);
    writeFileSync(file, Buffer.concat([original, Buffer.from(' ')]));
    try {
      const res = await t.http.get(`/api/signals/${incidentId}/raw`).set(auth(manager));
      expect(res.status).toBe(500);
      expect(res.body.error).toMatchObject({ code: 'file.integrity', errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(res.text).not.toContain('ljwdk6qml8z8');
    } finally {
      writeFileSync(file, original);
    }
  });

  it('a signal stored without provenance: detail works, raw is a clear 404', async () => {
    const [demo] = await ds.query(
      `SELECT id FROM signals WHERE vendor_id = $1 AND raw_ref IS NULL AND source_id IS DISTINCT FROM $2 LIMIT 1`,
      [openai.vendorId, sourceId],
    );
    expect((await t.http.get(`/api/signals/${demo.id}`).set(auth(manager))).body.rawRef).toBeNull();
    const res = await t.http.get(`/api/signals/${demo.id}/raw`).set(auth(manager));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('signal.no_raw_evidence');
  });
});

describe('when a signal’s current state began (stateSince)', () => {
  /** The handwritten healthy page with its "API" component in `status` as of `at`. */
  const page = (status: string, at: string, description = 'REST and GraphQL API') => {
    const json = JSON.parse(healthy.toString('utf8'));
    Object.assign(json.components[0], { status, updated_at: at, description });
    return { body: JSON.stringify(json) };
  };
  let acmeId: string;
  let componentId: string;
  const view = async () => (await t.http.get(`/api/signals/${componentId}`).set(auth(manager))).body;

  it('a component: the first of the consecutive states at its current level, not the latest one', async () => {
    feed.routes['/acme/api/v2/summary.json'] = page('operational', '2025-03-11T02:00:00Z');
    feed.routes['/acme/api/v2/incidents.json'] = { status: 404, body: 'not found' };
    const res = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({
        vendorId: openai.vendorId,
        serviceId: openai.serviceId,
        plugin: 'statuspage',
        config: { baseUrl: `${feed.url}/acme` },
        scheduleSeconds: 86400,
      });
    expect(res.status).toBe(201);
    acmeId = res.body.id;
    expect(await pollAndWait(t, manager, acmeId)).toMatchObject({ status: 'ok' });
    componentId = (await ds.query(`SELECT id FROM signals WHERE source_id = $1 AND external_id = 'component:8l4ygp009s5s'`, [acmeId]))[0]
      .id;
    expect(await view()).toMatchObject({ level: 'operational', startedAt: null, stateSince: '2025-03-11T02:00:00.000Z' });

    feed.routes['/acme/api/v2/summary.json'] = page('partial_outage', '2025-03-11T09:00:00Z');
    expect(await pollAndWait(t, manager, acmeId)).toMatchObject({ status: 'ok' });
    // Still a partial outage, with a new description (a new state, a new hash) half an hour later.
    feed.routes['/acme/api/v2/summary.json'] = page('partial_outage', '2025-03-11T09:30:00Z', 'REST API: elevated errors in EU');
    expect(await pollAndWait(t, manager, acmeId)).toMatchObject({ status: 'ok' });

    const history = (await t.http.get(`/api/signals/${componentId}/history`).set(auth(manager))).body;
    expect(history.map((h: { level: string; stateAt: string }) => `${h.level}@${h.stateAt}`)).toEqual([
      'operational@2025-03-11T02:00:00.000Z',
      'partial_outage@2025-03-11T09:00:00.000Z',
      'partial_outage@2025-03-11T09:30:00.000Z',
    ]);
    expect(await view()).toMatchObject({
      level: 'partial_outage',
      startedAt: null,
      updatedAt: '2025-03-11T09:30:00.000Z',
      stateSince: '2025-03-11T09:00:00.000Z',
    });
    // A vendor contact sees it too.
    expect((await t.http.get(`/api/signals/${componentId}`).set(auth(contact))).body.stateSince).toBe('2025-03-11T09:00:00.000Z');
    // The vendor's open signals carry it as well (the Signals tab's "Since" column), computed in one query.
    const summary = (await t.http.get(`/api/vendors/${openai.vendorId}/signals`).set(auth(manager))).body;
    expect(summary.openSignals.find((x: { id: string }) => x.id === componentId)).toMatchObject({
      level: 'partial_outage',
      stateSince: '2025-03-11T09:00:00.000Z',
    });
    expect(summary.openSignals.every((x: { stateSince?: unknown }) => x.stateSince !== undefined)).toBe(true);
  });

  it('a change of level starts it again', async () => {
    feed.routes['/acme/api/v2/summary.json'] = page('operational', '2025-03-11T10:15:00Z');
    expect(await pollAndWait(t, manager, acmeId)).toMatchObject({ status: 'ok' });
    expect(await view()).toMatchObject({ level: 'operational', stateSince: '2025-03-11T10:15:00.000Z' });
  });
});

describe('an unreadable feed is kept as the evidence of its unknown marker', () => {
  const html = Buffer.from(
    '<!DOCTYPE html>\n<html><head><title>Down for maintenance</title></head><body><h1>We’ll be back soon</h1></body></html>\n',
  );
  let brokenId: string;
  let markerId: string;
  const marker = async () =>
    (
      await ds.query(`SELECT id, level, detail, raw_ref FROM signals WHERE source_id = $1 AND signal_type = 'source_status'`, [brokenId])
    )[0];

  it('an HTML page answered with 200: the marker refers to those bytes, with their type and size', async () => {
    feed.routes['/maintenance/api/v2/summary.json'] = { status: 200, body: html, headers: { 'content-type': 'text/html; charset=utf-8' } };
    const res = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({
        vendorId: openai.vendorId,
        serviceId: openai.serviceId,
        plugin: 'statuspage',
        config: { baseUrl: `${feed.url}/maintenance` },
        scheduleSeconds: 86400,
      });
    expect(res.status).toBe(201);
    brokenId = res.body.id;
    expect(await pollAndWait(t, manager, brokenId)).toMatchObject({ status: 'failing', lastError: expect.stringContaining('HTML page') });
    const row = await marker();
    expect(row).toMatchObject({ level: 'unknown', detail: expect.stringContaining('HTML page') });
    expect(row.raw_ref).toEqual({
      fetchUrl: `${feed.url}/maintenance/api/v2/summary.json`,
      fetchedAt: expect.stringMatching(/Z$/),
      sha256: sha256(html),
      pointer: null,
      origin: 'poll',
      contentType: 'text/html; charset=utf-8',
      sizeBytes: html.length,
    });
    expect(storedObjects()).toContain(sha256(html));
    markerId = row.id;
  });

  it('an admin opens the marker and downloads exactly what the endpoint answered, checked against its hash', async () => {
    const one = await t.http.get(`/api/signals/${markerId}`).set(auth(manager));
    expect(one.body).toMatchObject({
      signalType: 'source_status',
      level: 'unknown',
      detail: expect.stringContaining('HTML page'),
      rawRef: { sha256: sha256(html), contentType: 'text/html; charset=utf-8', sizeBytes: html.length },
    });
    const res = await t.http.get(`/api/signals/${markerId}/raw`).set(auth(manager)).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="signal-[0-9a-f-]+-[0-9a-f]{12}\.html"$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['digest']).toBe(`sha-256=${Buffer.from(sha256(html), 'hex').toString('base64')}`);
    expect(sha256(res.body as Buffer)).toBe(sha256(html));
    expect((res.body as Buffer).equals(html)).toBe(true);
  });

  it('a vendor contact sees the marker without its error text or evidence, and cannot download it', async () => {
    const one = await t.http.get(`/api/signals/${markerId}`).set(auth(contact));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ level: 'unknown', detail: null, rawRef: null });
    expect(JSON.stringify(one.body)).not.toContain(feed.url);
    expect((await t.http.get(`/api/signals/${markerId}/raw`).set(auth(contact))).status).toBe(403);
  });

  it('evidence that cannot be stored never costs the marker: it is recorded without it', async () => {
    // Another page, whose content-addressed directory is blocked by a file: the storage write fails.
    let other = html;
    let blocker = '';
    for (let i = 0; !blocker || existsSync(blocker); i++) {
      other = Buffer.from(`<html><body>Error ${i}: upstream unavailable</body></html>`);
      blocker = join(t.dataDir, 'files', sha256(other).slice(0, 2));
    }
    writeFileSync(blocker, 'not a directory');
    try {
      feed.routes['/maintenance/api/v2/summary.json'] = { status: 200, body: other, headers: { 'content-type': 'text/html' } };
      expect(await pollAndWait(t, manager, brokenId)).toMatchObject({ status: 'failing' });
      const row = await marker();
      expect(row).toMatchObject({ id: markerId, level: 'unknown', detail: expect.stringContaining('HTML page'), raw_ref: null });
    } finally {
      rmSync(blocker);
    }
  });
});

describe('who sees a signal’s detail and evidence', () => {
  it('a vendor contact reads their own vendor’s signal and history, without the raw evidence', async () => {
    const one = await t.http.get(`/api/signals/${incidentId}`).set(auth(contact));
    expect(one.status).toBe(200);
    expect(one.body.rawRef).toBeNull();
    expect(JSON.stringify(one.body)).not.toContain(feed.url);
    expect((await t.http.get(`/api/signals/${incidentId}/history`).set(auth(contact))).status).toBe(200);
    expect((await t.http.get(`/api/signals/${incidentId}/raw`).set(auth(contact))).status).toBe(403);
  });

  it('another vendor’s signal is 404 for the contact; another organization’s is 404 for its staff', async () => {
    const [other] = await ds.query(
      `SELECT s.id FROM signals s JOIN vendors v ON v.id = s.vendor_id WHERE v.name <> 'OpenAI' AND v.organization_id = (SELECT organization_id FROM vendors WHERE id = $1) LIMIT 1`,
      [openai.vendorId],
    );
    for (const path of ['', '/history']) expect((await t.http.get(`/api/signals/${other.id}${path}`).set(auth(contact))).status).toBe(404);
    const foreign = await login(t, 'manager@other.bulwark.test');
    for (const path of ['', '/history', '/raw']) {
      const res = await t.http.get(`/api/signals/${incidentId}${path}`).set(auth(foreign));
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('signal.not_found');
    }
  });
});

describe('pushed payloads are their own evidence', () => {
  const SECRET = 'whsec-0123456789abcdef0123456789abcdef';
  it('a webhook delivery is kept as delivered; its records point into it; a repeat stores nothing', async () => {
    const created = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({
        vendorId: openai.vendorId,
        plugin: 'webhook-ingest',
        config: {
          signingSecret: SECRET,
          provider: 'BitSight',
          signalType: 'security_rating',
          valueMap: [
            { max: 640, level: 'degraded' },
            { min: 640, level: 'operational' },
          ],
        },
      });
    expect(created.status).toBe(201);
    const path = new URL(created.body.webhookUrl).pathname;
    const raw = JSON.stringify([
      { id: 'bs-1', score: 700, asOf: '2025-01-31' },
      { id: 'bs-2', score: 600, asOf: '2025-01-31' },
    ]);
    const send = () => {
      const at = Math.floor(Date.now() / 1000);
      return t.http
        .post(path)
        .set({
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: String(at),
          [SIGNATURE_HEADER]: `sha256=${signWebhook(raw, at, SECRET)}`,
        })
        .send(raw);
    };
    expect((await send()).status).toBe(202);
    const [row] = await ds.query(`SELECT id, level, raw_ref FROM signals WHERE source_id = $1 AND external_id = 'bs-2'`, [created.body.id]);
    expect(row.level).toBe('degraded');
    expect(row.raw_ref).toMatchObject({ fetchUrl: null, origin: 'webhook', pointer: '/1', sha256: sha256(raw) });
    const body = await t.http.get(`/api/signals/${row.id}/raw`).set(auth(manager)).buffer(true).parse(binary);
    expect((body.body as Buffer).toString('utf8')).toBe(raw);
    const before = storedObjects();
    expect((await send()).status).toBe(202);
    expect(storedObjects()).toEqual(before);
    expect(JSON.stringify(row.raw_ref)).not.toContain(SECRET);
  });
});
