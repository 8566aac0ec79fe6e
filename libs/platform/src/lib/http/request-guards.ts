import type { NextFunction, Request, Response } from 'express';

/** The deepest JSON nesting a request body may have. No Bulwark request nests more than a handful of levels. */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Throws before `JSON.parse` runs when the raw body nests deeper than `maxDepth`: a megabyte of `[[[[…` costs
 * the parser (and everything that walks the result) far more memory and time than its size suggests. One pass
 * over the bytes, skipping string contents; used as body-parser's `verify` hook, so the error carries a type
 * the error filter renders as a 400.
 */
export function assertJsonDepth(buf: Buffer, maxDepth = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth)
        throw Object.assign(new Error(`JSON nested deeper than ${maxDepth} levels`), { type: 'entity.too.deep', status: 400 });
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** TRACE, TRACK, CONNECT and other methods no route serves are 405 with an `Allow` header, not a 404 (or an echo). */
export function methodAllowList(req: Request, res: Response, next: NextFunction): void {
  if (KNOWN_METHODS.has(req.method)) return next();
  res.setHeader('Allow', [...KNOWN_METHODS].join(', '));
  res.status(405).json({ error: { status: 405, code: 'request.method_not_allowed', message: `The method ${req.method} is not allowed` } });
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.origin === 'null' ? 'null' : url.origin;
  } catch {
    return 'null';
  }
}

/**
 * Cross-site request forgery guard for state-changing requests. A browser sends its session cookie with a
 * form or `fetch` from any site (SameSite=Lax still lets some through, and sign-in has no cookie at all), so
 * an unsafe request whose `Origin` (or, without one, `Referer`) names another site is refused with 403. The
 * portal's own origin is the request's host (as the browser addressed it) or `PUBLIC_URL`. Requests that
 * authenticate with an `Authorization` header are not ambient credentials and pass; so do clients that send
 * neither header (servers, scripts).
 */
export function sameOriginWrites(publicUrl: string) {
  const publicOrigin = originOf(publicUrl);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!UNSAFE.has(req.method) || req.headers.authorization) return next();
    const site = req.headers['sec-fetch-site'];
    const origin = originOf(req.headers.origin) ?? originOf(req.headers.referer);
    const own = `${req.protocol}://${req.get('host') ?? ''}`;
    const foreign = site === 'cross-site' || (origin !== null && origin !== own && origin !== publicOrigin);
    if (!foreign) return next();
    res.status(403).json({
      error: {
        status: 403,
        code: 'request.foreign_origin',
        message: 'This request came from another site. Open Bulwark directly and try again.',
      },
    });
  };
}
