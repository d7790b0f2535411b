// Overdue chasers: one message per person per chase occasion listing every action of theirs being
// chased that day, whatever board it reports to.
import type { ActionState } from '../planning-state.js';
import { officeOpensUtc } from './calendar-memo.js';
import { onBehalfOf, overdueReply, toActionLine } from './messages.js';
import { type ChaseOccasion, currentOccasion, recentOccasionDays } from './overdue-occasions.js';
import type { PlanContext } from './plan-context.js';
import { type PlannedNotification, plannedNotification } from './planned-notification.js';
import { actionRecipients, addressPerson, nextOfficeMomentUtc } from './recipients.js';

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
  for (const g of groups) {
    const key = `overdue:${g.personId}:${g.day}`;
    if (ctx.skip(key)) continue;
    const to = addressPerson(ctx.people.get(g.personId), ctx.people, ctx.sendDay, ctx.hours, {
      notBefore: nextOfficeMomentUtc(officeOpensUtc(g.day, ctx.hours), ctx.hours),
      expiresAt: g.expiresAt,
      allowDelegate: true,
    });
    if (!to) continue;
    const base = overdueReply(g.actions.map((a) => toActionLine(a, ctx.today, a.lastReportedAt ? null : 'no update yet')));
    const boards = new Set(g.actions.map((a) => a.boardId));
    out.push(
      plannedNotification({
        key,
        kind: 'overdue',
        recipientPersonId: to.recipient.id,
        notBefore: to.notBefore,
        boardId: boards.size === 1 ? (g.actions[0]?.boardId ?? null) : null,
        refs: g.actions.map((a) => a.ref),
        reply: to.onBehalfOf ? onBehalfOf(base, to.onBehalfOf) : base,
        onBehalfOfPersonId: to.onBehalfOf?.id ?? null,
        expiresAt: g.expiresAt,
      }),
    );
  }
  return out;
}
