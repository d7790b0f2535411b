import type { ActionStatus } from '../../db/types.js';

/** Words people use for each RAG status (normalised: lower case, spaces and underscores as hyphens). */
const STATUS_WORDS: Record<string, ActionStatus> = {
  green: 'green',
  'on-track': 'green',
  ontrack: 'green',
  g: 'green',
  amber: 'amber',
  'at-risk': 'amber',
  atrisk: 'amber',
  a: 'amber',
  red: 'red',
  'off-track': 'red',
  offtrack: 'red',
  r: 'red',
  blue: 'blue',
  complete: 'blue',
  completed: 'blue',
  done: 'blue',
  closed: 'blue',
  b: 'blue',
  'not-started': 'not_started',
  notstarted: 'not_started',
  'not-yet-started': 'not_started',
};

export const STATUS_LABELS: Record<ActionStatus, string> = {
  not_started: 'Not started',
  green: 'Green (on track)',
  amber: 'Amber (at risk)',
  red: 'Red (off track)',
  blue: 'Blue (complete)',
};

export const STATUS_SHORT: Record<ActionStatus, string> = {
  not_started: 'not started',
  green: 'green',
  amber: 'amber',
  red: 'red',
  blue: 'complete',
};

/** The status a word means, or undefined. Single letters count only when `allowLetters` (spreadsheets). */
export function readStatusWord(word: string, allowLetters = false): ActionStatus | undefined {
  const key = word.trim().toLowerCase().replace(/[\s_]+/g, '-');
  if (!allowLetters && key.length === 1) return undefined;
  return STATUS_WORDS[key];
}

export const STATUS_WORD_LIST = 'green/on-track, amber/at-risk, red/off-track, blue/complete/done, not-started';

/**
 * Spellings worth checking a typo against: the full words only. Single letters and short words
 * (red, blue, done) are left out because too many everyday words sit one letter away from them
 * ("read", "one", "glue"); "closed" is left out because "close" starts many notes.
 */
const TYPO_TARGETS: [string, string][] = [
  ['green', 'green'],
  ['amber', 'amber'],
  ['complete', 'complete'],
  ['completed', 'complete'],
  ['on-track', 'on-track'],
  ['off-track', 'off-track'],
  ['at-risk', 'at-risk'],
  ['not-started', 'not-started'],
  ['ontrack', 'on-track'],
  ['offtrack', 'off-track'],
  ['notstarted', 'not-started'],
];

/** Edit distance of at most one, counting a swap of two neighbouring letters as one edit. */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diffs: number[] = [];
    for (let i = 0; i < a.length && diffs.length <= 2; i += 1) if (a[i] !== b[i]) diffs.push(i);
    if (diffs.length === 1) return true;
    const [i, j] = diffs as [number, number];
    return diffs.length === 2 && j === i + 1 && a[i] === b[j] && a[j] === b[i];
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && long[i] === short[i]) i += 1;
  return long.slice(i + 1) === short.slice(i);
}

/**
 * The status word someone probably meant by a near miss ("ambr", "gren", "amebr", "completd"), or
 * undefined. Only words of four letters or more are judged, against the longer status words.
 */
export function suggestStatusWord(word: string): string | undefined {
  const key = word.trim().toLowerCase().replace(/[\s_]+/g, '-');
  if (key.length < 4 || readStatusWord(key)) return undefined;
  return TYPO_TARGETS.find(([target]) => withinOneEdit(key, target))?.[1];
}

/** The status words, for messages. */
export const STATUS_CHOICES = 'green (on track), amber (at risk), red (off track), complete (done) or not started';

/**
 * A status and a percent that contradict each other, described in the user's words; undefined when
 * they agree. Complete means 100%, 100% means complete, and not started means nothing done yet.
 * `status` is what the person gave, or (with `current`) the status the action already has.
 */
export function statusPercentConflict(
  status: ActionStatus | undefined,
  percent: number | undefined,
  current?: { ref: string },
): string | undefined {
  if (percent === undefined) return undefined;
  if (status === 'blue' && percent < 100) {
    return current
      ? `${current.ref} is marked complete, and complete means 100%. To reopen it, give its status with the percent, e.g. amber ${percent}%.`
      : `Complete means 100%, but you gave ${percent}%. If it is finished, leave the percent out; if not, give its status (green, amber or red) with ${percent}%.`;
  }
  if (percent === 100 && status !== undefined && status !== 'blue') {
    return current
      ? `100% means finished. If ${current.ref} is finished, say complete; if not, give the percent done so far.`
      : `100% means finished, but you said ${STATUS_SHORT[status]}. If it is finished, say complete; if not, give the percent done so far.`;
  }
  // Someone who gives only a percent on a not-started action is reporting progress: not a contradiction.
  if (status === 'not_started' && percent > 0 && !current) {
    return `Not started means nothing done yet, but you gave ${percent}%. Give its status instead (green, amber or red) with ${percent}%.`;
  }
  return undefined;
}
