// Digest model → neutral Reply, so one digest reaches Slack, Teams, the terminal, Markdown and HTML
// alike. A chair reads this a few days before the meeting: each list is cut to a few lines with
// "and N more" unless `full` is asked for (board papers, exports). All strings are plain text.
import type { ActionStatus } from '../../db/types.js';
import type {
  BoardDigest,
  DigestAction,
  DigestDateDecision,
  DigestException,
  DigestUpdate,
  PlanDigest,
  RagCounts,
  WeeklyDigest,
} from '../domain/digest-model.js';
import { showsRagChange } from '../domain/digest-parts.js';
import { STATUS_SHORT } from '../domain/status.js';
import { kpiTotalsBlocks, planKpiBlocks } from './digest-kpis.js';
import { askedForNewDate, formatDate, formatInstant, formatShortInstant, plural, shortTitle } from './format.js';
import { type ActionLine, fields, heading, list, type Reply, type ReplyBlock, reply, text } from './reply.js';

export interface DigestReplyOptions {
  /** Every item of every list (board papers, exports). Default: cut each list to `cap`. */
  full?: boolean;
  /** Lines per list when not full. */
  cap?: number;
}

export const DEFAULT_DIGEST_CAP = 5;
/** Refs listed per owner under "missing updates" when not full. */
const REFS_PER_OWNER = 6;
/** Long notes are shortened in the chair's view; exports keep them whole. */
const NOTE_CHARS = 160;

interface Limits {
  full: boolean;
  cap: number;
}

function limitsOf(opts: DigestReplyOptions): Limits {
  return { full: opts.full ?? false, cap: Math.max(1, opts.cap ?? DEFAULT_DIGEST_CAP) };
}

export function digestToReply(digest: BoardDigest, opts: DigestReplyOptions = {}): Reply {
  const limits = limitsOf(opts);
  const t = digest.totals;
  const meeting = digest.meeting;
  const summary = meeting
    ? `${digest.board.name}: digest for the meeting on ${formatInstant(meeting.startsAt)}`
    : `${digest.board.name}: digest (no meeting scheduled)`;
  const blocks: ReplyBlock[] = [
    fields([
      ['Chair', describeChair(digest)],
      ['Meeting', meeting ? `${formatInstant(meeting.startsAt)}${meeting.isSample ? ' (sample date)' : ''}` : 'none scheduled'],
      ['Papers deadline', meeting ? formatDate(meeting.papersDeadline) : null],
      ['Changes since', digest.previousMeeting ? `previous meeting, ${formatInstant(digest.previousMeeting.startsAt)}` : 'the start (no previous meeting)'],
      ['As of', formatInstant(digest.generatedAt)],
    ]),
    text(
      `${plural(t.actions, 'action')} in ${plural(digest.plans.length, 'plan')}: ${t.overdue} overdue, ${t.missingUpdates} missing an update, ` +
        `${plural(t.dateChangeRequests, 'date change request')}, ${plural(t.exceptions, 'exception')}, ${t.noDate} with no usable date; ` +
        `${plural(t.updates, 'update')} received.`,
    ),
    ragFields(t.rag, t.ragChange),
  ];
  // Only when a figure in brackets is shown: after a quiet spell (or an import) there are none.
  if (showsRagChange(t.ragChange, ...digest.plans.map((p) => p.ragChange))) blocks.push(text('Figures in brackets: change since the previous meeting.', true));
  blocks.push(...kpiTotalsBlocks(digest));
  for (const plan of digest.plans) blocks.push(...planBlocks(plan, digest, limits));
  return reply('info', summary, blocks);
}

function describeChair(digest: BoardDigest): string {
  const role = digest.chair.role ?? 'not set';
  return digest.chair.people.length ? `${role} (${digest.chair.people.join(', ')})` : role;
}

const RAG_FIELDS: [keyof Omit<RagCounts, 'total'>, string][] = [
  ['green', 'Green'],
  ['amber', 'Amber'],
  ['red', 'Red'],
  ['complete', 'Complete'],
  ['notStarted', 'Not started'],
];

