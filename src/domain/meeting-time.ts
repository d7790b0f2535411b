import { DateTime } from 'luxon';
import { LONDON } from '../clock.js';

/**
 * Reads a meeting's date and time as written by an officer ("2024-12-04T14:00", "2024-12-04 14:00",
 * or with an explicit offset) and returns the stored UTC instant, or undefined if it is not one.
 * Times without an offset are London local time, so a 14:00 meeting stays 14:00 across clock changes.
 */
export function parseMeetingTime(text: string): string | undefined {
  const cleaned = text.trim().replace(' ', 'T');
  if (!/^\d{4}-\d{2}-\d{2}T\d{1,2}:\d{2}/.test(cleaned)) return undefined;
  const at = DateTime.fromISO(cleaned, { zone: LONDON });
  if (!at.isValid) return undefined;
  return at.toUTC().toISO() as string;
}
