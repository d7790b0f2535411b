// The read-only web pages on the shared HTTP server:
//   GET /board/<board>?exp=…&sig=…  a board's dashboard, for whoever holds a signed link (sent to
//                                   chairs and programme officers by `/send dashboard`);
//   GET /published[/<plan code>]     the public view of the plan (no names, no notes), only when
//                                   PUBLISHED_VIEW is on.
// Pages are built per request from the database and never cached by browsers or proxies (a board
// page holds names and notes). A missing, edited or expired link gets a plain 403 page saying how
// to get a new one; nothing here says whether a board exists unless the link is genuine.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DateTime } from 'luxon';
import { type Clock, toStoredInstant } from '../clock.js';
import { BOARD_PATH_PREFIX, boardSlug, verifyBoardLink } from '../domain/dashboard-links.js';
import { buildPublishedView } from '../domain/published-plan.js';
import type { Logger } from '../logger.js';
import { renderDashboardPage } from '../render/dashboard-page.js';
import { formatInstant } from '../render/format.js';
import { messagePage } from '../render/page-shell.js';
import { renderPublishedPage } from '../render/published-page.js';
import { listBoards } from '../store/boards-repository.js';
import { loadAssessedKpis, loadBoardDashboard } from '../store/dashboard-loader.js';
import type { Db } from '../store/database.js';
import { loadPlanningState } from '../store/planning-state-repository.js';
import type { HttpServer } from './http-server.js';

export const PUBLISHED_PATH = '/published';

export interface DashboardRouteDeps {
  db: Db;
  clock: Clock;
  /** Signs and checks dashboard links (see src/store/secrets-repository.ts). */
  secret: string;
  /** Serve /published. */
  publishedView: boolean;
  logger: Logger;
}

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
  const log = deps.logger.child({ component: 'dashboard' });

  http.addPrefixRoute('GET', BOARD_PATH_PREFIX, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const slug = safeDecode(url.pathname.slice(BOARD_PATH_PREFIX.length)).replace(/\/+$/, '');
    const exp = url.searchParams.get('exp');
    const sig = url.searchParams.get('sig');
    const now = deps.clock.now();
    const nowSeconds = Math.floor(now.toSeconds());
    // Two boards could share a slug ("SEND Board", "SEND-Board"): the signature says which one.
    const candidates = listBoards(deps.db).filter((b) => boardSlug(b.name) === slug);
    let expired: string | undefined;
    for (const board of candidates) {
      const verdict = verifyBoardLink(deps.secret, board.id, exp, sig, nowSeconds);
      if (verdict.ok) {
        const model = loadBoardDashboard(deps.db, board.id, toStoredInstant(now));
        const expiresAt = expiryInstant(verdict.expiresAt);
        sendPage(req, res, 200, renderDashboardPage(model, { linkExpiresAt: expiresAt }), PRIVATE);
        return;
      }
      if (verdict.reason === 'expired') expired = formatInstant(expiryInstant(verdict.expiresAt));
    }
    log.info({ slug, outcome: expired ? 'expired' : 'invalid' }, 'dashboard link refused');
    refuse(req, res, expired ? 'expired' : 'invalid', expired);
  });

  const published = (req: IncomingMessage, res: ServerResponse): void => {
    if (!deps.publishedView) {
      sendPage(req, res, 404, messagePage('Not published', ['This partnership has not published its plan here.']), 'no-store');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const code = safeDecode(url.pathname.slice(PUBLISHED_PATH.length)).replace(/^\/+|\/+$/g, '');
    const now = toStoredInstant(deps.clock.now());
    const view = buildPublishedView(loadPlanningState(deps.db), now, code || undefined, loadAssessedKpis(deps.db, now));
    if (!view) {
      sendPage(req, res, 404, messagePage('No such plan', [`There is no plan with the code "${code}". The whole plan is at ${PUBLISHED_PATH}.`]), 'no-store');
      return;
    }
    // Public and the same for everyone: a short cache spares the database when a forum shares the link.
    sendPage(req, res, 200, renderPublishedPage(view), 'public, max-age=300');
  };
  http.addRoute('GET', PUBLISHED_PATH, published);
  http.addPrefixRoute('GET', `${PUBLISHED_PATH}/`, published);
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