/** "Green: 4 (+1)": the change is shown only when there is one. */
function ragFields(rag: RagCounts, change: RagCounts | null): ReplyBlock {
  return fields(RAG_FIELDS.map(([key, label]) => [label, `${rag[key]}${change && change[key] !== 0 ? ` (${signed(change[key])})` : ''}`]));
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : `\u2212${Math.abs(n)}`;
}

function planBlocks(plan: PlanDigest, digest: BoardDigest, limits: Limits): ReplyBlock[] {
  const sinceLabel = digest.previousMeeting ? `since ${formatDate(digest.previousMeeting.date)}` : 'so far';
  const blocks: ReplyBlock[] = [heading(`${plan.code}: ${plan.title} (${plural(plan.rag.total, 'action')})`), ragFields(plan.rag, plan.ragChange)];
  blocks.push(...planKpiBlocks(plan));
  if (plan.exceptions.length) blocks.push(...section('Exceptions', plan.exceptions, exceptionLine, limits));
  blocks.push(...updateBlocks(`Updates received ${sinceLabel}`, plan.updates, limits, 'No updates received.'));
  blocks.push(...overdueBlocks(plan, limits));
  blocks.push(...missingBlocks(plan.missingUpdates, limits));
  if (plan.dateChangeRequests.length) {
    blocks.push(
      ...section('Date change requests', plan.dateChangeRequests, (r) =>
        actionLine(r.action, {
          detail: [
            `asks ${formatDate(r.fromDue)} → ${formatDate(r.toDue)} ("${r.phrase}")`,
            `baseline ${formatDate(r.action.baselineDue)}`,
            `${r.requestedBy ?? 'unknown'}, ${formatDate(r.requestedAt.slice(0, 10))}${r.reason ? `: ${note(r.reason, limits)}` : ''}`,
          ].join('; '),
        }),
      limits),
    );
  }
  if (plan.movedDates.length) {
    blocks.push(
      ...section('Due dates moved from the baseline', plan.movedDates, (m) =>
        actionLine(m.action, {
          detail: `baseline ${formatDate(m.action.baselineDue)}${m.slipDays ? ` (${signed(m.slipDays)} days)` : ''}${m.moves.length ? `, moved ${plural(m.moves.length, 'time')}` : ''}${m.moves.some((x) => x.how === 'self-approved') ? ', self-approved' : ''}`,
        }),
      limits),
    );
  }
  if (plan.noDate.length) {
    blocks.push(
      ...section('No usable date', plan.noDate, (n) =>
        actionLine(n.action, { detail: n.reasons.includes('no-date') ? 'no due date' : `date needs checking (${n.reasons.join(', ')})` }),
      limits),
    );
  }
  return blocks;
}

/**
 * How many of `total` items to show: all when full, else the cap, but never "and 1 more": a single
 * row left over is shown instead of the line that would hide it.
 */
export function shownCount(total: number, cap: number, full: boolean): number {
  return full || total <= cap + 1 ? total : cap;
}

/** An actions block cut to the cap, followed by "and N more" when it was cut. */
function section<T>(title: string, items: T[], line: (item: T) => ActionLine, limits: Limits, emptyText?: string, count = `${items.length}`): ReplyBlock[] {
  const shown = items.slice(0, shownCount(items.length, limits.cap, limits.full));
  const blocks: ReplyBlock[] = [{ type: 'actions', heading: `${title} (${count})`, items: shown.map(line), ...(emptyText ? { emptyText } : {}) }];
  if (shown.length < items.length) blocks.push(more(items.length - shown.length));
  return blocks;
}

/**
 * Updates received, one line per action: its latest report (the list is newest first), with how many
 * earlier ones there were in the window. Every report is in `history <ref>` and the JSON export.
 */
