// The board dashboard and the public view in real headless Chromium (Debian's package), served by
// sendbot's HTTP server over a real database: the demo plan with a few weeks of chat updates, date
// changes and approvals. Checks what a chair sees, that refused links say how to get a new one, that
// the public page shows no people, and that no page logs an error or fetches anything from anywhere.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchedPage } from '../helpers/chromium.js';
import { type DashboardServer, KPI_NOTE, recordKpiCorrection, startDashboardServer } from '../helpers/dashboard-server.js';
import { DIGEST_NOW, scriptedDemoDb } from '../helpers/digest-demo.js';
import { rows, sql } from '../helpers/test-db.js';

// Functions passed to page.evaluate run in the browser; this project compiles without the DOM
// library (it is a Node service), so the few browser globals used there are declared here, locally.
declare const document: { documentElement: { scrollWidth: number }; querySelectorAll(selector: string): Iterable<BrowserElement> };
declare const window: { innerWidth: number };
declare function getComputedStyle(element: unknown): { overflowX: string; backgroundColor: string };
interface BrowserElement {
  tagName: string;
  caption?: { textContent: string | null } | null;
  getAttribute(name: string): string | null;
  closest(selector: string): BrowserElement | null;
  querySelector(selector: string): BrowserElement | null;
}

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

