import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { configJsonSchema, FeedParseError, secretKeys } from '@bulwark/plugin-sdk';
import { startFixtureServer, testInstance, type FixtureServer } from '@bulwark/plugin-sdk/testing';

import {
  parseCsvUpload,
  parseWebhookPayload,
  verifyWebhook,
  webhookIngestConfigSchema,
  webhookIngestPlugin,
  WebhookPayloadError,
  type WebhookIngestConfig,
} from './index.js';

const fixture = (name: string) => join(__dirname, '..', 'fixtures', name);
const SECRET = 'whsec_3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e';
const NOW = new Date('2025-04-01T12:00:00Z');
const NOW_S = NOW.getTime() / 1000;

const config = (over: Partial<Parameters<typeof webhookIngestConfigSchema.parse>[0]> = {}): WebhookIngestConfig =>
  webhookIngestConfigSchema.parse({ signingSecret: SECRET, provider: 'RapidRatings FHR', ...over });

/** RapidRatings FHR (feeds.md §8, illustrative): <40 major_outage, 40–59 degraded, ≥60 operational. */
const FHR = config({
  provider: 'RapidRatings FHR',
  valueMap: [
    { max: 40, level: 'major_outage', band: 'Very high risk' },
    { min: 40, max: 60, level: 'degraded', band: 'Medium risk' },
    { min: 60, level: 'operational', band: 'Low risk' },
  ],
  fields: { externalId: 'rr_id', value: 'fhr', entity: 'company.name', asOf: 'scoreDate', title: 'headline' },
});

/** BitSight (250–900): below 640 "Basic" → degraded. */
const BITSIGHT = config({
  provider: 'BitSight Security Rating',
  signalType: 'security_rating',
  valueMap: [
    { max: 640, level: 'degraded', band: 'Basic' },
    { min: 640, max: 740, level: 'operational', band: 'Intermediate' },
    { min: 740, level: 'operational', band: 'Advanced' },
  ],
  fields: { externalId: 'guid', value: 'rating', entity: 'name', asOf: 'rating_date' },
});

function sign(body: Buffer, ts: number | string, secret = SECRET) {
  return createHmac('sha256', secret).update(`${ts}.`).update(body).digest('hex');
}

