// The messages tied to one board meeting: the update-window nudge and the reminder to each owner, and
// the chair's digest at the papers deadline. Planned only while the meeting is still ahead.
import type { ActionLine, KpiLine, Reply } from '../../messages/reply.js';
import { type MeetingRef, needsUpdate } from '../board-cycle.js';
import type { ActionState, BoardState, KpiState } from '../planning-state.js';
import { missingKpiLines, kpisByOwner } from './kpi-nudges.js';
import { londonDateOf, meetingMilestones, officeOpensUtc } from './calendar-memo.js';
import { meetingNudgeReply, onBehalfOf, reportDetail, toActionLine } from './messages.js';
import type { MeetingMessage, PlanContext } from './plan-context.js';
import { channelAddress, type PlannedNotification, plannedNotification } from './planned-notification.js';
import { actionRecipients, addressPerson, nextOfficeMomentUtc } from './recipients.js';

/** The chair's digest for a meeting, built by the caller beforehand (see digestsDue); absent: the planner's summary. */
export interface DigestReplies {
  get(meetingId: number): Reply | undefined;
}

/** A meeting whose chair's digest has a copy still to queue: the caller builds that digest before planning. */
export interface DigestDue {
  boardId: number;
  meetingId: number;
}

interface MeetingFrame {
  board: BoardState;
  meeting: MeetingRef;
  meetingDate: string;
  updateWindowOpens: string;
  reminderOn: string;
  papersDeadline: string;
  /** Start of the board's previous meeting: reports before it do not count for this one. */
  previousAt: string | undefined;
  /** London date of the meeting after this one (actions due before it are listed). */
  followingDate: string | null;
}

/** Open (not complete) actions of one board, by the person accountable for them. Built once per board. */
export function openActionsByOwner(actions: readonly ActionState[], holders: ReadonlyMap<number, number[]>): Map<number, ActionState[]> {
  const byOwner = new Map<number, ActionState[]>();
  for (const action of actions) {
    if (action.status === 'blue') continue;
    for (const personId of actionRecipients(action, holders)) {
      const list = byOwner.get(personId);
      if (list) list.push(action);
      else byOwner.set(personId, [action]);
    }
  }
  return byOwner;
}

