// The words of every scheduled message, as pure functions returning a neutral Reply. Brief and
// plain-spoken, and always from "sendbot": the bot never writes as if it were a person.
import { formatDate, plural, shortTitle } from '../../messages/format.js';
import { type ActionLine, fields, heading, type KpiLine, list, type Reply, type ReplyBlock, type ReplyButton, reply, text } from '../../messages/reply.js';
import { DEMO_EXAMPLES } from '../plan-examples.js';
import type { ActionState, PersonState } from '../planning-state.js';
import { dateLabel, londonDateOf, meetingLabel, shortDay, workingDaysOverdue } from './calendar-memo.js';

export const UPDATE_HINT = 'Reply with /send update <ref> [status] [NN%] [note…], or use the buttons.';

/** Titles by action: the same action is listed in a nudge and a chaser, tick after tick. */
const titles = new WeakMap<ActionState, string>();

/** Whitespace as \s and String.prototype.trim see it, other than the plain space. */
function isOtherSpace(c: number): boolean {
  return c < 0x80
    ? c >= 9 && c <= 13
    : c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Text shortTitle would return unchanged: words separated by single plain spaces, nothing around them. */
function isTidy(text: string): boolean {
  let afterSpace = true; // a leading space needs tidying
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (afterSpace) return false;
      afterSpace = true;
    } else if (isOtherSpace(c)) {
      return false;
    } else {
      afterSpace = false;
    }
  }
  return !afterSpace; // so also false for '' and a trailing space
}

function titleOf(action: ActionState): string {
  // Most action texts are short and tidy already: their title is the text itself, nothing to cache.
  if (action.text.length <= 80 && isTidy(action.text)) return action.text;
  let title = titles.get(action);
  if (title === undefined) {
    title = shortTitle(action.text, 80);
    titles.set(action, title);
  }
  return title;
}

export function toActionLine(action: ActionState, today: string, detail: string | null = null): ActionLine {
  const overdue = action.status !== 'blue' && action.due !== null && action.due < today;
  return {
    ref: action.ref,
    title: titleOf(action),
    due: action.due,
    status: action.status,
    percent: action.percent,
    daysOverdue: overdue ? workingDaysOverdue(action.due as string, today) : null,
    detail,
  };
}

/** Why an action is on a nudge: the owner sees at a glance what is being asked. */
export function reportDetail(action: ActionState, needsUpdate: boolean): string {
  if (!action.lastReportedAt) return 'no update yet';
  const day = londonDateOf(action.lastReportedAt);
  let details = detailsByDay.get(day);
  if (!details) {
    if (detailsByDay.size >= 10_000) detailsByDay.clear();
    const last = `last update ${dateLabel(day)}`;
    details = [last, `${last}, before the last meeting`];
    detailsByDay.set(day, details);
  }
  return needsUpdate ? details[1] : details[0];
}

/** Both wordings per day of the last report: thousands of listed actions share a few hundred days. */
const detailsByDay = new Map<string, [string, string]>();

/**
 * A nudge or chaser lists at most this many actions, most urgent first: one message per person per
 * occasion even for someone holding 93 actions, with the rest counted and a way to the full list.
 */
export const MESSAGE_LIST_LIMIT = 10;

/** Most urgent first: longest overdue, then red, then needing an update, then soonest due, then ref. */
function urgency(a: ActionLine, b: ActionLine): number {
  const overdue = (b.daysOverdue ?? -1) - (a.daysOverdue ?? -1);
  if (overdue !== 0) return overdue;
  const red = Number(b.status === 'red') - Number(a.status === 'red');
  if (red !== 0) return red;
  const asked = Number(isAsked(b)) - Number(isAsked(a));
  if (asked !== 0) return asked;
  const due = (a.due ?? '\uffff').localeCompare(b.due ?? '\uffff');
  return due !== 0 ? due : a.ref.localeCompare(b.ref, 'en-GB', { numeric: true });
}

const isAsked = (line: ActionLine) => line.detail === 'no update yet' || (line.detail?.endsWith('before the last meeting') ?? false);

/**
 * The lines to show (most urgent first, at most MESSAGE_LIST_LIMIT) and, when some are left out, a
 * line saying how many with buttons to the full list (`mine`, also the App Home) and, for a chair,
 * the dashboard.
 */
