import { createHmac, timingSafeEqual } from 'node:crypto';

/** Suggested header names for the host's `POST /ingest/{sourceKey}` route (feeds.md §7). */
export const SIGNATURE_HEADER = 'x-bulwark-signature';
export const TIMESTAMP_HEADER = 'x-bulwark-timestamp';
export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

export type WebhookRejection =
  | 'missing_secret'
  | 'missing_signature'
  | 'missing_timestamp'
  | 'malformed_signature'
  | 'malformed_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'signature_mismatch';

export type VerifyResult = { ok: true } | { ok: false; reason: WebhookRejection };

export interface VerifyWebhookInput {
  /** The request body exactly as received, before any JSON parsing. */
  rawBody: Buffer | Uint8Array;
  /** `X-Bulwark-Signature`: hex HMAC-SHA256, optionally prefixed `sha256=`. Node gives repeated headers as arrays. */
  signatureHeader: string | readonly string[] | null | undefined;
  /** `X-Bulwark-Timestamp`: unix seconds. */
  timestampHeader: string | readonly string[] | null | undefined;
  secret: string;
  replayWindowSeconds?: number;
  now: Date | number;
}

function single(header: string | readonly string[] | null | undefined): string | null {
  if (header === null || header === undefined) return null;
  if (typeof header === 'string') return header.trim() === '' ? null : header.trim();
  // A repeated header is ambiguous: refuse it rather than pick one.
  return header.length === 1 ? single(header[0]) : header.length === 0 ? null : '\u0000ambiguous';
}

/** The hex signature a sender computes: HMAC-SHA256 over `${timestamp}.${rawBody}`. */
export function signWebhook(rawBody: Buffer | Uint8Array | string, timestamp: string | number, secret: string): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.`)
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest('hex');
}

/**
 * Checks a signed webhook: the timestamp must be within the replay window of `now` (both ways) and
 * the signature must be the HMAC-SHA256 of `${timestamp}.${rawBody}` under the secret, compared in
 * constant time. Pure: the host supplies the clock and the raw bytes.
 */
export function verifyWebhook(input: VerifyWebhookInput): VerifyResult {
  if (!input.secret) return { ok: false, reason: 'missing_secret' };
  const signature = single(input.signatureHeader);
  if (signature === null) return { ok: false, reason: 'missing_signature' };
  const timestamp = single(input.timestampHeader);
  if (timestamp === null) return { ok: false, reason: 'missing_timestamp' };

  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed_timestamp' };
  const ts = Number(timestamp);
  const nowSeconds = Math.floor((typeof input.now === 'number' ? input.now : input.now.getTime()) / 1000);
  const window = input.replayWindowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS;
  if (ts < nowSeconds - window) return { ok: false, reason: 'timestamp_too_old' };
  if (ts > nowSeconds + window) return { ok: false, reason: 'timestamp_in_future' };

  const hex = signature.replace(/^sha256=/i, '');
  if (!/^[0-9a-f]{64}$/i.test(hex)) return { ok: false, reason: 'malformed_signature' };
  const given = Buffer.from(hex, 'hex');
  const expected = Buffer.from(signWebhook(input.rawBody, timestamp, input.secret), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'signature_mismatch' };
}
