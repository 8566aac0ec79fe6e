export interface FieldError {
  path: string;
  message: string;
}

export type ErrorKind =
  | 'not_found'
  | 'conflict'
  | 'invalid'
  | 'forbidden'
  | 'unauthenticated'
  | 'rate_limited'
  | 'bad_request'
  | 'payload_too_large'
  | 'internal'
  | 'unavailable';

const STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  invalid: 422,
  rate_limited: 429,
  /** Something on our side is wrong (e.g. a stored file fails its hash check): logged with an error id. */
  internal: 500,
  /** A service the request needs (the database, the job queue) does not answer: retry shortly. */
  unavailable: 503,
};

/**
 * A coded error a domain raises on purpose. The global filter maps `kind` to the HTTP status
 * and renders the one error body; `code` is stable for clients (`vendor.not_found`).
 */
export class DomainException extends Error {
  readonly status: number;
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
    /** Extra structured detail rendered as `error.details` (e.g. row errors of an import). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainException';
    this.status = STATUS[kind];
  }
}

export class NotFound extends DomainException {
  constructor(entity: string, id?: string) {
    super(`${entity}.not_found`, 'not_found', id ? `${entity} ${id} was not found` : `${entity} was not found`);
  }
}

export class Conflict extends DomainException {
  constructor(code: string, message: string) {
    super(code, 'conflict', message);
  }
}

export class Invalid extends DomainException {
  constructor(code: string, message: string, fields?: FieldError[]) {
    super(code, 'invalid', message, fields);
  }
}

export class Forbidden extends DomainException {
  constructor(message = 'You are not allowed to do this') {
    super('auth.forbidden', 'forbidden', message);
  }
}

/**
 * A service the request needs does not answer right now (the job queue's Redis, for one): 503 with
 * `Retry-After`, the same answer as for an unreachable database, and nothing of the request was kept.
 */
export class ServiceUnavailable extends DomainException {
  constructor(message: string, retryAfterSeconds = 5) {
    super('service.unavailable', 'unavailable', message, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }
}

export class Unauthenticated extends DomainException {
  constructor(message = 'Sign in first') {
    super('auth.unauthenticated', 'unauthenticated', message);
  }
}
