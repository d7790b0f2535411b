// Reads a committee calendar feed (iCalendar) into meeting times, with ical.js doing the calendar
// work that is easy to get wrong by hand: line folding, repeating events (RRULE, RDATE, EXDATE, via
// ICAL.Event's RecurExpansion iterator), changed or cancelled occurrences (RECURRENCE-ID), and time
// zones defined in the feed (VTIMEZONE).
//
// - Times: a UTC time ("…Z") is that instant; a TZID defined by a VTIMEZONE in the feed is converted
//   with that definition (ical.js, looked up in the feed itself, never in a process-wide registry, so
//   one feed's definitions cannot leak into the next); a TZID the feed does not define is read as an
//   IANA zone name ("Europe/London") or a Windows one ("GMT Standard Time"); any other TZID is refused.
//   A time with no zone ("floating") is London time.
// - All-day events (a DATE without a time) are not meetings sendbot can time nudges for: they are
//   skipped and listed, never given a made-up time.
// - Repeating events are expanded from HORIZON_BEFORE_MONTHS before today to HORIZON_AFTER_MONTHS
//   after it (a board's cycle needs its previous meeting; a plan runs a couple of years). Re-import
//   the feed later for meetings beyond that. One-off events are read whatever their date.
// - Cancelled: STATUS:CANCELLED on an event cancels all its occurrences; on a RECURRENCE-ID override,
//   that occurrence. An override with another DTSTART moves its occurrence.
// - Each occurrence has a stable key (UID, plus the occurrence's original time for a repeating
//   event), so re-importing the same feed finds the same meetings and changes nothing.
import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';
import { LONDON } from '../clock.js';
import { ImportError, type ImportProblem } from './import-errors.js';

export const HORIZON_BEFORE_MONTHS = 12;
export const HORIZON_AFTER_MONTHS = 24;
/** More occurrences than this for one event in the horizon is not a board's calendar. */
const MAX_OCCURRENCES = 400;
/** Steps through a repeating event's earlier occurrences before giving up on reaching the horizon. */
const MAX_STEPS = 20_000;

export interface CalendarMeeting {
  /** UID, plus "#<original start, UTC>" for one occurrence of a repeating event. */
  key: string;
  uid: string;
  title: string | null;
  /** UTC ISO instant. */
  startsAt: string;
  cancelled: boolean;
}

export interface CalendarFeed {
  meetings: CalendarMeeting[];
  /** Every UID in the feed: meetings imported from these before and no longer in the feed were dropped from it. */
  uids: Set<string>;
  /** All-day events, skipped: "Board away day (12 Mar 2025)". */
  allDay: string[];
  /** The window repeating events were expanded over (UTC ISO instants). */
  horizon: { from: string; to: string };
  /** Whether any event repeats. */
  repeating: boolean;
}

/** Outlook writes Windows zone names; the ones a UK council's partners are likely to use. */
const WINDOWS_ZONES: Record<string, string> = {
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'GTB Standard Time': 'Europe/Bucharest',
  'Irish Standard Time': 'Europe/Dublin',
  'Eastern Standard Time': 'America/New_York',
  'Pacific Standard Time': 'America/Los_Angeles',
  UTC: 'UTC',
};

type Instant = { ok: true; at: DateTime } | { ok: false; message: string };

/** The instant an ical.js time stands for, honouring the TZID it was written with. */
function instantOf(time: ICAL.Time, tzid: string | null): Instant {
  const zone = time.zone;
  if (zone === ICAL.Timezone.utcTimezone) return { ok: true, at: DateTime.fromSeconds(time.toUnixTime(), { zone: 'utc' }) };
  const resolved = zone !== undefined && zone !== null && zone !== ICAL.Timezone.localTimezone && zone.tzid !== 'floating';
  if (resolved) return { ok: true, at: DateTime.fromSeconds(time.toUnixTime(), { zone: 'utc' }) };
  const wall = { year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second };
  if (tzid === null) return { ok: true, at: DateTime.fromObject(wall, { zone: LONDON }) };
  const name = WINDOWS_ZONES[tzid] ?? tzid.replace(/^\/+/, '');
  if (!IANAZone.isValidZone(name)) {
    return {
      ok: false,
      message: `uses the time zone "${tzid}", which the feed does not define (no VTIMEZONE) and is not a known zone name such as Europe/London`,
    };
  }
  return { ok: true, at: DateTime.fromObject(wall, { zone: name }) };
}

