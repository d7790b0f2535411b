import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { absoluteUrl, boardLinkPath, boardSlug, signBoardLink, verifyBoardLink } from '../../src/domain/dashboard-links.js';

const SECRET = 'k'.repeat(43);
const NOW = 1_732_698_000; // 27 Nov 2024 09:00 UTC
const EXP = NOW + 7 * 86_400;

describe('boardSlug', () => {
  it.each([
    ['SEND Partnership Board', 'send-partnership-board'],
    ['Children’s Trust Board', 'childrens-trust-board'],
    ['Health & Wellbeing  Board', 'health-wellbeing-board'],
    ['Comité Éducation', 'comite-education'],
    ['——', 'board'],
  ])('%s → %s', (name, slug) => {
    expect(boardSlug(name)).toBe(slug);
  });
});

describe('signed board links', () => {
  const sig = signBoardLink(SECRET, 3, EXP);

  it('is HMAC-SHA256 over the board id and expiry, base64url', () => {
    expect(sig).toBe(createHmac('sha256', SECRET).update(`sendbot-dashboard-v1:board:3:exp:${EXP}`).digest('base64url'));
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('builds the path with the slug, expiry and signature', () => {
    expect(boardLinkPath(SECRET, { id: 3, name: 'SEND Partnership Board' }, EXP)).toBe(`/board/send-partnership-board?exp=${EXP}&sig=${sig}`);
    expect(absoluteUrl('https://sendbot.example.org/council/', '/board/x?exp=1')).toBe('https://sendbot.example.org/council/board/x?exp=1');
  });

  it('opens until it expires, then says it expired', () => {
    expect(verifyBoardLink(SECRET, 3, String(EXP), sig, NOW)).toEqual({ ok: true, expiresAt: EXP });
    expect(verifyBoardLink(SECRET, 3, String(EXP), sig, EXP - 1)).toEqual({ ok: true, expiresAt: EXP });
    expect(verifyBoardLink(SECRET, 3, String(EXP), sig, EXP)).toEqual({ ok: false, reason: 'expired', expiresAt: EXP });
  });

  it('refuses another board, an edited expiry, an edited signature and another secret as invalid', () => {
    expect(verifyBoardLink(SECRET, 4, String(EXP), sig, NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyBoardLink(SECRET, 3, String(EXP + 86_400), sig, NOW)).toEqual({ ok: false, reason: 'invalid' });
    // An expired link with its expiry pushed forward is invalid, not "expired".
    expect(verifyBoardLink(SECRET, 3, String(EXP + 86_400), sig, EXP + 10)).toEqual({ ok: false, reason: 'invalid' });
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    expect(verifyBoardLink(SECRET, 3, String(EXP), flipped, NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyBoardLink(`${SECRET}x`, 3, String(EXP), sig, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it.each([
    [null, 'sig'],
    [String(EXP), null],
    ['', ''],
    ['1e12', 'x'],
    ['-5', 'x'],
    [`${EXP} `, 'x'],
    [String(EXP), `${'x'.repeat(5000)}`],
  ])('refuses missing or malformed parts (exp %s)', (exp, given) => {
    expect(verifyBoardLink(SECRET, 3, exp, given === 'sig' ? sig : given, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });
});
