// Verifying that a request comes from Slack (https://api.slack.com/authentication/verifying-requests-from-slack),
// done before anything reads the body as data: the headers are checked first (no body needed), then
// an HMAC-SHA256 over `v0:{timestamp}:` and the raw body bytes is computed as the body streams in,
// and compared in constant time. Only a request that passes is parsed (see slack-events-route.ts).
//
// Stricter than Bolt's own verifier on purpose: the timestamp must be a plain integer (Bolt takes
// `Number(header)`, so "1e9", " 17…" or "Infinity" get through to its arithmetic), it may not be
// five minutes or more in the future either, and each header must appear exactly once.
import { createHmac, type Hmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const SIGNATURE_HEADER = 'x-slack-signature';
export const TIMESTAMP_HEADER = 'x-slack-request-timestamp';

/** How far a request's timestamp may be from now, either way. */
export const MAX_REQUEST_SKEW_SECONDS = 5 * 60;

/** `v0=` and 64 lower-case hex digits: the only shape Slack sends. */
const SIGNATURE_SHAPE = /^v0=[0-9a-f]{64}$/;
/** Unix seconds as Slack writes them: digits only (no sign, exponent, spaces or fraction). */
const TIMESTAMP_SHAPE = /^[0-9]{1,12}$/;

export type HeaderCheck =
  | { ok: true; timestamp: number; signature: string }
  | { ok: false; reason: 'missing-headers' | 'malformed-signature' | 'malformed-timestamp' | 'stale' | 'future' };

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Checks the signature and timestamp headers alone: each present once, well formed, and the
 * timestamp within five minutes of `nowSeconds` either way. Needs no body, so a request that fails
 * here is refused before its body is read.
 */
export function checkSlackHeaders(headers: IncomingHttpHeaders, nowSeconds: number): HeaderCheck {
  const signature = single(headers[SIGNATURE_HEADER]);
  const timestampText = single(headers[TIMESTAMP_HEADER]);
  if (signature === undefined || timestampText === undefined) return { ok: false, reason: 'missing-headers' };
  if (!SIGNATURE_SHAPE.test(signature)) return { ok: false, reason: 'malformed-signature' };
  if (!TIMESTAMP_SHAPE.test(timestampText)) return { ok: false, reason: 'malformed-timestamp' };
  const timestamp = Number(timestampText);
  if (!Number.isSafeInteger(timestamp)) return { ok: false, reason: 'malformed-timestamp' };
  // Whole seconds: "five minutes or more" (not "more than") keeps a request stamped 301 s away
  // refused even when the second ticks over while it is in flight.
  if (nowSeconds - timestamp >= MAX_REQUEST_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  if (timestamp - nowSeconds >= MAX_REQUEST_SKEW_SECONDS) return { ok: false, reason: 'future' };
  return { ok: true, timestamp, signature };
}

/** An HMAC fed with the body as it arrives; `matches` compares the result in constant time. */
export interface SignatureCheck {
  update(chunk: Buffer): void;
  matches(signature: string): boolean;
}

export function startSignatureCheck(signingSecret: string, timestamp: number): SignatureCheck {
  const hmac: Hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  return {
    update: (chunk) => {
      hmac.update(chunk);
    },
    matches: (signature) => {
      const expected = Buffer.from(`v0=${hmac.digest('hex')}`, 'latin1');
      const given = Buffer.from(signature, 'latin1');
      // Equal lengths always (checkSlackHeaders fixed the shape), but timingSafeEqual throws otherwise.
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}

/** The whole check on a buffered body (for callers that have the body already). */
export function isSignedBySlack(signingSecret: string, headers: IncomingHttpHeaders, rawBody: Buffer, nowSeconds: number): boolean {
  const head = checkSlackHeaders(headers, nowSeconds);
  if (!head.ok) return false;
  const check = startSignatureCheck(signingSecret, head.timestamp);
  check.update(rawBody);
  return check.matches(head.signature);
}
