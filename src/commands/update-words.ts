// Reading the words after `/send update <ref>`: the leading status, percent and options, then the
// note. The fields come first, so what the *first* unread word looks like decides whether the note
// has begun or a field was mistyped. A word that looks like an attempted field ("ambr", "30 percent",
// "-5%", "purple", "due 31 March") is refused with a specific answer rather than kept as the start
// of the note, where it would silently leave the record without the status or percent the person
// meant to give. Prose that merely contains such words later ("amber 60% waiting on green paper")
// is a note as before; `note:` (or a quoted note) starts a note that is never second-guessed.
import type { ActionStatus } from '../../db/types.js';
import { readStatusWord, STATUS_CHOICES, suggestStatusWord } from '../domain/status.js';
import type { WordSpan } from './words.js';

export interface UpdateWords {
  status?: ActionStatus;
  percent?: number;
  note?: string;
  evidenceUrl?: string;
  /** The date phrase after due: */
  due?: string;
}

/** A word that looks like a mistyped field: what was wrong, and the command as it was probably meant. */
export class MisreadField extends Error {
  constructor(
    message: string,
    /** The words after the ref as they were probably meant, when that can be worked out. */
    readonly corrected?: string[],
    /** Extra advice, e.g. how to write a percent. */
    readonly advice?: string,
  ) {
    super(message);
    this.name = 'MisreadField';
  }
}

const TWO_WORD_STATUSES = new Set(['on track', 'off track', 'at risk', 'not started', 'not yet started']);
const DATEISH =
  /^(\d{1,4}(st|nd|rd|th)?[,.]?|\d{1,2}[/.-]\d{1,2}([/.-]\d{2,4})?|\d{4}-\d{2}-\d{2}|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|end|of|the|by|q[1-4]|\d{2,4}\/\d{2,4}|term|autumn|spring|summer|[–-])$/i;
/** A date-ish first word after "due": a day number, a month, "end", "Q3", "2025-06-30"… */
const DATE_START = /^(\d{1,4}(st|nd|rd|th)?[,.]?|\d{1,2}[/.-]\d{1,2}([/.-]\d{2,4})?|\d{4}-\d{2}-\d{2}|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|end|q[1-4]|\d{2,4}\/\d{2,4})$/i;
/** A phrase that names a date: a month, a full numeric date, a quarter or a financial year. */
const DATE_NAMED = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|\bq[1-4]\b|\b\d{2,4}\/\d{2}\b/i;
const URL = /^https?:\/\/\S+$/i;
/** Punctuation people put after a field ("amber, pilot extended", "60%."): not part of the field. */
const TRAILING_PUNCTUATION = /[,;:.!]+$/;
const VALID_PERCENT = /^(\d{1,3})%$/;
const PERCENT_WORDS = new Set(['percent', 'per-cent', 'pc', 'pct', '%']);
/** Labels some people put before a status ("RAG: amber", "status=green"): understood, not refused. */
const STATUS_LABEL = /^(rag|status|rag-status|rating)[:=]?$/i;
const STATUS_LABEL_WITH_VALUE = /^(rag|status|rating)[:=](.+)$/i;
const PERCENT_LABEL = /^(percent|progress|pct)[:=]$/i;
const PERCENT_LABEL_WITH_VALUE = /^(percent|progress|pct)[:=](.+)$/i;
/** Colours that are not statuses and hardly ever start a note. */
const NOT_STATUS_COLOURS = new Set(['purple', 'yellow', 'orange', 'pink', 'violet']);
/** Colours that are not statuses but can start a note ("white paper", "grey area"): only refused where a status would go. */
const MAYBE_COLOURS = new Set(['grey', 'gray', 'black', 'white', 'brown', 'gold', 'silver']);
/** Tracker words that are not sendbot statuses: refused where a status would go. */
const TRACKER_WORDS = new Set(['ongoing', 'in-progress', 'inprogress', 'underway', 'on-hold', 'onhold', 'paused', 'pending', 'started', 'tbc', 'n/a', 'wip']);
const RAG_COLOURS = '(green|amber|red|blue)';
const COMPOUND_RAG = new RegExp(`^${RAG_COLOURS}\\s*[/\\\\+&–-]\\s*${RAG_COLOURS}$`, 'i');

