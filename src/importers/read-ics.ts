// Reads a committee calendar feed (iCalendar) into meeting times, with ical.js doing the calendar
// work that is easy to get wrong by hand: line folding, repeating events (RRULE, RDATE, EXDATE, via
// ICAL.Event's RecurExpansion iterator), changed or cancelled occurrences (RECURRENCE-ID), and time
// zones defined in the feed (VTIMEZONE).
//
// - Times: a UTC time ("…Z") is that instant; a TZID defined by a VTIMEZONE in the feed is converted
//   with that definition (ical.js, looked up in the feed itself, never in a process-wide registry, so
//   one feed's definitions cannot leak into the next); a TZID the feed does not define is read as an
//   IANA zone name ("Europe/London") or a Windows one ("GMT Standard Time"); any other TZID is refused.
//   A time with no zone ("floating") is in the calendar's own zone when it names one (X-WR-TIMEZONE,
//   as Google and Apple write), otherwise London time.
// - All-day events (a DATE without a time) are not meetings sendbot can time nudges for: they are
//   skipped and listed, never given a made-up time.
// - Repeating events are expanded here, not by ical.js's event iterator: every RRULE (an event may
//   have several; ical.js stops merging them when the first runs out), every RDATE, and EXDATEs
//   compared as instants, so "EXDATE:…Z" removes an occurrence written in Europe/Berlin.
// - One unreadable event (an impossible date, a rule such as "BYDAY=MO, TU", an unknown zone) is
//   set aside and named with its line; the rest of the feed is read (ics-scan.ts does the first pass).
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
import { feedText, type IcsScan, type KeptEvent, MAX_EVENTS, scanIcs, TooManyEvents } from './ics-scan.js';
import { ImportError } from './import-errors.js';

export const HORIZON_BEFORE_MONTHS = 12;
export const HORIZON_AFTER_MONTHS = 24;
/** More occurrences than this for one event in the horizon is not a board's calendar. */
const MAX_OCCURRENCES = 400;
/** Steps through a repeating event's earlier occurrences before giving up on reaching the horizon. */
const MAX_STEPS = 20_000;
/** Steps through all repeating events together: what one feed may cost to expand. */
const MAX_TOTAL_STEPS = 500_000;
/** Meetings one feed may hold, all events together. */
export const MAX_MEETINGS = 20_000;

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
  /** Events set aside because they could not be read, each named with its line and why. */
  skipped: string[];
  /** Their UIDs: the meetings already known from them are left as they are. */
  skippedUids: Set<string>;
  /** Other things the report should say, e.g. the zone floating times were read in. */
  notes: string[];
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
function instantOf(time: ICAL.Time, tzid: string | null, floatingZone: string): Instant {
  const zone = time.zone;
  if (zone === ICAL.Timezone.utcTimezone) return { ok: true, at: DateTime.fromSeconds(time.toUnixTime(), { zone: 'utc' }) };
  const resolved = zone !== undefined && zone !== null && zone !== ICAL.Timezone.localTimezone && zone.tzid !== 'floating';
  if (resolved) return { ok: true, at: DateTime.fromSeconds(time.toUnixTime(), { zone: 'utc' }) };
  const wall = { year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second };
  if (tzid === null) return { ok: true, at: DateTime.fromObject(wall, { zone: floatingZone }) };
  const name = zoneName(tzid);
  if (!IANAZone.isValidZone(name)) {
    return {
      ok: false,
      message: `uses the time zone "${tzid}", which the feed does not define (no VTIMEZONE) and is not a known zone name such as Europe/London`,
    };
  }
  return { ok: true, at: DateTime.fromObject(wall, { zone: name }) };
}

/** An IANA name for a TZID or X-WR-TIMEZONE: Windows names mapped, Outlook's leading slash dropped. */
function zoneName(tzid: string): string {
  return WINDOWS_ZONES[tzid] ?? tzid.replace(/^\/+/, '');
}

function describe(event: { summary: string | null; uid: string | null }): string {
  const title = event.summary ? `"${event.summary}"` : 'an event with no title';
  return event.uid ? `${title} (UID ${event.uid})` : title;
}

function dayOf(time: ICAL.Time): string {
  return DateTime.fromObject({ year: time.year, month: time.month, day: time.day }).toFormat('d LLL yyyy');
}

/** Thrown inside one event's reading: that event is set aside with this reason. */
class Unreadable extends Error {}

