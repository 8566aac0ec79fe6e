import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, bootApp, login, PASSWORD, seedOrgs, type TestApp } from '../support/app';

let t: TestApp;
let manager: string;

/** The one error body: `{ error: { status, code, message } }`, status matching the response, no stack trace. */
function expectError(res: Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(res.body.error).toMatchObject({ status, code, message: expect.any(String) });
  expect(res.body.error.message.length).toBeGreaterThan(0);
  const allowed = ['status', 'code', 'message', 'fields', 'errorId', 'details'];
  expect(Object.keys(res.body.error).every((k) => allowed.includes(k))).toBe(true);
  expect(res.text).not.toMatch(/\bat \S+ \(|\n\s+at |node_modules|\.ts:\d+/);
  expect(res.body.error).not.toHaveProperty('stack');
}

const LOW_INTAKE = {
  servedCriticality: 'low',
  dataSensitivity: 'public',
  aiModelProvider: false,
  substitutability: 'easy',
  financialHealth: 'healthy',
};

beforeAll(async () => {
  t = await bootApp({ BODY_LIMIT: '10kb' });
  await seedOrgs(t, false);
  manager = await login(t, 'manager@demo.bulwark.test');
});
afterAll(async () => t?.close());

describe('request errors', () => {
  it('marks every API answer, error or not, as never to be stored by a cache', async () => {
    expect((await t.http.get('/api/vendors').set(auth(manager))).headers['cache-control']).toBe('no-store');
    expect((await t.http.get('/api/vendors')).headers['cache-control']).toBe('no-store');
  });

  it('answers a NUL byte in a text value with a 422 naming the field, never a 500, and stores nothing', async () => {
    const before = (await t.http.get('/api/vendors?pageSize=100').set(auth(manager))).body.total;
    const res = await t.http.post('/api/vendors').set(auth(manager)).send({ name: 'Nul\u0000Vendor', intake: LOW_INTAKE });
    expectError(res, 422, 'body.invalid');
    expect(res.body.error.fields).toEqual([{ path: 'name', message: 'must not contain a NUL character' }]);
    expect((await t.http.get('/api/vendors?pageSize=100').set(auth(manager))).body.total).toBe(before);
    const search = await t.http.get('/api/vendors?search=a%00b').set(auth(manager));
    expectError(search, 422, 'query.invalid');
    expect(search.body.error.fields).toEqual([{ path: 'query.search', message: 'must not contain a NUL character' }]);
    // A route that reads text without a schema (the login's password is checked, not stored) still never answers 500.
    const signIn = await t.http.post('/api/auth/login').send({ email: 'manager@demo.bulwark.test', password: 'a\u0000b' });
    expect(signIn.status).toBeLessThan(500);
  });

  it('answers malformed JSON with 400 request.malformed_json', async () => {
    const res = await t.http.post('/api/vendors').set(auth(manager)).set('Content-Type', 'application/json').send('{"name": "Broken",');
    expectError(res, 400, 'request.malformed_json');
    const login = await t.http.post('/api/auth/login').set('Content-Type', 'application/json').send("{'email': 1}");
    expectError(login, 400, 'request.malformed_json');
    // Strict JSON: a bare value is not a request body.
    const bare = await t.http.post('/api/vendors').set(auth(manager)).set('Content-Type', 'application/json').send('"just a string"');
    expectError(bare, 400, 'request.malformed_json');
  });

  it('answers a body over the limit with 413 request.too_large, for JSON and CSV', async () => {
    const before = (await t.http.get('/api/vendors').query({ pageSize: 1 }).set(auth(manager))).body.total;
    const big = await t.http
      .post('/api/vendors')
      .set(auth(manager))
      .send({ name: 'Huge Co', description: 'x'.repeat(20_000), intake: LOW_INTAKE });
    expectError(big, 413, 'request.too_large');
    const csv = `name,served_criticality,data_sensitivity,substitutability\n${'Row Co,low,public,easy\n'.repeat(1000)}`;
    expect(csv.length).toBeGreaterThan(20_000);
    const bigCsv = await t.http.post('/api/import/vendors').set(auth(manager)).set('Content-Type', 'text/csv').send(csv);
    expectError(bigCsv, 413, 'request.too_large');
    expect((await t.http.get('/api/vendors').query({ pageSize: 1 }).set(auth(manager))).body.total).toBe(before);
    // Just under the limit is fine.
    const ok = await t.http
      .post('/api/vendors')
      .set(auth(manager))
      .send({ name: 'Wordy Co', description: 'x'.repeat(3_000), intake: LOW_INTAKE });
    expect(ok.status).toBe(201);
  });

  it('answers an invalid UUID in the path with 400 request.invalid_identifier', async () => {
    const res = await t.http.get('/api/vendors/not-a-uuid').set(auth(manager));
    expectError(res, 400, 'request.invalid_identifier');
    expect(res.body.error.fields).toEqual([{ path: 'id', message: 'must be a UUID' }]);
    const nested = await t.http.delete('/api/vendors/00000000-0000-4000-8000-000000000000/contacts/42').set(auth(manager));
    expectError(nested, 400, 'request.invalid_identifier');
    expect(nested.body.error.fields[0].path).toBe('contactId');
    const injection = await t.http.get(`/api/systems/${encodeURIComponent("1' OR '1'='1")}`).set(auth(manager));
    expectError(injection, 400, 'request.invalid_identifier');
    // A well-formed id that does not exist is a 404 of that entity.
    const missing = await t.http.get('/api/vendors/00000000-0000-4000-8000-000000000000').set(auth(manager));
    expectError(missing, 404, 'vendor.not_found');
  });

  it('answers an unknown route with 404 route.not_found, signed in or not', async () => {
    const res = await t.http.get('/api/does-not-exist').set(auth(manager));
    expectError(res, 404, 'route.not_found');
    expect(res.body.error.message).toBe('No route GET /api/does-not-exist');
    expectError(await t.http.get('/api/nothing/here'), 404, 'route.not_found');
    expectError(await t.http.put('/api/vendors').set(auth(manager)).send({}), 404, 'route.not_found');
  });

  it('renders authentication, authorization, validation and conflict errors in the same shape', async () => {
    expectError(await t.http.get('/api/vendors'), 401, 'auth.unauthenticated');
    expectError(await t.http.get('/api/vendors').set(auth('garbage')), 401, 'auth.unauthenticated');
    const procurement = await login(t, 'procurement@demo.bulwark.test');
    expectError(await t.http.post('/api/vendors').set(auth(procurement)).send({ name: 'X', intake: LOW_INTAKE }), 403, 'auth.forbidden');
    const invalid = await t.http.post('/api/vendors').set(auth(manager)).send({ name: 42 });
    expectError(invalid, 422, 'body.invalid');
    expect(invalid.body.error.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'name' }), expect.objectContaining({ path: 'intake' })]),
    );
    const array = await t.http.post('/api/vendors').set(auth(manager)).send([1, 2]);
    expectError(array, 422, 'body.invalid');
    expect(array.body.error.fields[0].path).toBe('(body)');
    // No body at all is validated as an empty object.
    const empty = await t.http.post('/api/vendors').set(auth(manager));
    expectError(empty, 422, 'body.invalid');
    expectError(
      await t.http.post('/api/vendors').set(auth(manager)).send({ name: 'Bloomberg', intake: LOW_INTAKE }),
      409,
      'vendor.duplicate_name',
    );
    expectError(await t.http.get('/api/vendors').query({ page: 0 }).set(auth(manager)), 422, 'query.invalid');
  });

  it('refuses a body nested deeper than the budget with 400 request.too_deep before parsing it', async () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    // 4,000 levels is well under the 10 kB limit here: without the budget it parses and reaches the schema.
    const res = await t.http
      .post('/api/vendors')
      .set(auth(manager))
      .set('Content-Type', 'application/json')
      .send(`{"name":${deep(4000)}}`);
    expectError(res, 400, 'request.too_deep');
    // Brackets inside strings are text, not nesting.
    const inText = await t.http
      .post('/api/vendors')
      .set(auth(manager))
      .send({ name: '['.repeat(300), intake: LOW_INTAKE });
    expectError(inText, 422, 'body.invalid');
    expect(inText.body.error.fields).toEqual([expect.objectContaining({ path: 'name' })]);
    // Ordinary nesting still parses.
    expect((await t.http.post('/api/vendors').set(auth(manager)).send({ name: 'Nested Ltd', intake: LOW_INTAKE })).status).toBe(201);
  });

  it('answers TRACE and other unknown methods with 405 and an Allow header, never an echo', async () => {
    for (const path of ['/api/vendors', '/api/health', '/']) {
      const res = await t.http.trace(path).set(auth(manager));
      expect(res.status, path).toBe(405);
      expect(res.headers['allow']).toContain('GET');
      expect(res.text).not.toContain('Bearer');
    }
  });

  it('refuses a cookie-authenticated write from another site with 403, and accepts it from the portal itself', async () => {
    const signIn = await t.http.post('/api/auth/login').send({ email: 'manager@demo.bulwark.test', password: PASSWORD });
    const cookie = ([] as string[])
      .concat(signIn.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    expect(cookie).toContain('bulwark_session=');
    const body = (name: string) => ({ name, intake: LOW_INTAKE });
    const before = (await t.http.get('/api/vendors?pageSize=100').set(auth(manager))).body.total;
    const forged = await t.http.post('/api/vendors').set('Cookie', cookie).set('Origin', 'https://evil.example').send(body('Forged Inc'));
    expectError(forged, 403, 'request.foreign_origin');
    const refererOnly = await t.http
      .post('/api/vendors')
      .set('Cookie', cookie)
      .set('Referer', 'https://evil.example/page')
      .send(body('Forged 2'));
    expectError(refererOnly, 403, 'request.foreign_origin');
    const fetchMeta = await t.http.post('/api/vendors').set('Cookie', cookie).set('Sec-Fetch-Site', 'cross-site').send(body('Forged 3'));
    expectError(fetchMeta, 403, 'request.foreign_origin');
    // Sign-in from another site is refused too (login CSRF).
    expectError(
      await t.http
        .post('/api/auth/login')
        .set('Origin', 'https://evil.example')
        .send({ email: 'manager@demo.bulwark.test', password: PASSWORD }),
      403,
      'request.foreign_origin',
    );
    expect((await t.http.get('/api/vendors?pageSize=100').set(auth(manager))).body.total).toBe(before);
    // The portal's own origin (the host it was addressed as), reads from anywhere, and bearer tokens pass.
    const sameOrigin = await t.http
      .post('/api/vendors')
      .set('Cookie', cookie)
      .set('Host', 'bulwark.example:8443')
      .set('Origin', 'http://bulwark.example:8443')
      .send(body('Same Origin Ltd'));
    expect(sameOrigin.status).toBe(201);
    const publicUrl = await t.http
      .post('/api/vendors')
      .set('Cookie', cookie)
      .set('Origin', new URL(t.config.http.publicUrl).origin)
      .send(body('Public Ltd'));
    expect(publicUrl.status).toBe(201);
    expect((await t.http.get('/api/vendors').set('Cookie', cookie).set('Origin', 'https://evil.example')).status).toBe(200);
    expect(
      (await t.http.post('/api/vendors').set(auth(manager)).set('Origin', 'https://evil.example').send(body('Bearer Ltd'))).status,
    ).toBe(201);
  });

  it('tags every response with a request id, echoing a sane client one', async () => {
    const mine = await t.http.get('/api/does-not-exist').set('X-Request-Id', 'client-req-12345');
    expect(mine.headers['x-request-id']).toBe('client-req-12345');
    const hostile = await t.http.get('/api/health').set('X-Request-Id', 'bad id\twith <script>');
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(hostile.headers['x-powered-by']).toBeUndefined();
    expect(hostile.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('health and OpenAPI', () => {
  it('reports status ok with the database and the queue', async () => {
    const res = await t.http.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: { ok: true }, queue: { ok: true, driver: 'inprocess' } });
    expect(typeof res.body.database.latencyMs).toBe('number');
  });

  it('serves an OpenAPI 3 document listing the API', async () => {
    const res = await t.http.get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/json/);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.info.title).toBe('Bulwark API');
    const paths = Object.keys(res.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/vendors',
        '/api/vendors/{id}',
        '/api/import/vendors',
        '/api/audit-log',
        '/api/health',
        '/api/analysis/single-points-of-failure',
      ]),
    );
    expect(Object.keys(res.body.paths['/api/vendors'])).toEqual(expect.arrayContaining(['get', 'post']));
    // Request bodies come from the zod schemas.
    const body = res.body.paths['/api/vendors'].post.requestBody.content['application/json'].schema;
    expect(body.properties).toHaveProperty('intake');
    expect(body.required).toEqual(expect.arrayContaining(['name', 'intake']));
  });
});