function describe(event: ICAL.Event): string {
  const title = event.summary ? `"${event.summary}"` : 'an event with no title';
  return event.uid ? `${title} (UID ${event.uid})` : title;
}

function tzidOf(component: ICAL.Component, property: string): string | null {
  const p = component.getFirstProperty(property);
  const tzid = p?.getParameter('tzid');
  return typeof tzid === 'string' ? tzid : null;
}

function statusOf(component: ICAL.Component): string {
  return String(component.getFirstPropertyValue('status') ?? '').toUpperCase();
}

/** Reads a feed; every problem is listed (ImportError) and nothing is returned unless all events can be read. */
export function readIcs(content: string, opts: { file?: string; now: DateTime }): CalendarFeed {
  const fileField = opts.file !== undefined ? { file: opts.file } : {};
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(content));
  } catch (error) {
    throw new ImportError({ ...fileField, message: `not a valid iCalendar file: ${(error as Error).message}` });
  }
  if (root.name !== 'vcalendar') throw new ImportError({ ...fileField, message: `not a calendar feed: it holds a ${root.name.toUpperCase()}, not a VCALENDAR` });

  const horizon = {
    from: opts.now.minus({ months: HORIZON_BEFORE_MONTHS }).toUTC(),
    to: opts.now.plus({ months: HORIZON_AFTER_MONTHS }).toUTC(),
  };
  const problems: ImportProblem[] = [];
  const problem = (message: string) => problems.push({ ...fileField, message });
  const meetings: CalendarMeeting[] = [];
  const allDay: string[] = [];
  const uids = new Set<string>();
  let repeating = false;

  // Overrides (RECURRENCE-ID) go with their series, matched by UID only (ical.js would otherwise
  // relate every override in the file to every series).
  const components = root.getAllSubcomponents('vevent');
  const overrides = new Map<string, ICAL.Component[]>();
  const masters: ICAL.Component[] = [];
  for (const c of components) {
    const uid = String(c.getFirstPropertyValue('uid') ?? '');
    if (c.hasProperty('recurrence-id')) overrides.set(uid, [...(overrides.get(uid) ?? []), c]);
    else masters.push(c);
  }
  const usedOverrides = new Set<ICAL.Component>();

  const add = (event: ICAL.Event, key: string, start: ICAL.Time, tzid: string | null, cancelled: boolean): void => {
    const at = instantOf(start, tzid);
    if (!at.ok) {
      problem(`${describe(event)} ${at.message}`);
      return;
    }
    meetings.push({
      key,
      uid: event.uid ?? key,
      title: event.summary ?? null,
      startsAt: at.at.toUTC().toISO({ suppressMilliseconds: false }) as string,
      cancelled,
    });
  };

  for (const component of masters) {
    let event: ICAL.Event;
    try {
      const uid = String(component.getFirstPropertyValue('uid') ?? '');
      event = new ICAL.Event(component, { strictExceptions: true, exceptions: overrides.get(uid) ?? [] });
    } catch (error) {
      problem(`an event could not be read: ${(error as Error).message}`);
      continue;
    }
    const start = event.startDate;
    if (!start) {
      problem(`${describe(event)} has no start time (DTSTART)`);
      continue;
    }
    const uid = event.uid ?? `no-uid:${start.toString()}:${event.summary ?? ''}`;
    uids.add(uid);
    if (start.isDate) {
      allDay.push(`${event.summary ?? 'an event with no title'} (${DateTime.fromObject({ year: start.year, month: start.month, day: start.day }).toFormat('d LLL yyyy')})`);
      continue;
    }
    const tzid = tzidOf(component, 'dtstart');
    const cancelledAll = statusOf(component) === 'CANCELLED';
    if (!event.isRecurring()) {
      add(event, uid, start, tzid, cancelledAll);
      continue;
    }

    repeating = true;
    let iterator: ICAL.RecurExpansion;
    try {
      iterator = event.iterator();
    } catch (error) {
      problem(`${describe(event)} has a repeat rule that cannot be read: ${(error as Error).message}`);
      continue;
    }
    let steps = 0;
    let inHorizon = 0;
    try {
      for (let next = iterator.next(); next; next = iterator.next()) {
        steps += 1;
        const original = instantOf(next, tzid);
        if (!original.ok) {
          problem(`${describe(event)} ${original.message}`);
          break;
        }
        if (original.at > horizon.to) break;
        if (steps > MAX_STEPS) {
          problem(`${describe(event)} repeats more than ${MAX_STEPS.toLocaleString('en-GB')} times before today; is this a board's calendar?`);
          break;
        }
        const details = event.getOccurrenceDetails(next);
        const item = details.item;
        const override = item !== event && item.component.hasProperty('recurrence-id') ? item : undefined;
        if (override) usedOverrides.add(override.component);
        const startsAt = override ? instantOf(details.startDate, tzidOf(override.component, 'dtstart')) : original;
        if (!startsAt.ok) {
          problem(`${describe(event)} ${startsAt.message}`);
          break;
        }
        if (startsAt.at < horizon.from && original.at < horizon.from) continue;
        inHorizon += 1;
        if (inHorizon > MAX_OCCURRENCES) {
          problem(`${describe(event)} repeats more than ${MAX_OCCURRENCES} times in ${HORIZON_BEFORE_MONTHS + HORIZON_AFTER_MONTHS} months; is this a board's calendar?`);
          break;
        }
        const cancelled = cancelledAll || (override !== undefined && statusOf(override.component) === 'CANCELLED');
        if (override && details.startDate.isDate) {
          allDay.push(`${override.summary ?? event.summary ?? 'an event'} (${DateTime.fromObject({ year: details.startDate.year, month: details.startDate.month, day: details.startDate.day }).toFormat('d LLL yyyy')})`);
          continue;
        }
        const key = `${uid}#${original.at.toUTC().toISO({ suppressMilliseconds: true })}`;
        const at = startsAt.at.toUTC().toISO({ suppressMilliseconds: false }) as string;
        meetings.push({ key, uid, title: (override?.summary ?? event.summary) || null, startsAt: at, cancelled });
      }
    } catch (error) {
      problem(`${describe(event)} has a repeat rule that cannot be expanded: ${(error as Error).message}`);
    }
  }

  // An override whose series is missing, or that matches none of its occurrences, is still a meeting.
  for (const [uid, list] of overrides) {
    for (const component of list) {
      if (usedOverrides.has(component)) continue;
      const event = new ICAL.Event(component);
      const start = event.startDate;
      uids.add(uid);
      if (!start) {
        problem(`${describe(event)} has no start time (DTSTART)`);
        continue;
      }
      if (start.isDate) {
        allDay.push(`${event.summary ?? 'an event with no title'} (${DateTime.fromObject({ year: start.year, month: start.month, day: start.day }).toFormat('d LLL yyyy')})`);
        continue;
      }
      const rid = instantOf(event.recurrenceId, tzidOf(component, 'recurrence-id'));
      const key = rid.ok ? `${uid}#${rid.at.toUTC().toISO({ suppressMilliseconds: true })}` : uid;
      add(event, key, start, tzidOf(component, 'dtstart'), statusOf(component) === 'CANCELLED');
    }
  }

  if (problems.length > 0) throw new ImportError(problems);
  meetings.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.key.localeCompare(b.key));
  return {
    meetings,
    uids,
    allDay,
    horizon: { from: horizon.from.toISO() as string, to: horizon.to.toISO() as string },
    repeating,
  };
}
