// The read-only web pages on the shared HTTP server:
//   GET /board/<board>?exp=…&sig=…  a board's dashboard, for whoever holds a signed link (sent to
//                                   chairs and programme officers by `/send dashboard`);
//   GET /published[/<plan code>]     the public view of the plan (no names, no notes), only when
//                                   PUBLISHED_VIEW is on.
// Board pages are built per request and never cached by browsers or proxies (they hold names and
// notes). Public pages are built once per change of the data (src/http/published-cache.ts), and
// both are rate-limited per client address (src/http/client-rate-limit.ts): neither may keep Slack's
// acknowledgements waiting. An unknown plan code is never echoed back: the page lists the real ones. A missing, edited or expired link gets a plain 403 page saying how
// to get a new one; nothing here says whether a board exists unless the link is genuine.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DateTime } from 'luxon';
import { type Clock, toStoredInstant } from '../clock.js';
import { BOARD_PATH_PREFIX, boardSlug, verifyBoardLink } from '../domain/dashboard-links.js';
import { buildPublishedView } from '../domain/published-plan.js';
import { componentLogger, type Logger } from '../logger.js';
import { renderDashboardPage } from '../render/dashboard-page.js';
import { formatInstant } from '../render/format.js';
import { messagePage } from '../render/page-shell.js';
import { renderPublishedPage } from '../render/published-page.js';
import { listBoards } from '../store/boards-repository.js';
import { loadAssessedKpis, loadBoardDashboard } from '../store/dashboard-loader.js';
import type { Db } from '../store/database.js';
import { loadPlanningState } from '../store/planning-state-repository.js';
import { readDataVersion } from '../store/data-version.js';
import { clientAddress, normaliseAddress } from './client-address.js';
import { createClientRateLimit } from './client-rate-limit.js';
import type { HttpServer } from './http-server.js';
import { type CachedPage, createPublishedPageCache } from './published-cache.js';

export const PUBLISHED_PATH = '/published';

export interface DashboardRouteDeps {
  db: Db;
  clock: Clock;
  /** Signs and checks dashboard links (see src/store/secrets-repository.ts). */
  secret: string;
  /** Serve /published. */
  publishedView: boolean;
  logger: Logger;
  /** Reverse proxies whose X-Forwarded-For names the client, for the per-client rate limit. */
  trustedProxies?: readonly string[];
}

/** Per client address: 20 pages at once, then 2 a second — plenty for people, little for a flood. */
const PAGE_RATE = { burst: 20, perSecond: 2 };
/** A cached public page is rebuilt at least this often, as "days overdue" count from now. */
const PUBLISHED_MAX_AGE_MS = 60_000;

/**
 * No scripts, nothing fetched from anywhere: the pages are inline CSS and inline SVG only, so the
 * policy can forbid everything else. no-referrer keeps the signed link out of Referer headers.
 */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-robots-tag': 'noindex, nofollow',
};

