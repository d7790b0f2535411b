// A token bucket per client address, for unauthenticated pages: a client may take `burst` requests
// at once, then `perSecond`. The table of clients is bounded (the oldest entries are dropped first),
// so a flood from many addresses cannot grow it without limit.

export interface ClientRateLimit {
  /** Takes one request for `client`: 0 if allowed now, else the seconds to wait (for Retry-After). */
  take(client: string): number;
}

export interface ClientRateLimitOptions {
  burst: number;
  perSecond: number;
  maxClients?: number;
  now?: () => number;
}

export function createClientRateLimit({ burst, perSecond, maxClients = 10_000, now = () => performance.now() }: ClientRateLimitOptions): ClientRateLimit {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(client) {
      const at = now();
      const bucket = buckets.get(client) ?? { tokens: burst, at };
      buckets.delete(client); // re-inserted below, so the Map's order is least recently seen first
      bucket.tokens = Math.min(burst, bucket.tokens + ((at - bucket.at) / 1000) * perSecond);
      bucket.at = at;
      let wait = 0;
      if (bucket.tokens >= 1) bucket.tokens -= 1;
      else wait = Math.ceil((1 - bucket.tokens) / perSecond);
      buckets.set(client, bucket);
      if (buckets.size > maxClients) buckets.delete(buckets.keys().next().value as string);
      return wait;
    },
  };
}
