// WCAG 2.2 AA on every page sendbot serves, in real headless Chromium: axe-core (its own source,
// evaluated in the page) on the board dashboard, the public page and the 403 page, at 1280 px and at
// 320 px (WCAG reflow). Plus what axe cannot see: at 320 px nothing but a table's own box scrolls
// sideways, a table that scrolls says so visibly, no ref breaks over two lines, and every element the
// keyboard reaches shows where the focus is.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchedPage } from '../helpers/chromium.js';
import { type DashboardServer, recordKpiCorrection, startDashboardServer } from '../helpers/dashboard-server.js';
import { DIGEST_NOW, scriptedDemoDb } from '../helpers/digest-demo.js';

// Browser globals used inside page.evaluate (the project compiles without the DOM library).
declare const document: {
  documentElement: { scrollWidth: number };
  activeElement: BrowserElement | null;
  createRange(): { selectNodeContents(node: unknown): void; getClientRects(): Iterable<{ top: number }> };
  querySelectorAll(selector: string): Iterable<BrowserElement>;
};
declare const window: { innerWidth: number };
declare const axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> };
declare function getComputedStyle(element: unknown): {
  display: string;
  outlineStyle: string;
  outlineWidth: string;
  boxShadow: string;
  color: string;
  backgroundColor: string;
  borderTopColor: string;
};
interface BrowserElement {
  tagName: string;
  textContent: string | null;
  className: string;
  scrollWidth: number;
  clientWidth: number;
  outerHTML: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): BrowserElement | null;
  getBoundingClientRect(): { width: number; height: number };
  parentElement: BrowserElement | null;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let browser: Browser;
let server: DashboardServer;

beforeAll(async () => {
  const path = await scriptedDemoDb();
  await recordKpiCorrection(path);
  server = await startDashboardServer(path, { now: DIGEST_NOW, publishedView: true });
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** axe's violations for the WCAG 2.2 A and AA rules, one line each (empty when there are none). */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, so the page's own Content-Security-Policy stays as it is.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate((tags) => axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }).then((r) => r.violations), WCAG_22_AA);
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} at ${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`));
}

const PAGES: [string, () => Promise<string> | string, number][] = [
  ['the board dashboard', async () => await server.link('SEND Partnership Board'), 200],
  ['the public page', () => `${server.baseUrl}/published`, 200],
  ['the 403 page (an expired link)', async () => await server.link('SEND Partnership Board', -2), 403],
];

describe('WCAG 2.2 AA in Chromium (axe-core)', () => {
  for (const [name, url, status] of PAGES) {
    for (const width of [1280, 320]) {
      it(`${name} at ${width} px: no axe violations`, async () => {
        const w = await watchedPage(browser, server.baseUrl, { width, height: 900 });
        const response = await w.page.goto(await url());
        expect(response?.status()).toBe(status);
        expect(await axeViolations(w.page)).toEqual([]);
        // Chromium logs the page's own 403 status as an error; nothing else may be logged.
        expect(w.errors.filter((e) => !(status === 403 && /status of 403/.test(e)))).toEqual([]);
        expect(w.external).toEqual([]);
        await w.context.close();
      });
    }
  }
});

describe('reflow at 320 px, refs and focus', () => {
  for (const [name, url] of PAGES.slice(0, 2)) {
    it(`${name}: nothing scrolls sideways but a table's own box, which shows a cue; refs stay on one line`, async () => {
      const w = await watchedPage(browser, server.baseUrl, { width: 320, height: 800 });
      await w.page.goto(await url());
      const report = await w.page.evaluate(() => {
        const wraps = [...document.querySelectorAll('.table-wrap')];
        const scrolling = wraps.filter((el) => el.scrollWidth > el.clientWidth + 1);
        // Cells marked as refs, and any cell that holds nothing but a ref ("WSOA-1.2", "HCP-HR1").
        const refs = [...document.querySelectorAll('td, th, span')].filter((el) => el.className.includes('ref') || /^\s*[A-Z][A-Za-z]{0,7}-[A-Z0-9]+(\.\d+)*\s*$/.test(el.textContent ?? ''));
        const wrapped = refs.filter((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          // One line: every box of its text starts at the same height.
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
        });
        return {
          page: document.documentElement.scrollWidth,
          viewport: window.innerWidth,
          tables: wraps.length,
          scrolling: scrolling.length,
          // A scrolling box must be reachable by keyboard and named, and must say it scrolls.
          scrollingWithoutCue: scrolling
            .filter((el) => {
              const cue = el.parentElement?.querySelector(':scope > .scroll-cue');
              return !cue || getComputedStyle(cue).display === 'none';
            })
            .map((el) => el.getAttribute('aria-label')),
          scrollingNotFocusable: scrolling.filter((el) => el.getAttribute('tabindex') !== '0' || !el.getAttribute('aria-label')).length,
          refs: refs.length,
          wrappedRefs: wrapped.map((el) => el.outerHTML.slice(0, 120)),
        };
      });
      expect(report.page).toBeLessThanOrEqual(report.viewport);
      expect(report.tables).toBeGreaterThan(0);
      expect(report.refs).toBeGreaterThan(0);
      expect(report.wrappedRefs).toEqual([]);
      expect(report.scrollingWithoutCue).toEqual([]);
      expect(report.scrollingNotFocusable).toBe(0);
      await w.context.close();
    });

    it(`${name}: every element the keyboard reaches shows a visible focus indicator`, async () => {
      const w = await watchedPage(browser, server.baseUrl, { width: 1280, height: 900 });
      await w.page.goto(await url());
      const seen: string[] = [];
      const invisible: string[] = [];
      for (let i = 0; i < 60; i++) {
        await w.page.keyboard.press('Tab');
        const focus = await w.page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el.tagName === 'BODY') return null;
          const style = getComputedStyle(el);
          const visible = (style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2) || (style.boxShadow ?? 'none') !== 'none';
          return { id: el.outerHTML.slice(0, 80), visible };
        });
        if (!focus) break;
        if (seen.includes(focus.id)) break; // back to the start
        seen.push(focus.id);
        if (!focus.visible) invisible.push(focus.id);
      }
      expect(seen.length).toBeGreaterThan(1);
      expect(invisible).toEqual([]);
      await w.context.close();
    });
  }

  it('RAG colours: each status word is readable on its colour (4.5:1) and each colour stands out from the page (3:1 for its border)', async () => {
    const w = await watchedPage(browser, server.baseUrl, { width: 1280, height: 900 });
    await w.page.goto(await server.link('SEND Partnership Board'));
    const badges = await w.page.evaluate(() =>
      ['status-green', 'status-amber', 'status-red', 'status-blue', 'status-not_started', 'verdict-on_track', 'verdict-off_track', 'verdict-no_reading'].map((cls) => {
        const el = [...document.querySelectorAll(`.${cls}`)][0];
        if (!el) return { cls, missing: true, color: '', background: '', border: '' };
        const style = getComputedStyle(el);
        return { cls, missing: false, color: style.color, background: style.backgroundColor, border: style.borderTopColor };
      }),
    );
    const present = badges.filter((b) => !b.missing);
    expect(present.map((b) => b.cls)).toEqual(expect.arrayContaining(['status-green', 'status-amber', 'status-red']));
    for (const b of present) {
      expect(contrast(b.color, b.background), `${b.cls} text`).toBeGreaterThanOrEqual(4.5);
      if (b.cls !== 'status-not_started') expect(contrast(b.border, 'rgb(255, 255, 255)'), `${b.cls} border`).toBeGreaterThanOrEqual(3);
    }
    await w.context.close();
  });
});

/** WCAG contrast ratio of two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
