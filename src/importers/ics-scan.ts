// A first pass over an iCalendar feed's lines, before ical.js sees it. ical.js reads a whole feed or
// none of it, accepts impossible dates (month 13, hour 99) by rolling them over, and reports a bad
// rule with its own internal wording. This pass finds each event's lines (with their line numbers,
// so an officer can find them), sets aside an event whose dates or repeat rules cannot be read
// (the rest of the feed is still imported), and caps the size of what ical.js is asked to read.
//
// It also reads an 8-digit date written without VALUE=DATE ("DTSTART:20190101", as Calendar Labs
// writes it) as the date it is, instead of a date-time with no time.
import ICAL from 'ical.js';

/** A feed with more events than this is not one board's calendar (a council's whole committee system over years is a few thousand). */
export const MAX_EVENTS = 20_000;

export interface ScannedEvent {
  uid: string | null;
  summary: string | null;
  /** 1-based line of its BEGIN:VEVENT. */
  line: number;
}

export interface SetAsideEvent extends ScannedEvent {
  /** 'line 7 (RRULE:FREQ=WEEKLY;BYDAY=MO, TU): the repeat rule cannot be read (invalid BYDAY value " TU")' */
  reason: string;
}

export interface KeptEvent extends ScannedEvent {
  /** Where its lines are in `lines`: [from, to). */
  from: number;
  to: number;
}

export interface IcsScan {
  /** The feed's logical (unfolded) lines, without the events set aside. */
  lines: string[];
  /** The events kept, in feed order (the order ical.js lists them). */
  kept: KeptEvent[];
  setAside: SetAsideEvent[];
  /** X-WR-TIMEZONE, when the calendar names one. */
  calendarZone: string | null;
  eventCount: number;
}

interface Line {
  text: string;
  /** 1-based physical line where this logical line starts. */
  line: number;
}

interface Property {
  name: string;
  params: Map<string, string>;
  value: string;
}

/** Unfolds continuation lines (a line starting with a space or tab continues the one before). */
function unfold(content: string): Line[] {
  const out: Line[] = [];
  const physical = content.split(/\r\n|\n|\r/);
  for (let i = 0; i < physical.length; i++) {
    const text = physical[i] as string;
    const last = out[out.length - 1];
    if ((text.startsWith(' ') || text.startsWith('\t')) && last) last.text += text.slice(1);
    else if (text !== '') out.push({ text, line: i + 1 });
  }
  return out;
}

/** NAME;PARAM=value;PARAM="quoted:value":VALUE → its parts; the value starts at the first colon outside quotes. */
function splitProperty(text: string): Property {
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  const head = colon === -1 ? text : text.slice(0, colon);
  const value = colon === -1 ? '' : text.slice(colon + 1);
  const [name = '', ...rawParams] = head.split(';');
  const params = new Map<string, string>();
  for (const p of rawParams) {
    const eq = p.indexOf('=');
    if (eq > 0) params.set(p.slice(0, eq).toUpperCase(), p.slice(eq + 1).replace(/^"|"$/g, ''));
  }
  return { name: name.toUpperCase(), params, value };
}

const DATE_PROPERTIES = new Set(['DTSTART', 'DTEND', 'DUE', 'RECURRENCE-ID', 'EXDATE', 'RDATE']);
const DATE_OR_TIME = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/;

/** Why a date or date-time value is impossible, or null when it is a real one. */
export function dateValueProblem(value: string): string | null {
  const m = DATE_OR_TIME.exec(value);
  if (!m) return `"${value}" is not a date (20250129) or a date and time (20250129T140000)`;
  const [, year = '', month = '', day = '', hour = '00', minute = '00', second = '00'] = m;
  const y = Number(year);
  const mo = Number(month);
  if (mo < 1 || mo > 12) return `"${value}" has month ${month}; months run from 01 to 12`;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (Number(day) < 1 || Number(day) > days) return `"${value}" has day ${day}; ${monthName(mo)} ${y} has days 01 to ${days}`;
  if (Number(hour) > 23) return `"${value}" has hour ${hour}; hours run from 00 to 23`;
  if (Number(minute) > 59) return `"${value}" has minute ${minute}; minutes run from 00 to 59`;
  // 60 is a leap second, which RFC 5545 allows.
  if (Number(second) > 60) return `"${value}" has second ${second}; seconds run from 00 to 59`;
  return null;
}