const statusOf = (word: string): ActionStatus | undefined => readStatusWord(word.replace(TRAILING_PUNCTUATION, ''));
const percentOf = (word: string): number | undefined => {
  const m = VALID_PERCENT.exec(word.replace(TRAILING_PUNCTUATION, ''));
  return m && Number(m[1]) <= 100 ? Number(m[1]) : undefined;
};
/** A dash or bar people put between fields ("Amber - 45% - interviews booked"): not a word of the note. */
const SEPARATOR = /^[-–—|]+$/;
/** R, A, G or B: a status as the plan's RAG column writes it. Read only where a status would stand. */
const LETTER_STATUS = /^[ragb]$/i;
const isOption = (word: string | undefined): boolean => word !== undefined && /^(due|evidence|note):/i.test(word);
const percentLike = (word: string | undefined): boolean =>
  word !== undefined && ((/\d/.test(word) && word.includes('%')) || /^[-+−–]?\d+([.,]\d+)?\s*(pc|pct|percent|per-?cent)$/i.test(word.replace(TRAILING_PUNCTUATION, '')));
/** Quoted words arrive with their spaces: the person marked them as one phrase, i.e. a note. */
const wasQuoted = (word: string): boolean => /\s/.test(word);

/**
 * Splits the words after the ref into status, percent, options and the note. Throws MisreadField
 * when a leading word looks like a mistyped status, percent or option.
 */
export function parseUpdateWords(typedWords: string[], typedSource?: { text: string; spans: WordSpan[] }): UpdateWords {
  const { words, source } = splitDashedFields(typedWords, typedSource);
  const out: UpdateWords = {};
  const noteWords: string[] = [];
  /** Which words make up the note (and how much of the first to leave off, for note:). */
  const noteAt: number[] = [];
  let noteCut = 0;
  let leading = true;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] as string;
    const lower = word.toLowerCase();
    if (lower.startsWith('due:')) {
      if (out.due !== undefined) throw new MisreadField('You gave due: twice. Give one new date.');
      let phrase = word.slice(4);
      if (phrase === '' || DATEISH.test(phrase)) {
        while (i + 1 < words.length && DATEISH.test(words[i + 1] as string)) {
          phrase = `${phrase} ${words[i + 1]}`.trim();
          i += 1;
        }
      }
      if (!phrase) throw new MisreadField('due: needs the new date after it, e.g. due:"31 March" or due:"end of summer term" (with no year, the next one).');
      out.due = phrase;
      continue;
    }
    if (lower.startsWith('evidence:')) {
      if (out.evidenceUrl !== undefined) throw new MisreadField('You gave evidence: twice. Give one link per update.');
      let link = word.slice('evidence:'.length);
      // "evidence: https://…" with a space: the link is the next word.
      if (link === '' && URL.test(words[i + 1] ?? '')) {
        link = words[i + 1] as string;
        i += 1;
      }
      if (!link) throw new MisreadField('evidence: needs a web link after it, e.g. evidence:https://sharepoint.example.org/doc.');
      out.evidenceUrl = link;
      continue;
    }
    if (leading) {
      if (lower.startsWith('note:')) {
        // Everything after note: is the note, word for word.
        const rest = [word.slice(5), ...words.slice(i + 1)].filter((w) => w !== '');
        if (rest.length) noteWords.push(...rest);
        for (let j = i; j < words.length; j += 1) noteAt.push(j);
        noteCut = 5;
        break;
      }
      if (wasQuoted(word)) {
        leading = false;
        noteWords.push(word);
        noteAt.push(i);
        continue;
      }
      // A separator between fields, or between the fields and the note, is punctuation, not note.
      if (SEPARATOR.test(word)) continue;
      const read = readLeadingField(words, i, out);
      if (read > 0) {
        i += read - 1;
        continue;
      }
      // The first word that is not a field: the note starts here, unless it looks like a mistyped field.
      checkNoteStart(words, i, out);
      leading = false;
    }
    noteWords.push(word);
    noteAt.push(i);
  }
  const verbatim = source && source.spans.length === words.length ? verbatimNote(source.text, source.spans, noteAt, noteCut) : undefined;
  const note = verbatim ?? noteWords.join(' ');
  if (note) out.note = note;
  return out;
}

