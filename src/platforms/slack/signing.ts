// Slack request signing (https://api.slack.com/authentication/verifying-requests-from-slack):
// `v0=` + hex HMAC-SHA256, keyed with the app's signing secret, over `v0:{timestamp}:{raw body}`.
// Incoming requests are verified by verify-slack-request.ts (before anything parses them); this is
// for tests that sign requests exactly as Slack does, and for anything we send to our own endpoints.
import { createHmac } from 'node:crypto';

export const SIGNATURE_VERSION = 'v0';

/** The `X-Slack-Signature` value for a request body sent at `timestamp` (seconds since the epoch). */
export function signSlackRequest(secret: string, timestamp: number | string, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${SIGNATURE_VERSION}:${timestamp}:`);
  hmac.update(rawBody);
  return `${SIGNATURE_VERSION}=${hmac.digest('hex')}`;
}

/** Both headers Slack sends with a signed request. */
export function slackSignatureHeaders(
  secret: string,
  timestamp: number,
  rawBody: string | Buffer,
): { 'x-slack-signature': string; 'x-slack-request-timestamp': string } {
  return {
    'x-slack-signature': signSlackRequest(secret, timestamp, rawBody),
    'x-slack-request-timestamp': String(timestamp),
  };
}
