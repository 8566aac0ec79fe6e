import { writeFileSync } from 'node:fs';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

/**
 * Fuzzing driven by the OpenAPI document: every operation it lists gets malformed, oversized and wrong-type
 * input (path, query and body), including NUL characters, lone surrogates, huge numbers, deep nesting and
 * non-JSON bodies, and must answer with a 4xx in the one error shape (or a 2xx where the input happens to be
 * acceptable), never a 5xx. The mutations are fixed (no randomness), so a failure reproduces exactly.
 */

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  format?: string;
  minLength?: number;
  minimum?: number;
  minItems?: number;
  default?: unknown;
};
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface Op {
  method: string;
  route: string;
  op: Operation;
}

const BODY_LIMIT_BYTES = 64 * 1024;
const NOWHERE = '00000000-0000-4000-8000-000000000000';

let t: TestApp;
let admin: string;
let contact: string;
let ops: Op[];
const ids: Record<string, string> = {};
const failures: string[] = [];
let requests = 0;
const statuses = new Map<number, number>();

/** A real id for each collection, so that valid-looking input reaches the services, not just a 404. */
async function collectIds(): Promise<void> {
  const first = async (path: string, key: string) => {
    const res = await t.http.get(path).set(auth(admin));
    const items = (Array.isArray(res.body) ? res.body : (res.body?.items ?? [])) as { id: string }[];
    if (items[0]) ids[key] = items[0].id;
  };
  await Promise.all([
    first('/api/vendors', 'vendors'),
    first('/api/services', 'services'),
    first('/api/systems', 'systems'),
    first('/api/dependencies', 'dependencies'),
    first('/api/contracts', 'contracts'),
    first('/api/slas', 'slas'),
    first('/api/breaches', 'breaches'),
    first('/api/negotiations', 'negotiations'),
    first('/api/signals', 'signals'),
    first('/api/signal-sources', 'signal-sources'),
    first('/api/invitations', 'invitations'),
    first('/api/notifications', 'notifications'),
    first('/api/questionnaire-templates', 'questionnaire-templates'),
    first('/api/questionnaire-requests', 'questionnaire-requests'),
  ]);
  // Users: one that is neither the fuzzing admin nor the contact, so a valid PATCH cannot end their sessions.
  const users = (await t.http.get('/api/users?pageSize=100').set(auth(admin))).body.items as { id: string; email: string }[];
  ids['users'] = users.find((u) => u.email === 'auditor@demo.bulwark.test')!.id;
  const vendor = (await t.http.get(`/api/vendors/${ids['vendors']}`).set(auth(admin))).body as { contacts?: { id: string }[] };
  if (vendor.contacts?.[0]) ids['contactId'] = vendor.contacts[0].id;
}

/** The id a path parameter or a body field most plausibly names. */
function idFor(name: string, route = ''): string {
  const byName: Record<string, string> = {
    vendorId: 'vendors',
    serviceId: 'services',
    serviceIds: 'services',
    systemId: 'systems',
    contractId: 'contracts',
    slaId: 'slas',
    sourceId: 'signal-sources',
    dependencyId: 'dependencies',
    userId: 'users',
    parentServiceId: 'services',
    childServiceId: 'services',
  };
  if (name === 'contactId') return ids['contactId'] ?? NOWHERE;
  // A questionnaire template's version number.
  if (name === 'v') return '1';
  // A question of the built-in questionnaire template (requests are sent from it).
  if (name === 'questionKey') return 'scope.services';
  if (name === 'id') {
    const collection = route.split('/')[2] ?? '';
    return ids[collection] ?? NOWHERE;
  }
  return ids[byName[name] ?? ''] ?? NOWHERE;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A plausible valid value for a schema (first enum value, minimum, a real id, today's date …). */
function sample(s: Schema | undefined, name = '', depth = 0): unknown {
  if (!s || depth > 6) return null;
  if (s.default !== undefined && s.default !== null) return s.default;
  if (s.enum?.length) return s.enum[0];
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return sample(alt.find((a) => a.type !== 'null') ?? alt[0], name, depth + 1);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = sample(v, k, depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(s.minItems ?? 0, 1) }, () => sample(s.items, name, depth + 1));
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    case 'string':
      if (s.format === 'uuid') return idFor(name);
      if (s.format === 'date') return today();
      if (s.format === 'date-time') return new Date().toISOString();
      if (s.format === 'email') return `fuzz-${name.toLowerCase()}@fuzz.example`;
      if (s.format === 'uri' || s.format === 'url') return 'https://status.example.com/api/v2/summary.json';
      return 'fuzz value'.padEnd(Math.max(s.minLength ?? 0, 1), 'x');
    default:
      return null;
  }
}