/** "Red-10%-slipping": a status and a percent joined by dashes, with perhaps the note after another dash. */
const DASHED_FIELDS = /^([a-z]+)([-–—])(\d[\d.,]*(?:%|pc|pct|percent))(?:([-–—]+)(.+))?$/i;

/**
 * The first word split at its dashes when it is a status word and a percent run together
 * ("Red-10%-slipping", "amber–45%"): there is no other way to read it. The spans follow the split, so
 * the note is still taken verbatim from the text.
 */
function splitDashedFields(words: string[], source?: { text: string; spans: WordSpan[] }): { words: string[]; source?: { text: string; spans: WordSpan[] } } {
  const first = words[0];
  const m = first === undefined || wasQuoted(first) ? null : DASHED_FIELDS.exec(first);
  if (!m || statusOf(m[1] as string) === undefined) return { words, source };
  const [, status, dash, percent, dashes, rest] = m as unknown as [string, string, string, string, string | undefined, string | undefined];
  const parts = [status, percent, ...(rest ? [rest] : [])];
  if (!source || source.spans[0]?.word !== first) return { words: [...parts, ...words.slice(1)], source: undefined };
  const start = (source.spans[0] as WordSpan).start;
  const at = [start, start + status.length + dash.length, start + status.length + dash.length + percent.length + (dashes?.length ?? 0)];
  const spans = parts.map((word, k) => ({ word, start: at[k] as number, end: (at[k] as number) + word.length }));
  return { words: [...parts, ...words.slice(1)], source: { text: source.text, spans: [...spans, ...source.spans.slice(1)] } };
}

/**
 * The note as it was typed, quotes, punctuation and spacing included: each run of note words taken
 * from the text whole, runs joined by a space (an option such as due: between them is left out).
 */
function verbatimNote(text: string, spans: WordSpan[], at: number[], firstCut: number): string | undefined {
  if (at.length === 0) return undefined;
  const runs: string[] = [];
  let runStart = at[0] as number;
  for (let k = 0; k < at.length; k += 1) {
    const i = at[k] as number;
    const next = at[k + 1];
    if (next === i + 1) continue;
    const from = (spans[runStart] as WordSpan).start + (runStart === at[0] ? firstCut : 0);
    runs.push(text.slice(from, (spans[i] as WordSpan).end).trim());
    if (next !== undefined) runStart = next;
  }
  return runs.filter(Boolean).join(' ') || undefined;
}

/** Reads a status, percent or labelled field at `i` into `out`; returns how many words it took (0: none). */
function readLeadingField(words: string[], i: number, out: UpdateWords): number {
  const word = words[i] as string;
  const next = words[i + 1];
  const pair = next !== undefined ? `${word} ${next.replace(TRAILING_PUNCTUATION, '')}`.toLowerCase() : '';
  if (TWO_WORD_STATUSES.has(pair)) return setStatus(words, i, out, readStatusWord(pair) as ActionStatus, 2);
  const status = statusOf(word);
  if (status) return setStatus(words, i, out, status, 1);
  const percent = percentOf(word);
  if (percent !== undefined) return setPercent(words, i, out, percent, 1);
  const spaced = readPercentWords(words, i);
  if (spaced) {
    if (spaced.percent === undefined) throw percentProblem(spaced.typed, words, i, spaced.consumed);
    return setPercent(words, i, out, spaced.percent, spaced.consumed);
  }
  const letter = readLetterStatus(words, i, out);
  if (letter) return setStatus(words, i, out, letter, 1);

  // "RAG: amber", "status green", "rag:amber": the label is understood and the status read.
  const labelled = STATUS_LABEL_WITH_VALUE.exec(word);
  if (labelled || (STATUS_LABEL.test(word) && next !== undefined)) {
    const value = labelled ? (labelled[2] as string) : (next as string);
    const taken = labelled ? 1 : 2;
    const after = words[i + taken];
    const twoWords = after !== undefined ? `${value} ${after.replace(TRAILING_PUNCTUATION, '')}`.toLowerCase() : '';
    if (TWO_WORD_STATUSES.has(twoWords)) return setStatus(words, i, out, readStatusWord(twoWords) as ActionStatus, taken + 1);
    const bareValue = value.replace(TRAILING_PUNCTUATION, '');
    // After a label a single letter is in the status position: "RAG: R".
    const s = statusOf(value) ?? (LETTER_STATUS.test(bareValue) ? readStatusWord(bareValue, true) : undefined);
    if (s) return setStatus(words, i, out, s, taken);
    // "RAG: purple", "status=ongoing": clearly meant as a status. "status of the pilot…" is prose.
    if (labelled || /[:=]$/.test(word) || /^rag$/i.test(word)) throw notAStatus(value, words, i, taken);
  }
  if (STATUS_LABEL.test(word) && /[:=]$/.test(word) && next === undefined) {
    throw new MisreadField(`'${word}' needs a status after it. Give one of: ${STATUS_CHOICES}.`);
  }
  // "evidence https://…" without the colon: a web link right after "evidence" can only be evidence.
  if (word.toLowerCase() === 'evidence' && next !== undefined && URL.test(next) && out.evidenceUrl === undefined) {
    out.evidenceUrl = next;
    return 2;
  }
  // "percent: 60", "progress:60%".
  const percentLabelled = PERCENT_LABEL_WITH_VALUE.exec(word);
  if (percentLabelled || (PERCENT_LABEL.test(word) && next !== undefined)) {
    const value = percentLabelled ? (percentLabelled[2] as string) : (next as string);
    const taken = percentLabelled ? 1 : 2;
    const p = percentOf(/%$/.test(value.replace(TRAILING_PUNCTUATION, '')) ? value : `${value.replace(TRAILING_PUNCTUATION, '')}%`);
    if (p !== undefined) return setPercent(words, i, out, p, taken);
    throw percentProblem(value, words, i, taken);
  }
  return 0;
}