function tzidOf(component: ICAL.Component, property: string): string | null {
  const p = component.getFirstProperty(property);
  const tzid = p?.getParameter('tzid');
  return typeof tzid === 'string' ? tzid : null;
}

function statusOf(component: ICAL.Component): string {
  return String(component.getFirstPropertyValue('status') ?? '').toUpperCase();
}

/** Parses the scanned feed; when ical.js refuses it, finds the events it refuses and sets them aside. */
function parseFeed(scan: IcsScan, setAside: (event: KeptEvent, reason: string) => void): { root: ICAL.Component; kept: KeptEvent[] } {
  try {
    return { root: new ICAL.Component(ICAL.parse(feedText(scan))), kept: scan.kept };
  } catch (whole) {
    const bad = new Set<KeptEvent>();
    for (const event of scan.kept) {
      try {
        ICAL.parse(['BEGIN:VCALENDAR', ...scan.lines.slice(event.from, event.to), 'END:VCALENDAR', ''].join('\r\n'));
      } catch (error) {
        bad.add(event);
        setAside(event, `cannot be read (${(error as Error).message})`);
      }
    }
    if (bad.size === 0) throw whole;
    return { root: new ICAL.Component(ICAL.parse(feedText(scan, bad))), kept: scan.kept.filter((e) => !bad.has(e)) };
  }
}

/**
 * Reads a feed. An event that cannot be read is set aside and listed in `skipped` (its UID is left out
 * of `uids`, so its known meetings stay as they are); when no event at all can be read, or the feed as
 * a whole is not a calendar or is too big, ImportError lists why and nothing is returned.
 */
