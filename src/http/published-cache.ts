// The public pages, built once per change of the data rather than once per request: /published is
// unauthenticated, and 200 requests at once each building the page kept Slack's acknowledgements
// waiting past Slack's 3 seconds. A page is rebuilt when the database's data version moves (see
// src/store/data-version.ts) or after `maxAgeMs` (the page counts days overdue from "now").
// Only real pages are kept: one per plan code that exists, one for the whole plan, one "no such
// plan" page — never one per path an attacker makes up.

export interface CachedPage {
  status: number;
  html: string;
}

export interface PublishedPageCache {
  /**
   * The page for `key`, from the cache when `version` is unchanged and it is fresh, else built now.
   * Requests that arrive while it is being built wait for that one build.
   */
  get(key: string, version: string, build: () => CachedPage | Promise<CachedPage>): Promise<CachedPage>;
}

export function createPublishedPageCache(maxAgeMs: number, maxPages: number, now: () => number = () => performance.now()): PublishedPageCache {
  const pages = new Map<string, { version: string; builtAt: number; page: Promise<CachedPage> }>();
  return {
    get(key, version, build) {
      const at = now();
      const hit = pages.get(key);
      if (hit && hit.version === version && at - hit.builtAt < maxAgeMs) return hit.page;
      const page = Promise.resolve().then(build);
      const entry = { version, builtAt: at, page };
      pages.set(key, entry);
      if (pages.size > maxPages) pages.delete(pages.keys().next().value as string);
      // A build that failed is not kept: the next request tries again.
      page.catch(() => {
        if (pages.get(key) === entry) pages.delete(key);
      });
      return page;
    },
  };
}