/**
 * A percent written with its unit apart or spelt out ("60 %", "60 percent", "60 per cent", "60pc"),
 * read the same way as a KPI reading is. `percent` is undefined when the number cannot be stored
 * (the caller refuses it with the reason).
 */
function readPercentWords(words: string[], i: number): { percent?: number; typed: string; consumed: number } | undefined {
  const bare = (words[i] as string).replace(TRAILING_PUNCTUATION, '');
  const stuck = /^([-+−–]?\d+(?:[.,]\d+)?)(pc|pct|percent|per-?cent)$/i.exec(bare);
  let number: string | undefined;
  let typed = bare;
  let consumed = 1;
  if (stuck) number = stuck[1];
  else if (/^[-+−–]?\d+([.,]\d+)?$/.test(bare) && words[i + 1] !== undefined) {
    const unit = (words[i + 1] as string).replace(TRAILING_PUNCTUATION, '').toLowerCase();
    if (PERCENT_WORDS.has(unit)) {
      number = bare;
      typed = `${bare} ${unit}`;
      consumed = 2;
    } else if (unit === 'per' && /^cent[,;:.!]*$/i.test(words[i + 2] ?? '')) {
      number = bare;
      typed = `${bare} per cent`;
      consumed = 3;
    }
  }
  if (number === undefined) return undefined;
  const n = Number(number.replace(/[−–]/, '-').replace(',', '.'));
  const ok = Number.isInteger(n) && n >= 0 && n <= 100;
  return ok ? { percent: n, typed, consumed } : { typed, consumed };
}

/**
 * R, A, G or B where a status would stand: no status given yet, and followed by nothing, a percent,
 * an option or a separator ("R 20% letter red", "G", "A - on hold"). Elsewhere a single letter is
 * prose. Lower-case "a" is the English article ("a 20% rise"), so only a capital A counts, and a
 * capital A with a percent and then prose ("A 20% rise in referrals") is asked about, not guessed.
 */
