// Escaping for Slack text. Everything in a Reply is plain text typed by someone; in Slack it lands in
// `mrkdwn` (sections, fields, context, the notification text) or `plain_text` (headers, buttons,
// options). Slack's control sequences all start with `<`: `<!channel>`, `<!here>`, `<@U123>`,
// `<#C123>`, `<https://x|y>`. Escaping `&`, `<` and `>` (the only three characters Slack asks apps to
// escape) makes every one of them show as typed instead.
//
// Bare `@channel`, `@here` and `@everyone` are not parsed in API messages unless `link_names` is set,
// but a client or a future setting could still auto-link them, so a WORD JOINER (U+2060, invisible,
// and unlike a zero-width space it never lets the line wrap between "@" and the word) goes after the
// "@". Formatting characters (`*`, `_`, `~`, backticks) are deliberately left alone: at worst they
// change emphasis, never who is notified or where a link goes.

/** Invisible character put after "@" in a broadcast word so no client can turn it into a ping. */
export const MENTION_BREAKER = '\u2060';

const BROADCAST_WORDS = /@(channel|here|everyone)\b/gi;

/** Inserts the invisible breaker after the "@" of @channel, @here and @everyone (any case). */
export function neutraliseBroadcasts(text: string): string {
  return text.replace(BROADCAST_WORDS, `@${MENTION_BREAKER}$1`);
}

/** Plain text → safe Slack `mrkdwn` (and the message's fallback `text`). */
export function escapeMrkdwn(text: string): string {
  return neutraliseBroadcasts(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/**
 * Plain text → safe Slack `plain_text` object text (headers, buttons, options, labels).
 * plain_text never turns `<!channel>` into a ping, but Slack stores and returns it in the same
 * entity-escaped form as mrkdwn (a button labelled "A & B" comes back as "A &amp; B") and decodes
 * the three entities for display, so escaping here shows the same characters and keeps the
 * guarantee simple: no Slack control sequence appears anywhere in what we send.
 */
export function escapePlain(text: string): string {
  return escapeMrkdwn(text);
}

export type Escaper = (text: string) => string;

/** Splits into code points so a cut never leaves half of an emoji's surrogate pair. */
function codePoints(text: string): string[] {
  return Array.from(text);
}

/**
 * The escaped text, shortened with "…" so the *escaped* result is at most `max` characters
 * (UTF-16 units, which is what `.length` and Slack's limits count). Cuts the raw text, never the
 * escaped form, so no `&amp;` is ever split.
 */
export function truncateEscaped(text: string, max: number, escape: Escaper = escapeMrkdwn, ellipsis = '…'): string {
  const whole = escape(text);
  if (whole.length <= max) return whole;
  const points = codePoints(text);
  const room = max - ellipsis.length;
  if (room <= 0) return ellipsis.slice(0, Math.max(0, max));
  // The escaped length of a prefix only grows with the prefix, so binary search the longest that fits.
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escape(points.slice(0, mid).join('')).length <= room) lo = mid;
    else hi = mid - 1;
  }
  return escape(points.slice(0, lo).join('').trimEnd()) + ellipsis;
}

/**
 * Splits plain text into pieces whose escaped forms are each at most `max` characters, preferring to
 * break after a newline, then after a space, in the second half of a piece. Returns escaped pieces.
 */
export function chunkEscaped(text: string, max: number, escape: Escaper = escapeMrkdwn): string[] {
  const pieces: string[] = [];
  let rest = codePoints(text);
  while (rest.length > 0) {
    if (escape(rest.join('')).length <= max) {
      pieces.push(escape(rest.join('')));
      break;
    }
    let lo = 1;
    let hi = rest.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (escape(rest.slice(0, mid).join('')).length <= max) lo = mid;
      else hi = mid - 1;
    }
    let cut = lo;
    const half = Math.floor(lo / 2);
    const newline = rest.lastIndexOf('\n', lo - 1);
    const space = rest.lastIndexOf(' ', lo - 1);
    if (newline >= half) cut = newline + 1;
    else if (space >= half) cut = space + 1;
    pieces.push(escape(rest.slice(0, cut).join('').replace(/\s+$/u, '')));
    rest = rest.slice(cut);
    while (rest.length > 0 && (rest[0] === '\n' || rest[0] === ' ')) rest = rest.slice(1);
  }
  return pieces.filter((p) => p.length > 0);
}
