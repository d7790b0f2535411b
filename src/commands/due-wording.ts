// How an action's due date is said when it is not simply a date: complete, ongoing, started with no
// end, or a phrase the plan wrote with no date in it ("TBC"). "no date" alone would hide what the
// plan or the record says, so these read the record and say that instead. Pure: no queries.
import { DateTime } from 'luxon';
import type { ActionStatus } from '../../db/types.js';
import { LONDON } from '../clock.js';
import { formatDate } from '../render/format.js';
import type { ActionView } from '../store/actions-repository.js';

type DueFacts = Pick<ActionView, 'status' | 'due' | 'baselineDue' | 'start' | 'ongoing' | 'dateText' | 'dateSource'>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The plan's date cell says the action is done ("Complete", "Complete - Sept 23", "Done"). */
const SAYS_COMPLETE = /\b(complete[d]?|done|finished|achieved)\b/i;

/**
 * The London date an action was last marked complete in chat, from its updates in any order; null
 * when it is not complete, or when only a plan import marked it so (the import date is not when
 * the work was finished).
 */
export function completedOn(updates: { at: string; status: ActionStatus | null; platform: string }[]): string | null {
  let on: string | null = null;
  let current: ActionStatus | null = null;
  for (const u of [...updates].sort((a, b) => a.at.localeCompare(b.at))) {
    if (u.status === null) continue;
    if (u.status === 'blue' && current !== 'blue') on = u.platform === 'import' ? null : (DateTime.fromISO(u.at, { zone: 'utc' }).setZone(LONDON).toISODate() ?? null);
    if (u.status !== 'blue') on = null;
    current = u.status;
  }
  return on;
}

/** "Jan 2024" for a start the plan gave as a month (the 1st, with no day written), else "5 Jan 2024". */
function formatStart(start: string, written: string | null): string {
  const m = /^(\d{4})-(\d{2})-01$/.exec(start);
  if (m && !(written && /(^|\D)0?1(st)?(\D|$)/i.test(written))) return `${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  return formatDate(start);
}

/**
 * The Due field of `who` and `history`: a date with its baseline, "completed 12 Nov 2024", "from
 * Jan 2024, no end date", "ongoing", or the plan's own words ("TBC" as written, no date).
 */
export function describeDue(a: DueFacts, completed: string | null = null): string {
  const written = a.dateSource === 'action' && a.dateText ? a.dateText : null;
  if (a.status === 'blue') {
    // A plan cell like "Complete - Sept 23" gives the completion date as its due date.
    const planDate = !completed && written && SAYS_COMPLETE.test(written) ? a.due : null;
    const on = completed ?? planDate;
    const parts = [`completed${on ? ` ${formatDate(on)}` : ''}`];
    if (a.due && a.due !== on) parts.push(`was due ${formatDate(a.due)}`);
    // The plan's words when they say more than the date shown ("Complete - Sept 23", "Summer 2024").
    // A cell that only says so ("Complete", "Done.") adds nothing to "completed".
    const onlySaysComplete = written !== null && /^\s*(complete|completed|done)\s*\.?\s*$/i.test(written);
    const words = written && !onlySaysComplete && (SAYS_COMPLETE.test(written) || !a.due) ? ` (plan says "${written}")` : '';
    return `${parts.join(', ')}${words}`;
  }
  if (a.due) {
    const baseline = a.baselineDue && a.baselineDue !== a.due ? ` (baseline ${formatDate(a.baselineDue)})` : '';
    return `${formatDate(a.due)}${baseline}${a.ongoing ? ', ongoing' : ''}`;
  }
  if (a.start) return `from ${formatStart(a.start, written)}, ${a.ongoing ? 'ongoing' : 'no end date'}`;
  if (a.ongoing) return written && !/^\s*ongoing\s*$/i.test(written) ? `ongoing (plan says "${written}")` : 'ongoing';
  if (written) return `no date: the plan says "${written}"`;
  return 'no date';
}

/**
 * For one line of a list, when there is no due date: "completed", "ongoing", "from Jan 2024" or
 * "due: TBC" (the plan's words). Null when the action has a due date (the list shows it) or nothing
 * was written.
 */
export function dueInstead(a: DueFacts): string | null {
  if (a.due) return null;
  if (a.status === 'blue') return 'completed';
  const written = a.dateSource === 'action' && a.dateText ? a.dateText : null;
  if (a.start) return `from ${formatStart(a.start, written)}${a.ongoing ? ', ongoing' : ''}`;
  if (a.ongoing) return 'ongoing';
  return written ? `due: ${written}` : null;
}
