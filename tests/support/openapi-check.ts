import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import addFormats from 'ajv-formats';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import standaloneCode from 'ajv/dist/standalone';
import request, { type Response } from 'supertest';

/**
 * Every API answer the tests receive is checked against what the app's own OpenAPI document declares for
 * its operation and status: a 2xx status the operation does not declare, a content type it does not
 * declare, or a JSON body that does not match the declared schema fails the request (and so the test),
 * naming the route and the mismatch. Error answers (4xx/5xx) are not checked here.
 */

interface MediaType {
  schema?: Record<string, unknown>;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
export interface OpenApiOperation {
  parameters?: { name: string; in: string; schema?: Record<string, unknown> }[];
  responses?: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type Method = (typeof METHODS)[number];

/** The validator the OpenAPI 3.1 dialect calls for: JSON Schema 2020-12, with format checks (date-time, uuid…). */
function schemaValidator(opts: { source?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, code: { source: opts.source ?? false } });
  addFormats(ajv);
  return ajv;
}

let ajv: Ajv2020 | undefined;
/** Compiled once per schema text per test file (the same document is served by every app a file boots). */
const compiled = new Map<string, ValidateFunction>();
/**
 * Compiling a response schema takes tens of milliseconds and every test file runs in a process of its own,
 * so the generated code is kept on disk under the schema's hash and loaded by the next file (and run).
 */
const CACHE_DIR = join(__dirname, '..', '..', 'node_modules', '.cache', 'bulwark-openapi-check');
const requireFromCache = createRequire(join(CACHE_DIR, 'index.js'));
const AJV_VERSION = (createRequire(__filename)('ajv/package.json') as { version: string }).version;

/** A validator of the schema, compiled in strict mode (or loaded from the cache of earlier compilations). */
export function compileResponseSchema(schema: Record<string, unknown>): ValidateFunction {
  const text = JSON.stringify(schema);
  let v = compiled.get(text);
  if (v) return v;
  const file = join(
    CACHE_DIR,
    `${createHash('sha256').update(`ajv ${AJV_VERSION} allErrors strict\n${text}`).digest('hex').slice(0, 40)}.cjs`,
  );
  if (existsSync(file)) {
    v = requireFromCache(file) as ValidateFunction;
  } else {
    ajv ??= schemaValidator({ source: true });
    v = ajv.compile(schema);
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside then renamed: a file running at the same time reads a whole module or none.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, standaloneCode(ajv, v));
    renameSync(tmp, file);
  }
  compiled.set(text, v);
  return v;
}

interface Route {
  path: string;
  pattern: RegExp;
  params: number;
  ops: Record<string, OpenApiOperation>;
}

export class OpenApiChecker {
  private readonly routes: Route[];

  constructor(readonly document: OpenApiDocument) {
    this.routes = Object.entries(document.paths).map(([path, ops]) => ({
      path,
      pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
      params: (path.match(/\{/g) ?? []).length,
      ops,
    }));
  }

  /** The documented route a request path belongs to: the most specific match (`/signals/degraded` before `/signals/{id}`). */
  route(path: string): Route | undefined {
    return this.routes.filter((r) => r.pattern.test(path)).sort((a, b) => a.params - b.params)[0];
  }

  /** Throws, naming the route and the mismatch, when a 2xx answer is not what the document declares. */
  check(method: string, url: string, res: Response): void {
    if (res.status < 200 || res.status > 299) return;
    const path = new URL(url, 'http://x').pathname;
    if (!path.startsWith('/api/') || /^\/api\/(docs|openapi\.)/.test(path)) return;
    const route = this.route(path);
    const op = route?.ops[method];
    const at = `${method.toUpperCase()} ${route?.path ?? path}${route && route.path !== path ? ` (${path})` : ''} → ${res.status}`;
    if (!route || !op) throw new Error(`${at}: the operation is not in the OpenAPI document`);
    const declared = op.responses?.[String(res.status)];
    if (!declared) throw new Error(`${at}: status ${res.status} is not declared (declared: ${Object.keys(op.responses ?? {}).join(', ')})`);
    const content = declared.content ?? {};
    if (res.status === 204 || res.status === 205) return;
    const type = (res.type || '').toLowerCase();
    const media = mediaFor(content, type);
    if (!media)
      throw new Error(`${at}: answered ${type || 'without a content type'}, declared: ${Object.keys(content).join(', ') || 'no body'}`);
    // A file served with its own content type (declared as any type) may be JSON without a schema.
    if (media !== content['application/json']) return;
    if (!media.schema) throw new Error(`${at}: a JSON answer with no declared schema`);
    const validate = compileResponseSchema(media.schema);
    if (!validate(res.body))
      throw new Error(`${at}: the answer does not match the declared schema:\n${describe(validate.errors ?? [], res.body)}`);
  }
}

function mediaFor(content: Record<string, MediaType>, type: string): MediaType | undefined {
  return content[type] ?? content[`${type.split('/')[0]}/*`] ?? content['*/*'];
}

function describe(errors: ErrorObject[], body: unknown): string {
  return errors
    .slice(0, 8)
    .map((e) => {
      const value = pointer(body, e.instancePath);
      const shown = JSON.stringify(value)?.slice(0, 200);
      return `  ${e.instancePath || '(body)'} ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''} (value: ${shown})`;
    })
    .join('\n');
}

function pointer(value: unknown, path: string): unknown {
  return path
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
}

/** The app's own OpenAPI document, as it serves it. */
export async function openApiDocument(app: INestApplication): Promise<OpenApiDocument> {
  const res = await request(app.getHttpServer()).get('/api/openapi.json');
  if (res.status !== 200) throw new Error(`GET /api/openapi.json answered ${res.status}`);
  return res.body as OpenApiDocument;
}

/**
 * A supertest client of the app whose every request checks its 2xx answer against the app's OpenAPI
 * document (see `OpenApiChecker.check`). Used as `t.http` by `bootApp`.
 */
export async function checkedRequest(app: INestApplication): Promise<ReturnType<typeof request>> {
  const checker = new OpenApiChecker(await openApiDocument(app));
  const client = request(app.getHttpServer());
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || !(METHODS as readonly string[]).includes(prop) || typeof value !== 'function') return value;
      return (url: string, ...rest: unknown[]) => {
        const test = (value as (url: string, ...rest: unknown[]) => request.Test).call(target, url, ...rest);
        return test.expect((res: Response) => checker.check(prop as Method, url, res));
      };
    },
  });
}
