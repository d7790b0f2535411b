// Checks on free text before it is stored: the plan is about services, never about a named child;
// and nothing stored may carry invisible characters that change how a board paper reads.

export const MAX_TEXT_LENGTH = 3000;

/**
 * Characters removed from free text before it is stored or checked:
 * - C0 and C1 control characters, except tab and line feed (a carriage return becomes a line feed);
 * - bidirectional controls (LRE, RLE, PDF, LRO, RLO U+202A–202E; LRI, RLI, FSI, PDI U+2066–2069;
 *   LRM, RLM, ALM): an override would let "approve" display as "evorppa", or reorder a line of a
 *   board paper so it reads differently from what is stored;
 * - invisible formatting that hides what text says: zero-width space, word joiner, invisible
 *   operators, soft hyphen, byte-order mark, interlinear annotation marks, and line/paragraph
 *   separators (U+2028/2029, which some renderers break on and others do not).
 * Zero-width joiner and non-joiner (U+200C/200D) stay: emoji sequences and some scripts need them.
 */
const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u200B\u200E\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]/g;

/** Free text with control, bidirectional-override and invisible formatting characters removed. */
export function stripUnsafeCharacters(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNSAFE_CHARACTERS, '');
}

/** True when `digits` (10 of them) pass the NHS number modulus-11 check. */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

// ——— Finding NHS numbers however they are written ———
//
// People paste NHS numbers from case systems, letters and spreadsheets, so the digits arrive with
// whatever the source used between them: spaces (including non-breaking, thin and figure spaces),
// hyphens, en and em dashes, minus signs, dots, underscores, and digits in other forms (full-width
// １２３, mathematical, Arabic-Indic…). The text is first normalised (NFKC, then every decimal digit
// to 0–9, invisible formatting removed), then read as groups of digits joined by separators.
//
// Trade-off: separators are what make dates and phone numbers look like ten digits too, and every
// 10-digit string has about a 1 in 11 chance of passing modulus 11. So a run of digit groups is a
// candidate only when it holds exactly ten digits (a longer run — an international phone number, a
// long reference — is never split into ten-digit pieces) and it is written as one number: no
// separators, the same kind of separator throughout (spaces, dashes, dots or underscores; spaces
// may pad another separator, as in "943 – 476 – 5919"), or the NHS's own 3-3-4 grouping with any
// separators. "12.03.2025 10:30" (dots, then a space) therefore stays ordinary text, where a looser
// rule would refuse one in eleven such dates. In addition, ten digits written solid inside a longer
// run ("ref 1 9434765919") are checked on their own: no ordinary number looks like that by chance.

type SeparatorKind = 'space' | 'dash' | 'dot' | 'underscore' | 'slash' | 'comma' | 'colon';

/**
 * Separators that also write dates, times and money ("12/03/2025", "10:30", "£1,250,000"): they
 * join a number only in the NHS's 3-3-4 grouping, never as one kind throughout.
 */
const GROUPING_ONLY = new Set<SeparatorKind | 'mixed' | 'wide'>(['slash', 'comma', 'colon']);

/** Separators between the digits of one number, by kind (after NFKC normalisation). */
function separatorKind(ch: string): SeparatorKind | undefined {
  // A line break is blank space too: a number split over two lines is still one number.
  if (ch === ' ' || ch === '\t' || ch === '\n' || /\p{Zs}/u.test(ch)) return 'space';
  if (ch === '/' || ch === '\u2044' || ch === '\u2215') return 'slash';
  if (ch === ',' || ch === '\u060C' || ch === '\u3001') return 'comma';
  if (ch === ':' || ch === '\u2236') return 'colon';
  if (/[\p{Pd}\u2212\u2043\uFE63\uFF0D]/u.test(ch)) return 'dash';
  if (/[.\u00B7\u2022\u2024\u2027\u2219\u22C5\u30FB\u3002\uFF0E\uFF65]/u.test(ch)) return 'dot';
  if (/\p{Pc}/u.test(ch)) return 'underscore';
  return undefined;
}

/**
 * The value 0–9 of any Unicode decimal digit. Unicode encodes decimal digits in runs of ten, 0 to 9;
 * some runs sit back to back (mathematical digits), so the value is the distance from the start of
 * the whole stretch of digits, modulo ten.
 */