function readLetterStatus(words: string[], i: number, out: UpdateWords): ActionStatus | undefined {
  const word = words[i] as string;
  const bare = word.replace(TRAILING_PUNCTUATION, '');
  if (out.status !== undefined || !LETTER_STATUS.test(bare) || bare === 'a') return undefined;
  const next = words[i + 1];
  const nextIsField = next === undefined || SEPARATOR.test(next) || bare !== word || percentLike(next) || isOption(next) || readPercentWords(words, i + 1) !== undefined || startsSplitPercent(words, i + 1);
  if (!nextIsField) return undefined;
  const status = readStatusWord(bare, true) as ActionStatus;
  if (bare === 'A' && bare === word && next !== undefined && percentLike(next)) {
    const skip = readPercentWords(words, i + 1)?.consumed ?? 1;
    const after = words[i + 1 + skip];
    if (after !== undefined && !SEPARATOR.test(after) && !isOption(after)) {
      throw new MisreadField(
        `Is 'A' the status amber, or the start of your note ("A ${words.slice(i + 1, i + 4).join(' ')}…")?`,
        replaceWords(words, i, 1, ['amber']),
        'If it is the note, write note: before it.',
      );
    }
  }
  return status;
}

/**
 * A second status or percent among the leading fields is a mistake when it stands where a field
 * would ("amber green", "60% 70%"); followed by more words it is the start of the note ("amber
 * green light from the panel").
 */
function setStatus(words: string[], i: number, out: UpdateWords, status: ActionStatus, taken: number): number {
  if (out.status === undefined) {
    out.status = status;
    return taken;
  }
  if (fieldShaped(words, i + taken)) {
    // "green on track": the same status twice, in two words for it.
    if (out.status === status) return taken;
    throw new MisreadField(`You gave two statuses, ${describeStatus(out.status)} and ${words.slice(i, i + taken).join(' ')}. Give one.`);
  }
  return 0;
}

function setPercent(words: string[], i: number, out: UpdateWords, percent: number, taken: number): number {
  if (out.percent === undefined) {
    out.percent = percent;
    return taken;
  }
  if (fieldShaped(words, i + taken)) throw new MisreadField(`You gave two percentages, ${out.percent}% and ${percent}%. Give one.`);
  return 0;
}

const describeStatus = (s: ActionStatus): string => (s === 'blue' ? 'complete' : s.replace('_', ' '));

/** True when the word at `i` is where a field, not prose, would end: nothing more, a percent, a status or an option. */
function fieldShaped(words: string[], i: number): boolean {
  const w = words[i];
  return w === undefined || percentLike(w) || statusOf(w) !== undefined || isOption(w) || readPercentWords(words, i) !== undefined;
}

/** The first word of the note: refused when it looks like a mistyped field. */
function checkNoteStart(words: string[], i: number, out: UpdateWords): void {
  const word = words[i] as string;
  const bare = word.replace(TRAILING_PUNCTUATION, '');
  const lower = bare.toLowerCase();
  const next = words[i + 1];
  // A valid status or percent here follows one already given and is followed by prose: a note.
  if (statusOf(word) !== undefined || percentOf(word) !== undefined) return;
  if (readPercentWords(words, i)?.percent !== undefined) return;

  // Percentages that cannot be stored, or written another way.
  if (percentLike(word)) throw percentProblem(word, words, i, 1);
  // A number in the percent position is never left as the note while the old percent stands.
  if (out.percent === undefined) checkBareNumbers(words, i, out);

  // Two statuses run together: "amber/green", "red-amber".
  if (COMPOUND_RAG.test(bare)) {
    throw new MisreadField(`'${bare}' isn't one status. Give one of: ${STATUS_CHOICES}.`);
  }

  // A near miss of a status word: "ambr", "gren", "completd".
  const suggestion = suggestStatusWord(bare);
  if (suggestion) {
    throw new MisreadField(`'${bare}' isn't a status, did you mean ${suggestion}?`, replaceWords(words, i, 1, [suggestion]), noteAdvice(bare));
  }

  // Colours and tracker words that are not statuses, where a status would go.
  const statusPosition = fieldShaped(words, i + 1);
  const trackerPair = next !== undefined ? `${lower}-${next.replace(TRAILING_PUNCTUATION, '').toLowerCase()}` : '';
  if (NOT_STATUS_COLOURS.has(lower) || ((MAYBE_COLOURS.has(lower) || TRACKER_WORDS.has(lower)) && statusPosition)) {
    throw notAStatus(bare, words, i, 0);
  }
  if (TRACKER_WORDS.has(trackerPair) && fieldShaped(words, i + 2)) throw notAStatus(`${bare} ${next}`, words, i, 0);

  // Options written without their colon.
  if (lower === 'due' && next !== undefined && DATE_START.test(next) && out.due === undefined) {
    let end = i + 1;
    while (end + 1 < words.length && DATEISH.test(words[end + 1] as string)) end += 1;
    const phrase = words.slice(i + 1, end + 1).join(' ');
    // "due 2 weeks late" is prose; "due 31 March", "due end of June 25", "due 2025/26" name a date.
    if (!DATE_NAMED.test(phrase) || (/^may\b/i.test(phrase) && !/\d/.test(phrase))) return;
    throw new MisreadField(
      `Did you mean to ask for a new due date, ${phrase}? Write due: with a colon: due:"${phrase}".`,
      replaceWords(words, i, end - i + 1, [`due:${phrase}`]),
      'A new date goes to the chair for approval, with your note as the reason.',
    );
  }
  const option = /^(deadline|date|eta|link|url|evidence)[:=]/i.exec(word);
  if (option) {
    const name = (option[1] as string).toLowerCase();
    const meant = ['link', 'url', 'evidence'].includes(name) ? 'evidence:' : 'due:';
    const value = word.slice(option[0].length);
    throw new MisreadField(`'${name}:' isn't something I record. Did you mean ${meant}${value}?`, replaceWords(words, i, 1, [`${meant}${value}`]));
  }
}