/** Values of the wrong type, out of range, oversized, or hostile text. */
const HOSTILE_VALUES: { label: string; value: unknown }[] = [
  { label: 'null', value: null },
  { label: 'number', value: 12345 },
  { label: 'negative', value: -1 },
  { label: 'huge number', value: 1e308 },
  { label: 'beyond int64', value: 2 ** 64 },
  { label: 'tiny number', value: 5e-324 },
  { label: 'boolean', value: true },
  { label: 'array', value: ['a', 1, null] },
  { label: 'object', value: { nested: { deeper: 'x' } } },
  { label: 'NUL', value: 'a\u0000b' },
  { label: 'lone surrogate', value: 'x\ud800y' },
  { label: 'long text', value: 'x'.repeat(20_000) },
  { label: 'empty text', value: '' },
  { label: 'date far out', value: '275760-09-13' },
  { label: 'impossible date', value: '2026-02-30' },
  { label: 'numeric text', value: '1e309' },
];

/** Raw bodies, sent as they are (not valid JSON, not an object, nested past any budget). */
const RAW_BODIES: { label: string; type: string; body: string }[] = [
  { label: 'deep nesting', type: 'application/json', body: '['.repeat(5000) + ']'.repeat(5000) },
  { label: 'deep object nesting', type: 'application/json', body: '{"a":'.repeat(3000) + '1' + '}'.repeat(3000) },
  { label: 'truncated JSON', type: 'application/json', body: '{"name": "x",' },
  { label: 'JSON null', type: 'application/json', body: 'null' },
  { label: 'JSON array', type: 'application/json', body: '[1,2,3]' },
  { label: 'JSON string', type: 'application/json', body: '"text"' },
  { label: 'number beyond double', type: 'application/json', body: '{"x": 1e400}' },
  { label: 'prototype keys', type: 'application/json', body: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}' },
  { label: 'over the body limit', type: 'application/json', body: JSON.stringify({ name: 'x'.repeat(BODY_LIMIT_BYTES + 10) }) },
  { label: 'UTF-16 charset', type: 'application/json; charset=utf-16', body: '{"name":"x"}' },
  { label: 'unknown charset', type: 'application/json; charset=klingon', body: '{"name":"x"}' },
  { label: 'form body', type: 'application/x-www-form-urlencoded', body: 'name=x&intake=y' },
  { label: 'plain text', type: 'text/plain', body: 'hello' },
  { label: 'CSV', type: 'text/csv', body: 'name,tier\n\u0000,"unterminated' },
  { label: 'binary', type: 'application/octet-stream', body: '\u0000\u0001\u0002\u00ff' },
];

/** Query values that are wrong for any parameter. */
const HOSTILE_QUERY = [
  'a%00b',
  '%ED%A0%80',
  '%FF%FE',
  '-1',
  '0',
  '1e309',
  '99999999999999999999999',
  'NaN',
  'x'.repeat(5000),
  '2026-13-45',
  '[]',
  '%27%20OR%201%3D1--',
];
/** Path segments in place of an id. */
const HOSTILE_PATH = [
  'not-a-uuid',
  '%00',
  '%ED%A0%80',
  'x'.repeat(2000),
  '..%2F..%2Fetc',
  NOWHERE.toUpperCase(),
  '00000000-0000-0000-0000-00000000000g',
];

function pathWith(route: string, override?: { name: string; value: string }): string {
  return route.replace(/\{(\w+)\}/g, (_, name: string) => (override?.name === name ? override.value : idFor(name, route)));
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(target);
  let node = copy;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
  return copy;
}

/** Field paths of a body schema, down to two levels (`terms.availabilityTarget`). */
function fieldPaths(s: Schema | undefined, prefix: string[] = [], depth = 0): string[][] {
  const alt = s?.anyOf ?? s?.oneOf;
  const obj = alt ? alt.find((a) => a.type === 'object') : s;
  if (!obj?.properties || depth > 1) return [];
  return Object.entries(obj.properties).flatMap(([k, v]) => [[...prefix, k], ...fieldPaths(v, [...prefix, k], depth + 1)]);
}

type Send = (token: string | null) => Promise<Response>;

/** Sends as the admin; an operation only vendor contacts may use is retried as the contact. */
async function check(label: string, send: Send): Promise<void> {
  requests++;
  let res: Response;
  try {
    res = await send(admin);
    if (res.status === 403 && res.body?.error?.code === 'auth.forbidden') res = await send(contact);
  } catch (err) {
    failures.push(`${label}: no answer (${(err as Error).message})`);
    return;
  }
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  if (res.status >= 500) {
    failures.push(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return;
  }
  if (res.status >= 400) {
    const error = res.body?.error as { status?: number; code?: string; message?: string } | undefined;
    if (!error || error.status !== res.status || typeof error.code !== 'string' || !error.message)
      failures.push(`${label}: ${res.status} without the error shape: ${res.text.slice(0, 200)}`);
  }
}

function request(method: string, path: string, token: string | null) {
  const req = (t.http as unknown as Record<string, (p: string) => ReturnType<TestApp['http']['get']>>)[method]!(path);
  return token ? req.set(auth(token)) : req;
}

/** Runs the checks a few at a time: enough to be quick, not so many that a 2-core machine times out. */
async function runAll(checks: (() => Promise<void>)[], parallel = 4): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < checks.length) await checks[next++]!();
    }),
  );
}

