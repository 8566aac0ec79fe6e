import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bootApp, type TestApp } from '../support/app';
import { compileResponseSchema, OpenApiChecker, type OpenApiDocument, type OpenApiOperation as Operation } from '../support/openapi-check';

type Paths = OpenApiDocument['paths'];

let t: TestApp;
let doc: OpenApiDocument;
let paths: Paths;

beforeAll(async () => {
  t = await bootApp();
  doc = (await t.http.get('/api/openapi.json')).body as OpenApiDocument;
  paths = doc.paths;
});
afterAll(async () => t?.close());

function operations(): { route: string; method: string; op: Operation }[] {
  return Object.entries(paths).flatMap(([route, methods]) => Object.entries(methods).map(([method, op]) => ({ route, method, op })));
}

describe('the OpenAPI document', () => {
  it('declares every path identifier as a UUID', () => {
    const ids = operations().flatMap(({ route, method, op }) =>
      (op.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => ({ at: `${method.toUpperCase()} ${route} {${p.name}}`, schema: p.schema })),
    );
    // Tokens (invitation links), ingest keys and thread target types (`breach`, `negotiation`) are path parameters that are not ids.
    // `v` is a questionnaire template's version number, `questionKey` a question's stable key.
    const notIds = new Set(['token', 'key', 'targetType', 'v', 'questionKey']);
    const uuidParams = ids.filter((p) => !notIds.has(p.at.replace(/.*\{(.*)\}$/, '$1')));
    expect(uuidParams.length).toBeGreaterThan(20);
    expect(uuidParams.filter((p) => p.schema?.['format'] !== 'uuid').map((p) => p.at)).toEqual([]);
  });

  it('lists the values every sort parameter accepts', () => {
    const sorts = operations().flatMap(({ route, op }) =>
      (op.parameters ?? []).filter((p) => p.name === 'sort').map((p) => ({ route, schema: p.schema })),
    );
    expect(sorts.length).toBeGreaterThan(3);
    for (const s of sorts) {
      expect(s.schema?.['enum'], s.route).toEqual(expect.arrayContaining([expect.any(String)]));
      const values = s.schema!['enum'] as string[];
      // Both directions of every key.
      for (const v of values.filter((x) => !x.startsWith('-'))) expect(values, s.route).toContain(`-${v}`);
    }
  });

  it('is OpenAPI 3.1, whose schemas are JSON Schema 2020-12 (what zod writes)', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
  });

  it('every operation declares its success response (a JSON schema for JSON answers)', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(80);
    const problems: string[] = [];
    for (const { route, method, op } of ops) {
      const at = `${method.toUpperCase()} ${route}`;
      const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      if (!success.length) problems.push(`${at}: no 2xx response declared`);
      for (const [status, response] of success) {
        const content = response.content ?? {};
        if (status === '204') {
          if (Object.keys(content).length) problems.push(`${at} ${status}: a 204 declares a body`);
          continue;
        }
        if (!Object.keys(content).length) problems.push(`${at} ${status}: neither a JSON schema nor a content type`);
        const json = content['application/json'];
        if (!json) continue;
        if (!json.schema || !Object.keys(json.schema).length) {
          problems.push(`${at} ${status}: a JSON answer without a schema`);
          continue;
        }
        try {
          // Strict mode: no unknown keyword, format or ambiguous construct (what any other validator would misread).
          compileResponseSchema(json.schema);
        } catch (err) {
          problems.push(`${at} ${status}: the schema does not compile: ${(err as Error).message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('declares file downloads and exports by their content type', () => {
    const produces = (route: string) => Object.keys(paths[route]?.['get']?.responses?.['200']?.content ?? {});
    expect(produces('/api/audit-log/export')).toEqual(['text/csv']);
    expect(produces('/api/signals/{id}/raw')).toEqual(['*/*']);
    expect(produces('/api/contracts/{id}/documents/{documentId}')).toEqual(['*/*']);
  });

  it('the tests check answers against it: an undeclared field, a wrong type or an undeclared status fails, naming the route', () => {
    const checker = new OpenApiChecker(doc);
    const me = {
      id: randomUUID(),
      email: 'a@b.test',
      name: 'A',
      role: 'admin',
      organizationId: randomUUID(),
      organizationName: 'Org',
      vendorId: null,
      vendorName: null,
    };
    const answer = (body: unknown, status = 200) => ({ status, type: 'application/json', body }) as Response;
    expect(() => checker.check('get', '/api/auth/me', answer(me))).not.toThrow();
    expect(() => checker.check('get', '/api/auth/me', answer({ ...me, passwordHash: 'x' }))).toThrow(
      /GET \/api\/auth\/me → 200: the answer does not match the declared schema:\n.*must NOT have additional properties.*passwordHash/,
    );
    expect(() => checker.check('get', '/api/auth/me', answer({ ...me, role: 'root' }))).toThrow(
      /\/role must be equal to one of the allowed values/,
    );
    expect(() => checker.check('get', '/api/auth/me', answer(me, 201))).toThrow(/status 201 is not declared/);
    expect(() => checker.check('get', `/api/users/${me.id}?x=1`, answer(me))).toThrow(
      /GET \/api\/users\/\{id\} \(\/api\/users\/[0-9a-f-]+\) → 200: the answer does not match/,
    );
    expect(() => checker.check('get', '/api/audit-log/export', { status: 200, type: 'application/json', body: {} } as Response)).toThrow(
      /answered application\/json, declared: text\/csv/,
    );
  });
});
