// `/send mine`: my actions grouped by what needs doing.
import { z } from 'zod';
import { needsUpdate } from '../domain/board-cycle.js';
import { isOverdue } from '../domain/overdue.js';
import { meetingLabel, plusDays } from '../domain/notifications/calendar-memo.js';
import { formatDate } from '../render/format.js';
import { reply, type ReplyBlock, text } from '../render/reply.js';
import { type ActionView, listActionViews } from '../store/actions-repository.js';
import { loadAccountableActions } from '../store/accountable-actions.js';
import { listDelegators } from '../store/caller-repository.js';
import { cyclesOf } from './board-cycles.js';
import { actionLine, holderLookup, namesOf } from './shared.js';
import { defineCommand } from './types.js';

export const DUE_SOON_DAYS = 30;

export const mineCommand = defineCommand({
  name: 'mine',
  aliases: ['my', 'me'],
  summary: 'my actions: overdue, needing an update before a board, due soon, the rest',
  usage: '/send mine',
  examples: ['/send mine'],
  access: 'anyone',
  readOnly: true,
  parse: () => ({}),
  schema: z.object({}),
  handle: async (ctx) => {
    const now = ctx.clock.now();
    const today = now.toISODate() as string;
    const soon = plusDays(today, DUE_SOON_DAYS);
    // Their actions (with the owner roles' holders and the boards' schedules) and whom they cover
    // for: neither waits on the other.
    const [mineNow, delegators] = await Promise.all([loadAccountableActions(ctx.db, ctx.caller.id), listDelegators(ctx.db, ctx.caller.id, today)]);
    const cycles = cyclesOf(ctx, mineNow.schedules);
    const actions = mineNow.views.filter((a) => a.status !== 'blue');
    // Actions of people away who named the caller as their delegate, grouped by whom they cover.
    const covering = (await Promise.all(delegators
      .map(async (d) => ({ who: d, items: (await listActionViews(ctx.db, { accountablePersonId: d.id })).filter((a) => a.status !== 'blue') }))))
      .filter((c) => c.items.length > 0);
    // The covered actions' holders are read once those actions are known (rare: someone is away).
    const holders = covering.length === 0 ? namesOf(mineNow.holders) : await holderLookup(ctx.db, [...actions, ...covering.flatMap((c) => c.items)].map((a) => a.ownerRoleId));
    const coveringBlocks: ReplyBlock[] = covering.map((c) => ({
      type: 'actions',
      heading: `Covering for ${c.who.name}, away until ${formatDate(c.who.awayUntil)} (${c.items.length})`,
      items: c.items.map((a) => actionLine(a, today, holders)),
    }));
    const coveringSummary = covering.length ? ` You are covering ${covering.reduce((n, c) => n + c.items.length, 0)} for ${covering.map((c) => c.who.name).join(', ')}.` : '';
    if (actions.length === 0 && covering.length > 0) {
      return reply('info', `You have no open actions of your own.${coveringSummary}`, [
        ...coveringBlocks,
        text('Update one with /send update <ref> [status] [NN%] [note…]: it is recorded as by you, as delegate.', true),
      ]);
    }
    if (actions.length === 0) {
      return reply('info', 'You have no open actions.', [
        text('If that looks wrong, ask a programme officer to check your role. /send who <ref> shows who owns an action.'),
      ]);
    }
    const overdue: ActionView[] = [];
    const byMeeting = new Map<string, { label: string; items: ActionView[] }>();
    const dueSoon: ActionView[] = [];
    const rest: ActionView[] = [];
    for (const a of actions) {
      const cycle = a.boardId !== null ? cycles.get(a.boardId) : undefined;
      if (isOverdue(a, today)) overdue.push(a);
      else if (cycle?.next && cycle.milestones && needsUpdate(a, cycle.previous?.startsAt)) {
        const key = `${cycle.next.startsAt}|${a.boardName}`;
        const group = byMeeting.get(key) ?? {
          label: `Update needed before ${a.boardName} on ${meetingLabel(cycle.next.startsAt)} (updates open ${formatDate(cycle.milestones.updateWindowOpens)}, papers ${formatDate(cycle.milestones.papersDeadline)})`,
          items: [],
        };
        group.items.push(a);
        byMeeting.set(key, group);
      } else if (a.due && a.due <= soon) dueSoon.push(a);
      else rest.push(a);
    }
    const blocks: ReplyBlock[] = [];
    const add = (heading: string, items: ActionView[]) => {
      if (items.length) blocks.push({ type: 'actions', heading, items: items.map((a) => actionLine(a, today, holders)) });
    };
    add(`Overdue (${overdue.length})`, overdue);
    for (const [, group] of [...byMeeting].sort(([a], [b]) => a.localeCompare(b))) add(group.label, group.items);
    add(`Due in the next ${DUE_SOON_DAYS} days (${dueSoon.length})`, dueSoon);
    add(`Everything else (${rest.length})`, rest);
    blocks.push(...coveringBlocks);
    blocks.push(text('Update one with /send update <ref> [status] [NN%] [note…]', true));
    const needing = [...byMeeting.values()].reduce((n, g) => n + g.items.length, 0);
    return reply('info', `You have ${actions.length} open action${actions.length === 1 ? '' : 's'}: ${overdue.length} overdue, ${needing} needing an update before a board.${coveringSummary}`, blocks);
  },
});