/** Index of the first meeting that has not started yet (meetings are oldest first). */
function firstUpcoming(meetings: readonly MeetingRef[], now: string): number {
  let lo = 0;
  let hi = meetings.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((meetings[mid] as MeetingRef).startsAt > now) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

interface MeetingInPlay {
  frame: MeetingFrame;
  windowAt: string;
  reminderAt: string;
  papersAt: string;
}

/**
 * The board's meetings still ahead whose first message is due by now, with their message times. The
 * one walk over a board's meetings that planning, digestsDue and outboxKeyScope share.
 */
export function meetingsInPlay(ctx: Pick<PlanContext, 'now' | 'hours'>, board: BoardState): MeetingInPlay[] {
  const out: MeetingInPlay[] = [];
  const meetings = board.meetings;
  for (let i = firstUpcoming(meetings, ctx.now); i < meetings.length; i += 1) {
    const meeting = meetings[i] as MeetingRef;
    const m = meetingMilestones(meeting, board);
    const windowAt = officeOpensUtc(m.updateWindowOpens, ctx.hours);
    const reminderAt = officeOpensUtc(m.reminderOn, ctx.hours);
    const papersAt = officeOpensUtc(m.papersDeadline, ctx.hours);
    const earliest = [windowAt, reminderAt, papersAt].sort()[0] as string;
    // Later meetings open their windows later still: nothing more to plan for this board.
    if (earliest > ctx.now) break;
    const following = meetings[i + 1];
    out.push({
      frame: {
        board,
        meeting,
        meetingDate: m.date,
        updateWindowOpens: m.updateWindowOpens,
        reminderOn: m.reminderOn,
        papersDeadline: m.papersDeadline,
        previousAt: meetings[i - 1]?.startsAt,
        followingDate: following ? londonDateOf(following.startsAt) : null,
      },
      windowAt,
      reminderAt,
      papersAt,
    });
  }
  return out;
}

export function planBoardMeetings(
  ctx: PlanContext,
  board: BoardState,
  actions: readonly ActionState[],
  digestReply: (meetingId: number) => Reply,
  kpis: readonly KpiState[] = [],
): PlannedNotification[] {
  if (actions.length === 0 && kpis.length === 0) return []; // nothing in scope: no nudges, and a digest would be empty
  const out: PlannedNotification[] = [];
  let byOwner: Map<number, ActionState[]> | undefined;
  let kpiOwners: Map<number, KpiState[]> | undefined;
  for (const { frame, windowAt, reminderAt, papersAt } of meetingsInPlay(ctx, board)) {
    byOwner ??= openActionsByOwner(actions, ctx.state.holders);
    kpiOwners ??= kpisByOwner(kpis, ctx.state.holders);
    const windowNow =
      windowAt <= ctx.now
        ? planOwnerNudges(ctx, frame, byOwner, 'window', windowAt, out, { owners: kpiOwners, day: frame.updateWindowOpens })
        : new Set<number>();
    if (reminderAt <= ctx.now) planOwnerNudges(ctx, frame, byOwner, 'reminder', reminderAt, out, { owners: kpiOwners, day: frame.reminderOn }, windowNow);
    if (papersAt <= ctx.now) planChairDigest(ctx, frame, papersAt, digestReply, out);
  }
  return out;
}

/**
 * The meetings of this board whose chair's digest has a copy (a chair's or a channel's) not queued
 * yet: exactly those planChairDigest will want a digest for.
 */
export function boardDigestsDue(ctx: PlanContext, board: BoardState, actions: readonly ActionState[], kpis: readonly KpiState[]): DigestDue[] {
  if (actions.length === 0 && kpis.length === 0) return [];
  const out: DigestDue[] = [];
  for (const { frame, papersAt } of meetingsInPlay(ctx, board)) {
    if (papersAt > ctx.now) continue;
    const { chairKeys, channelKeys } = digestCopiesMissing(ctx, frame);
    if (chairKeys.length > 0 || channelKeys.length > 0) out.push({ boardId: board.id, meetingId: frame.meeting.id });
  }
  return out;
}

/**
 * One message per owner per stage. Returns the owners given a message in this call. A reminder is
 * left out when the window nudge is (or will be) the owner's message for this meeting: planned in
 * this same call, still waiting to go out, or sent only after the reminder was due (the scheduler
 * was down, the owner was away). Otherwise a restart after downtime would send both back to back.
 */
function planOwnerNudges(
  ctx: PlanContext,
  f: MeetingFrame,
  byOwner: ReadonlyMap<number, ActionState[]>,
  stage: 'window' | 'reminder',
  plannedAt: string,
  out: PlannedNotification[],
  kpis: { owners: ReadonlyMap<number, KpiState[]>; day: string },
  windowPlannedNow: ReadonlySet<number> = new Set(),
): Set<number> {
  const notBefore = nextOfficeMomentUtc(plannedAt, ctx.hours);
  const plannedFor = new Set<number>();
  // KPI readings missing for the period due on the day of this nudge, by owner: listed in the same
  // single message as their actions (someone with only KPIs to report gets a message too).
  const missingKpis = missingKpiLines(kpis.owners, kpis.day);
  const recipients = new Set([...byOwner.keys(), ...missingKpis.keys()]);
  for (const personId of recipients) {
    const owned = byOwner.get(personId) ?? [];
    const kpiLines: KpiLine[] = missingKpis.get(personId) ?? [];
    const key = `nudge:${f.meeting.id}:${personId}:${stage}`;
    if (ctx.skip(key)) {
      recordMeetingMessage(ctx, personId, { key });
      continue;
    }
    if (stage === 'reminder' && windowIsTheMessage(ctx, f, personId, plannedAt, windowPlannedNow)) continue;
    const listed: ActionState[] = [];
    let needCount = 0;
    const lines: ActionLine[] = [];
    for (const action of owned) {
      const needs = needsUpdate(action, f.previousAt);
      const include =
        needs ||
        (stage === 'window' &&
          action.due !== null &&
          (action.due < ctx.today || (f.followingDate !== null && action.due < f.followingDate)));
      if (!include) continue;
      if (needs) needCount += 1;
      listed.push(action);
      lines.push(toActionLine(action, ctx.today, reportDetail(action, needs)));
    }
    if (listed.length === 0 && kpiLines.length === 0) continue; // owners with nothing to report on get nothing
    const to = addressPerson(ctx.people.get(personId), ctx.people, ctx.sendDay, ctx.hours, {
      notBefore,
      expiresAt: f.meeting.startsAt,
      allowDelegate: true,
    });
    if (!to) continue;
    const isChair = f.board.chairRoleId !== null && (ctx.state.holders.get(f.board.chairRoleId) ?? []).includes(personId);
    const base = meetingNudgeReply({ stage, boardName: f.board.name, meetingDate: f.meetingDate, papersDeadline: f.papersDeadline, lines, needCount, kpis: kpiLines, isChair, today: ctx.today });
    const refs = listed.map((a) => a.ref);
    plannedFor.add(personId);
    recordMeetingMessage(ctx, personId, { key, planned: { refs, notBefore: to.notBefore } });
    out.push(
      plannedNotification({
        key,
        kind: stage === 'window' ? 'nudge' : 'reminder',
        recipientPersonId: to.recipient.id,
        notBefore: to.notBefore,
        boardId: f.board.id,
        meetingId: f.meeting.id,
        refs,
        reply: to.onBehalfOf ? onBehalfOf(base, to.onBehalfOf) : base,
        onBehalfOfPersonId: to.onBehalfOf?.id ?? null,
        expiresAt: f.meeting.startsAt,
      }),
    );
  }
  return plannedFor;
}

function windowIsTheMessage(ctx: PlanContext, f: MeetingFrame, personId: number, reminderAt: string, plannedNow: ReadonlySet<number>): boolean {
  if (plannedNow.has(personId)) return true;
  const window = ctx.queued(`nudge:${f.meeting.id}:${personId}:window`);
  if (!window) return false;
  if (window.status === 'pending' || window.status === 'failed') return true;
  return window.status === 'sent' && window.sentAt !== null && window.sentAt > reminderAt;
}

function recordMeetingMessage(ctx: PlanContext, personId: number, message: MeetingMessage): void {
  const list = ctx.meetingMessages.get(personId);
  if (list) list.push(message);
  else ctx.meetingMessages.set(personId, [message]);
}

/** The copies of a meeting's chair's digest (each chair, each channel) not queued yet, by key. */
function digestCopiesMissing(ctx: PlanContext, f: MeetingFrame): { chairKeys: (readonly [string, number])[]; channelKeys: [string, string][] } {
  const chairs = f.board.chairRoleId !== null ? (ctx.state.holders.get(f.board.chairRoleId) ?? []) : [];
  const channels: [string, string][] = [];
  if (f.board.slackChannel) channels.push([`digest:${f.meeting.id}:channel`, channelAddress(f.board.slackChannel, 'slack')]);
  if (f.board.teamsChannel) {
    // A board on both platforms gets both; the Teams copy needs its own key.
    channels.push([f.board.slackChannel ? `digest:${f.meeting.id}:channel:teams` : `digest:${f.meeting.id}:channel`, channelAddress(f.board.teamsChannel, 'teams')]);
  }
  const chairKeys = chairs.map((personId) => [`digest:${f.meeting.id}:chair:${personId}`, personId] as const).filter(([key]) => !ctx.skip(key));
  const channelKeys = channels.filter(([key]) => !ctx.skip(key));
  return { chairKeys, channelKeys };
}

function planChairDigest(ctx: PlanContext, f: MeetingFrame, plannedAt: string, digestReply: (meetingId: number) => Reply, out: PlannedNotification[]): void {
  const notBefore = nextOfficeMomentUtc(plannedAt, ctx.hours);
  const { chairKeys, channelKeys } = digestCopiesMissing(ctx, f);
  if (chairKeys.length === 0 && channelKeys.length === 0) return;
  // One digest per meeting, shared by every copy; not asked for at all when every copy is already queued.
  const digest = digestReply(f.meeting.id);
  const common = { boardId: f.board.id, meetingId: f.meeting.id, expiresAt: f.meeting.startsAt };
  for (const [key, personId] of chairKeys) {
    const to = addressPerson(ctx.people.get(personId), ctx.people, ctx.sendDay, ctx.hours, { notBefore, expiresAt: f.meeting.startsAt, allowDelegate: true });
    if (!to) continue;
    out.push(
      plannedNotification({
        ...common,
        key,
        kind: 'chair_digest',
        recipientPersonId: to.recipient.id,
        notBefore: to.notBefore,
        reply: to.onBehalfOf ? onBehalfOf(digest, to.onBehalfOf) : digest,
        onBehalfOfPersonId: to.onBehalfOf?.id ?? null,
      }),
    );
  }
  for (const [key, channel] of channelKeys) {
    out.push(plannedNotification({ ...common, key, kind: 'channel_digest', recipientChannel: channel, notBefore, reply: digest }));
  }
}