function updateBlocks(title: string, updates: DigestUpdate[], limits: Limits, emptyText: string): ReplyBlock[] {
  const latest: DigestUpdate[] = [];
  const earlier = new Map<string, number>();
  for (const u of updates) {
    const ref = u.action.ref;
    if (earlier.has(ref)) earlier.set(ref, (earlier.get(ref) as number) + 1);
    else {
      earlier.set(ref, 0);
      latest.push(u);
    }
  }
  const count = latest.length === updates.length ? `${updates.length}` : `${plural(latest.length, 'action')}, ${plural(updates.length, 'update')}`;
  return section(title, latest, (u) => updateLine(u, limits, earlier.get(u.action.ref) ?? 0), limits, emptyText, count);
}

/** Overdue actions not already listed under Exceptions (which show how overdue they are). */
function overdueBlocks(plan: PlanDigest, limits: Limits): ReplyBlock[] {
  const excepted = new Set(plan.exceptions.map((e) => e.action.ref));
  const above = plan.overdue.filter((a) => excepted.has(a.ref)).map((a) => a.ref);
  if (above.length === 0) return section('Overdue', plan.overdue, (a) => actionLine(a), limits, 'Nothing overdue.');
  const rest = plan.overdue.filter((a) => !excepted.has(a.ref));
  const listedAbove = `${above.join(', ')} ${above.length === 1 ? 'is' : 'are'} under Exceptions above.`;
  if (rest.length === 0) return section('Overdue', rest, (a) => actionLine(a), limits, listedAbove, `${plan.overdue.length}`);
  return [...section('Overdue', rest, (a) => actionLine(a), limits, undefined, `${plan.overdue.length}`), text(`Also overdue: ${listedAbove}`, true)];
}

function more(n: number): ReplyBlock {
  return text(`and ${n} more (the full list is in the exported digest: sendbot digest --full)`, true);
}

function actionLine(a: DigestAction, extra: Partial<ActionLine> = {}): ActionLine {
  return {
    ref: a.ref,
    title: shortTitle(a.text),
    owner: a.owner,
    // A person named by `assign` is the owner: no role, so no "nobody holds this role".
    ...(a.ownerAssignedByName ? {} : { ownerHolders: a.ownerHolders }),
    due: a.due,
    status: a.status,
    percent: a.percent,
    daysOverdue: a.daysOverdue,
    ...extra,
  };
}

function note(value: string, limits: Limits): string {
  return limits.full ? value : shortTitle(value, NOTE_CHARS);
}

function updateLine(u: DigestUpdate, limits: Limits, earlier = 0): ActionLine {
  const what = u.kind === 'no_change' ? 'no change' : u.kind === 'correction' ? 'correction' : null;
  const asked = askedForNewDate(u);
  const said = [what, asked, u.note ? note(u.note, limits) : null].filter(Boolean).join(': ');
  const before = earlier > 0 ? ` (latest of ${earlier + 1} updates)` : '';
  return {
    ref: u.action.ref,
    title: shortTitle(u.action.text),
    due: u.action.due,
    // What the report said; a report without a status leaves the action where it was.
    status: u.status ?? u.action.status,
    percent: u.percent,
    detail: `${formatShortInstant(u.at)} by ${u.person ?? 'unknown'}${said ? `: ${said}` : ''}${before}`,
  };
}

function exceptionLine(e: DigestException): ActionLine {
  const reasons = e.codes.map((code) => {
    switch (code) {
      case 'overdue_over_20_working_days':
        return `overdue by more than 20 working days`;
      case 'red_in_consecutive_updates':
        return `red in its last two updates (${e.redReportedAt.map((at) => formatDate(at.slice(0, 10))).reverse().join(', ')})`;
      case 'due_date_moved_more_than_once':
        return `due date moved ${plural(e.moveCount, 'time')}`;
    }
  });
  return actionLine(e.action, { detail: reasons.join('; ') });
}

