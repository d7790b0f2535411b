// What a dashboard link is: `<base>/board/<slug>?exp=<unix seconds>&sig=<HMAC>`. The signature is
// HMAC-SHA256 over the board's id and the expiry, with a secret only the server holds, so a link
// opens one board's dashboard until it expires and cannot be edited into another board's or a
// longer-lived one. Pure: the caller passes the secret and "now" (seconds since the epoch).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The path prefix of a board's dashboard. */
export const BOARD_PATH_PREFIX = '/board/';

/** "SEND Partnership Board" → "send-partnership-board": readable in a URL, stable while the name is. */
export function boardSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019'`]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'board';
}

/** Versioned, so the meaning of a signature can change later without old links verifying wrongly. */
function message(boardId: number, expiresAt: number): string {
  return `sendbot-dashboard-v1:board:${boardId}:exp:${expiresAt}`;
}

export function signBoardLink(secret: string, boardId: number, expiresAt: number): string {
  return createHmac('sha256', secret).update(message(boardId, expiresAt)).digest('base64url');
}

export interface SignedBoardLink {
  path: string;
  expiresAt: number;
}

/** The path and query of a board's dashboard link, valid until `expiresAt` (seconds). */
export function boardLinkPath(secret: string, board: { id: number; name: string }, expiresAt: number): string {
  const sig = signBoardLink(secret, board.id, expiresAt);
  return `${BOARD_PATH_PREFIX}${boardSlug(board.name)}?exp=${expiresAt}&sig=${sig}`;
}

/** A full link from the public base URL (which may carry a path, e.g. behind a reverse proxy). */
export function absoluteUrl(baseUrl: string, pathAndQuery: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${pathAndQuery}`;
}

export type LinkVerdict = { ok: true; expiresAt: number } | { ok: false; reason: 'expired'; expiresAt: number } | { ok: false; reason: 'invalid' };

const EXP_PATTERN = /^\d{1,12}$/;

/**
 * Checks a link's `exp` and `sig` for a board. The signature is checked first (in constant time), so
 * an edited expiry is "invalid", never "expired"; only a genuine link can report that it expired.
 */
export function verifyBoardLink(secret: string, boardId: number, exp: string | null, sig: string | null, nowSeconds: number): LinkVerdict {
  if (!exp || !sig || !EXP_PATTERN.test(exp)) return { ok: false, reason: 'invalid' };
  const expiresAt = Number(exp);
  const expected = Buffer.from(signBoardLink(secret, boardId, expiresAt));
  const given = Buffer.from(sig);
  // timingSafeEqual needs equal lengths; a length mismatch reveals nothing secret (the length is public).
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  if (nowSeconds >= expiresAt) return { ok: false, reason: 'expired', expiresAt };
  return { ok: true, expiresAt };
}