export function readIcs(content: string, opts: { file?: string; now: DateTime }): CalendarFeed {
  const fileField = opts.file !== undefined ? { file: opts.file } : {};
  let scan: IcsScan;
  try {
    scan = scanIcs(content);
  } catch (error) {
    if (!(error instanceof TooManyEvents)) throw error;
    throw new ImportError({
      ...fileField,
      message: `${error.message}. A board's calendar has a few dozen meetings a year: import the feed of this board's own committee (committee systems give each committee its own feed).`,
    });
  }

  const skipped: string[] = [];
  const skippedUids = new Set<string>();
  const setAside = (event: { summary: string | null; uid: string | null; line: number }, reason: string) => {
    skipped.push(`${describe(event)}, line ${event.line}: ${reason}`);
    if (event.uid) skippedUids.add(event.uid);
  };
  // The first pass names the offending line itself.
  const skipAt = (event: { summary: string | null; uid: string | null; line: number }, reason: string) => {
    skipped.push(`${describe(event)}, ${reason}`);
    if (event.uid) skippedUids.add(event.uid);
  };
  for (const e of scan.setAside) skipAt(e, e.reason);

  let parsed: { root: ICAL.Component; kept: KeptEvent[] };
  try {
    parsed = parseFeed(scan, (event, reason) => setAside(event, reason));
  } catch (error) {
    throw new ImportError({ ...fileField, message: `not a valid iCalendar file: ${(error as Error).message}` });
  }
  const { root } = parsed;
  if (root.name !== 'vcalendar') throw new ImportError({ ...fileField, message: `not a calendar feed: it holds a ${root.name.toUpperCase()}, not a VCALENDAR` });

  const notes: string[] = [];
  let floatingZone: string = LONDON;
  let floatingUsed = false;
  if (scan.calendarZone !== null) {
    const zone = zoneName(scan.calendarZone);
    if (IANAZone.isValidZone(zone)) floatingZone = zone;
    else notes.push(`The calendar names its time zone "${scan.calendarZone}" (X-WR-TIMEZONE), which is not a zone name such as Europe/London; times written without a zone were read as London time.`);
  }
  const at = (time: ICAL.Time, tzid: string | null): DateTime => {
    const instant = instantOf(time, tzid, floatingZone);
    if (!instant.ok) throw new Unreadable(instant.message);
    if (tzid === null && time.zone !== ICAL.Timezone.utcTimezone) floatingUsed = true;
    return instant.at;
  };

  const horizon = {
    from: opts.now.minus({ months: HORIZON_BEFORE_MONTHS }).toUTC(),
    to: opts.now.plus({ months: HORIZON_AFTER_MONTHS }).toUTC(),
  };
  const meetings: CalendarMeeting[] = [];
  const allDay: string[] = [];
  const uids = new Set<string>();
  const keys = new Set<string>();
  let repeating = false;
  let totalSteps = 0;
  const iso = (d: DateTime) => d.toUTC().toISO({ suppressMilliseconds: true }) as string;
  const stored = (d: DateTime) => d.toUTC().toISO({ suppressMilliseconds: false }) as string;
  const push = (m: CalendarMeeting) => {
    if (meetings.length >= MAX_MEETINGS) {
      throw new ImportError({
        ...fileField,
        message: `the feed holds more than ${MAX_MEETINGS.toLocaleString('en-GB')} meetings within ${HORIZON_BEFORE_MONTHS + HORIZON_AFTER_MONTHS} months; is this a board's calendar? Import the feed of this board's own committee.`,
      });
    }
    keys.add(m.key);
    meetings.push(m);
  };

  // Overrides (RECURRENCE-ID) go with their series, matched by UID and the instant they replace.
  const components = root.getAllSubcomponents('vevent');
  const events = components.map((component, i) => ({ component, info: parsed.kept[i] as KeptEvent }));
  const overrides = new Map<string, Map<string, (typeof events)[number]>>();
  const masters: typeof events = [];
  for (const e of events) {
    const uid = String(e.component.getFirstPropertyValue('uid') ?? '');
    if (!e.component.hasProperty('recurrence-id')) {
      masters.push(e);
      continue;
    }
    try {
      const rid = at(e.component.getFirstPropertyValue('recurrence-id') as ICAL.Time, tzidOf(e.component, 'recurrence-id'));
      let byInstant = overrides.get(uid);
      if (!byInstant) overrides.set(uid, (byInstant = new Map()));
      byInstant.set(iso(rid), e);
    } catch (error) {
      setAside(e.info, reasonOf(error));
    }
  }
  const usedOverrides = new Set<ICAL.Component>();

  for (const { component, info } of masters) {
    const uid = String(component.getFirstPropertyValue('uid') ?? '') || `no-uid:line ${info.line}`;
    try {
      const start = component.getFirstPropertyValue('dtstart') as ICAL.Time | null;
      if (!start) throw new Unreadable('has no start time (DTSTART)');
      const title = info.summary;
      uids.add(uid);
      if (start.isDate) {
        allDay.push(`${title ?? 'an event with no title'} (${dayOf(start)})`);
        continue;
      }
      const tzid = tzidOf(component, 'dtstart');
      const cancelledAll = statusOf(component) === 'CANCELLED';
      const rules = component.getAllProperties('rrule');
      const rdates = component.getAllProperties('rdate');
      if (rules.length === 0 && rdates.length === 0) {
        const startsAt = at(start, tzid);
        // Two events with one UID (against the standard) stay two meetings.
        const key = keys.has(uid) ? `${uid}#${iso(startsAt)}` : uid;
        push({ key, uid, title, startsAt: stored(startsAt), cancelled: cancelledAll });
        continue;
      }

      repeating = true;
      const occurrences = expand(component, start, tzid);
      const mine = overrides.get(uid);
      let inHorizon = 0;
      const list: CalendarMeeting[] = [];
      for (const original of occurrences) {
        const override = mine?.get(iso(original));
        if (override) usedOverrides.add(override.component);
        let startsAt = original;
        let cancelled = cancelledAll;
        let occurrenceTitle = title;
        if (override) {
          const moved = override.component.getFirstPropertyValue('dtstart') as ICAL.Time | null;
          occurrenceTitle = override.info.summary ?? title;
          cancelled = cancelledAll || statusOf(override.component) === 'CANCELLED';
          if (moved?.isDate) {
            allDay.push(`${occurrenceTitle ?? 'an event'} (${dayOf(moved)})`);
            continue;
          }
          if (moved) startsAt = at(moved, tzidOf(override.component, 'dtstart'));
        }
        if (startsAt < horizon.from && original < horizon.from) continue;
        inHorizon += 1;
        if (inHorizon > MAX_OCCURRENCES) {
          throw new Unreadable(`repeats more than ${MAX_OCCURRENCES} times in ${HORIZON_BEFORE_MONTHS + HORIZON_AFTER_MONTHS} months; is this a board's calendar?`);
        }
        list.push({ key: `${uid}#${iso(original)}`, uid, title: occurrenceTitle || null, startsAt: stored(startsAt), cancelled });
      }
      for (const m of list) push(m);
    } catch (error) {
      if (error instanceof ImportError) throw error;
      uids.delete(uid);
      setAside(info, reasonOf(error));
    }
  }

  /** Every occurrence's original instant, in order: DTSTART, each RRULE, each RDATE, less each EXDATE. */
  function expand(component: ICAL.Component, start: ICAL.Time, tzid: string | null): DateTime[] {
    const found = new Map<string, DateTime>();
    const add = (d: DateTime) => found.set(iso(d), d);
    add(at(start, tzid));
    for (const rule of component.getAllProperties('rrule')) {
      const recur = rule.getFirstValue() as ICAL.Recur;
      const iterator = recur.iterator(start);
      let steps = 0;
      for (let next = iterator.next(); next; next = iterator.next()) {
        steps += 1;
        totalSteps += 1;
        if (totalSteps > MAX_TOTAL_STEPS) {
          throw new ImportError({
            ...fileField,
            message: `the feed's repeating events run to more than ${MAX_TOTAL_STEPS.toLocaleString('en-GB')} occurrences between them; is this a board's calendar? Import the feed of this board's own committee.`,
          });
        }
        const d = at(next, tzid);
        if (d > horizon.to) break;
        if (steps > MAX_STEPS) throw new Unreadable(`repeats more than ${MAX_STEPS.toLocaleString('en-GB')} times before today; is this a board's calendar?`);
        add(d);
      }
    }
    for (const p of component.getAllProperties('rdate')) {
      const rdateZone = typeof p.getParameter('tzid') === 'string' ? (p.getParameter('tzid') as string) : null;
      for (const value of p.getValues() as (ICAL.Time | ICAL.Period)[]) {
        const time = value instanceof ICAL.Period ? value.start : value;
        if (time.isDate) continue;
        add(at(time, rdateZone));
      }
    }
    for (const p of component.getAllProperties('exdate')) {
      const exZone = typeof p.getParameter('tzid') === 'string' ? (p.getParameter('tzid') as string) : null;
      for (const value of p.getValues() as ICAL.Time[]) {
        if (value.isDate) {
          // A date excludes whatever occurrence falls on that day in the event's own zone.
          const day = DateTime.fromObject({ year: value.year, month: value.month, day: value.day }).toISODate();
          const zone = tzid === null ? floatingZone : zoneName(tzid);
          for (const [key, d] of found) if (d.setZone(IANAZone.isValidZone(zone) ? zone : floatingZone).toISODate() === day) found.delete(key);
        } else found.delete(iso(at(value, exZone)));
      }
    }
    return [...found.values()].sort((a, b) => a.toMillis() - b.toMillis());
  }

  // An override whose series is missing, or that matches none of its occurrences, is still a meeting.
  for (const [uid, byInstant] of overrides) {
    for (const [rid, { component, info }] of byInstant) {
      if (usedOverrides.has(component)) continue;
      try {
        const start = component.getFirstPropertyValue('dtstart') as ICAL.Time | null;
        if (!start) throw new Unreadable('has no start time (DTSTART)');
        uids.add(uid);
        if (start.isDate) {
          allDay.push(`${info.summary ?? 'an event with no title'} (${dayOf(start)})`);
          continue;
        }
        push({ key: `${uid}#${rid}`, uid, title: info.summary, startsAt: stored(at(start, tzidOf(component, 'dtstart'))), cancelled: statusOf(component) === 'CANCELLED' });
      } catch (error) {
        if (error instanceof ImportError) throw error;
        setAside(info, reasonOf(error));
      }
    }
  }

  if (meetings.length === 0 && allDay.length === 0 && skipped.length > 0) {
    throw new ImportError(skipped.map((message) => ({ ...fileField, message: `${message}; nothing else in the feed could be read` })));
  }
  if (floatingUsed && floatingZone !== LONDON) notes.push(`Times written without a zone were read in ${floatingZone}, the calendar's own time zone (X-WR-TIMEZONE).`);
  for (const uid of skippedUids) uids.delete(uid);
  meetings.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.key.localeCompare(b.key));
  return {
    meetings,
    uids,
    allDay,
    horizon: { from: horizon.from.toISO() as string, to: horizon.to.toISO() as string },
    repeating,
    skipped,
    skippedUids,
    notes,
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof Unreadable) return error.message;
  return `cannot be read (${(error as Error).message})`;
}

export { MAX_EVENTS };