/** Missing updates grouped by who should give them: the chair's chase list. */
function missingBlocks(items: DigestAction[], limits: Limits): ReplyBlock[] {
  if (items.length === 0) return [text(`Missing updates (0): every action has been reported on.`)];
  const groups = new Map<string, string[]>();
  for (const a of items) {
    const who = !a.owner
      ? 'no owner'
      : a.ownerAssignedByName
        ? a.owner
        : a.ownerHolders.length
          ? `${a.ownerHolders.join(', ')} (${a.owner})`
          : `${a.owner} (nobody holds this role)`;
    const refs = groups.get(who) ?? [];
    refs.push(a.ref);
    groups.set(who, refs);
  }
  const ordered = [...groups.entries()].sort((x, y) => y[1].length - x[1].length || x[0].localeCompare(y[0]));
  const shown = ordered.slice(0, shownCount(ordered.length, limits.cap, limits.full));
  const lines = shown.map(([who, refs]) => {
    const listed = refs.slice(0, shownCount(refs.length, REFS_PER_OWNER, limits.full));
    return `${who}: ${refs.length} (${listed.join(', ')}${listed.length < refs.length ? `, and ${refs.length - listed.length} more` : ''})`;
  });
  const blocks: ReplyBlock[] = [text(`Missing updates (${items.length}), by owner:`), list(lines)];
  if (shown.length < ordered.length) blocks.push(text(`and ${plural(ordered.length - shown.length, 'more owner')} (the full list is in the exported digest: sendbot digest --full)`, true));
  return blocks;
}

export function weeklyDigestToReply(digest: WeeklyDigest, opts: DigestReplyOptions = {}): Reply {
  const limits = limitsOf(opts);
  const overdue = digest.plans.reduce((n, p) => n + p.overdue, 0);
  const blocks: ReplyBlock[] = [
    text(`${plural(digest.updates.length, 'update')} since ${formatInstant(digest.since)}; ${plural(overdue, 'action')} overdue across ${plural(digest.plans.length, 'plan')}.`),
    ...updateBlocks('Updates in the last 7 days', digest.updates, { ...limits, cap: limits.cap * 2 }, 'No updates this week.'),
    ...dateDecisionBlocks(digest.dateDecisions ?? []),
    heading('Plans'),
    fields(digest.plans.map((p) => [`${p.code}: ${p.title}`, `${p.overdue} overdue, ${plural(p.updates, 'update')} this week, ${ragSummary(p.rag)}`])),
    heading('Next meetings'),
    digest.meetings.length
      ? list(
          digest.meetings.map(
            (m) =>
              `${m.board.name}: ${formatInstant(m.meeting.startsAt)}${m.meeting.isSample ? ' (sample date)' : ''}; updates open ${formatDate(m.meeting.updateWindowOpens)}, papers due ${formatDate(m.meeting.papersDeadline)}`,
          ),
        )
      : text('No meetings scheduled.'),
  ];
  return reply('info', `Weekly digest, ${digest.partnership}: week to ${formatInstant(digest.generatedAt)}`, blocks);
}

const RAG_ORDER: ActionStatus[] = ['green', 'amber', 'red', 'blue', 'not_started'];
const RAG_KEY: Record<ActionStatus, keyof Omit<RagCounts, 'total'>> = {
  green: 'green',
  amber: 'amber',
  red: 'red',
  blue: 'complete',
  not_started: 'notStarted',
};

function ragSummary(rag: RagCounts): string {
  return RAG_ORDER.map((s) => `${rag[RAG_KEY[s]]} ${STATUS_SHORT[s]}`).join(', ');
}

/** "Date decisions this week (2)": each approval or rejection of a requested date, with who and why. */
function dateDecisionBlocks(decisions: readonly DigestDateDecision[]): ReplyBlock[] {
  if (decisions.length === 0) return [];
  return [
    text(`Date decisions this week (${decisions.length}):`),
    list(
      decisions.map((d) => {
        const dates = d.decision === 'approved' ? `due ${formatDate(d.toDue)} (was ${formatDate(d.fromDue)})` : `stays due ${formatDate(d.fromDue)}, not ${formatDate(d.toDue)}`;
        const asked = d.requestedBy ? `, asked by ${d.requestedBy}` : '';
        const why = d.note ? `: ${d.note}` : '';
        return `${d.action.ref} · ${d.decision} by ${d.decidedBy ?? 'someone no longer listed'} on ${formatInstant(d.decidedAt)}${asked} · ${dates}${why}`;
      }),
    ),
  ];
}
