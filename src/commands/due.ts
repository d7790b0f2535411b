// `/send due [N days] [all]` and `/send overdue [all]`.
import { z } from 'zod';
import { canReadAll } from '../domain/permissions.js';
import { isOverdue } from '../domain/overdue.js';
import { reply, text } from '../render/reply.js';
import { listActionViews } from '../store/actions-repository.js';
import { loadCallerFacts } from '../store/caller-repository.js';
import { actionLine, holderLookup, myActions } from './shared.js';
import { type CommandContext, defineCommand, PermissionError } from './types.js';
import { plural } from '../render/format.js';

const scopeSchema = z.object({
  all: z.boolean(),
  days: z.number().int().min(1, 'Give a number of days from 1 to 366, e.g. /send due 30.').max(366, 'Give a number of days from 1 to 366, e.g. /send due 30.').default(14),
  unknown: z.array(z.string()).max(0, 'I only understand a number of days and "all", e.g. /send due 30 all.'),
});

function parseScope(args: string[]) {
  let all = false;
  let days: number | undefined;
  const unknown: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const w = (args[i] as string).toLowerCase();
    if (w === 'all') all = true;
    else if (/^\d+$/.test(w)) days = Number(w);
    else if (/^\d+d$/.test(w)) days = Number(w.slice(0, -1));
    else if (w === 'days' || w === 'day' || w === 'in' || w === 'next') continue;
    else unknown.push(args[i] as string);
  }
  return { all, days, unknown };
}

async function scopeActions(ctx: CommandContext, all: boolean) {
  if (!all) return await myActions(ctx);
  const facts = await loadCallerFacts(ctx.db, ctx.caller, ctx.clock.now().toISODate() as string);
  if (!canReadAll(facts)) throw new PermissionError('Only board chairs and programme officers can see everyone’s actions. Try without "all" for yours.');
  return await listActionViews(ctx.db);
}

export const dueCommand = defineCommand({
  name: 'due',
  summary: 'actions due in the next N days (default 14); add "all" for everyone’s (chairs, admins)',
  usage: '/send due [N days] [all]',
  examples: ['/send due', '/send due 30', '/send due 30 all'],
  access: 'anyone',
  readOnly: true,
  parse: parseScope,
  schema: scopeSchema,
  handle: async (ctx, input) => {
    const now = ctx.clock.now();
    const today = now.toISODate() as string;
    const until = now.plus({ days: input.days }).toISODate() as string;
    const rows = (await scopeActions(ctx, input.all))
      .filter((a) => a.status !== 'blue' && a.due && a.due >= today && a.due <= until)
      .sort((a, b) => (a.due ?? '').localeCompare(b.due ?? ''));
    const holders = await holderLookup(ctx.db, rows.map((a) => a.ownerRoleId));
    const whose = input.all ? 'All actions' : 'Your actions';
    return reply('info', `${whose} due in the next ${plural(input.days, 'day')}: ${rows.length}`, [
      { type: 'actions', items: rows.map((a) => actionLine(a, today, holders)), emptyText: 'Nothing due in that time.' },
    ]);
  },
});

export const overdueCommand = defineCommand({
  name: 'overdue',
  summary: 'actions past their due date and not complete; add "all" for everyone’s (chairs, admins)',
  usage: '/send overdue [all]',
  examples: ['/send overdue', '/send overdue all'],
  access: 'anyone',
  readOnly: true,
  parse: parseScope,
  schema: scopeSchema,
  handle: async (ctx, input) => {
    const today = ctx.clock.now().toISODate() as string;
    const rows = (await scopeActions(ctx, input.all))
      .filter((a) => isOverdue(a, today))
      .sort((a, b) => (a.due ?? '').localeCompare(b.due ?? ''));
    const holders = await holderLookup(ctx.db, rows.map((a) => a.ownerRoleId));
    const whose = input.all ? 'All overdue actions' : 'Your overdue actions';
    return reply(rows.length ? 'warning' : 'info', `${whose}: ${rows.length}`, [
      { type: 'actions', items: rows.map((a) => actionLine(a, today, holders)), emptyText: 'Nothing overdue.' },
      ...(rows.length ? [text('Update with /send update <ref> …, or ask for a new date with due:<date> and a reason.', true)] : []),
    ]);
  },
});
