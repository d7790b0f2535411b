// What a calendar import or a feed refresh changed, in words: the lines `boards import` prints (a dry
// run lists what it would do) and the message programme officers get when a followed feed changes or
// stops working. Pure: times are shown in London time.
import { DateTime } from 'luxon';
import { LONDON } from '../clock.js';
import type { CalendarFeed } from '../importers/read-ics.js';
import type { CalendarChange, CalendarTally } from '../store/calendar-import.js';
import { plural, pluralWord } from './format.js';
import { list, type Reply, reply, text } from './reply.js';

/** "Wed 29 Jan 2025 14:00", London time. */
export function meetingTime(utcIso: string): string {
  return DateTime.fromISO(utcIso, { zone: 'utc' }).setZone(LONDON).toFormat('ccc d LLL yyyy HH:mm');
}

function dayOnly(utcIso: string): string {
  return DateTime.fromISO(utcIso, { zone: 'utc' }).setZone(LONDON).toFormat('d LLL yyyy');
}

/** One change as a sentence; a dry run says what would happen. */
export function describeChange(c: CalendarChange, dryRun = false): string {
  const what = c.title ?? 'meeting';
  switch (c.kind) {
    case 'added':
      return `${dryRun ? 'Would add' : 'Added'}: ${what} on ${meetingTime(c.startsAt)}.`;
    case 'moved':
      return `${dryRun ? 'Would move' : 'Moved'}: ${what} from ${meetingTime(c.from ?? c.startsAt)} to ${meetingTime(c.startsAt)}.`;
    case 'reinstated':
      return `${dryRun ? 'Would put back on' : 'Back on'}: ${what} on ${meetingTime(c.startsAt)}.`;
    case 'cancelled':
      return c.dropped
        ? `${dryRun ? 'Would cancel' : 'Cancelled'}: the meeting on ${meetingTime(c.startsAt)} is no longer in the feed.`
        : `${dryRun ? 'Would cancel' : 'Cancelled'}: ${what} on ${meetingTime(c.startsAt)} (cancelled in the feed).`;
  }
}

function summaryLine(boardName: string, tally: CalendarTally): string {
  return (
    `${boardName}: ${plural(tally.added, 'meeting')} added, ${tally.unchanged} already known, ` +
    `${tally.moved} moved, ${tally.cancelled} cancelled${tally.reinstated ? `, ${tally.reinstated} back on` : ''}.`
  );
}

/** Everything an import report says beyond the changes: events skipped, the horizon, notes. */
function feedLines(feed: CalendarFeed, boardName: string): string[] {
  const lines = [...feed.notes];
  if (feed.skipped.length > 0) {
    lines.push(
      `Skipped ${plural(feed.skipped.length, 'event')} that could not be read; the rest of the feed was imported, and meetings already known from these events were left as they are:`,
      ...feed.skipped.map((s) => `  - ${s}`),
    );
  }
  if (feed.repeating) {
    lines.push(`Repeating events were expanded from ${dayOnly(feed.horizon.from)} to ${dayOnly(feed.horizon.to)}; import the feed again later for meetings after that.`);
  }
  if (feed.allDay.length > 0) {
    lines.push(
      `Skipped ${plural(feed.allDay.length, 'all-day event')}, which ${pluralWord(feed.allDay.length, 'has', 'have')} no time to plan nudges from: ${feed.allDay.join('; ')}. ` +
        `If one is a meeting, add it with: sendbot boards meeting add "${boardName}" <date>T<time>`,
    );
  }
  return lines;
}

/** The CLI's report of one import. */
export function calendarImportLines(boardName: string, tally: CalendarTally, feed: CalendarFeed, dryRun: boolean): string[] {
  return [
    `${dryRun ? 'Dry run — nothing written. ' : ''}${summaryLine(boardName, tally)}`,
    ...tally.changes.map((c) => describeChange(c, dryRun)),
    ...feedLines(feed, boardName),
  ];
}

/** To programme officers: a followed feed changed the board's meetings. */
export function feedChangedReply(boardName: string, url: string, tally: CalendarTally, feed: CalendarFeed): Reply {
  const changed = tally.added + tally.moved + tally.cancelled + tally.reinstated;
  return reply('info', `${boardName}: the committee calendar changed ${plural(changed, 'meeting')}.`, [
    list(tally.changes.map((c) => describeChange(c))),
    ...(feed.skipped.length > 0 ? [text(`Skipped ${plural(feed.skipped.length, 'event')} that could not be read: ${feed.skipped.join('; ')}`)] : []),
    text(`From the feed ${url}, checked daily. Stop following it with: sendbot boards unfollow "${boardName}"`, true),
  ]);
}

/** To programme officers, once per outage: a followed feed could not be read; nothing was changed. */
export function feedFailedReply(boardName: string, url: string, problem: string): Reply {
  return reply('warning', `${boardName}: the committee calendar feed could not be read; the board's meetings were left as they are.`, [
    text(`${url}: ${problem}`),
    text('sendbot tries again daily and says nothing more until the feed works again. Check the address, or import a file with: sendbot boards import <file.ics> --board "' + boardName + '"', true),
  ]);
}