function digitValue(ch: string): number | undefined {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  if (!/\p{Nd}/u.test(ch)) return undefined;
  const code = ch.codePointAt(0) as number;
  let start = code;
  while (code - start < 100 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start -= 1;
  return (code - start) % 10;
}

/**
 * The text as its digits will be read: what would be stored (unsafe characters stripped, so a
 * control character between digits cannot hide a number that storing would then join up), in
 * compatibility form, with any remaining invisible formatting (\p{Cf}) removed.
 */
function normaliseForNumbers(text: string): string[] {
  return [...stripUnsafeCharacters(text).normalize('NFKD').replace(/\p{Cf}|\p{M}/gu, '').replace(BLANK_LETTERS, '').normalize('NFKC')];
}

/**
 * Letters that draw nothing (Hangul fillers, the blank Braille pattern): they could sit between
 * digits and hide a number from a reader that only skips spaces. Like combining marks (U+0301 over a
 * digit), they are dropped before digits are read.
 */
const BLANK_LETTERS = /[\u115F\u1160\u2800\u3164\uFFA0]/g;

interface DigitRun {
  groups: string[];
  /** The kind of each gap between groups (groups.length - 1 of them); 'wide' is more than three blanks. */
  gaps: (SeparatorKind | 'mixed' | 'wide')[];
  /** Each gap as written, kinds standing for their characters ("-" for any dash, " " for any blank). */
  spellings: string[];
}

/** A gap of blanks this long still joins groups, but only in the 3-3-4 grouping. */
const MAX_WIDE_GAP = 40;

/**
 * Splits text into runs of digit groups. Two groups belong to one run when 1 to 3 separator
 * characters stand between them, spaces and at most one other kind ("-", " – ", "--").
 */
function digitRuns(chars: string[]): DigitRun[] {
  const runs: DigitRun[] = [];
  let run: DigitRun | undefined;
  let group = '';
  let i = 0;
  const closeRun = (): void => {
    if (run && group) run.groups.push(group);
    if (run && run.groups.length > 0) runs.push(run);
    run = undefined;
    group = '';
  };
  while (i < chars.length) {
    const ch = chars[i] as string;
    const value = digitValue(ch);
    if (value !== undefined) {
      run ??= { groups: [], gaps: [], spellings: [] };
      group += String(value);
      i += 1;
      continue;
    }
    if (run && group && separatorKind(ch)) {
      // Look at the whole gap: blanks and up to three marks of one kind, then a digit.
      let j = i;
      const kinds: SeparatorKind[] = [];
      while (j < chars.length && j - i < MAX_WIDE_GAP && separatorKind(chars[j] as string)) {
        kinds.push(separatorKind(chars[j] as string) as SeparatorKind);
        j += 1;
      }
      const marks = kinds.filter((k) => k !== 'space');
      if (j < chars.length && digitValue(chars[j] as string) !== undefined && marks.length <= 3 && marks.every((k) => k === marks[0])) {
        run.groups.push(group);
        run.gaps.push(kinds.length > 3 ? 'wide' : (marks[0] ?? 'space'));
        run.spellings.push(kinds.join(','));
        group = '';
        i = j;
        continue;
      }
    }
    closeRun();
    i += 1;
  }
  closeRun();
  return runs;
}

function writtenAsOneNumber(run: DigitRun): boolean {
  if (run.gaps.length === 0) return true;
  const first = run.gaps[0] as DigitRun['gaps'][number];
  // One way of writing every gap: "943-476-5919", "943 – 476 – 5919"; not a date then a range ("2026-10-15 - 15").
  if (!GROUPING_ONLY.has(first) && first !== 'wide' && run.gaps.every((g) => g === first) && run.spellings.every((g) => g === run.spellings[0])) return true;
  return run.groups.length === 3 && run.groups[0]?.length === 3 && run.groups[1]?.length === 3 && run.groups[2]?.length === 4;
}

/**
 * Finds something that looks like an NHS number (see the notes above): returns its ten digits, or
 * undefined.
 */
export function findNhsNumber(text: string): string | undefined {
  if (tooFewDigits(text)) return undefined;
  for (const run of digitRuns(normaliseForNumbers(text))) {
    const digits = run.groups.join('');
    if (digits.length === 10 && writtenAsOneNumber(run) && isValidNhsNumber(digits)) return digits;
    if (digits.length > 10) {
      const solid = run.groups.find((g) => g.length === 10 && isValidNhsNumber(g));
      if (solid) return solid;
    }
  }
  return undefined;
}

/**
 * Plain ASCII text with fewer than ten digits cannot hold an NHS number whatever its separators (the
 * tricks that hide digits — other scripts, combining marks, blank letters — are not ASCII). Most text
 * is such text, and an import checks every cell: this skips the full reading for it.
 */
function tooFewDigits(text: string): boolean {
  let digits = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return false;
    if (c >= 48 && c <= 57 && ++digits >= 10) return false;
  }
  return true;
}

/** Why text is refused. Deliberately not the text itself: refused text must not reach the logs. */
export type TextProblem = { kind: 'too-long'; length: number } | { kind: 'nhs-number' };

/** Returns why `text` may not be stored, or undefined when it is fine. */
export function checkUserText(text: string): TextProblem | undefined {
  if (text.length > MAX_TEXT_LENGTH) return { kind: 'too-long', length: text.length };
  if (findNhsNumber(text)) return { kind: 'nhs-number' };
  return undefined;
}

export function describeTextProblem(problem: TextProblem): string {
  if (problem.kind === 'too-long') {
    return `That is ${problem.length.toLocaleString('en-GB')} characters; updates are limited to ${MAX_TEXT_LENGTH.toLocaleString('en-GB')}. Put the detail in a document and add it with evidence:<link>.`;
  }
  return 'That text contains what looks like an NHS number. No personal data about children goes into the plan: describe the work, not the child, and send again.';
}