export function limitLines(lines: ActionLine[], opts: { isChair?: boolean } = {}): { shown: ActionLine[]; more: ReplyBlock[]; buttons: ReplyButton[] } {
  if (lines.length <= MESSAGE_LIST_LIMIT) return { shown: lines, more: [], buttons: [] };
  const shown = [...lines].sort(urgency).slice(0, MESSAGE_LIST_LIMIT);
  const rest = lines.length - shown.length;
  return {
    shown,
    more: [text(`and ${rest} more. See all ${lines.length} with /send mine (or on sendbot's Home tab in Slack)${opts.isChair ? ', and the whole board on the dashboard (/send dashboard)' : ''}.`)],
    buttons: [
      { id: 'confirm', label: `See all ${lines.length}`, value: '/send mine', style: 'primary' },
      ...(opts.isChair ? [{ id: 'confirm' as const, label: 'Open the dashboard', value: '/send dashboard' }] : []),
    ],
  };
}

export interface MeetingNudgeText {
  stage: 'window' | 'reminder';
  boardName: string;
  meetingDate: string;
  papersDeadline: string;
  lines: ActionLine[];
  /** How many of the lines still need an update for this meeting. */
  needCount: number;
  /** The person's KPIs missing a reading for the period due. */
  kpis?: KpiLine[];
  /** The person chairs the board: a long list also offers the dashboard. */
  isChair?: boolean;
  /** The day the nudge is planned (ISO date): after the papers deadline it asks for updates by the meeting. */
  today?: string;
}

/** How to record the missing readings, with the first one as the example. */
export function kpiHint(kpis: KpiLine[]): string {
  const example = kpis.find((k) => k.recordExample)?.recordExample;
  return `Record a reading with /send kpi <code> <value> [for <period>] [note]${example ? `, e.g. ${example}` : ''}.`;
}

export function meetingNudgeReply(n: MeetingNudgeText): Reply {
  const meeting = `${n.boardName} on ${shortDay(n.meetingDate)}`;
  // A meeting added late (or a catch-up after downtime) can be nudged after its papers went out:
  // then "by <a past day>" would be wrong, and an update before the meeting still helps the chair.
  const papersPassed = n.today !== undefined && n.papersDeadline < n.today;
  const by = shortDay(papersPassed ? n.meetingDate : n.papersDeadline);
  const verb = n.needCount === 1 ? 'needs' : 'need';
  const kpis = n.kpis ?? [];
  const missing = kpis.length === 1 ? '1 KPI reading is missing' : `${kpis.length} KPI readings are missing`;
  let summary: string;
  if (n.lines.length === 0) {
    summary = n.stage === 'reminder' ? `Reminder: ${meeting}: ${missing} still, needed by ${by}` : `${meeting}: ${missing}, needed by ${by}`;
  } else {
    summary =
      n.stage === 'reminder'
        ? `Reminder: ${meeting}: ${n.needCount} of your actions still ${verb} an update by ${by}`
        : n.needCount > 0
          ? `${meeting}: ${n.needCount} of your actions ${verb} an update by ${by}`
          : `${meeting}: please check ${plural(n.lines.length, 'action')} (overdue or due soon) before ${by}`;
    if (kpis.length > 0) summary += `; ${missing}`;
  }
  const blocks: ReplyBlock[] = [];
  const limited = limitLines(n.lines, { isChair: n.isChair });
  if (n.lines.length > 0) blocks.push({ type: 'actions', heading: 'Your actions for this meeting', items: limited.shown }, ...limited.more, text(UPDATE_HINT));
  if (kpis.length > 0) blocks.push({ type: 'kpis', heading: 'Your KPIs missing a reading', items: kpis }, text(kpiHint(kpis)));
  blocks.push(
    text(
      papersPassed
        ? `The papers deadline (${shortDay(n.papersDeadline)}) has passed, so an update now may not be in the board papers; it is still recorded for the meeting.`
        : `The board papers are prepared on ${by}; updates given after that may miss them.`,
      true,
    ),
  );
  return reply(n.stage === 'reminder' ? 'warning' : 'info', summary, blocks, limited.buttons.length > 0 ? { buttons: limited.buttons } : {});
}