/**
 * Numbers where the percent would go, with no percent given yet. Split by spaces and followed by a
 * percent sign or word ("6 0%", "4 5 % x", "6 0 per cent", "6 0pc") they are a percent typed with a
 * space. Two or more bare numbers right after a status ("green 7 5"), or a lone number with nothing
 * but fields after it ("green 75"), can only be a percent without its sign. Either way the person is
 * asked, since storing the update would show the old percent. A number followed by prose ("30
 * schools have signed up", "amber 2 weeks late") is a note.
 */
function checkBareNumbers(words: string[], i: number, out: UpdateWords): void {
  const digits: string[] = [];
  let j = i;
  while (j < words.length && /^\d+$/.test(words[j] as string)) digits.push(words[j++] as string);
  if (digits.length === 0) return;
  const unitEnd = percentUnitEnd(words, j, digits);
  const advice = 'Percent complete is a whole number from 0% to 100%, written like 60%.';
  if (unitEnd !== undefined && digits.length >= 2) {
    const typed = words.slice(i, unitEnd).map((w) => w.replace(TRAILING_PUNCTUATION, '')).join(' ');
    const p = percentOf(`${digits.join('')}%`);
    throw new MisreadField(
      `'${typed}' has a space inside the percentage${p !== undefined ? `: did you mean ${p}%?` : '.'}`,
      p !== undefined ? replaceWords(words, i, unitEnd - i, [`${p}%`]) : undefined,
      advice,
    );
  }
  if (unitEnd !== undefined) return;
  const typed = digits.join(' ');
  // A status word after the number may be prose ("green 3 red flags raised"): only the end, a dash, a
  // percent or an option marks the number as a field.
  const after = words[j];
  const afterIsField = after === undefined || SEPARATOR.test(after) || isOption(after) || percentLike(after);
  if ((digits.length >= 2 && out.status !== undefined) || afterIsField) {
    const p = percentOf(`${digits.join('')}%`);
    const asked = p !== undefined ? `: did you mean ${p}%?` : ': give percent complete with its sign, like 60%.';
    throw new MisreadField(
      `'${typed}' stands where the percent goes, but has no % sign${asked}`,
      p !== undefined ? replaceWords(words, i, digits.length, [`${p}%`]) : undefined,
      `If '${typed}' is the start of your note, write note: before it.`,
    );
  }
}

/** True when numbers split by spaces and then a percent sign or word start at `i` ("1 0%", "4 5 percent"). */
function startsSplitPercent(words: string[], i: number): boolean {
  const digits: string[] = [];
  let j = i;
  while (j < words.length && /^\d+$/.test(words[j] as string)) digits.push(words[j++] as string);
  return digits.length > 0 && percentUnitEnd(words, j, digits) !== undefined && digits.length >= 2;
}

/**
 * Where a percent sign or word after numbers at `j` ends: "%", "percent", "pc", "per cent", or the
 * last digits with the sign stuck on ("0%", "0pc"), which are added to `digits`. Undefined: none.
 */