describe('webhook-ingest: verifyWebhook', () => {
  const body = readFileSync(fixture('rapidratings-fhr-webhook.json'));
  const base = { rawBody: body, secret: SECRET, replayWindowSeconds: 300, now: NOW };

  it('accepts a valid signature, hex with or without the sha256= prefix, at the edges of the window', () => {
    expect(verifyWebhook({ ...base, signatureHeader: sign(body, NOW_S), timestampHeader: String(NOW_S) })).toEqual({ ok: true });
    expect(verifyWebhook({ ...base, signatureHeader: `sha256=${sign(body, NOW_S)}`, timestampHeader: String(NOW_S) })).toEqual({
      ok: true,
    });
    expect(verifyWebhook({ ...base, signatureHeader: sign(body, NOW_S).toUpperCase(), timestampHeader: String(NOW_S) })).toEqual({
      ok: true,
    });
    expect(verifyWebhook({ ...base, signatureHeader: sign(body, NOW_S - 300), timestampHeader: String(NOW_S - 300) })).toEqual({
      ok: true,
    });
    expect(verifyWebhook({ ...base, signatureHeader: [sign(body, NOW_S + 300)], timestampHeader: String(NOW_S + 300) })).toEqual({
      ok: true,
    });
  });

  it('rejects a wrong secret and a tampered body', () => {
    expect(
      verifyWebhook({
        ...base,
        signatureHeader: sign(body, NOW_S, 'another-secret-of-at-least-32-characters'),
        timestampHeader: String(NOW_S),
      }),
    ).toEqual({ ok: false, reason: 'signature_mismatch' });
    const tampered = Buffer.from(body.toString('utf8').replace('"fhr": 23', '"fhr": 93'));
    expect(verifyWebhook({ ...base, rawBody: tampered, signatureHeader: sign(body, NOW_S), timestampHeader: String(NOW_S) })).toEqual({
      ok: false,
      reason: 'signature_mismatch',
    });
    // The timestamp is signed too: replaying the body with a fresh timestamp fails.
    expect(verifyWebhook({ ...base, signatureHeader: sign(body, NOW_S - 1000), timestampHeader: String(NOW_S) })).toEqual({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  it('rejects stale and future timestamps even with a correct signature', () => {
    expect(verifyWebhook({ ...base, signatureHeader: sign(body, NOW_S - 301), timestampHeader: String(NOW_S - 301) })).toEqual({
      ok: false,
      reason: 'timestamp_too_old',
    });
    expect(verifyWebhook({ ...base, signatureHeader: sign(body, NOW_S + 301), timestampHeader: String(NOW_S + 301) })).toEqual({
      ok: false,
      reason: 'timestamp_in_future',
    });
    expect(
      verifyWebhook({ ...base, replayWindowSeconds: 60, signatureHeader: sign(body, NOW_S - 120), timestampHeader: String(NOW_S - 120) }),
    ).toEqual({ ok: false, reason: 'timestamp_too_old' });
  });

  it('rejects missing and malformed headers', () => {
    expect(verifyWebhook({ ...base, signatureHeader: undefined, timestampHeader: String(NOW_S) })).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(verifyWebhook({ ...base, signatureHeader: '', timestampHeader: String(NOW_S) })).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(verifyWebhook({ ...base, signatureHeader: sign(body, NOW_S), timestampHeader: null })).toEqual({
      ok: false,
      reason: 'missing_timestamp',
    });
    expect(verifyWebhook({ ...base, signatureHeader: sign(body, NOW_S), timestampHeader: '2025-04-01T12:00:00Z' })).toEqual({
      ok: false,
      reason: 'malformed_timestamp',
    });
    expect(verifyWebhook({ ...base, signatureHeader: 'sha1=abcdef', timestampHeader: String(NOW_S) })).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
    expect(verifyWebhook({ ...base, signatureHeader: [sign(body, NOW_S), sign(body, NOW_S)], timestampHeader: String(NOW_S) })).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
    expect(verifyWebhook({ ...base, secret: '', signatureHeader: sign(body, NOW_S, ''), timestampHeader: String(NOW_S) })).toEqual({
      ok: false,
      reason: 'missing_secret',
    });
  });
});

describe('webhook-ingest: parseWebhookPayload and value maps', () => {
  it('maps RapidRatings FHR bands with a custom field map (nested entity), keeping the raw inputs', () => {
    const json: unknown = JSON.parse(readFileSync(fixture('rapidratings-fhr-webhook.json'), 'utf8'));
    const signals = parseWebhookPayload(json, FHR);
    expect(signals.map((s) => [s.externalId, s.level, s.score?.value, s.score?.band])).toEqual([
      ['RR-10482', 'operational', 72, 'Low risk'],
      ['RR-10483', 'degraded', 48, 'Medium risk'],
      ['RR-10484', 'major_outage', 23, 'Very high risk'],
      ['RR-10485', 'unknown', null, null],
    ]);
    expect(signals[0]).toEqual({
      externalId: 'RR-10482',
      signalType: 'financial_score',
      service: null,
      region: null,
      level: 'operational',
      lifecycle: 'open',
      title: 'FHR 72 (Low risk)',
      detail: 'RapidRatings FHR 72 (Low risk) for Northwind Freight Ltd',
      startedAt: null,
      updatedAt: '2025-03-31T00:00:00.000Z',
      resolvedAt: null,
      scheduledFor: null,
      scheduledUntil: null,
      score: {
        model: 'RapidRatings FHR',
        value: 72,
        band: 'Low risk',
        inputs: {
          rr_id: 'RR-10482',
          fhr: 72,
          headline: 'FHR 72 (Low risk)',
          scoreDate: '2025-03-31',
          'company.name': 'Northwind Freight Ltd',
        },
      },
      url: null,
      asOf: '2025-03-31',
      // Provenance: the record's place in the delivered array (the host keeps the body).
      rawRef: { pointer: '/0' },
    });
    expect(signals[1]!.title).toBe('RapidRatings FHR: Contoso Components GmbH');
    expect(signals[3]!.detail).toMatch(/level unknown: no value in field "fhr"/);
  });

  it('bands: min inclusive, max exclusive, first match wins, numeric strings accepted', () => {
    const one = (score: unknown, cfg = FHR) => parseWebhookPayload({ rr_id: 'x', fhr: score }, cfg)[0]!.level;
    expect([one(39.9), one(40), one(59), one(59.99), one(60), one(100), one('45'), one(' 61 ')]).toEqual([
      'major_outage',
      'degraded',
      'degraded',
      'degraded',
      'operational',
      'operational',
      'degraded',
      'operational',
    ]);
    expect(one('n/a')).toBe('unknown');
    expect(one('')).toBe('unknown');
    const bitsight = (rating: number) => parseWebhookPayload({ guid: 'g', rating }, BITSIGHT)[0]!;
    expect(bitsight(639)).toMatchObject({
      level: 'degraded',
      signalType: 'security_rating',
      score: { model: 'BitSight Security Rating', value: 639, band: 'Basic' },
    });
    expect(bitsight(640).score?.band).toBe('Intermediate');
    expect(bitsight(900).score?.band).toBe('Advanced');
    // A value outside every band is unknown, never operational.
    const gappy = config({ valueMap: [{ min: 0, max: 50, level: 'degraded' }] });
    expect(parseWebhookPayload({ id: 'a', score: 75 }, gappy)[0]!.level).toBe('unknown');
  });

  it('maps letter grades with equals bands (SecurityScorecard), a single record object, default fields, unix-seconds asOf', () => {
    const ssc = config({
      provider: 'SecurityScorecard',
      signalType: 'security_rating',
      valueMap: [
        { equals: 'A', level: 'operational', band: 'A' },
        { equals: 'B', level: 'operational', band: 'B' },
        { equals: 'C', level: 'info', band: 'C' },
        { equals: 'D', level: 'degraded', band: 'D' },
        { equals: 'F', level: 'major_outage', band: 'F' },
      ],
    });
    const json: unknown = JSON.parse(readFileSync(fixture('securityscorecard-grades-webhook.json'), 'utf8'));
    const [s] = parseWebhookPayload(json, ssc);
    expect(s).toMatchObject({
      externalId: 'ssc-contoso.example',
      signalType: 'security_rating',
      level: 'degraded',
      title: 'SecurityScorecard grade for contoso.example',
      asOf: '2025-04-01',
      updatedAt: '2025-04-01T00:00:00.000Z',
      score: {
        model: 'SecurityScorecard',
        value: null,
        band: 'D',
        inputs: {
          id: 'ssc-contoso.example',
          score: 'D',
          asOf: 1743465600,
          entity: 'Contoso Components GmbH',
          title: 'SecurityScorecard grade for contoso.example',
        },
      },
    });
    expect(parseWebhookPayload({ id: 'y', score: 'f' }, ssc)[0]!.level).toBe('major_outage');
  });

  it('rejects the whole payload when a record has no id, a bad asOf or a repeated id', () => {
    const bad = [{ rr_id: 'ok', fhr: 70 }, { fhr: 30 }, { rr_id: 'ok', fhr: 71 }, { rr_id: 'z', fhr: 50, scoreDate: '31/03/2025' }, 'x'];
    let err: unknown;
    try {
      parseWebhookPayload(bad, FHR);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WebhookPayloadError);
    expect(err).toBeInstanceOf(FeedParseError);
    expect((err as WebhookPayloadError).errors).toEqual([
      { index: 1, message: 'missing id field "rr_id"' },
      { index: 2, message: 'id "ok" repeats record 0' },
      { index: 3, message: 'asOf "31/03/2025" is not an ISO 8601 date (YYYY-MM-DD or a date-time with an offset) or unix time' },
      { index: 4, message: 'record is not an object' },
    ]);
    expect(() => parseWebhookPayload('not records', FHR)).toThrow(WebhookPayloadError);
    expect(() => parseWebhookPayload(null, FHR)).toThrow(WebhookPayloadError);
    expect(parseWebhookPayload([], FHR)).toEqual([]);
  });

  it('is deterministic: the same payload twice gives identical signals', () => {
    const text = readFileSync(fixture('rapidratings-fhr-webhook.json'), 'utf8');
    expect(parseWebhookPayload(JSON.parse(text), FHR)).toEqual(parseWebhookPayload(JSON.parse(text), FHR));
  });
});

describe('webhook-ingest: parseCsvUpload', () => {
  const csv = readFileSync(fixture('bitsight-ratings.csv'), 'utf8');

  it('imports good rows and reports bad rows with spreadsheet row numbers', () => {
    const { signals, errors } = parseCsvUpload(csv, BITSIGHT);
    expect(signals.map((s) => [s.externalId, s.level, s.score?.value, s.score?.band, s.asOf])).toEqual([
      ['0f3c1a52-7b1e-4c1e-9d0a-1a2b3c4d5e6f', 'operational', 780, 'Advanced', '2025-04-01'],
      ['5e2d9b10-33aa-4b7c-8e21-0c9d8e7f6a5b', 'operational', 655, 'Intermediate', '2025-04-01'],
      ['9a8b7c6d-1234-4e5f-8a9b-0c1d2e3f4a5b', 'degraded', 590, 'Basic', '2025-04-01'],
      ['7c6b5a49-8d7e-4f6a-9b8c-7d6e5f4a3b2c', 'unknown', null, null, '2025-04-01'],
      ['6e7f8091-a2b3-4c4d-8e5f-60718293a4b5', 'operational', 702, 'Intermediate', '2025-04-01'],
    ]);
    expect(signals[1]!.title).toBe('BitSight Security Rating: Contoso Components, GmbH');
    expect(signals[3]!.score?.inputs).toEqual({
      guid: '7c6b5a49-8d7e-4f6a-9b8c-7d6e5f4a3b2c',
      rating: 'not rated',
      rating_date: '2025-04-01',
      name: 'Tailspin "Air" Parts',
    });
    expect(errors).toEqual([
      { row: 4, message: 'missing id field "guid"' },
      { row: 8, message: 'asOf "04/01/2025" is not an ISO 8601 date (YYYY-MM-DD or a date-time with an offset) or unix time' },
      { row: 9, message: 'id "0f3c1a52-7b1e-4c1e-9d0a-1a2b3c4d5e6f" repeats row 2' },
      { row: 10, message: expect.stringMatching(/^wrong number of fields/) as unknown as string },
    ]);
  });

  it('reports a missing id column, an unreadable file and an empty file', () => {
    expect(parseCsvUpload('name,rating\nAcme,700\n', BITSIGHT)).toEqual({
      signals: [],
      errors: [{ row: 1, message: 'missing column "guid" (the id field); columns are: name, rating' }],
    });
    const broken = parseCsvUpload('guid,rating\na,700\nb,"7\n', BITSIGHT);
    expect(broken.signals).toEqual([]);
    expect(broken.errors[0]!.message).toMatch(/CSV cannot be read: Quote Not Closed/);
    expect(parseCsvUpload('', BITSIGHT)).toEqual({ signals: [], errors: [{ row: 1, message: 'the file has no data rows' }] });
  });

  it('reads semicolon-separated files with a UTF-8 BOM and default field names', () => {
    const { signals, errors } = parseCsvUpload(
      '\uFEFFid;score;entity;asOf\nRR-1;35;Acme;2025-03-31\nRR-2;65;Globex;2025-03-31\n',
      FHR_DEFAULT_FIELDS,
    );
    expect(errors).toEqual([]);
    expect(signals.map((s) => [s.externalId, s.level])).toEqual([
      ['RR-1', 'major_outage'],
      ['RR-2', 'operational'],
    ]);
  });

  it('is deterministic: the same file twice gives identical results', () => {
    expect(parseCsvUpload(csv, BITSIGHT)).toEqual(parseCsvUpload(csv, BITSIGHT));
  });
});

const FHR_DEFAULT_FIELDS = config({ valueMap: FHR.valueMap });

describe('webhook-ingest: plugin', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer({ '/anything': { body: '[]' } });
  });
  afterAll(async () => server.close());

  it('is push-only: poll returns no signals and makes no request; selfTest explains it', async () => {
    expect(webhookIngestPlugin.push).toBe(true);
    expect(webhookIngestPlugin.kind).toBe('financial');
    const inst = testInstance(webhookIngestPlugin, { signingSecret: SECRET, provider: 'RapidRatings FHR', valueMap: FHR.valueMap });
    expect(await inst.poll()).toEqual({ signals: [] });
    expect(await inst.poll()).toEqual({ signals: [] });
    expect(server.requests).toEqual([]);
    const st = await inst.selfTest();
    expect(st.ok).toBe(true);
    expect(st.message).toMatch(/^Push-only source, never polled/);
    expect(st.message).toMatch(/3 band\(s\)/);
    expect((await testInstance(webhookIngestPlugin, { signingSecret: SECRET, provider: 'X' }).selfTest()).message).toMatch(
      /every value will map to unknown/,
    );
  });

  it('validates the config: secret length, band bounds; marks the secret; has defaults', () => {
    expect(() => webhookIngestConfigSchema.parse({ signingSecret: 'short', provider: 'X' })).toThrow();
    expect(() =>
      webhookIngestConfigSchema.parse({ signingSecret: SECRET, provider: 'X', valueMap: [{ min: 60, max: 40, level: 'degraded' }] }),
    ).toThrow(/min must be below max/);
    expect(() => webhookIngestConfigSchema.parse({ signingSecret: SECRET, provider: 'X', valueMap: [{ level: 'bad' }] })).toThrow();
    const c = webhookIngestConfigSchema.parse({ signingSecret: SECRET, provider: 'X' });
    expect(c).toMatchObject({
      replayWindowSeconds: 300,
      signalType: 'financial_score',
      valueMap: [],
      fields: { externalId: 'id', value: 'score', title: 'title', asOf: 'asOf', entity: 'entity' },
    });
    expect(secretKeys(webhookIngestConfigSchema)).toEqual(['signingSecret']);
    const schema = configJsonSchema(webhookIngestConfigSchema) as { properties: Record<string, { writeOnly?: boolean }> };
    expect(schema.properties['signingSecret']?.writeOnly).toBe(true);
  });
});

describe('webhook-ingest: config form', () => {
  it('renders as JSON Schema with descriptions', () => {
    const schema = configJsonSchema(webhookIngestConfigSchema) as {
      properties: Record<string, { description?: string }>;
      required?: string[];
    };
    expect(Object.keys(schema.properties)).toEqual([
      'signingSecret',
      'replayWindowSeconds',
      'provider',
      'signalType',
      'valueMap',
      'fields',
    ]);
    expect(Object.values(schema.properties).every((p) => !!p.description)).toBe(true);
    expect(schema.required).toEqual(['signingSecret', 'provider']);
  });
});
