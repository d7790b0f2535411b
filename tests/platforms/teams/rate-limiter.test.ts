import { describe, expect, it } from 'vitest';
import { createConversationRateLimiter, TEAMS_CONVERSATION_LIMITS } from '../../../src/platforms/teams/rate-limiter.js';

describe('createConversationRateLimiter', () => {
  it('lets 7 through in a second, then waits for the oldest to leave the window', () => {
    let now = 10_000;
    const limiter = createConversationRateLimiter([{ limit: 7, ms: 1_000 }], () => now);
    for (let i = 0; i < 7; i += 1) {
      expect(limiter.delayFor('a')).toBe(0);
      limiter.record('a');
      now += 10;
    }
    // Sends at 10000…10060; now 10070: the first leaves the window at 11000.
    expect(limiter.delayFor('a')).toBe(930);
    expect(limiter.delayFor('b')).toBe(0);
    now = 11_000;
    expect(limiter.delayFor('a')).toBe(0);
  });

  it('applies every window: 60 in 30 seconds even when each second is under 7', () => {
    let now = 0;
    const limiter = createConversationRateLimiter(TEAMS_CONVERSATION_LIMITS, () => now);
    for (let i = 0; i < 60; i += 1) {
      now += Math.max(limiter.delayFor('c'), 300);
      limiter.record('c');
    }
    const firstAt = 300;
    // The 61st must wait until the first of those 60 is 30 s old.
    expect(limiter.delayFor('c')).toBe(firstAt + 30_000 - now);
    expect(limiter.delayFor('c')).toBeGreaterThan(10_000);
  });

  it('forgets sends older than the longest window', () => {
    let now = 0;
    const limiter = createConversationRateLimiter([{ limit: 1, ms: 1_000 }], () => now);
    limiter.record('a');
    expect(limiter.delayFor('a')).toBe(1_000);
    now = 5_000;
    expect(limiter.delayFor('a')).toBe(0);
  });
});
