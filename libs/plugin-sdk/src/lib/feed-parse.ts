import { FeedParseError } from './plugin.js';

/**
 * Reading a fetched feed body. Errors say what is wrong with the body (empty, an HTML page, not
 * JSON) and how big it is, never what it says: an error becomes the source's stored `lastError` and
 * the `unknown` marker's detail, and a body may hold anything (an internal host name, a session id,
 * licensed data). The body itself is kept, when it is, as the marker's raw evidence.
 */

/** The text of a body: UTF-8 unless given as a string, without a byte-order mark, trimmed. */
export function feedText(body: Buffer | string): string {
  return (typeof body === 'string' ? body : body.toString('utf8')).replace(/^\uFEFF/, '').trim();
}

/** A body that starts like markup (an HTML error or maintenance page). */
const looksLikeMarkup = (text: string) => text.startsWith('<');

/**
 * Parses a feed body as JSON. An empty body, an HTML page or anything else that is not JSON is a
 * `FeedParseError` naming `what` (e.g. `summary.json`), without quoting the body.
 */
export function parseFeedJson(body: Buffer | string, what: string): unknown {
  const text = feedText(body);
  if (!text) throw new FeedParseError(`${what}: empty body`);
  if (looksLikeMarkup(text)) throw new FeedParseError(`${what}: got an HTML page, not JSON (${text.length} characters)`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // V8's own message quotes the body ("Unexpected token 'x', "{"a": x}" is not valid JSON").
    throw new FeedParseError(`${what}: not JSON (${text.length} characters that do not parse)`);
  }
}
