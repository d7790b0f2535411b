// Teams' per-conversation limits for a bot (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit):
// about 7 messages a second, 8 in 2 seconds, 60 in 30 seconds and 1,800 an hour to one conversation.
// Over them Teams answers 429. This keeps a sliding record of sends per conversation and says how
// long to wait before the next one; the delivery adapter sleeps through short waits and hands long
// ones back to the outbox as a Retry-After. The record is per process: another process sending to
// the same conversation is not counted, and Teams' own 429 (with Retry-After) covers that case.

export interface RateWindow {
  limit: number;
  ms: number;
}

export const TEAMS_CONVERSATION_LIMITS: readonly RateWindow[] = [
  { limit: 7, ms: 1_000 },
  { limit: 8, ms: 2_000 },
  { limit: 60, ms: 30_000 },
  { limit: 1_800, ms: 3_600_000 },
];

export interface ConversationRateLimiter {
  /** Milliseconds until another message may go to `conversationId` (0: now). */
  delayFor(conversationId: string): number;
  /** Counts a message sent to `conversationId` now. */
  record(conversationId: string): void;
}

export function createConversationRateLimiter(
  windows: readonly RateWindow[] = TEAMS_CONVERSATION_LIMITS,
  now: () => number = Date.now,
): ConversationRateLimiter {
  const longest = Math.max(...windows.map((w) => w.ms));
  const keep = Math.max(...windows.map((w) => w.limit));
  const sent = new Map<string, number[]>();

  const recent = (conversationId: string, at: number): number[] => {
    const times = sent.get(conversationId);
    if (!times) return [];
    let drop = 0;
    while (drop < times.length && (times[drop] as number) <= at - longest) drop += 1;
    if (drop > 0) times.splice(0, drop);
    if (times.length === 0) sent.delete(conversationId);
    return times;
  };

  return {
    delayFor(conversationId) {
      const at = now();
      const times = recent(conversationId, at);
      let wait = 0;
      for (const window of windows) {
        // With `limit` sends inside the window, the next may go once the oldest of them leaves it.
        if (times.length < window.limit) continue;
        const oldest = times[times.length - window.limit] as number;
        wait = Math.max(wait, oldest + window.ms - at);
      }
      return Math.max(0, wait);
    },
    record(conversationId) {
      const at = now();
      const times = recent(conversationId, at);
      times.push(at);
      if (times.length > keep) times.splice(0, times.length - keep);
      sent.set(conversationId, times);
    },
  };
}
