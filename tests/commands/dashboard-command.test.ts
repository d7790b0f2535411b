import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, parseInstant } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import type { DashboardLinkSettings } from '../../src/commands/types.js';
import { verifyBoardLink } from '../../src/domain/dashboard-links.js';
import { renderCards } from '../../src/render/adaptive-card.js';
import { ACTION_IDS, renderBlocks } from '../../src/render/block-kit.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import type { Reply } from '../../src/render/reply.js';
import { renderText } from '../../src/render/text.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { DEMO, dbFingerprint, demoPlanDb } from '../helpers/demo-plan-db.js';
import { rows, sql } from '../helpers/test-db.js';

const NOW = '2024-11-27T09:00';
const SETTINGS: DashboardLinkSettings = { baseUrl: 'https://sendbot.example.org', secret: 's'.repeat(40), linkDays: 7 };

let db: Db;
let boardIds: Map<string, number>;
beforeAll(async () => {
  ({ db } = await demoPlanDb());
  boardIds = new Map((await rows(db, sql`select id, name from boards`) as { id: number; name: string }[]).map((b) => [b.name, b.id]));
});

/** Runs a command as `email`; `settings` null: this process has no dashboard settings at all. */
async function dashboard(email: string, typed: string, settings: DashboardLinkSettings | null = SETTINGS): Promise<Reply> {
  const caller = await findPersonByEmail(db, email);
  if (!caller) throw new Error(email);
  return await runCommandText({ db, clock: fixedClock(NOW), ...(settings ? { dashboard: settings } : {}) }, caller, 'slack', typed);
}

/** The link's parts, checked against the board the test expects. */
function linkOf(reply: Reply): URL {
  const url = reply.links?.[0]?.url;
  if (!url) throw new Error(`no link in ${JSON.stringify(reply)}`);
  return new URL(url);
}

