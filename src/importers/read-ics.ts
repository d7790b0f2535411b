// Reads a committee calendar feed (iCalendar) into meeting times. ical.js handles folding, TZID
// definitions and all-day events, which are easy to get wrong by hand.
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { LONDON } from '../clock.js';
import { ImportError } from './import-errors.js';

export interface CalendarMeeting {
  uid: string | null;
  title: string | null;
  /** UTC ISO instant. */
  startsAt: string;
  cancelled: boolean;
}

export function readIcs(content: string, file?: string): CalendarMeeting[] {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(content));
  } catch (error) {
    throw new ImportError({ file, message: `not a valid iCalendar file: ${(error as Error).message}` });
  }
  // Register the feed's own VTIMEZONEs so TZID-qualified times convert correctly.
  for (const tz of root.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(tz);
  }
  const meetings: CalendarMeeting[] = [];
  for (const component of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    if (!event.startDate) continue;
    const start = event.startDate;
    let at: DateTime;
    if (start.isDate) {
      // An all-day committee entry: assume a morning meeting so the lead times still work.
      at = DateTime.fromObject({ year: start.year, month: start.month, day: start.day, hour: 9 }, { zone: LONDON });
    } else if (start.zone?.tzid === 'floating' || !start.zone) {
      at = DateTime.fromObject(
        { year: start.year, month: start.month, day: start.day, hour: start.hour, minute: start.minute },
        { zone: LONDON },
      );
    } else {
      at = DateTime.fromSeconds(start.toUnixTime(), { zone: LONDON });
    }
    const status = String(component.getFirstPropertyValue('status') ?? '').toUpperCase();
    meetings.push({
      uid: event.uid ?? null,
      title: event.summary ?? null,
      startsAt: at.toUTC().toISO() as string,
      cancelled: status === 'CANCELLED',
    });
  }
  return meetings.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}
