import { describe, expect, it } from 'vitest';
import { classifyTeamsError, parseRetryAfter } from '../../../src/platforms/teams/teams-errors.js';

/** The shape botbuilder's ConnectorClient throws (@azure/core-rest-pipeline RestError). */
function restError(statusCode: number, code: string, headers: Record<string, string> = {}): Error {
  const error = Object.assign(new Error(`${code} message`), { statusCode, code, name: 'RestError' });
  Object.defineProperty(error, 'response', { value: { status: statusCode, headers: { get: (name: string) => headers[name.toLowerCase()] } }, enumerable: false });
  return error;
}

describe('classifyTeamsError', () => {
  it('treats 429, 412, 502, 504 and other 5xx as transient, with Retry-After', () => {
    expect(classifyTeamsError(restError(429, 'TooManyRequests', { 'retry-after': '7' }))).toMatchObject({ ok: false, permanent: false, retryAfterMs: 7000, status: 429, disableReference: false });
    for (const status of [412, 502, 504, 500, 503, 408]) {
      const outcome = classifyTeamsError(restError(status, 'X'));
      expect(outcome, String(status)).toMatchObject({ permanent: false, status });
      expect(outcome.retryAfterMs).toBeUndefined();
    }
  });

  it('treats 401 and 403 as permanent; only 403 disables the reference', () => {
    expect(classifyTeamsError(restError(401, 'Unauthorized'))).toMatchObject({ permanent: true, disableReference: false });
    const forbidden = classifyTeamsError(restError(403, 'BotDisabledByAdmin'));
    expect(forbidden).toMatchObject({ permanent: true, disableReference: true, status: 403 });
    expect(forbidden.error).toContain('HTTP 403 from Teams (BotDisabledByAdmin)');
  });

  it('treats other 4xx as permanent and network failures as transient', () => {
    expect(classifyTeamsError(restError(404, 'ConversationNotFound'))).toMatchObject({ permanent: true, disableReference: false });
    expect(classifyTeamsError(restError(400, 'BadArgument'))).toMatchObject({ permanent: true });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(classifyTeamsError(refused)).toMatchObject({ permanent: false, error: expect.stringContaining('could not reach Teams: ECONNREFUSED') });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2024-11-20T09:00:00Z');
    expect(parseRetryAfter('Wed, 20 Nov 2024 09:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Wed, 20 Nov 2024 08:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
