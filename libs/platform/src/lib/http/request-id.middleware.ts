import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

import { RequestContext } from '../tenancy/request-context.js';

/** Opens the request context for the rest of the pipeline and tags the response with a request id. */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const header = req.headers['x-request-id'];
  const id = typeof header === 'string' && /^[\w-]{8,64}$/.test(header) ? header : randomUUID();
  res.setHeader('X-Request-Id', id);
  RequestContext.run(() => next(), id);
}
