import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';

import { DomainException, type FieldError } from './domain.exception.js';

interface Rendered {
  status: number;
  code: string;
  message: string;
  fields?: FieldError[];
  errorId?: string;
  headers?: Record<string, string>;
  details?: unknown;
}

const HTTP_CODES: Record<number, string> = {
  400: 'request.bad_request',
  401: 'auth.unauthenticated',
  403: 'auth.forbidden',
  404: 'route.not_found',
  405: 'request.method_not_allowed',
  409: 'request.conflict',
  413: 'request.too_large',
  415: 'request.unsupported_media_type',
  422: 'request.invalid',
  429: 'request.rate_limited',
};

/** Body-parser and similar low-level errors carry a `type` and a `status`. */
function lowLevel(err: unknown): Rendered | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { type?: string; status?: number; statusCode?: number; message?: string };
  switch (e.type) {
    case 'entity.parse.failed':
      return { status: 400, code: 'request.malformed_json', message: 'The request body is not valid JSON' };
    case 'entity.too.large':
      return { status: 413, code: 'request.too_large', message: 'The request body is too large' };
    case 'entity.too.deep':
      return { status: 400, code: 'request.too_deep', message: e.message ?? 'The request body nests too deeply' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, code: 'request.unsupported_encoding', message: 'Unsupported body encoding' };
    default:
      return null;
  }
}

/** Postgres errors that are the client's fault (bad uuid text, FK to a missing row…). */
function postgres(err: unknown): Rendered | null {
  const e = err as { code?: string; driverError?: { code?: string } } | null;
  const code = e?.driverError?.code ?? e?.code;
  if (code === '22P02') return { status: 400, code: 'request.invalid_identifier', message: 'An identifier in the request is malformed' };
  if (code === '23505') return { status: 409, code: 'request.duplicate', message: 'A record with the same unique value already exists' };
  if (code === '23503') return { status: 422, code: 'request.reference_missing', message: 'A referenced record does not exist' };
  // A NUL byte or an invalid sequence in a text value: the request's fault, never a 500.
  if (code === '22021' || code === '22P05')
    return {
      status: 400,
      code: 'request.invalid_text',
      message: 'A text value in the request contains a character that cannot be stored (such as a NUL byte)',
    };
  return null;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** SQLSTATE classes 08 (connection exception), 53 (insufficient resources) and 57P (operator intervention: shutdown). */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P)/;
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|the database system is (starting up|shutting down)/i;

/**
 * The database (or another service the request needs) is not reachable: the request may well succeed
 * in a moment, and it says nothing about the caller's session. 503 with `Retry-After`, never 401 or 500.
 */
export function infrastructureUnavailable(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | null, depth = 0;
    e && depth < 4;
    depth += 1
  ) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)) return true;
    if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
    e = (e.driverError ?? e.cause ?? null) as typeof e;
  }
  return false;
}

/** One error body for every failure; unknown errors become 500 with an error id that is logged, never a stack trace. */
@Catch()
export class GlobalErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Error');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const r = this.render(exception, req);
    if (res.headersSent) return;
    // A download route declares its Content-Type/Disposition up front: an error is JSON, shown, not saved as a file.
    res.removeHeader('Content-Disposition');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
    res.status(r.status).json({
      error: {
        status: r.status,
        code: r.code,
        message: r.message,
        ...(r.fields ? { fields: r.fields } : {}),
        ...(r.errorId ? { errorId: r.errorId } : {}),
        ...(r.details !== undefined ? { details: r.details } : {}),
      },
    });
  }

  render(exception: unknown, req: Request): Rendered {
    if (exception instanceof DomainException) {
      if (exception.status >= 500) {
        // Our fault, said plainly: the code and message are the domain's, the details go to the log.
        const errorId = randomUUID();
        this.logger.error(`errorId=${errorId} ${req.method} ${fullPath(req)}: ${exception.code}: ${exception.message}`);
        return { status: exception.status, code: exception.code, message: exception.message, errorId, headers: exception.headers };
      }
      return {
        status: exception.status,
        code: exception.code,
        message: exception.message,
        fields: exception.fields,
        headers: exception.headers,
        details: exception.details,
      };
    }
    const low = lowLevel(exception) ?? lowLevel((exception as { cause?: unknown } | null)?.cause) ?? postgres(exception);
    if (low) return low;
    if (infrastructureUnavailable(exception)) {
      const errorId = randomUUID();
      this.logger.error(`errorId=${errorId} ${req.method} ${fullPath(req)}: service unavailable: ${describe(exception)}`);
      return {
        status: 503,
        code: 'service.unavailable',
        message: 'Bulwark cannot reach its database right now. Try again in a moment.',
        errorId,
        headers: { 'Retry-After': '5' },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status < 500) {
        const body = exception.getResponse();
        const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
        const text =
          status === 404 && /Cannot (GET|POST|PUT|PATCH|DELETE)/.test(String(message))
            ? `No route ${req.method} ${fullPath(req)}`
            : String(message);
        return { status, code: HTTP_CODES[status] ?? 'request.error', message: text };
      }
    }
    const errorId = randomUUID();
    this.logger.error(`errorId=${errorId} ${req.method} ${fullPath(req)}: ${describe(exception)}`);
    return { status: 500, code: 'internal', message: 'Something went wrong on our side. Quote the error id when reporting it.', errorId };
  }
}

/** The path as the client sent it; `req.path` is relative to where the handler is mounted (without /api). */
function fullPath(req: Request): string {
  return (req.originalUrl || req.url).split('?')[0] ?? req.path;
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}
