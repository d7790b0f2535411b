// The words around a date that make it a guess rather than a deadline. The deadline reader finds a
// date ("March 2025") and then asks this module whether the text around it takes the certainty away:
//
// - hedges:        "sometime in 2025", "approx. March 2025", "around Sept 24", "March 2025 (provisional)",
//                  "Dec 24 TBC", "March-ish 2025", "March 2025?"
// - alternatives:  "March 25 or 26", "either March or April 2025", "Q2 or Q3 24/25", "Jan/Feb 2025",
//                  "Dec 24 or later"
// - bounds that are not a due date, and negations: "not before March 2025", "no earlier than April",
//                  "not after", "not by", "not until", "later than", "March 2025 at the earliest"
// - superseded dates: "originally March 2025", "was Dec 24", "delayed from March 2025 to June 2025"
// → 'vague': kept verbatim, no date, flagged for an officer.
//
// - a date word that is not a month: "Febtember 2025", "Septembre", "Marhc 2025", "Jnauary"
// - a date written without a year and followed by a number that is not one: "31 March 1925" (the
//   reader only knows 20YY), "Q3 1924/25"
// → 'unreadable'.
//
// A date cell ("Date of Completion") is about dates, so there a hedge anywhere earlier on the line
// counts, and so does a question mark anywhere on the line. Action prose is about other things too
// ("approximately 50 schools by March 2025"), so there only the words right next to the date count.
//
// Pure, and cheap: a few anchored regular expressions on short slices around each date found.

export type Doubt = 'vague' | 'unreadable' | null;

/** A date found by the reader, as offsets into the text. */
export interface DateSpan {
  /** Where the date itself starts ("March" in "by March 2025"). */
  from: number;
  /** Where its phrase starts, cue word included ("by"). */
  phraseFrom: number;
  to: number;
  /** The date is itself a vague phrase (TBC, year end …). */
  vague: boolean;
  /** The date has no year of its own ("31 March", "Q3", "Sept – Dec"). */
  yearless: boolean;
  /** The date is a year alone ("2025") with no cue word before it. */
  bareYear?: boolean;
}

const MONTH_WORD =
  '(?:january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\\.?';
const TERM_WORD = '(?:autumn|spring|summer)';
/** Something that starts a date: a number, a month, a term, a quarter, a vague period word. */
const DATEISH = `(?:\\d|${MONTH_WORD}(?![\\p{L}])|${TERM_WORD}(?![\\p{L}])|q\\d|early(?![\\p{L}])|mid(?![\\p{L}])|late(?![\\p{L}])|next(?![\\p{L}]))`;

/** Right before the date (or its cue): hedges, negations, bounds, superseded dates. */
const LEAD_WORDS = [
  'sometimes?', 'some\\s+time', '(?:at\\s+)?some\\s+point(?:\\s+(?:in|during))?', 'approx\\.?', 'approximately', 'circa', 'c\\.', 'ca\\.',
  'around', 'about', 'roughly', 'nearly', 'possibly', 'probably', 'perhaps', 'maybe', 'likely', 'unlikely', 'hopefully',
  'ideally', 'tentatively', 'provisionally', 'indicatively', 'estimated', 'est\\.', 'expected\\s+around', 'either',
  'not', 'no', 'never', 'nor', 'neither', 'cannot', "can[’']t", "won[’']t", "isn[’']t", "wasn[’']t",
  '(?:earlier|sooner|later)\\s+than', 'or\\s+(?:earlier|later)', 'originally', 'previously', 'formerly', 'initially', 'was', 'were',
  'had\\s+been', 'superseded', 'replaced', 'ish',
].join('|');
const LEAD = new RegExp(`(?:^|[^\\p{L}\\p{N}'’])(?:${LEAD_WORDS})[\\s:,–—-]*$|[?~≈][\\s:,–—-]*$`, 'iu');

/** Between a cue and its date: "by around Sept 24", "in approximately March 2025". */
const HEDGE_IN_PHRASE =
  /(?:^|[^\p{L}\p{N}])(?:around|about|approx\.?|approximately|roughly|circa|c\.|ca\.|some\s*time|possibly|probably|hopefully|ideally|maybe|perhaps|provisionally|tentatively)(?![\p{L}\p{N}])/iu;

