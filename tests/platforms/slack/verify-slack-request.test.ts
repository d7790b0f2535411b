// The Slack signature check on its own: headers first, then a constant-time HMAC over the raw bytes;
// and the shape check a verified body gets before Bolt sees it.
import { isValidSlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../../src/platforms/slack/signing.js';
import { checkSlackBody } from '../../../src/platforms/slack/slack-events-route.js';
import { checkSlackHeaders, isSignedBySlack, startSignatureCheck } from '../../../src/platforms/slack/verify-slack-request.js';

const SECRET = 'verify-test-secret';
const NOW = 1_732_000_000;
const BODY = 'token=x&team_id=T0SEND&user_id=U0SAM&command=%2Fsend&text=update+ND-1.1+amber';

const headersFor = (timestamp: number | string, body = BODY, secret = SECRET) => ({
  'x-slack-request-timestamp': String(timestamp),
  'x-slack-signature': signSlackRequest(secret, timestamp, body),
});

describe('checkSlackHeaders', () => {
  it('accepts well-formed headers within five minutes either way', () => {
    for (const shift of [0, -299, 299]) {
      expect(checkSlackHeaders(headersFor(NOW + shift), NOW)).toMatchObject({ ok: true, timestamp: NOW + shift });
    }
  });

  it.each([
    ['no headers', {}, 'missing-headers'],
    ['no signature', { 'x-slack-request-timestamp': String(NOW) }, 'missing-headers'],
    ['no timestamp', { 'x-slack-signature': `v0=${'a'.repeat(64)}` }, 'missing-headers'],
    ['a signature sent twice (joined by node)', { 'x-slack-request-timestamp': String(NOW), 'x-slack-signature': `v0=${'a'.repeat(64)}, v0=${'b'.repeat(64)}` }, 'malformed-signature'],
    ['another version', { 'x-slack-request-timestamp': String(NOW), 'x-slack-signature': `v1=${'a'.repeat(64)}` }, 'malformed-signature'],
    ['upper-case hex', { 'x-slack-request-timestamp': String(NOW), 'x-slack-signature': `v0=${'A'.repeat(64)}` }, 'malformed-signature'],
    ['a short signature', { 'x-slack-request-timestamp': String(NOW), 'x-slack-signature': `v0=${'a'.repeat(63)}` }, 'malformed-signature'],
    ['an empty signature', { 'x-slack-request-timestamp': String(NOW), 'x-slack-signature': '' }, 'malformed-signature'],
    ['an exponent', { 'x-slack-request-timestamp': '1.732e9', 'x-slack-signature': `v0=${'a'.repeat(64)}` }, 'malformed-timestamp'],
    ['Infinity', { 'x-slack-request-timestamp': 'Infinity', 'x-slack-signature': `v0=${'a'.repeat(64)}` }, 'malformed-timestamp'],
    ['NaN', { 'x-slack-request-timestamp': 'NaN', 'x-slack-signature': `v0=${'a'.repeat(64)}` }, 'malformed-timestamp'],
    ['a fraction', { 'x-slack-request-timestamp': `${NOW}.5`, 'x-slack-signature': `v0=${'a'.repeat(64)}` }, 'malformed-timestamp'],
    ['a sign', { 'x-slack-request-timestamp': `+${NOW}`, 'x-slack-signature': `v0=${'a'.repeat(64)}` }, 'malformed-timestamp'],
    ['spaces', { 'x-slack-request-timestamp': ` ${NOW}`, 'x-slack-signature': `v0=${'a'.repeat(64)}` }, 'malformed-timestamp'],
    ['hex', { 'x-slack-request-timestamp': '0x673b1c80', 'x-slack-signature': `v0=${'a'.repeat(64)}` }, 'malformed-timestamp'],
    ['an empty timestamp', { 'x-slack-request-timestamp': '', 'x-slack-signature': `v0=${'a'.repeat(64)}` }, 'malformed-timestamp'],
    ['too many digits', { 'x-slack-request-timestamp': '9'.repeat(20), 'x-slack-signature': `v0=${'a'.repeat(64)}` }, 'malformed-timestamp'],
    ['a timestamp 300 s old', headersFor(NOW - 300), 'stale'],
    ['a timestamp 300 s ahead', headersFor(NOW + 300), 'future'],
    ['timestamp 0', headersFor(0), 'stale'],
  ])('refuses %s', (_name, headers, reason) => {
    expect(checkSlackHeaders(headers, NOW)).toEqual({ ok: false, reason });
  });
});

describe('signature check', () => {
  it('matches what Slack (and Bolt) sign, fed in chunks of any size', () => {
    const head = checkSlackHeaders(headersFor(NOW), NOW);
    if (!head.ok) throw new Error('headers');
    const check = startSignatureCheck(SECRET, head.timestamp);
    const bytes = Buffer.from(BODY);
    for (let i = 0; i < bytes.length; i += 7) check.update(bytes.subarray(i, i + 7));
    expect(check.matches(head.signature)).toBe(true);
    expect(isValidSlackRequest({ signingSecret: SECRET, body: BODY, headers: { 'x-slack-signature': head.signature, 'x-slack-request-timestamp': NOW }, nowMilliseconds: NOW * 1000 })).toBe(true);
  });

  it('refuses a tampered body, another secret, another timestamp, and a signature for non-UTF-8 bytes read as text', () => {
    expect(isSignedBySlack(SECRET, headersFor(NOW), Buffer.from(BODY.replace('amber', 'green')), NOW)).toBe(false);
    expect(isSignedBySlack(SECRET, headersFor(NOW, BODY, 'another-secret'), Buffer.from(BODY), NOW)).toBe(false);
    expect(isSignedBySlack(SECRET, { ...headersFor(NOW), 'x-slack-request-timestamp': String(NOW + 1) }, Buffer.from(BODY), NOW)).toBe(false);
    // The HMAC is over bytes: an invalid UTF-8 byte is not the replacement character.
    const bytes = Buffer.concat([Buffer.from('text='), Buffer.from([0xff])]);
    const signedAsText = { 'x-slack-request-timestamp': String(NOW), 'x-slack-signature': signSlackRequest(SECRET, NOW, bytes.toString('utf8')) };
    expect(isSignedBySlack(SECRET, signedAsText, bytes, NOW)).toBe(false);
    expect(isSignedBySlack(SECRET, headersFor(NOW, bytes as unknown as string), bytes, NOW)).toBe(true);
    expect(isSignedBySlack(SECRET, headersFor(NOW), Buffer.from(BODY), NOW)).toBe(true);
  });
});

describe('checkSlackBody', () => {
  const FORM = 'application/x-www-form-urlencoded';
  it('accepts forms, payload objects and JSON objects', () => {
    expect(checkSlackBody(Buffer.from(BODY), FORM)).toBeUndefined();
    expect(checkSlackBody(Buffer.from(`payload=${encodeURIComponent('{"type":"block_actions"}')}`), FORM)).toBeUndefined();
    expect(checkSlackBody(Buffer.from('{"type":"event_callback"}'), 'application/json')).toBeUndefined();
  });

  it.each(['text', 'user_id', 'payload', 'command', 'team_id'])('names a form field sent twice (%s)', (field) => {
    const body = `${BODY}&${field}=again`;
    expect(checkSlackBody(Buffer.from(`${field === 'payload' ? 'payload=%7B%7D&' : ''}${body}`), FORM)).toBe(
      `The form field "${field}" was sent more than once; each field may appear only once.`,
    );
  });

  it('says what is wrong with a payload or JSON body that is not an object', () => {
    expect(checkSlackBody(Buffer.from('payload=null'), FORM)).toBe('The payload field must be a JSON object.');
    expect(checkSlackBody(Buffer.from('payload=%5B1%5D'), FORM)).toBe('The payload field must be a JSON object.');
    expect(checkSlackBody(Buffer.from('payload=%7B'), FORM)).toBe('The payload field is not valid JSON.');
    expect(checkSlackBody(Buffer.from('null'), 'application/json')).toBe('The body must be a JSON object.');
    expect(checkSlackBody(Buffer.from(BODY), 'text/plain')).toBe('The body must be a JSON object or a form (application/x-www-form-urlencoded).');
  });
});