/** State-ending operations run last, so they do not take the ids the other operations use. */
const LAST = (o: Op) => (o.method === 'delete' ? 2 : /logout|revoke|cancel|sign-off|resolve/.test(o.route) ? 1 : 0);
/** Signing out would end the fuzzing session itself: sent with a session of its own instead. */
const OWN_SESSION = new Set(['post /api/auth/logout']);

beforeAll(async () => {
  t = await bootApp({ BODY_LIMIT: `${BODY_LIMIT_BYTES / 1024}kb`, LOGIN_MAX_FAILURES: '100', LOGIN_MAX_FAILURES_PER_ADDRESS: '10000' });
  await seedOrgs(t, false);
  admin = await login(t, 'admin@demo.bulwark.test');
  contact = await login(t, 'contact@openai.demo.bulwark.test');
  await collectIds();
  const doc = (await t.http.get('/api/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
  ops = Object.entries(doc.paths)
    .flatMap(([route, methods]) => Object.entries(methods).map(([method, op]) => ({ method, route: route, op })))
    .sort((a, b) => LAST(a) - LAST(b));
}, 60_000);
afterAll(async () => t?.close());

describe('fuzzing every operation of the OpenAPI document', () => {
  it('answers hostile path, query and body input with a 4xx, never a 5xx', async () => {
    expect(ops.length).toBeGreaterThan(80);
    for (const group of [0, 1, 2]) {
      const checks: (() => Promise<void>)[] = [];
      for (const { method, route, op } of ops.filter((o) => LAST(o) === group)) {
        const name = `${method.toUpperCase()} ${route}`;
        const fresh = OWN_SESSION.has(`${method} ${route}`);
        const as = async (token: string | null) => (fresh && token ? login(t, 'procurement@demo.bulwark.test') : token);
        const params = op.parameters ?? [];
        // Path: each id replaced by junk.
        for (const p of params.filter((x) => x.in === 'path'))
          for (const value of HOSTILE_PATH)
            checks.push(() =>
              check(`${name} path ${p.name}=${value.slice(0, 30)}`, async (tk) =>
                request(method, pathWith(route, { name: p.name, value }), await as(tk)),
              ),
            );
        // Query: each parameter given junk, and given twice (an array).
        const path = pathWith(route);
        for (const p of params.filter((x) => x.in === 'query')) {
          for (const value of HOSTILE_QUERY)
            checks.push(() =>
              check(`${name} query ${p.name}=${value.slice(0, 30)}`, async (tk) =>
                request(method, `${path}?${p.name}=${value}`, await as(tk)),
              ),
            );
          checks.push(() =>
            check(`${name} query ${p.name} twice`, async (tk) => request(method, `${path}?${p.name}=1&${p.name}=2`, await as(tk))),
          );
        }
        checks.push(() =>
          check(`${name} unknown query`, async (tk) => request(method, `${path}?__proto__[x]=1&constructor=1`, await as(tk))),
        );
        if (method === 'get' || method === 'delete') continue;
        // Body: raw hostile bodies, then each field of a plausible body replaced by each hostile value.
        for (const raw of RAW_BODIES)
          checks.push(() =>
            check(`${name} body ${raw.label}`, async (tk) =>
              request(method, path, await as(tk))
                .set('Content-Type', raw.type)
                .send(raw.body),
            ),
          );
        const schema = op.requestBody?.content?.['application/json']?.schema;
        if (!schema) continue;
        const base = sample(schema) as Record<string, unknown>;
        checks.push(() => check(`${name} body plausible`, async (tk) => request(method, path, await as(tk)).send(base)));
        // Top-level fields get every hostile value; nested ones the type confusions and hostile text.
        const NESTED = new Set(['null', 'huge number', 'array', 'object', 'NUL', 'long text']);
        for (const field of fieldPaths(schema))
          for (const { label, value } of HOSTILE_VALUES.filter((v) => field.length === 1 || NESTED.has(v.label)))
            checks.push(() =>
              check(`${name} body ${field.join('.')}=${label}`, async (tk) =>
                request(method, path, await as(tk)).send(setAt(base, field, value)),
              ),
            );
      }
      await runAll(checks);
    }
    console.info(`fuzzed ${ops.length} operations with ${requests} requests; answers by status:`, Object.fromEntries(statuses));
    expect(requests).toBeGreaterThan(2000);
    // Some plausible inputs got through to the services (not everything stopped at validation).
    expect([...statuses].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0)).toBeGreaterThan(50);
    if (failures.length && process.env['FUZZ_REPORT']) writeFileSync(process.env['FUZZ_REPORT'], failures.join('\n'));
    expect(failures, failures.slice(0, 40).join('\n')).toEqual([]);
    // Thousands of requests, more with every route: about a minute on a quiet machine, several under load.
  }, 480_000);

  it('still serves a valid request afterwards', async () => {
    const res = await t.http.get('/api/vendors').set(auth(admin));
    expect(res.status).toBe(200);
  });
});
