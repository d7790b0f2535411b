// Plain-text formatting shared by the message model's builders (domain) and every renderer: dates,
// instants in London time, short titles, plurals. No markup.
import { DateTime } from 'luxon';
import { LONDON } from '../clock.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "31 Mar 2025" from an ISO date; "no date" for null. (String work only: lists format hundreds.) */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return 'no date';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined;
  return m && month ? `${Number(m[3])} ${month} ${m[1]}` : iso;
}

/** "Wed 4 Dec 2024, 14:00" (London time) from a stored UTC instant. */
export function formatInstant(utcIso: string | null | undefined): string {
  if (!utcIso) return '—';
  const d = DateTime.fromISO(utcIso, { zone: 'utc' }).setZone(LONDON);
  return d.isValid ? d.toFormat('ccc d LLL yyyy, HH:mm') : utcIso;
}

/** "4 Dec" style short date for update trails. */
export function formatShortInstant(utcIso: string): string {
  const d = DateTime.fromISO(utcIso, { zone: 'utc' }).setZone(LONDON);
  return d.isValid ? d.toFormat('d LLL yyyy HH:mm') : utcIso;
}

/** An action's text cut to `max` characters at a word boundary, for one-line lists. */
export function shortTitle(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${pluralWord(n, one, many)}`;
}

/** The word alone, for where the number is shown apart from it (a dashboard tile). */
export function pluralWord(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}