/** Anywhere earlier on a date cell's line (these words are only ever about the date there). */
const STRONG_HEDGE = new RegExp(
  `(?:^|[^\\p{L}\\p{N}])(?:sometimes?|some\\s+time|some\\s+point|approx\\.?|approximately|circa|possibly|probably|perhaps|maybe|hopefully|ideally|tentative(?:ly)?|provisional(?:ly)?|indicative(?:ly)?|estimated|unconfirmed|tbc|tba|tbd)(?![\\p{L}\\p{N}])`,
  'iu',
);

/** "delayed from March 2025 (to June 2025)": the date after "from" is the old one. */
const MOVED_FROM = new RegExp(
  `(?:^|[^\\p{L}\\p{N}])(?:delayed|slipped|slipping|postponed|deferred|moved|rescheduled|re-scheduled|revised|pushed(?:\\s+back)?|brought\\s+forward|changed|amended|extended|put\\s+back)\\s+from[\\s:,]*$`,
  'iu',
);

/** "delayed from March 2025 to June 2025" when the two dates were read apart: the second is a move too. */
const AFTER_MOVED_FROM = new RegExp(
  `(?:^|[^\\p{L}\\p{N}])(?:delayed|slipped|slipping|postponed|deferred|moved|rescheduled|re-scheduled|revised|pushed(?:\\s+back)?|brought\\s+forward|changed|amended|extended|put\\s+back)\\s+from\\s+[^;.\\n]{1,40}$`,
  'iu',
);

/** Right after the date. */
const TRAIL = new RegExp(
  `^\\s*(?:\\?|[-–—(\\[,:\\s]*(?:-?ish(?![\\p{L}])|approx\\.?|approximately|estimated|est\\.|provisional(?:ly)?|tentative(?:ly)?|indicative(?:ly)?|unconfirmed|tbc|tba|tbd|to\\s+be\\s+(?:confirmed|agreed|determined|decided|finalised|finalized)|at\\s+the\\s+earliest|or\\s+so(?![\\p{L}])|or\\s+there\\s*abouts|or\\s+(?:later|after|thereafter|beyond)|give\\s+or\\s+take|at\\s+best|if\\s+possible|hopefully|ideally|probably|possibly|maybe|perhaps|subject\\s+to\\s+confirmation)(?![\\p{L}]))`,
  'iu',
);

/** "March 25 or 26", "Jan/Feb 2025", "Dec 24 and/or Jan 25": another date offered as an alternative. */
const ALT_TRAIL = new RegExp(`^\\s*(?:and\\s*/\\s*or|or|nor|/)\\s*(?:either\\s+)?(?:(?:by|in|during|the|end\\s+of)\\s+)?${DATEISH}`, 'iu');
const ALT_LEAD = new RegExp(`(?<![\\p{L}\\p{N}])${DATEISH}[\\p{L}\\p{N}.'’]*\\s*(?:and\\s*/\\s*or|or|nor|/)\\s*$`, 'iu');

/**
 * A year right after a word that is not a cue: "Easter 2025", "Christmas 2024", "Winter 2025",
 * "half term 2025". The year says which Easter, not that the work runs all year.
 */
const WORD_THEN_YEAR = /(?<![\p{L}\p{N}])(?!(?:calendar|year|cy)[^\S\r\n]+$)[\p{L}]{2,}[^\S\r\n]+$/iu;

