import type { ErrorBody } from '@bulwark/api-schema';

export interface FieldError {
  path: string;
  message: string;
}

/** Every failed API call throws this: status, stable code, message and per-field messages. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  readonly errorId: string | undefined;
  /** The parsed response body, for endpoints whose error body carries more (e.g. CSV import). */
  readonly payload: unknown;

  constructor(status: number, code: string, message: string, fields: FieldError[] = [], errorId?: string, payload?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.errorId = errorId;
    this.payload = payload;
  }

  get isNotFoundLike(): boolean {
    // 400/422 on a detail GET usually means a malformed identifier: treat like "not found".
    return [400, 403, 404, 410, 422].includes(this.status);
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Record<string, QueryValue>;

/** Builds a query string, leaving out empty values (the API's query schemas are strict). */
export function toQueryString(params: QueryParams | undefined): string {
  if (!params) return '';
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  query?: QueryParams;
  /** JSON body (serialised) unless `rawBody` is given. */
  body?: unknown;
  /** Sent as is with `contentType` (text, or a `File` / `Blob` for uploads). */
  rawBody?: string | Blob;
  contentType?: string;
  signal?: AbortSignal;
}

function isErrorBody(v: unknown): v is ErrorBody {
  return (
    typeof v === 'object' &&
    v !== null &&
    'error' in v &&
    typeof (v as { error: unknown }).error === 'object' &&
    (v as { error: unknown }).error !== null
  );
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

const FALLBACK_MESSAGES: Record<number, string> = {
  401: 'Please sign in.',
  403: 'You are not allowed to do this.',
  404: 'Not found.',
  409: 'Someone else changed this record.',
  413: 'The file is too large.',
  429: 'Too many attempts, try again later.',
};

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.rawBody !== undefined) {
    body = opts.rawBody;
    headers['Content-Type'] = opts.contentType ?? 'text/plain';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(`/api${path}${toQueryString(opts.query)}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
  const payload = await readBody(res);
  if (!res.ok) {
    if (isErrorBody(payload)) {
      const err = payload.error;
      throw new ApiError(res.status, err.code, err.message, err.fields ?? [], err.errorId, payload);
    }
    throw new ApiError(
      res.status,
      `http.${res.status}`,
      FALLBACK_MESSAGES[res.status] ?? `Request failed (HTTP ${res.status}).`,
      [],
      undefined,
      payload,
    );
  }
  return payload as T;
}

export const api = {
  get: <T>(path: string, query?: QueryParams, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, query?: QueryParams) => request<T>('POST', path, { body, query }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};

/** Maps API field errors (and client-side zod issues) to `{ path: message }`. */
export function fieldErrorMap(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isApiError(error)) {
    for (const f of error.fields) if (!(f.path in out)) out[f.path] = f.message;
  }
  return out;
}

/** Human message for any error thrown by a query or mutation. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) {
    if (error.status === 429) return 'Too many attempts, try again later.';
    return error.errorId ? `${error.message} (error id ${error.errorId})` : error.message;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