function monthName(month: number): string {
  return new Date(Date.UTC(2000, month - 1, 1)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
}

/** Checks one date property; returns the line to use instead (VALUE=DATE added), or a problem. */
function checkDateProperty(p: Property, text: string): { line: string } | { problem: string } {
  const valueType = p.params.get('VALUE')?.toUpperCase();
  if (valueType === 'PERIOD') {
    for (const period of p.value.split(',')) {
      for (const part of period.split('/')) {
        if (part.startsWith('P') || part.startsWith('+P') || part.startsWith('-P')) continue;
        const problem = dateValueProblem(part);
        if (problem) return { problem };
      }
    }
    return { line: text };
  }
  const values = p.value.split(',');
  for (const v of values) {
    const problem = dateValueProblem(v);
    if (problem) return { problem };
  }
  // Eight digits with no VALUE parameter is a date, whatever the writer forgot to say.
  if (valueType === undefined && values.every((v) => v.length === 8)) {
    const colon = text.length - p.value.length - 1;
    return { line: `${text.slice(0, colon)};VALUE=DATE${text.slice(colon)}` };
  }
  return { line: text };
}

function checkRule(p: Property): string | null {
  if (p.value.trim() === '') return 'the repeat rule is empty';
  if (!/(^|;)FREQ=/i.test(p.value)) return 'the repeat rule has no FREQ (e.g. FREQ=MONTHLY)';
  const until = /(?:^|;)UNTIL=([^;]*)/i.exec(p.value)?.[1];
  const untilProblem = until === undefined ? null : dateValueProblem(until);
  if (untilProblem) return `the repeat rule's UNTIL ${untilProblem}`;
  try {
    ICAL.Recur.fromString(p.value);
  } catch (error) {
    return `the repeat rule cannot be read (${(error as Error).message})`;
  }
  return null;
}

/** Unescapes an iCalendar TEXT value enough to name the event. */
function textValue(value: string): string {
  return value.replace(/\\([,;\\])/g, '$1').replace(/\\[nN]/g, ' ');
}

/**
 * Splits the feed into its events, setting aside each one with an impossible date or an unreadable
 * rule. Throws TooBig (before anything heavy is done) when the feed holds more than MAX_EVENTS.
 */
export function scanIcs(content: string): IcsScan {
  const lines = unfold(content);
  const out: string[] = [];
  const kept: KeptEvent[] = [];
  const setAside: SetAsideEvent[] = [];
  let calendarZone: string | null = null;
  let eventCount = 0;
  const stack: string[] = [];

  let event: { info: ScannedEvent; lines: string[]; reason: string | null } | null = null;
  for (const l of lines) {
    const p = splitProperty(l.text);
    if (p.name === 'BEGIN') {
      const what = p.value.toUpperCase();
      if (what === 'VEVENT' && stack.length === 1 && stack[0] === 'VCALENDAR') {
        eventCount += 1;
        if (eventCount > MAX_EVENTS) throw new TooManyEvents(countEvents(lines));
        event = { info: { uid: null, summary: null, line: l.line }, lines: [l.text], reason: null };
        stack.push(what);
        continue;
      }
      stack.push(what);
    } else if (p.name === 'END') {
      stack.pop();
      if (event && stack.length === 1 && p.value.toUpperCase() === 'VEVENT') {
        event.lines.push(l.text);
        if (event.reason === null) {
          kept.push({ ...event.info, from: out.length, to: out.length + event.lines.length });
          out.push(...event.lines);
        } else setAside.push({ ...event.info, reason: event.reason });
        event = null;
        continue;
      }
    }
    if (!event) {
      if (stack.length === 1 && p.name === 'X-WR-TIMEZONE') calendarZone = p.value.trim() || null;
      out.push(l.text);
      continue;
    }
    // Inside an event: only its own properties (not an alarm's) are checked.
    let text = l.text;
    if (stack.length === 2) {
      if (p.name === 'UID') event.info.uid = p.value;
      else if (p.name === 'SUMMARY') event.info.summary = textValue(p.value);
      else if (p.name === 'RRULE' && event.reason === null) {
        const problem = checkRule(p);
        if (problem) event.reason = `line ${l.line} (${l.text}): ${problem}`;
      } else if (DATE_PROPERTIES.has(p.name) && event.reason === null) {
        const checked = checkDateProperty(p, l.text);
        if ('problem' in checked) event.reason = `line ${l.line} (${l.text}): ${checked.problem}`;
        else text = checked.line;
      }
    }
    event.lines.push(text);
  }
  if (event) {
    // An event the file never closes: ical.js would refuse the whole file for it.
    setAside.push({ ...event.info, reason: `line ${event.info.line}: the event is never closed (no END:VEVENT)` });
  }
  return { lines: out, kept, setAside, calendarZone, eventCount };
}

/** The feed as text again, leaving out the kept events listed in `without`. */
export function feedText(scan: IcsScan, without: ReadonlySet<KeptEvent> = new Set()): string {
  if (without.size === 0) return `${scan.lines.join('\r\n')}\r\n`;
  const drop = new Uint8Array(scan.lines.length);
  for (const e of without) drop.fill(1, e.from, e.to);
  return `${scan.lines.filter((_, i) => drop[i] === 0).join('\r\n')}\r\n`;
}

function countEvents(lines: Line[]): number {
  let n = 0;
  for (const l of lines) if (/^BEGIN:VEVENT$/i.test(l.text)) n += 1;
  return n;
}

export class TooManyEvents extends Error {
  constructor(readonly count: number) {
    super(`the feed holds ${count.toLocaleString('en-GB')} events; sendbot reads at most ${MAX_EVENTS.toLocaleString('en-GB')}`);
  }
}
