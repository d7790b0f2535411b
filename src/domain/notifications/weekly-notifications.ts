// The weekly digest: Monday at office opening (the next working day when Monday is a bank holiday) to
// the programme channel and every subscriber, relevant until the week ends.
import { DateTime } from 'luxon';
import type { Reply } from '../../messages/reply.js';
import { toStoredInstant } from '../../clock.js';
import { isoWeekLabel, londonMidnightUtc, mondayOf, officeOpensUtc, onOrAfterWorkingDay, plusDays } from './calendar-memo.js';
import { emptyCounts, weeklyDigestPlaceholderReply, type WeeklyBoardLine } from './messages.js';
import type { PlanContext } from './plan-context.js';
import { channelAddress, type PlannedNotification, plannedNotification } from './planned-notification.js';
import { addressPerson, nextOfficeMomentUtc } from './recipients.js';

interface WeekInPlay {
  monday: string;
  week: string;
  sendAt: string;
  expiresAt: string;
}

/** This week's digest occasion, while it is between Monday's send time and the week's end. */
export function weekInPlay(ctx: Pick<PlanContext, 'today' | 'now' | 'hours'>): WeekInPlay | undefined {
  const monday = mondayOf(ctx.today);
  const sendAt = officeOpensUtc(onOrAfterWorkingDay(monday), ctx.hours);
  const expiresAt = londonMidnightUtc(plusDays(monday, 7));
  if (sendAt > ctx.now || ctx.now >= expiresAt) return undefined;
  return { monday, week: isoWeekLabel(monday), sendAt, expiresAt };
}

function copiesMissing(ctx: PlanContext, week: string) {
  const channelKey = `weekly:${week}:channel`;
  const wantsChannel = ctx.state.programmeChannel !== null && !ctx.skip(channelKey);
  const subscribers = ctx.state.people.filter((p) => p.weeklyDigest && !ctx.skip(`weekly:${week}:${p.id}`));
  return { channelKey, wantsChannel, subscribers };
}

/** Whether this week's digest has a copy (the channel's, a subscriber's) not queued yet: the caller then builds it. */
export function weeklyDigestDue(ctx: PlanContext): boolean {
  const occasion = weekInPlay(ctx);
  if (!occasion) return false;
  const { wantsChannel, subscribers } = copiesMissing(ctx, occasion.week);
  return wantsChannel || subscribers.length > 0;
}

/** `digest`: the weekly digest the caller built (see weeklyDigestDue); absent, a compact summary from the state. */
export function planWeeklyDigest(ctx: PlanContext, digest?: Reply): PlannedNotification[] {
  const occasion = weekInPlay(ctx);
  if (!occasion) return [];
  const { monday, week, sendAt, expiresAt } = occasion;
  const { channelKey, wantsChannel, subscribers } = copiesMissing(ctx, week);
  if (subscribers.length === 0 && !wantsChannel) return [];
  const reply = digest ?? weeklySummaryReply(ctx, week, monday);
  const notBefore = nextOfficeMomentUtc(sendAt, ctx.hours);
  const out: PlannedNotification[] = [];
  if (wantsChannel) {
    out.push(
      plannedNotification({ key: channelKey, kind: 'weekly_digest', recipientChannel: channelAddress(ctx.state.programmeChannel as string), notBefore, reply, expiresAt }),
    );
  }
  for (const person of subscribers) {
    // A subscription is not a duty: it is not passed to a delegate, only held within the week.
    const to = addressPerson(person, ctx.people, ctx.sendDay, ctx.hours, { notBefore, expiresAt, allowDelegate: false });
    if (!to) continue;
    out.push(plannedNotification({ key: `weekly:${week}:${person.id}`, kind: 'weekly_digest', recipientPersonId: person.id, notBefore: to.notBefore, reply, expiresAt }));
  }
  return out;
}

/** A compact picture across every board: overdue, updates in the last 7 days, next meeting. */
function weeklySummaryReply(ctx: PlanContext, week: string, monday: string): Reply {
  const weekAgo = toStoredInstant(DateTime.fromISO(ctx.now, { zone: 'utc' }).minus({ days: 7 }));
  const lines = new Map<number, WeeklyBoardLine>();
  for (const board of ctx.state.boards) {
    const next = board.meetings.find((m) => m.startsAt > ctx.now);
    lines.set(board.id, { boardName: board.name, nextMeetingAt: next?.startsAt ?? null, counts: emptyCounts(), updatedLastWeek: 0 });
  }
  const totals = { overdue: 0, updatedLastWeek: 0 };
  for (const a of ctx.state.actions) {
    const line = a.boardId !== null ? lines.get(a.boardId) : undefined;
    const overdue = a.status !== 'blue' && a.due !== null && a.due < ctx.today;
    const updated = a.lastReportedAt !== null && a.lastReportedAt >= weekAgo;
    if (overdue) totals.overdue += 1;
    if (updated) totals.updatedLastWeek += 1;
    if (!line) continue;
    line.counts.total += 1;
    if (overdue) line.counts.overdue += 1;
    if (updated) line.updatedLastWeek += 1;
  }
  return weeklyDigestPlaceholderReply(week, monday, [...lines.values()].filter((l) => l.counts.total > 0 || l.nextMeetingAt), totals);
}
