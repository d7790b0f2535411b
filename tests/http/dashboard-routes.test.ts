// The dashboard and public pages over real HTTP (the shared server, a real database with the demo
// plan and a few weeks of chat updates): status codes, headers and what each page may and may not
// contain. What a browser makes of the pages is tests/e2e/dashboard-chromium.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, KPI_NOTE, recordKpiCorrection, startDashboardServer } from '../helpers/dashboard-server.js';
import { DIGEST_NOW, scriptedDemoDb } from '../helpers/digest-demo.js';
import { one, rows, sql } from '../helpers/test-db.js';

let server: DashboardServer;
let publicServer: DashboardServer;

beforeAll(async () => {
  const path = await scriptedDemoDb();
  await recordKpiCorrection(path);
  server = await startDashboardServer(path, { now: DIGEST_NOW });
  publicServer = await startDashboardServer(path, { now: DIGEST_NOW, publishedView: true });
});
afterAll(async () => {
  await server?.close();
  await publicServer?.close();
});

const get = async (url: string, init: RequestInit = {}) => {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: await res.text() };
};

/** Every address a page mentions, apart from the SVG namespace. */
const addresses = (html: string) => [...html.matchAll(/(?:https?:)?\/\/[^\s"'<>)]+/g)].map((m) => m[0]).filter((u) => u !== 'http://www.w3.org/2000/svg');

describe('GET /board/<board> with a signed link', () => {
  it('serves the board’s dashboard: private, uncached, no scripts, nothing fetched from elsewhere', async () => {
    const res = await get(await server.link('SEND Partnership Board'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    const html = res.body;
    expect(html).toContain('<h1>SEND Partnership Board: dashboard</h1>');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(http/i);
    expect(addresses(html)).toEqual([]);
  });

  it('shows the digest’s figures: RAG by plan, overdue, date changes against the baseline, missing updates by owner, updates', async () => {
    const html = (await get(await server.link('SEND Partnership Board'))).body;
    expect(html).toMatch(/<span class="n">5<\/span><span class="l">overdue<\/span>/);
    expect(html).toMatch(/<span class="n">83<\/span><span class="l">missing an update<\/span>/);
    expect(html).toContain('<caption>RAG status of each plan&#39;s actions, with the change since the previous meeting in brackets</caption>');
    expect(html).toMatch(/<th scope="row">ND: Neurodiversity Waiting List Improvement Plan<\/th>/);
    expect(html).toContain('<caption>Overdue actions, most overdue first</caption>');
    expect(html).toMatch(/<td class="ref">ND-4\.1<\/td>.*?<td class="num">42<\/td>/s);
    // WD-2.1 moved twice (31 Jan 2025 → 31 Mar 2025 → 30 Jun 2025); QA-3.1 waits for a decision.
    expect(html).toMatch(/<td class="ref">WD-2\.1<\/td>.*?31 Jan 2025.*?30 Jun 2025.*?\+150 days.*?<td class="num">2<\/td>/s);
    expect(html).toMatch(/Waiting for a decision \(1\).*?QA-3\.1.*?waiting for the new QA lead to start/s);
    expect(html).toMatch(/<th scope="row">Morgan Demo \(Head of SEND\)<\/th><td class="num">\d+<\/td>/);
    expect(html).toContain('NDPT pilot extended; roll-out from Jan');
    expect(html).toContain('still no panel chair &amp; no start date');
  });

  it('charts every KPI of the board’s plans against its trajectory, with the figures and who recorded them', async () => {
    const html = (await get(await server.link('SEND Partnership Board'))).body;
    const codes = [...html.matchAll(/<svg [^>]*class="kpi-chart[^"]*"[^>]*data-kpi="([^"]+)"/g)].map((m) => m[1]);
    expect(codes).toEqual(['ND-WAIT', 'ND-MEDS', 'TR-AHC', 'TR-PFA', 'HCP-HR1', 'HCP-HR2']);
    const hr1 = /<article class="kpi" id="kpi-HCP-HR1"[\s\S]*?<\/article>/.exec(html)?.[0] ?? '';
    expect(hr1).toContain('data-position="on_track"');
    expect(hr1).toContain('Latest 64.1% (Q2 2024/25, a sample figure); trajectory 63.5%; next target 65% by 31 Mar 2025.');
    expect(hr1).toMatch(/<polyline class="trajectory-line" points="[\d.,]+ [\d.,]+ [\d.,]+"/);
    expect(hr1).toContain('<caption>HR1 (12-month review) coverage: readings</caption>');
    expect(hr1).toContain('<caption>HR1 (12-month review) coverage: trajectory</caption>');
    const hr2 = /<article class="kpi" id="kpi-HCP-HR2"[\s\S]*?<\/article>/.exec(html)?.[0] ?? '';
    expect(hr2).toContain('Latest 61.2% (Q2 2024/25)');
    expect(hr2).toContain('26 Nov 2024 10:00 by Zara Sampleford');
    expect(hr2).toContain(KPI_NOTE);
    expect(html).toContain('readings marked as samples are illustrative, not published statistics');
    expect(html).toMatch(/<span class="n">[12]<\/span><span class="l">of 6 KPIs off track<\/span>/);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await fetch(await server.link('Scrutiny Panel'), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('says an expired link expired, and how to get a new one (403)', async () => {
    const res = await get(await server.link('SEND Partnership Board', -1));
    expect(res.status).toBe(403);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.body).toContain('This dashboard link does not work');
    expect(res.body).toContain('expired on Tue 26 Nov 2024, 09:00');
    expect(res.body).toContain('type /send dashboard in Slack or Teams');
    expect(res.body).not.toContain('Overdue');
  });

  it.each([
    ['a changed signature', (u: URL) => u.searchParams.set('sig', `${u.searchParams.get('sig')?.slice(0, -2)}xx`)],
    ['a later expiry', (u: URL) => u.searchParams.set('exp', String(Number(u.searchParams.get('exp')) + 86_400))],
    ['another board’s path', (u: URL) => (u.pathname = '/board/scrutiny-panel')],
    ['no signature', (u: URL) => u.searchParams.delete('sig')],
    ['a board that does not exist', (u: URL) => (u.pathname = '/board/schools-forum')],
    ['a malformed path', (u: URL) => (u.pathname = '/board/%E0%A4%A')],
  ])('refuses %s with 403 and shows nothing of the board', async (_name, edit) => {
    const url = new URL(await server.link('SEND Partnership Board'));
    edit(url);
    const res = await get(url.toString());
    expect(res.status).toBe(403);
    expect(res.body).toContain('is not valid');
    expect(res.body).toContain('/send dashboard');
    expect(res.body).not.toContain('Morgan Demo');
  });

  it('allows only GET and HEAD', async () => {
    const res = await get(await server.link('SEND Partnership Board'), { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });
});

describe('GET /published', () => {
  it('is not served unless PUBLISHED_VIEW is on', async () => {
    const res = await get(`${server.baseUrl}/published`);
    expect(res.status).toBe(404);
    expect(res.body).toContain('has not published its plan here');
  });

  it('shows every plan’s progress and every action, with no person’s name, email or note anywhere', async () => {
    const res = await get(`${publicServer.baseUrl}/published`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const html = res.body;
    expect(html).toContain('<h1>SEND improvement plan: progress</h1>');
    expect(html).toContain('Southampton Local Area SEND Partnership');
    for (const code of ['ND', 'TR', 'HCP', 'QA', 'WD']) expect(html).toContain(`<section id="plan-${code}"`);
    const refs = (await rows(server.db, sql`select ref from actions where removed_at is null`) as { ref: string }[]).map((r) => r.ref);
    for (const ref of refs) expect(html).toContain(`<td class="ref">${ref}</td>`);
    expect(html).toMatch(/<td class="ref">WD-2\.1<\/td>.*?30 Jun 2025 \(plan said 31 Jan 2025\)/s);

    const people = await rows(server.db, sql`select name, email from people`) as { name: string; email: string }[];
    expect(people.length).toBeGreaterThan(10);
    for (const p of people) {
      expect(html, p.name).not.toContain(p.name);
      expect(html, p.email).not.toContain(p.email);
    }
    const notes = (await rows(server.db, sql`select note from updates where note is not null and note <> ''`) as { note: string }[]).map((n) => n.note);
    expect(notes.length).toBeGreaterThan(5);
    const reasons = (await rows(server.db, sql`select reason from due_date_changes where reason is not null`) as { reason: string }[]).map((r) => r.reason);
    expect(html).toContain('data-kpi="HCP-HR2"');
    expect(html).toContain('61.2%');
    for (const text of [...notes, ...reasons, KPI_NOTE]) {
      expect(html, text).not.toContain(text);
      expect(html, text).not.toContain(text.replace(/&/g, '&amp;'));
    }
    expect(addresses(html)).toEqual([]);
  });

  it('shows one plan by its code, in any case, and 404s an unknown code', async () => {
    const one = await get(`${publicServer.baseUrl}/published/hcp`);
    expect(one.status).toBe(200);
    expect(one.body).toContain('<h1>HCP: Healthy Child Programme Improvement Plan</h1>');
    expect(one.body).not.toContain('id="plan-ND"');
    const missing = await get(`${publicServer.baseUrl}/published/zz`);
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('There is no such plan here. The plans published here are: ND (');
    expect(missing.body).not.toContain('zz');
  });
});

describe('a board with thousands of actions', () => {
  it('cuts each table at MAX_TABLE_ROWS rows and says where the whole list is', async () => {
    const { renderDashboardPage, MAX_TABLE_ROWS } = await import('../../src/render/dashboard-page.js');
    const { loadBoardDashboard } = await import('../../src/store/dashboard-loader.js');
    const board = await one(server.db, sql`select id from boards where name = 'SEND Partnership Board'`) as { id: number };
    const model = await loadBoardDashboard(server.db, board.id, '2024-11-27T09:00:00.000Z');
    // Every missing update repeated until there are more than the page shows.
    const plan = model.digest.plans[0];
    if (!plan) throw new Error('no plan');
    const many = Array.from({ length: MAX_TABLE_ROWS * 2 + 3 }, (_, i) => ({ ...(plan.overdue[0] as (typeof plan.overdue)[number]), ref: `ND-9.${i}` }));
    plan.overdue = many;
    const html = renderDashboardPage(model, { linkExpiresAt: '2024-12-04T09:00:00.000Z' });
    const overdue = /<section id="overdue"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(overdue.match(/<td class="ref">ND-9\.\d+<\/td>/g)).toHaveLength(MAX_TABLE_ROWS);
    const total = model.digest.plans.reduce((n, p) => n + p.overdue.length, 0);
    expect(total).toBeGreaterThan(MAX_TABLE_ROWS * 2);
    expect(overdue).toContain(`Showing the first 500 of ${total.toLocaleString('en-GB')}. The whole list: sendbot export, or sendbot digest --full.`);
  });
});