describe('the board dashboard in Chromium', () => {
  it('shows the chair the figures, the detail behind them and every chart, with no errors and nothing fetched elsewhere', async () => {
    const w = await watchedPage(browser, server.baseUrl);
    const response = await w.page.goto(await server.link('SEND Partnership Board'));
    expect(response?.status()).toBe(200);
    const page = w.page;

    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('SEND Partnership Board: dashboard');
    const figures = page.getByRole('list', { name: 'Key figures' });
    expect(await figures.innerText()).toMatch(/91\s+actions in 5 plans[\s\S]*5\s+overdue[\s\S]*83\s+missing an update[\s\S]*1\s+date change to decide/);

    // RAG by plan: a table whose rows are the plans, each with its bar and labelled counts.
    const rag = page.getByRole('table', { name: /RAG status of each plan/ });
    expect(await rag.getByRole('rowheader').allInnerTexts()).toEqual([
      'ND: Neurodiversity Waiting List Improvement Plan',
      'TR: Transitions Improvement Plan',
      'HCP: Healthy Child Programme Improvement Plan',
      'QA: Quality Assurance and Performance Improvement Plan',
      'WD: Workforce Development Improvement Plan',
      'All plans: 91 actions',
    ]);
    expect(await rag.getByRole('columnheader').allInnerTexts()).toEqual(['Plan', 'Share by status', 'Green', 'Amber', 'Red', 'Complete', 'Not started', 'Actions']);
    const bars = page.locator('svg.rag-bar');
    expect(await bars.count()).toBe(6);
    const box = await bars.first().boundingBox();
    expect(box?.width).toBeGreaterThan(100);

    // The overdue table names ND-4.1 with its owner and working days overdue.
    const overdue = page.getByRole('table', { name: 'Overdue actions, most overdue first' });
    const first = overdue.getByRole('row').nth(1);
    expect(await first.innerText()).toMatch(/^ND-4\.1\s.*Leah Testbury \(SEND Clinical Lead Solent\)\s+30 Sep 2024\s+42\s+Not started/s);
    expect(await page.getByRole('table', { name: 'Actions whose due date differs from the original plan' }).innerText()).toMatch(/WD-2\.1[\s\S]*31 Jan 2025\s+30 Jun 2025\s+\+150 days\s+2/);

    // KPI charts: an image per KPI named by its verdict, with the trajectory drawn and the figures behind it.
    const hr1 = page.getByRole('img', { name: 'HR1 (12-month review) coverage: on track, latest 64.1%' });
    expect(await hr1.isVisible()).toBe(true);
    const chartBox = await hr1.boundingBox();
    expect(chartBox?.width).toBeGreaterThan(300);
    expect(await hr1.locator('polyline.trajectory-line').count()).toBe(1);
    expect(await hr1.locator('circle.reading').count()).toBe(2);
    expect(await page.getByRole('img', { name: /^HR2 \(2–2\.5 year review\) coverage: (off|on) track, latest 61\.2%$/ }).isVisible()).toBe(true);
    const card = page.locator('#kpi-HCP-HR2');
    const readings = card.getByRole('table', { name: 'HR2 (2–2.5 year review) coverage: readings' });
    expect(await readings.isVisible()).toBe(false);
    await card.getByText('Figures for this chart').click();
    expect(await readings.isVisible()).toBe(true);
    expect(await readings.innerText()).toContain('Zara Sampleford');
    expect(await readings.innerText()).toContain(KPI_NOTE);

    // Tiles link to their detail.
    await page.getByRole('link', { name: /missing an update/ }).click();
    expect(page.url()).toMatch(/#missing$/);
    expect(await page.getByRole('heading', { name: 'Missing updates (83)' }).isVisible()).toBe(true);

    expect(w.errors).toEqual([]);
    expect(w.external).toEqual([]);
    await w.context.close();
  });

  it('is one column on a phone: nothing wider than the screen except tables, which scroll in their own box', async () => {
    const w = await watchedPage(browser, server.baseUrl, { width: 390, height: 844 });
    await w.page.goto(await server.link('SEND Partnership Board'));
    const widths = await w.page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    const wrap = w.page.locator('.table-wrap').first();
    expect(await wrap.evaluate((el) => getComputedStyle(el).overflowX)).toBe('auto');
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  it('prints on white, without the screen’s dark banner, and keeps the status colours', async () => {
    const w = await watchedPage(browser, server.baseUrl);
    await w.page.goto(await server.link('SEND Partnership Board'));
    await w.page.emulateMedia({ media: 'print' });
    const banner = await w.page.locator('header.masthead').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(banner).toBe('rgb(255, 255, 255)');
    expect(await w.page.locator('.status-red').first().evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(246, 215, 210)');
    expect(await w.page.locator('.status-red').first().innerText()).toMatch(/^Red/);
    const pdf = await w.page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await w.context.close();
  });

  it('gives every chart a text alternative and every table a caption', async () => {
    const w = await watchedPage(browser, server.baseUrl);
    await w.page.goto(await server.link('SEND Partnership Board'));
    const report = await w.page.evaluate(() => ({
      tablesWithoutCaption: [...document.querySelectorAll('table')].filter((t) => !t.caption?.textContent?.trim()).length,
      headersWithoutScope: [...document.querySelectorAll('th')].filter((th) => !th.getAttribute('scope')).length,
      // Decorative ones are hidden from screen readers (their figures are in a table); the rest are images with a title.
      unlabelledSvgs: [...document.querySelectorAll('svg')].filter((s) => !s.closest('[aria-hidden="true"]') && !(s.getAttribute('role') === 'img' && s.querySelector(':scope > title')))
        .length,
      headings: [...document.querySelectorAll('h1, h2, h3')].map((h) => Number(h.tagName[1])),
    }));
    expect(report.tablesWithoutCaption).toBe(0);
    expect(report.headersWithoutScope).toBe(0);
    expect(report.unlabelledSvgs).toBe(0);
    // One h1, and no level skipped on the way down.
    expect(report.headings.filter((h) => h === 1)).toHaveLength(1);
    report.headings.forEach((h, i) => expect(h - (report.headings[i - 1] ?? 0)).toBeLessThanOrEqual(1));
    await w.context.close();
  });

  it('an expired link shows a 403 page saying how to get a new link', async () => {
    const w = await watchedPage(browser, server.baseUrl);
    const response = await w.page.goto(await server.link('SEND Partnership Board', -2));
    expect(response?.status()).toBe(403);
    expect(await w.page.getByRole('heading', { level: 1 }).innerText()).toBe('This dashboard link does not work');
    expect(await w.page.locator('main').innerText()).toContain('expired on Mon 25 Nov 2024, 09:00');
    expect(await w.page.locator('main').innerText()).toContain('type /send dashboard in Slack or Teams');
    await w.context.close();
  });

  it('a tampered link shows a 403 page and nothing of the board', async () => {
    const w = await watchedPage(browser, server.baseUrl);
    const url = new URL(await server.link('SEND Partnership Board'));
    url.pathname = '/board/scrutiny-panel';
    const response = await w.page.goto(url.toString());
    expect(response?.status()).toBe(403);
    const text = await w.page.locator('body').innerText();
    expect(text).toContain('is not valid');
    expect(text).not.toContain('Scrutiny Panel');
    await w.context.close();
  });
});

describe('the public view in Chromium', () => {
  it('shows progress by plan and every action, and no person’s name or any note', async () => {
    const w = await watchedPage(browser, server.baseUrl);
    const response = await w.page.goto(`${server.baseUrl}/published`);
    expect(response?.status()).toBe(200);
    expect(await w.page.getByRole('heading', { level: 1 }).innerText()).toBe('SEND improvement plan: progress');
    expect(await w.page.getByRole('table', { name: 'WD: actions' }).innerText()).toMatch(/WD-2\.1[\s\S]*30 Jun 2025 \(plan said 31 Jan 2025\)/);
    const text = await w.page.locator('body').innerText();
    const html = await w.page.content();
    const people = await rows(server.db, sql`select name, email from people`) as { name: string; email: string }[];
    const notes = (await rows(server.db, sql`select note from updates where note is not null and note <> ''`) as { note: string }[]).map((n) => n.note);
    for (const p of people) {
      expect(text).not.toContain(p.name);
      expect(html).not.toContain(p.email);
    }
    for (const note of [...notes, KPI_NOTE]) expect(html).not.toContain(note);
    // The measures are there, without who recorded them.
    expect(await w.page.getByRole('img', { name: /^HR2 \(2–2\.5 year review\) coverage: .*61\.2%$/ }).isVisible()).toBe(true);
    expect(w.errors).toEqual([]);
    expect(w.external).toEqual([]);
    await w.context.close();
  });
});