/** A yearless date followed by a number: "31 March 1925", "Q3 1924/25". */
const NUMBER_AFTER = /^[\s,'’]*\d/;
/** A date right after a number it could not take ("… / 10 Jan 24" once "2025 / 10" was refused). */
const NUMBER_BEFORE = /(?:^|[^\p{L}\p{N}])\d+[\s,]*$/u;

const CELL_SEPARATORS = /^[\s,:()[\]–—-]*$/;

const FULL_MONTHS = ['january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'sept'];
const MONTH_ABBREVIATIONS = new Set(['jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']);
const KNOWN_MONTH_WORDS = new Set([...FULL_MONTHS, 'may', ...MONTH_ABBREVIATIONS]);
const MONTH_ENDING = /(?:uary|ember|ober|arch|ril|une|uly|ust)$/;
/** What a misspelling is measured against: every way a month is written. */
const MONTH_SPELLINGS = [...FULL_MONTHS, 'may', ...MONTH_ABBREVIATIONS];
const FIRST_LETTERS = new Set(['j', 'f', 'm', 'a', 's', 'o', 'n', 'd']);

/** Optimal string alignment distance (Levenshtein plus swapping two neighbours), for short words. */
function osaDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i += 1) d[i * cols] = i;
  for (let j = 0; j < cols; j += 1) d[j] = j;
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((d[(i - 1) * cols + j] as number) + 1, (d[i * cols + j - 1] as number) + 1, (d[(i - 1) * cols + j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (d[(i - 2) * cols + j - 2] as number) + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1] as number;
}

/**
 * Whether a word looks like a month but is not one: "Febtember", "Marchember" (a month with letters
 * added or swapped in), "Septembre", "Jnauary", "Febuary" (a misspelling of a long month name), and,
 * when `nextToNumber` (a day before it or a year after it), misspellings of short names and
 * abbreviations too ("Marhc 2025", "Apirl 2025", "Aprl 25"). Words that merely resemble a short month
 * ("Jane", "Mark") only count next to a number, so "agreed by Jane" is not a date.
 */
export function isMonthLikeWord(word: string, nextToNumber: boolean): boolean {
  const w = word.toLowerCase();
  // Three-letter words are left out: too many are ordinary words one letter from a month ("out",
  // "not", "set", "few"). A short misspelling before a year ("Jnu 2025") is still not read as the
  // year: see WORD_THEN_YEAR.
  if (w.length < 4 || w.length > 12 || KNOWN_MONTH_WORDS.has(w) || !FIRST_LETTERS.has(w[0] as string)) return false;
  if (!/^[a-z]+$/.test(w)) return false;
  for (const name of FULL_MONTHS) if (w.startsWith(name)) return true;
  if (MONTH_ABBREVIATIONS.has(w.slice(0, 3)) && MONTH_ENDING.test(w)) return true;
  for (const name of MONTH_SPELLINGS) {
    if (name[0] !== w[0] || Math.abs(name.length - w.length) > 2) continue;
    const long = name.length >= 6;
    if (!long && !nextToNumber) continue;
    if (osaDistance(w, name) <= (long ? 2 : 1)) return true;
  }
  return false;
}

/** Words of a line with whether a number stands right next to them (a day before, a year after). */
const WORD_WITH_NUMBERS = /(\d(?:st|nd|rd|th)?[^\S\r\n]+(?:of[^\S\r\n]+)?)?(?<![\p{L}\p{N}])([A-Za-z]{4,12})(?![\p{L}\p{N}])(?=([^\S\r\n]*,?[^\S\r\n]*['’]?\d)?)/gu;

/** Whether a line holds a month-like word that is not a month (a date cell's line is then unreadable). */
export function lineHasMonthLikeWord(line: string): boolean {
  WORD_WITH_NUMBERS.lastIndex = 0;
  for (let m = WORD_WITH_NUMBERS.exec(line); m !== null; m = WORD_WITH_NUMBERS.exec(line)) {
    if (isMonthLikeWord(m[2] as string, m[1] !== undefined || m[3] !== undefined)) return true;
  }
  return false;
}

/**
 * In action prose: a cue followed by a month-like word that is not a month ("by Febuary 2025",
 * "from Septembre"), which the reader would otherwise pass over and leave the action on its
 * workstream's date. Returns each such phrase, verbatim.
 */
const CUED_WORD =
  /(?<![\p{L}\p{N}])(?:by|from|until|till|before|after|in|during|due|commencing|starting|end[^\S\r\n]+of|start[^\S\r\n]+of)[^\S\r\n]+(?:the[^\S\r\n]+)?(?:end[^\S\r\n]+of[^\S\r\n]+)?(\d{1,2}(?:st|nd|rd|th)?[^\S\r\n]+)?([A-Za-z]{4,12})(?![\p{L}\p{N}])([^\S\r\n]*,?[^\S\r\n]*['’]?\d{1,4}(?!\d))?/giu;

export function findMisspeltMonthPhrases(text: string): Array<{ phrase: string; from: number; to: number }> {
  const out: Array<{ phrase: string; from: number; to: number }> = [];
  CUED_WORD.lastIndex = 0;
  for (let m = CUED_WORD.exec(text); m !== null; m = CUED_WORD.exec(text)) {
    if (isMonthLikeWord(m[2] as string, m[1] !== undefined || m[3] !== undefined)) {
      out.push({ phrase: m[0].trim(), from: m.index, to: m.index + m[0].length });
    }
  }
  return out;
}

/**
 * The line around a date, as far as the slices below look (64 characters either side): a date cell's
 * reader passes one line at a time, and prose can be long, so no search runs past that.
 */
function lineBounds(text: string, from: number, to: number): { start: number; end: number } {
  let start = Math.max(0, from - 64);
  for (let k = from - 1; k >= start; k -= 1) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) {
      start = k + 1;
      break;
    }
  }
  const limit = Math.min(text.length, to + 64);
  let end = limit;
  for (let k = to; k < limit; k += 1) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) {
      end = k;
      break;
    }
  }
  return { start, end };
}

/** The nearest word before `at` and after `to`, skipping separators, with whether a number touches it. */
const WORD_BEFORE = /(\d(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?<![\p{L}\p{N}])([A-Za-z]{4,12})([\s,–—/.-]*)$/u;
const WORD_AFTER = /^([\s,–—/-]*)([A-Za-z]{4,12})(?![\p{L}\p{N}])(\s*,?\s*['’]?\d)?/u;

/**
 * How sure each date is, given the words around it: null (a deadline), 'vague' or 'unreadable'.
 * `spans` are in text order; `mode` is 'cell' for one line of a date cell, 'prose' for an action's text.
 */
export function doubtsAround(text: string, spans: readonly DateSpan[], mode: 'cell' | 'prose'): Doubt[] {
  const out: Doubt[] = new Array(spans.length).fill(null);
  // A date cell is read one line at a time: a question mark or a month-like word anywhere on the line
  // makes every date on it doubtful.
  const cellDoubt: Doubt =
    mode !== 'cell' || spans.length === 0 ? null : lineHasMonthLikeWord(text) ? 'unreadable' : text.includes('?') ? 'vague' : null;
  for (let i = 0; i < spans.length; i += 1) {
    const s = spans[i] as DateSpan;
    if (s.vague) continue;
    if (cellDoubt !== null) {
      out[i] = cellDoubt;
      continue;
    }
    const line = lineBounds(text, s.phraseFrom, s.to);
    const prev = spans[i - 1];
    const next = spans[i + 1];
    const prevEnd = prev !== undefined && prev.to > line.start ? prev.to : line.start;

    const leadNear = text.slice(Math.max(prevEnd, s.phraseFrom - 48), s.phraseFrom);
    const cueToDate = text.slice(s.phraseFrom, s.from);
    const leadCue = text.slice(Math.max(prevEnd, s.from - 64), s.from);
    const leadLine = text.slice(Math.max(line.start, s.phraseFrom - 48), s.phraseFrom);
    const trailLine = text.slice(s.to, Math.min(line.end, s.to + 48));

    // Impossible: a month-like word touching the date, or a yearless date followed by a number.
    // A word counts as next to a number when only spaces or a comma stand between them ("Marhc 2025",
    // "31 Marhc"), not a dash ("Dec 24 – Jane to confirm").
    const before = WORD_BEFORE.exec(leadLine);
    const after = WORD_AFTER.exec(trailLine);
    const beforeTouches = before !== null && (before[1] !== undefined || (/^[\s,]*$/.test(before[3] ?? '') && /^\d/.test(text.slice(s.from, s.from + 1))));
    const afterTouches = after !== null && (after[3] !== undefined || (/^[\s,]*$/.test(after[1] ?? '') && /\d$/.test(text.slice(s.to - 1, s.to))));
    if (
      (s.yearless && NUMBER_AFTER.test(trailLine)) ||
      (s.phraseFrom === s.from && NUMBER_BEFORE.test(leadLine)) ||
      (before !== null && isMonthLikeWord(before[2] as string, beforeTouches)) ||
      (after !== null && isMonthLikeWord(after[2] as string, afterTouches))
    ) {
      out[i] = 'unreadable';
      continue;
    }

    const vagueNeighbour =
      (prev !== undefined && prev.vague && prev.to > line.start && CELL_SEPARATORS.test(text.slice(prev.to, s.phraseFrom))) ||
      (next !== undefined && next.vague && next.phraseFrom < line.end && CELL_SEPARATORS.test(text.slice(s.to, next.phraseFrom)));
    if (
      vagueNeighbour ||
      LEAD.test(leadNear) ||
      (s.bareYear === true && WORD_THEN_YEAR.test(leadNear)) ||
      (cueToDate !== '' && HEDGE_IN_PHRASE.test(cueToDate)) ||
      MOVED_FROM.test(leadCue) ||
      AFTER_MOVED_FROM.test(leadLine) ||
      TRAIL.test(trailLine) ||
      ALT_TRAIL.test(trailLine) ||
      ALT_LEAD.test(leadLine) ||
      (mode === 'cell' && STRONG_HEDGE.test(leadNear))
    ) {
      out[i] = 'vague';
    }
  }
  return out;
}