export function overdueReply(lines: ActionLine[]): Reply {
  const summary = lines.length === 1 ? `${lines[0]?.ref} is overdue` : `${lines.length} of your actions are overdue`;
  const limited = limitLines(lines);
  return reply(
    'warning',
    summary,
    [
      { type: 'actions', heading: 'Overdue', items: limited.shown },
      ...limited.more,
      text(UPDATE_HINT),
      // No year in the example: read as the next 31 March, it never goes out of date.
      text(`If a date needs to move, add due:<date> and the reason, e.g. /send update ${lines[0]?.ref ?? DEMO_EXAMPLES.ref} amber due:"31 March" waiting for funding.`, true),
    ],
    limited.buttons.length > 0 ? { buttons: limited.buttons } : {},
  );
}

/** Prefixes a message for a delegate: they see whose actions these are and why they have them. */
export function onBehalfOf(base: Reply, owner: PersonState): Reply {
  const until = owner.awayUntil ? ` (away until ${formatDate(owner.awayUntil)})` : '';
  return {
    ...base,
    summary: `On behalf of ${owner.name}: ${base.summary}`,
    blocks: [text(`You are receiving this on behalf of ${owner.name}${until}. You can post updates for their actions.`), ...base.blocks],
  };
}

export interface StatusCounts {
  total: number;
  complete: number;
  red: number;
  amber: number;
  green: number;
  notStarted: number;
  overdue: number;
  missingUpdate: number;
}

export function emptyCounts(): StatusCounts {
  return { total: 0, complete: 0, red: 0, amber: 0, green: 0, notStarted: 0, overdue: 0, missingUpdate: 0 };
}

function countsText(c: StatusCounts): string {
  return `${c.red} red, ${c.amber} amber, ${c.green} green, ${c.notStarted} not started, ${c.complete} complete`;
}

/**
 * Stand-in for the chair's digest until src/domain/digest.ts (buildBoardDigest) is wired in: counts
 * only, so the chair still gets a true picture at the papers deadline.
 */
export function boardDigestPlaceholderReply(boardName: string, meetingStartsAt: string, perPlan: [string, StatusCounts][], all: StatusCounts): Reply {
  return reply('info', `${boardName} on ${meetingLabel(meetingStartsAt)}: pre-board summary`, [
    fields([
      ['Actions', String(all.total)],
      ['Overdue', String(all.overdue)],
      ['Missing an update since the last meeting', String(all.missingUpdate)],
      ['Status', countsText(all)],
    ]),
    heading('By plan'),
    list(perPlan.map(([plan, c]) => `${plan}: ${countsText(c)}; ${c.overdue} overdue, ${c.missingUpdate} missing an update`)),
    text('Ask /send overdue all or /send status <ref> for the detail.', true),
  ]);
}

export interface WeeklyBoardLine {
  boardName: string;
  nextMeetingAt: string | null;
  counts: StatusCounts;
  updatedLastWeek: number;
}

/** Stand-in for the weekly digest until the digest module provides one: a line per board. */
export function weeklyDigestPlaceholderReply(weekLabel: string, monday: string, boards: WeeklyBoardLine[], totals: { overdue: number; updatedLastWeek: number }): Reply {
  return reply('info', `SEND improvement plan, week of ${shortDay(monday)} (${weekLabel}): ${totals.overdue} overdue, ${plural(totals.updatedLastWeek, 'action')} updated in the last 7 days`, [
    list(
      boards.map(
        (b) =>
          `${b.boardName}: ${b.counts.overdue} overdue, ${b.updatedLastWeek} updated in the last 7 days; next meeting ${b.nextMeetingAt ? meetingLabel(b.nextMeetingAt) : 'not set'}`,
      ),
    ),
    text('Ask /send due 30 all for what is coming up.', true),
  ]);
}

export interface DeadLetterText {
  key: string;
  kind: string;
  recipient: string;
  attempts: number;
  error: string;
}

/** Tells an admin that a message could not be delivered and what to check. */
export function deadLetterReply(d: DeadLetterText): Reply {
  return reply('error', `A ${d.kind.replace(/_/g, ' ')} for ${d.recipient} could not be delivered`, [
    fields([
      ['Message', d.key],
      ['Attempts', String(d.attempts)],
      ['Last error', d.error],
    ]),
    text('Check the recipient’s Slack or Teams id (or the channel) and that the bot is installed there. sendbot outbox --status dead lists every message that failed.', true),
  ]);
}
