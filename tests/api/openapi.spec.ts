import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bootApp, type TestApp } from '../support/app';

interface Operation {
  parameters?: { name: string; in: string; schema?: Record<string, unknown> }[];
}
type Paths = Record<string, Record<string, Operation>>;

let t: TestApp;
let paths: Paths;

beforeAll(async () => {
  t = await bootApp();
  paths = (await t.http.get('/api/openapi.json')).body.paths as Paths;
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
    // Tokens (invitation links) and ingest keys are path parameters that are not ids.
    const notIds = new Set(['token', 'key']);
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
});