describe('/send dashboard', () => {
  it('gives the chair a private link to the board they chair, valid for 7 days and for that board only', async () => {
    const reply = await dashboard(DEMO.dcs, '/send dashboard');
    expect(reply.tone).toBe('info');
    expect(reply.private).toBe(true);
    expect(reply.summary).toBe('SEND Partnership Board: dashboard link (works until Wed 4 Dec 2024, 09:00)');
    expect(reply.links).toHaveLength(1);
    expect(reply.links?.[0]?.label).toBe('Open the dashboard');
    const url = linkOf(reply);
    expect(`${url.origin}${url.pathname}`).toBe('https://sendbot.example.org/board/send-partnership-board');
    const exp = url.searchParams.get('exp');
    const sig = url.searchParams.get('sig');
    const now = Math.floor(parseInstant(NOW).toSeconds());
    expect(Number(exp)).toBe(now + 7 * 86_400);
    expect(verifyBoardLink(SETTINGS.secret, boardIds.get('SEND Partnership Board') as number, exp, sig, now)).toEqual({ ok: true, expiresAt: Number(exp) });
    expect(verifyBoardLink(SETTINGS.secret, boardIds.get('Scrutiny Panel') as number, exp, sig, now).ok).toBe(false);
    expect(renderText(reply)).toContain('Anyone with this link can read the dashboard for 7 days');
  });

  it('a chair gets a link only for a board they chair; the refusal names theirs and writes nothing', async () => {
    const before = await dbFingerprint(db);
    const reply = await dashboard(DEMO.dcs, '/send dashboard Scrutiny Panel');
    expect(reply.tone).toBe('error');
    expect(reply.links ?? []).toEqual([]);
    expect(reply.summary).toBe(
      'You can have a dashboard link only for a board you chair (Child Friendly Board, SEND Partnership Board); a programme officer can send you one for Scrutiny Panel. /send digest Scrutiny Panel shows the same picture in chat.',
    );
    expect(await dbFingerprint(db)).toBe(before);
    // An admin may have any board's.
    expect((await dashboard(DEMO.admin, '/send dashboard Scrutiny Panel')).links).toHaveLength(1);
  });

  it('gives a programme officer a link to the board they name, with the configured lifetime', async () => {
    const reply = await dashboard(DEMO.admin, '/send dashboard scrutiny', { ...SETTINGS, linkDays: 2 });
    const url = linkOf(reply);
    expect(url.pathname).toBe('/board/scrutiny-panel');
    expect(reply.summary).toBe('Scrutiny Panel: dashboard link (works until Fri 29 Nov 2024, 09:00)');
  });

  it('asks which board when an admin chairs none and names none', async () => {
    const reply = await dashboard(DEMO.admin, 'dashboard');
    expect(reply.summary).toBe('Which board’s dashboard?');
    expect(reply.links).toBeUndefined();
    expect(renderText(reply)).toContain('SEND Partnership Board');
  });

  it('refuses an accountable lead who neither chairs nor administers, and writes nothing', async () => {
    const before = await dbFingerprint(db);
    const reply = await dashboard(DEMO.headOfSend, '/send dashboard SEND Partnership Board');
    expect(reply.tone).toBe('error');
    expect(reply.summary).toBe('Only board chairs and programme officers can use dashboard.');
    expect(reply.links).toBeUndefined();
    expect(await dbFingerprint(db)).toBe(before);
  });

  it('names the boards when the name matches none or several', async () => {
    const none = await dashboard(DEMO.admin, '/send dashboard Schools Forum');
    expect(none.tone).toBe('error');
    expect(none.summary).toBe('No board matches "Schools Forum".');
    expect(renderText(none)).toContain('Example: /send dashboard Child Friendly Board');
    const several = await dashboard(DEMO.admin, '/send dashboard board');
    expect(several.summary).toBe('"board" matches several boards: Child Friendly Board, Health and Wellbeing Board, SEND Partnership Board.');
  });

  it('says what to set when sendbot does not know its web address', async () => {
    for (const settings of [null, { ...SETTINGS, baseUrl: null }]) {
      const reply = await dashboard(DEMO.dcs, '/send dashboard', settings);
      expect(reply.tone).toBe('warning');
      expect(reply.summary).toBe('The dashboard is not available here yet.');
      expect(renderText(reply)).toContain('set PUBLIC_URL');
      expect(reply.links).toBeUndefined();
    }
  });

  it('is listed in help', async () => {
    expect(renderText(await dashboard(DEMO.dcs, 'help'))).toMatch(/\/send dashboard \[board\] — a link to a board’s web dashboard.*e\.g\. \/send dashboard/);
  });
});

describe('the link as each platform shows it', () => {
  it('Slack: a URL button (acknowledged by its own listener), Teams: Action.OpenUrl, text and Markdown: the address', async () => {
    const reply = await dashboard(DEMO.dcs, '/send dashboard');
    const url = reply.links?.[0]?.url as string;
    const blocks = renderBlocks(reply).flatMap((m) => m.blocks ?? []);
    const buttons = blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons).toEqual([{ type: 'button', action_id: `${ACTION_IDS.linkPrefix}0`, text: { type: 'plain_text', text: 'Open the dashboard', emoji: true }, url, style: 'primary' }]);
    const card = renderCards(reply).at(-1);
    expect(card?.body.at(-1)).toEqual({ type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: 'Open the dashboard', url }] });
    expect(renderText(reply)).toContain(`Open the dashboard: ${url}`);
    expect(renderMarkdown(reply)).toContain(`- [Open the dashboard](<${url}>)`);
  });

  it('renderers never turn a non-web address into a link', () => {
    const reply: Reply = { tone: 'info', summary: 's', blocks: [], links: [{ label: 'x', url: 'javascript:alert(1)' }] };
    expect(renderText(reply)).not.toContain('javascript');
    expect(JSON.stringify(renderBlocks(reply))).not.toContain('javascript');
    expect(JSON.stringify(renderCards(reply))).not.toContain('javascript');
    expect(renderMarkdown(reply)).not.toContain('javascript');
  });
});
