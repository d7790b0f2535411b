import { createHmac } from 'node:crypto';
import { isValidSlackRequest, verifySlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { signSlackRequest, slackSignatureHeaders } from '../../src/platforms/slack/signing.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = 1531420618;
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
  '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
  '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';

describe('signSlackRequest', () => {
  it('matches an HMAC-SHA256 over v0:{timestamp}:{body} computed independently', () => {
    const expected = `v0=${createHmac('sha256', SECRET).update(`v0:${TIMESTAMP}:${BODY}`).digest('hex')}`;
    expect(signSlackRequest(SECRET, TIMESTAMP, BODY)).toBe(expected);
    expect(signSlackRequest(SECRET, String(TIMESTAMP), Buffer.from(BODY))).toBe(expected);
  });

  it("matches the example in Slack's documentation", () => {
    // https://api.slack.com/authentication/verifying-requests-from-slack (the walk-through's values).
    expect(signSlackRequest(SECRET, TIMESTAMP, BODY)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it("is accepted by Bolt's own verifier, which rejects stale and tampered requests", () => {
    const nowMilliseconds = TIMESTAMP * 1000 + 30_000;
    const headers = { 'x-slack-signature': signSlackRequest(SECRET, TIMESTAMP, BODY), 'x-slack-request-timestamp': TIMESTAMP };
    expect(() => verifySlackRequest({ signingSecret: SECRET, body: BODY, headers, nowMilliseconds })).not.toThrow();
    expect(isValidSlackRequest({ signingSecret: SECRET, body: `${BODY}&x=1`, headers, nowMilliseconds })).toBe(false);
    expect(isValidSlackRequest({ signingSecret: 'other-secret', body: BODY, headers, nowMilliseconds })).toBe(false);
    expect(() =>
      verifySlackRequest({ signingSecret: SECRET, body: BODY, headers, nowMilliseconds: nowMilliseconds + 10 * 60_000 }),
    ).toThrow(/stale|older/i);
  });

  it('builds both headers', () => {
    const headers = slackSignatureHeaders(SECRET, TIMESTAMP, BODY);
    expect(headers['x-slack-request-timestamp']).toBe(String(TIMESTAMP));
    expect(headers['x-slack-signature']).toBe(signSlackRequest(SECRET, TIMESTAMP, BODY));
  });
});
