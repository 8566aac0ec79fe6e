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
 * How deeply a feed may nest (JSON arrays and objects, XML elements). Real feeds nest a handful of
 * levels (Statuspage 5, SEC EDGAR companyfacts 6); a body nested deeper is refused before it is
 * parsed, because parsing `[[[[…` costs memory and time in proportion to the depth (10 MB of it took
 * 6 s and 400 MB in `JSON.parse`). The size budget is the HTTP client's cap (`FEED_MAX_BYTES`).
 */
export const FEED_MAX_DEPTH = 64;

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The deepest nesting of arrays and objects in a JSON text (strings skipped), in one pass without
 * allocating; it stops counting as soon as it passes `limit` (and returns a number above it).
 */
export function jsonNestingDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) depth--;
  }
  return max;
}

/**
 * The deepest nesting of elements in an XML text (comments, CDATA, processing instructions and
 * declarations skipped; quoted attribute values honoured), stopping as soon as it passes `limit`.
 * Malformed markup is for the XML validator to report; this only bounds the work before it runs.
 */
export function xmlNestingDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let i = 0;
  const skipTo = (from: number, end: string) => {
    const at = text.indexOf(end, from);
    return at < 0 ? text.length : at + end.length;
  };
  while ((i = text.indexOf('<', i)) !== -1) {
    if (text.startsWith('<!--', i)) i = skipTo(i + 4, '-->');
    else if (text.startsWith('<![CDATA[', i)) i = skipTo(i + 9, ']]>');
    else if (text.startsWith('<?', i)) i = skipTo(i + 2, '?>');
    else if (text.startsWith('<!', i)) i = skipTo(i + 2, '>');
    else if (text.startsWith('</', i)) {
      depth--;
      i = skipTo(i + 2, '>');
    } else {
      let j = i + 1;
      let quote = 0;
      for (; j < text.length; j++) {
        const c = text.charCodeAt(j);
        if (quote) {
          if (c === quote) quote = 0;
        } else if (c === 0x22 || c === 0x27) quote = c;
        else if (c === 0x3e) break;
      }
      if (text.charCodeAt(j - 1) !== 0x2f && ++depth > max && (max = depth) > limit) return max;
      i = j + 1;
    }
  }
  return max;
}

const tooDeep = (what: string, maxDepth: number) =>
  new FeedParseError(`${what}: nested deeper than ${maxDepth} levels; refused before parsing (a feed nests a few levels)`);

/**
 * Refuses XML nested deeper than `maxDepth` (a `FeedParseError` naming `what`): call it before
 * validating or parsing a fetched XML body.
 */
export function assertXmlNesting(text: string, what: string, maxDepth = FEED_MAX_DEPTH): void {
  if (xmlNestingDepth(text, maxDepth) > maxDepth) throw tooDeep(what, maxDepth);
}

/**
 * Parses a feed body as JSON. An empty body, an HTML page, a body nested deeper than `maxDepth` or
 * anything else that is not JSON is a `FeedParseError` naming `what` (e.g. `summary.json`), without
 * quoting the body.
 */
export function parseFeedJson(body: Buffer | string, what: string, { maxDepth = FEED_MAX_DEPTH }: { maxDepth?: number } = {}): unknown {
  const text = feedText(body);
  if (!text) throw new FeedParseError(`${what}: empty body`);
  if (looksLikeMarkup(text)) throw new FeedParseError(`${what}: got an HTML page, not JSON (${text.length} characters)`);
  if (jsonNestingDepth(text, maxDepth) > maxDepth) throw tooDeep(what, maxDepth);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // V8's own message quotes the body ("Unexpected token 'x', "{"a": x}" is not valid JSON").
    throw new FeedParseError(`${what}: not JSON (${text.length} characters that do not parse)`);
  }
}
