// Real headless Chromium from Debian's package (CI installs it: .ci/run), driven by playwright-core.
// One browser per test file; each page records console errors, page errors and every request that
// tried to leave the local server (those are aborted).
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    // Fail, never skip: a missing browser must not turn these tests green.
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. Install Debian's package (apt-get install -y --no-install-recommends chromium); .ci/run does this before npm test.`,
    );
  }
  // Loaded lazily: only the browser tests need it.
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console messages of type error, and uncaught page errors. */
  errors: string[];
  /** Requests to anywhere but `allowedOrigin` (aborted). */
  external: string[];
}

/** A fresh context and page that may only talk to `allowedOrigin`. */
export async function watchedPage(browser: Browser, allowedOrigin: string, viewport = { width: 1280, height: 900 }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, javaScriptEnabled: true });
  const errors: string[] = [];
  const external: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(`${allowedOrigin}/`) || url === allowedOrigin) await route.continue();
    else {
      external.push(url);
      await route.abort();
    }
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return { page, context, errors, external };
}