function percentUnitEnd(words: string[], j: number, digits: string[]): number | undefined {
  const w = words[j];
  if (w === undefined) return undefined;
  const bare = w.replace(TRAILING_PUNCTUATION, '');
  const stuck = /^(\d+)(%|pc|pct|percent|per-?cent)$/i.exec(bare);
  if (stuck) {
    digits.push(stuck[1] as string);
    return j + 1;
  }
  if (PERCENT_WORDS.has(bare.toLowerCase())) return j + 1;
  if (bare.toLowerCase() === 'per' && /^cent[,;:.!]*$/i.test(words[j + 1] ?? '')) return j + 2;
  return undefined;
}

function notAStatus(value: string, words: string[], i: number, taken: number): MisreadField {
  const v = value.replace(TRAILING_PUNCTUATION, '');
  const suggestion = suggestStatusWord(v);
  const fix = suggestion && taken > 0 ? replaceWords(words, i, taken, [suggestion]) : undefined;
  return new MisreadField(
    suggestion ? `'${v}' isn't a status, did you mean ${suggestion}?` : `'${v}' isn't a status. Give one of: ${STATUS_CHOICES}.`,
    fix,
    noteAdvice(v),
  );
}

function percentProblem(typed: string, words: string[], i: number, taken: number): MisreadField {
  const value = typed.replace(TRAILING_PUNCTUATION, '');
  const number = /^([-+−–]?\d+(?:[.,]\d+)?)\s*(%|pc|pct|percent|per-?cent|per cent)?$/i.exec(value)?.[1] ?? '';
  const n = Number(number.replace(/[−–]/, '-').replace(',', '.'));
  const advice = 'Percent complete is a whole number from 0% to 100%, written like 60%.';
  if (number === '' || Number.isNaN(n)) return new MisreadField(`I couldn't read '${value}' as a percentage.`, undefined, advice);
  if (n < 0) return new MisreadField(`'${value}' is below 0%: percent complete can't be negative.`, undefined, advice);
  if (n > 100) return new MisreadField(`'${value}' is over 100%: percent complete goes from 0% to 100%.`, undefined, advice);
  if (!Number.isInteger(n)) {
    return new MisreadField(`'${value}' isn't a whole number: give percent complete as a whole number, e.g. ${Math.round(n)}%.`, replaceWords(words, i, taken, [`${Math.round(n)}%`]), advice);
  }
  return new MisreadField(`'${value}' isn't how I read percent complete: write ${n}%.`, replaceWords(words, i, taken, [`${n}%`]));
}

function noteAdvice(word: string): string {
  return `If '${word}' is the start of your note, write note: before it.`;
}

function replaceWords(words: string[], i: number, count: number, by: string[]): string[] {
  return [...words.slice(0, i), ...by, ...words.slice(i + count)].map(displayWord);
}

/** A word as it would be typed again: quoted phrases get their quotes back. */
export function displayWord(word: string): string {
  if (!wasQuoted(word)) return word;
  const option = /^(due|evidence|note):(.*)$/is.exec(word);
  return option ? `${option[1]}:"${option[2]}"` : `"${word}"`;
}

/**
 * The percent field of a form (Slack modal, Teams card, console): "60", "60%" or "60 percent" (the
 * field says what the number is). Anything else gets a specific answer: "-5", "101", "60.5", "lots".
 */
export function readPercentText(typed: string): { percent: number } | { problem: string } {
  const value = typed.trim();
  const m = /^([-+−–]?\d+(?:[.,]\d+)?)\s*(%|pc|pct|percent|per-?cent|per cent)?$/i.exec(value);
  const n = m ? Number((m[1] as string).replace(/[−–]/, '-').replace(',', '.')) : Number.NaN;
  if (Number.isNaN(n)) return { problem: `I couldn't read '${value}' as a percentage: give a whole number from 0 to 100, e.g. 60.` };
  if (n < 0) return { problem: `'${value}' is below 0: percent complete is a whole number from 0 to 100.` };
  if (n > 100) return { problem: `'${value}' is over 100: percent complete is a whole number from 0 to 100.` };
  if (!Number.isInteger(n)) return { problem: `'${value}' isn't a whole number: give a whole number from 0 to 100, e.g. ${Math.round(n)}.` };
  return { percent: n };
}
