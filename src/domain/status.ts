import type { ActionStatus } from '../../db/schema.js';

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