function sendPage(req: IncomingMessage, res: ServerResponse, status: number, html: string, cache: string): void {
  const body = Buffer.from(html, 'utf8');
  res.writeHead(status, { ...PAGE_HEADERS, 'cache-control': cache, 'content-length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}

const PRIVATE = 'private, no-store';

export const LINK_REFUSED_TITLE = 'This dashboard link does not work';

function refuse(req: IncomingMessage, res: ServerResponse, why: 'expired' | 'invalid', expiredAt?: string): void {
  const first =
    why === 'expired' && expiredAt
      ? `This link to the board dashboard expired on ${expiredAt}. Links work for a few days, so that board papers do not stay open for ever.`
      : 'This link to a board dashboard is not valid: it may have been copied incompletely or changed, or the board was renamed.';
  sendPage(
    req,
    res,
    403,
    messagePage(LINK_REFUSED_TITLE, [
      first,
      'To get a new link, type /send dashboard in Slack or Teams (board chairs and programme officers), or ask your programme officer.',
    ]),
    PRIVATE,
  );
}

export function mountDashboardRoutes(http: HttpServer, deps: DashboardRouteDeps): void {
  const log = componentLogger(deps.logger, 'dashboard');
  const trusted = new Set((deps.trustedProxies ?? []).map(normaliseAddress));
  const rate = createClientRateLimit(PAGE_RATE);
  /** Answers 429 and returns false when the client has asked too often. */
  const allowed = (req: IncomingMessage, res: ServerResponse): boolean => {
    const wait = rate.take(clientAddress(req, trusted));
    if (wait === 0) return true;
    req.resume();
    res.setHeader('retry-after', String(wait));
    sendPage(req, res, 429, messagePage('Too many requests', [`Please wait ${wait} second${wait === 1 ? '' : 's'} and try again.`]), 'no-store');
    return false;
  };

  http.addPrefixRoute('GET', BOARD_PATH_PREFIX, async (req, res) => {
    if (!allowed(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const slug = safeDecode(url.pathname.slice(BOARD_PATH_PREFIX.length)).replace(/\/+$/, '');
    const exp = url.searchParams.get('exp');
    const sig = url.searchParams.get('sig');
    const now = deps.clock.now();
    const nowSeconds = Math.floor(now.toSeconds());
    // Two boards could share a slug ("SEND Board", "SEND-Board"): the signature says which one.
    const candidates = (await listBoards(deps.db)).filter((b) => boardSlug(b.name) === slug);
    let expired: string | undefined;
    for (const board of candidates) {
      const verdict = verifyBoardLink(deps.secret, board.id, exp, sig, nowSeconds);
      if (verdict.ok) {
        const model = await loadBoardDashboard(deps.db, board.id, toStoredInstant(now));
        const expiresAt = expiryInstant(verdict.expiresAt);
        sendPage(req, res, 200, renderDashboardPage(model, { linkExpiresAt: expiresAt }), PRIVATE);
        return;
      }
      if (verdict.reason === 'expired') expired = formatInstant(expiryInstant(verdict.expiresAt));
    }
    log.info({ slug, outcome: expired ? 'expired' : 'invalid' }, 'dashboard link refused');
    refuse(req, res, expired ? 'expired' : 'invalid', expired);
  });

  const cache = createPublishedPageCache(PUBLISHED_MAX_AGE_MS, 64);
  let planNames: { version: string; names: PlanName[] } | undefined;
  /** The public view now (every plan, or one), straight from the database. */
  const buildView = async (code?: string) => {
    const now = toStoredInstant(deps.clock.now());
    return buildPublishedView(await loadPlanningState(deps.db), now, code, await loadAssessedKpis(deps.db, now));
  };
  const published = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!deps.publishedView) {
      sendPage(req, res, 404, messagePage('Not published', ['This partnership has not published its plan here.']), 'no-store');
      return;
    }
    if (!allowed(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const code = safeDecode(url.pathname.slice(PUBLISHED_PATH.length)).replace(/^\/+|\/+$/g, '');
    const version = await readDataVersion(deps.db);
    let page = await cache.get('', version, async () => {
      const view = await buildView();
      planNames = { version, names: (view?.plans ?? []).map((p) => ({ code: p.code, title: p.title })) };
      return { status: 200, html: view ? renderPublishedPage(view) : messagePage('Nothing published', ['No plan has been loaded yet.']) };
    });
    if (code) {
      // The whole page was built with this version (just now or earlier), so planNames is current.
      const names = planNames?.version === version ? planNames.names : [];
      // Keyed by the plan's own code, never by what was typed: made-up paths share one page.
      const plan = names.find((p) => p.code.toLowerCase() === code.toLowerCase());
      page = await (plan
        ? await cache.get(`plan:${plan.code}`, version, async () => {
            const view = await buildView(plan.code);
            return view ? { status: 200, html: renderPublishedPage(view) } : noSuchPlanPage(names);
          })
        : await cache.get('missing', version, () => noSuchPlanPage(names)));
    }
    // Public and the same for everyone: a short cache spares the server when a forum shares the link.
    sendPage(req, res, page.status, page.html, page.status === 200 ? 'public, max-age=300' : 'no-store');
  };
  http.addRoute('GET', PUBLISHED_PATH, published);
  http.addPrefixRoute('GET', `${PUBLISHED_PATH}/`, published);
}

interface PlanName {
  code: string;
  title: string;
}

/** "No such plan": says what there is, and never repeats the path that was asked for. */
function noSuchPlanPage(plans: PlanName[]): CachedPage {
  const list = plans.length > 0 ? `The plans published here are: ${plans.map((p) => `${p.code} (${p.title})`).join('; ')}.` : 'No plan has been published yet.';
  return {
    status: 404,
    html: messagePage('No such plan', [`There is no such plan here. ${list}`, `Each plan is at ${PUBLISHED_PATH}/<code>, for example ${PUBLISHED_PATH}/${plans[0]?.code ?? 'ND'}; the whole plan is at ${PUBLISHED_PATH}.`]),
  };
}

/** A link's expiry (seconds since the epoch) as a stored UTC instant. */
function expiryInstant(unixSeconds: number): string {
  return toStoredInstant(DateTime.fromSeconds(unixSeconds, { zone: 'utc' }));
}

/** A path segment decoded; a malformed escape ("%E0%A4%A") is kept as typed (it then matches nothing). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
