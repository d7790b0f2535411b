// Overdue chasers: one message per person per chase occasion listing every action of theirs being
// chased that day, whatever board it reports to.
import type { ActionState } from '../planning-state.js';
import { londonDateOf, officeOpensUtc } from './calendar-memo.js';
import { onBehalfOf, overdueReply, toActionLine } from './messages.js';
import { type ChaseOccasion, currentOccasion, recentOccasionDays } from './overdue-occasions.js';
import { deliveryDay, meetingMessageDay, type PlanContext } from './plan-context.js';
import { type PlannedNotification, plannedNotification } from './planned-notification.js';
import { actionRecipients, addressPerson, nextOfficeMomentUtc } from './recipients.js';

const chaserKey = (personId: number, day: string): string => `overdue:${personId}:${day}`;

interface ChaseGroup {
  personId: number;
  day: string;
  actions: ActionState[];
  expiresAt: string;
}

export function planOverdueChasers(ctx: PlanContext, actions: readonly ActionState[]): PlannedNotification[] {
  const recent = recentOccasionDays(ctx.today);
  // Every action due on the same date shares its occasions: computed once per distinct due date.
  const byDue = new Map<string, ChaseOccasion | null>();
  // By person, then occasion day (no key strings built per action); `groups` keeps first-seen order.
  const byPerson = new Map<number, Map<string, ChaseGroup>>();
  const groups: ChaseGroup[] = [];
  for (const action of actions) {
    if (action.status === 'blue' || action.due === null || action.due >= ctx.today) continue;
    let occasion = byDue.get(action.due);
    if (occasion === undefined) {
      const o = currentOccasion(action.due, ctx.today);
      occasion = o && recent.has(o.day) && officeOpensUtc(o.day, ctx.hours) <= ctx.now ? o : null;
      byDue.set(action.due, occasion);
    }
    if (occasion === null) continue;
    if (action.lastReportedAt !== null && action.lastReportedAt >= occasion.reportedSince) continue;
    for (const personId of actionRecipients(action, ctx.state.holders)) {
      let days = byPerson.get(personId);
      if (!days) byPerson.set(personId, (days = new Map()));
      const group = days.get(occasion.day);
      if (group) {
        group.actions.push(action);
        if (occasion.nextOccasionAt < group.expiresAt) group.expiresAt = occasion.nextOccasionAt;
      } else {
        const created: ChaseGroup = { personId, day: occasion.day, actions: [action], expiresAt: occasion.nextOccasionAt };
        days.set(occasion.day, created);
        groups.push(created);
      }
    }
  }
  const out: PlannedNotification[] = [];
  for (const g of onePerPerson(ctx, groups)) {
    const key = chaserKey(g.personId, g.day);
    if (ctx.skip(key)) continue;
    const to = addressPerson(ctx.people.get(g.personId), ctx.people, ctx.sendDay, ctx.hours, {
      notBefore: nextOfficeMomentUtc(officeOpensUtc(g.day, ctx.hours), ctx.hours),
      expiresAt: g.expiresAt,
      allowDelegate: true,
    });
    if (!to) continue;
    const chased = notInMeetingMessages(ctx, g, deliveryDay(ctx, to.notBefore));
    if (chased.length === 0) continue; // a meeting message that day already lists every one of them
    const base = overdueReply(chased.map((a) => toActionLine(a, ctx.today, a.lastReportedAt ? null : 'no update yet')));
    const boards = new Set(chased.map((a) => a.boardId));
    out.push(
      plannedNotification({
        key,
        kind: 'overdue',
        recipientPersonId: to.recipient.id,
        notBefore: to.notBefore,
        boardId: boards.size === 1 ? (chased[0]?.boardId ?? null) : null,
        refs: chased.map((a) => a.ref),
        reply: to.onBehalfOf ? onBehalfOf(base, to.onBehalfOf) : base,
        onBehalfOfPersonId: to.onBehalfOf?.id ?? null,
        expiresAt: g.expiresAt,
      }),
    );
  }
  return out;
}

/**
 * At most one chaser per person per tick, and none for an occasion older than the last message the
 * person was sent. After the clock jumps forward, actions due on different dates can each have an
 * occasion "today" or "the working day before": they are merged into one message under the latest
 * occasion. After it jumps back, occasions before the day of the person's last message (a chaser or
 * nudge that already listed them) are not chased again.
 */
function onePerPerson(ctx: PlanContext, groups: ChaseGroup[]): ChaseGroup[] {
  const byPerson = new Map<number, ChaseGroup>();
  for (const g of groups) {
    // Already queued (or sent) under its own key: nothing more to say for that occasion.
    if (ctx.skip(chaserKey(g.personId, g.day))) continue;
    const lastSentAt = ctx.people.get(g.personId)?.lastSentAt;
    if (lastSentAt && g.day < londonDateOf(lastSentAt)) continue;
    const kept = byPerson.get(g.personId);
    if (!kept) {
      byPerson.set(g.personId, { ...g, actions: [...g.actions] });
      continue;
    }
    const refs = new Set(kept.actions.map((a) => a.ref));
    for (const a of g.actions) if (!refs.has(a.ref)) kept.actions.push(a);
    if (g.day > kept.day) kept.day = g.day;
    if (g.expiresAt < kept.expiresAt) kept.expiresAt = g.expiresAt;
  }
  return [...byPerson.values()];
}

/**
 * The group's actions minus those an update-window nudge or reminder to the same owner lists on the
 * chase day or the day the chaser would go out: one message per person per occasion, so an overdue
 * action listed in the morning's nudge is not chased again beside it.
 */
function notInMeetingMessages(ctx: PlanContext, g: ChaseGroup, chaserDay: string): ActionState[] {
  const messages = ctx.meetingMessages.get(g.personId);
  if (!messages) return g.actions;
  const listed = new Set<string>();
  for (const m of messages) {
    const sent = meetingMessageDay(ctx, m);
    if (sent && (sent.day === g.day || sent.day === chaserDay)) for (const ref of sent.refs) listed.add(ref);
  }
  return listed.size === 0 ? g.actions : g.actions.filter((a) => !listed.has(a.ref));
}
