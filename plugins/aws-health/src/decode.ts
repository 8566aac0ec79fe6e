import { FeedParseError } from '@bulwark/plugin-sdk';

/**
 * Decodes the bytes of `/public/currentevents`. AWS serves it as UTF-16 with a byte-order mark
 * (`Content-Type: application/json;charset=utf-16`; both FF FE and FE FF have been seen), so the
 * bytes must be decoded here: `res.text()`/`res.json()` would read them as UTF-8 and garble them.
 * Without a BOM the body is read as UTF-8 (a mirror or proxy may re-encode it), unless its first
 * code unit is plainly an ASCII character in UTF-16 (`[`/`{` next to a NUL byte).
 */
export function decodeFeedBytes(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return utf16le(buf.subarray(2));
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return utf16le(swapBytes(buf.subarray(2)));
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return utf8(buf.subarray(3));
  if (buf.length >= 2 && buf[1] === 0x00 && isJsonStart(buf[0]!)) return utf16le(buf);
  if (buf.length >= 2 && buf[0] === 0x00 && isJsonStart(buf[1]!)) return utf16le(swapBytes(buf));
  return utf8(buf);
}

function isJsonStart(byte: number): boolean {
  return byte === 0x5b || byte === 0x7b; // [ {
}

/** UTF-16BE to UTF-16LE (Node's ICU may lack a `utf-16be` decoder). */
function swapBytes(buf: Buffer): Buffer {
  const out = Buffer.from(buf); // copy: never mutate the (possibly cached) response body
  if (out.length % 2 !== 0) throw new FeedParseError(`UTF-16 body has an odd number of bytes (${buf.length + 2} with the BOM)`);
  return out.swap16();
}

function utf16le(buf: Buffer): string {
  if (buf.length % 2 !== 0) throw new FeedParseError(`UTF-16 body has an odd number of bytes (${buf.length})`);
  try {
    return new TextDecoder('utf-16le', { fatal: true }).decode(buf);
  } catch (err) {
    throw new FeedParseError(`Body is not valid UTF-16: ${(err as Error).message}`);
  }
}

function utf8(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch (err) {
    throw new FeedParseError(`Body is not valid UTF-8: ${(err as Error).message}`);
  }
}
